// SPDX-License-Identifier: Apache-2.0
// AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite: the .req, .creq, .sts and
// .authz files of each case), with its credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
// date 20150830T123600Z, region us-east-1, service "service". Each request is given as it goes
// on the wire; the canonical request, string to sign and Authorization header are the suite's.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sigv4vectors {

inline const std::string kAccessKey = "AKIDEXAMPLE";
inline const std::string kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
inline const std::string kDate = "20150830T123600Z";
inline const std::string kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline const std::string kScope = "20150830/us-east-1/service/aws4_request";
inline const std::string kSessionToken
    = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwt"
      "hAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHN"
      "VXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxB"
      "A==";

struct Vector {
    const char* name;
    std::string method;
    std::string path;
    std::string query;
    std::vector<std::pair<std::string, std::string>> headers; // besides Host and X-Amz-Date
    std::string body;
    std::string canonicalRequest;
    std::string stringToSign;
    std::string authorization;
};

inline std::string auth(const std::string& signedHeaders, const std::string& signature)
{
    return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + kScope + ", SignedHeaders=" + signedHeaders
        + ", Signature=" + signature;
}

inline std::string sts(const std::string& canonicalHash)
{
    return "AWS4-HMAC-SHA256\n" + kDate + "\n" + kScope + "\n" + canonicalHash;
}

// The canonical request of a GET/POST signing only host and x-amz-date, with an empty body.
inline std::string plain(const std::string& method, const std::string& uri, const std::string& query = {})
{
    return method + "\n" + uri + "\n" + query
        + "\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + kEmptyHash;
}

inline const std::vector<Vector>& vectors()
{
    static const std::vector<Vector> all = {
        { "get-vanilla", "GET", "/", "", {}, "", plain("GET", "/"),
            sts("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"),
            auth("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31") },
        { "get-vanilla-empty-query-key", "GET", "/", "Param1=value1", {}, "", plain("GET", "/", "Param1=value1"),
            sts("1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab"),
            auth("host;x-amz-date", "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb") },
        { "get-vanilla-query-order-key", "GET", "/", "Param1=value2&Param1=Value1", {}, "",
            plain("GET", "/", "Param1=Value1&Param1=value2"),
            sts("704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89"),
            auth("host;x-amz-date", "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1") },
        { "get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1", {}, "",
            plain("GET", "/", "Param1=value1&Param2=value2"),
            sts("816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0"),
            auth("host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500") },
        { "get-vanilla-query-order-value", "GET", "/", "Param1=value2&Param1=value1", {}, "",
            plain("GET", "/", "Param1=value1&Param1=value2"),
            sts("c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606"),
            auth("host;x-amz-date", "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694") },
        { "get-vanilla-query-unreserved", "GET", "/",
            "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
            "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            {}, "",
            plain("GET", "/",
                "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
                "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
            sts("c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177"),
            auth("host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197") },
        { "get-vanilla-utf8-query", "GET", "/", "\xE1\x88\xB4=bar", {}, "", plain("GET", "/", "%E1%88%B4=bar"),
            sts("eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073"),
            auth("host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04") },
        { "get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "", {}, "",
            plain("GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
            sts("6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9"),
            auth("host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f") },
        { "get-utf8", "GET", "/\xE1\x88\xB4", "", {}, "", plain("GET", "/%E1%88%B4"),
            sts("2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102"),
            auth("host;x-amz-date", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85") },
        { "get-header-key-duplicate", "GET", "/", "",
            { { "My-Header1", "value2" }, { "My-Header1", "value2" }, { "My-Header1", "value1" } }, "",
            "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\n"
            "host;my-header1;x-amz-date\n"
                + kEmptyHash,
            sts("dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c"),
            auth("host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea") },
        { "get-header-value-order", "GET", "/", "",
            { { "My-Header1", "value4" }, { "My-Header1", "value1" }, { "My-Header1", "value3" },
                { "My-Header1", "value2" } },
            "",
            "GET\n/"
            "\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\nx-amz-date:20150830T123600Z\n"
            "\nhost;my-header1;x-amz-date\n"
                + kEmptyHash,
            sts("31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86"),
            auth("host;my-header1;x-amz-date", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01") },
        { "get-header-value-trim", "GET", "/", "", { { "My-Header1", " value1" }, { "My-Header2", " \"a   b   c\"" } },
            "",
            "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b "
            "c\"\nx-amz-date:20150830T123600Z\n"
            "\nhost;my-header1;my-header2;x-amz-date\n"
                + kEmptyHash,
            sts("a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7"),
            auth("host;my-header1;my-header2;x-amz-date",
                "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736") },
        { "normalize-path/get-relative-relative", "GET", "/example1/example2/../..", "", {}, "", plain("GET", "/"),
            sts("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"),
            auth("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31") },
        { "normalize-path/get-slash-dot-slash", "GET", "/./", "", {}, "", plain("GET", "/"),
            sts("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"),
            auth("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31") },
        { "normalize-path/get-slash-pointless-dot", "GET", "/./example", "", {}, "", plain("GET", "/example"),
            sts("214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702"),
            auth("host;x-amz-date", "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5") },
        { "normalize-path/get-slashes", "GET", "//example//", "", {}, "", plain("GET", "/example/"),
            sts("cb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015"),
            auth("host;x-amz-date", "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84") },
        { "normalize-path/get-space", "GET", "/example space/", "", {}, "", plain("GET", "/example%20space/"),
            sts("63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86"),
            auth("host;x-amz-date", "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741") },
        { "post-vanilla", "POST", "/", "", {}, "", plain("POST", "/"),
            sts("553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87"),
            auth("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b") },
        { "post-vanilla-query", "POST", "/", "Param1=value1", {}, "", plain("POST", "/", "Param1=value1"),
            sts("9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd"),
            auth("host;x-amz-date", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11") },
        { "post-header-key-sort", "POST", "/", "", { { "My-Header1", "value1" } }, "",
            "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:20150830T123600Z\n\n"
            "host;my-header1;x-amz-date\n"
                + kEmptyHash,
            sts("9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65"),
            auth("host;my-header1;x-amz-date", "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c") },
        { "post-header-value-case", "POST", "/", "", { { "My-Header1", "VALUE1" } }, "",
            "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:VALUE1\nx-amz-date:20150830T123600Z\n\n"
            "host;my-header1;x-amz-date\n"
                + kEmptyHash,
            sts("d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93"),
            auth("host;my-header1;x-amz-date", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d") },
        { "post-x-www-form-urlencoded", "POST", "/", "", { { "Content-Type", "application/x-www-form-urlencoded" } },
            "Param1=value1",
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            sts("42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281"),
            auth("content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a") },
        { "post-x-www-form-urlencoded-parameters", "POST", "/", "",
            { { "Content-Type", "application/x-www-form-urlencoded; charset=utf8" } }, "Param1=value1",
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf8\nhost:example.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            sts("2e1cf7ed91881a30569e46552437e4156c823447bf1781b921b5d486c568dd1c"),
            auth("content-type;host;x-amz-date", "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe") },
        { "post-sts-token/post-sts-header-before", "POST", "/", "", { { "X-Amz-Security-Token", kSessionToken } }, "",
            "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:" + kSessionToken
                + "\n\nhost;x-amz-date;x-amz-security-token\n" + kEmptyHash,
            sts("c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6"),
            auth("host;x-amz-date;x-amz-security-token",
                "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead") },
    };
    return all;
}

// The S3 examples of "Signature Calculations for the Authorization Header" and "Authenticating
// Requests: Using Query Parameters" (S3 API reference): examplebucket, 20130524T000000Z.
inline const std::string kS3AccessKey = "AKIAIOSFODNN7EXAMPLE";
inline const std::string kS3Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
inline const std::string kS3Date = "20130524T000000Z";
inline const std::string kS3GetObjectCanonical
    = "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
      "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
      "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline const std::string kS3GetObjectStringToSign
    = "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
      "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972";
inline const std::string kS3GetObjectSignature = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
inline const std::string kS3PutObjectSignature = "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd";
inline const std::string kS3PresignedUrl
    = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
      "&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
      "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

} // namespace sigv4vectors
