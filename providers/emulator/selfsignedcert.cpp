// SPDX-License-Identifier: Apache-2.0
// Certificate generation with OpenSSL's libcrypto (OpenSSL 3.0 API, man pages EVP_PKEY_Q_keygen(3),
// X509_sign(3), X509V3_EXT_conf_nid(3)), so --tls needs neither the openssl program nor files.
#include "selfsignedcert.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

namespace t2i {

namespace {

// unique_ptr deleters for OpenSSL's objects, each freed by its own function.
template <auto Free> struct Freer {
    template <typename T> void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Freer<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Freer<BIO_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Freer<BN_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Freer<X509_EXTENSION_free>>;

// Qt's TLS backend shares this process's libcrypto and reads its per-thread error queue after
// its own calls: what a failed call of ours leaves there must not be taken for Qt's error.
struct ErrorQueueCleaner {
    ~ErrorQueueCleaner() { ERR_clear_error(); }
};

[[noreturn]] void fail(const char* what)
{
    char reason[256] = "unknown reason";
    if (const unsigned long code = ERR_peek_last_error())
        ERR_error_string_n(code, reason, sizeof reason);
    throw std::runtime_error(std::string("cannot make a self-signed certificate: ") + what + ": " + reason);
}

void check(bool ok, const char* what)
{
    if (!ok)
        fail(what);
}

void addExtension(X509* certificate, int nid, const char* value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0); // self-signed: issuer = subject
    const ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    check(extension && X509_add_ext(certificate, extension.get(), -1) == 1, value);
}

std::string drain(BIO* bio)
{
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

} // namespace

PemCredentials makeSelfSignedCertificate()
{
    const ErrorQueueCleaner cleaner;
    const PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    check(key != nullptr, "EC P-256 key");

    const X509Ptr certificate(X509_new());
    check(certificate && X509_set_version(certificate.get(), X509_VERSION_3) == 1, "X.509 v3 certificate");
    // A random 159-bit serial (RFC 5280 4.1.2.2: positive, at most 20 bytes): a client that has
    // cached another run's certificate must not take this one for it.
    const BignumPtr serial(BN_new());
    check(serial && BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1
            && BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())) != nullptr,
        "serial number");
    constexpr long kDayS = 24L * 3600;
    check(X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -kDayS) != nullptr
            && X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 3653 * kDayS) != nullptr,
        "validity");

    X509_NAME* name = X509_get_subject_name(certificate.get());
    const auto text = [](const char* s) { return reinterpret_cast<const unsigned char*>(s); };
    check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, text("t2ibench"), -1, -1, 0) == 1
            && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, text("t2ibench-emulator"), -1, -1, 0) == 1
            && X509_set_issuer_name(certificate.get(), name) == 1 && X509_set_pubkey(certificate.get(), key.get()) == 1,
        "subject");
    // An end-entity certificate that clients trust as it is (a CA file holding it): no CA bit,
    // for servers only, and the names a loopback client checks (RFC 6125: the SAN, not the CN).
    addExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
    addExtension(certificate.get(), NID_ext_key_usage, "serverAuth");
    addExtension(certificate.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    addExtension(certificate.get(), NID_subject_key_identifier, "hash");
    check(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0, "signature");

    const BioPtr certificateOut(BIO_new(BIO_s_mem()));
    const BioPtr keyOut(BIO_new(BIO_s_mem()));
    check(certificateOut && keyOut && PEM_write_bio_X509(certificateOut.get(), certificate.get()) == 1
            && PEM_write_bio_PrivateKey(keyOut.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM");
    return { drain(certificateOut.get()), drain(keyOut.get()) };
}

bool keyMatchesCertificate(const std::string& certificatePem, const std::string& keyPem)
{
    const ErrorQueueCleaner cleaner;
    const BioPtr certificateIn(BIO_new_mem_buf(certificatePem.data(), static_cast<int>(certificatePem.size())));
    const BioPtr keyIn(BIO_new_mem_buf(keyPem.data(), static_cast<int>(keyPem.size())));
    if (!certificateIn || !keyIn)
        return false;
    const X509Ptr certificate(PEM_read_bio_X509(certificateIn.get(), nullptr, nullptr, nullptr));
    // No passphrase callback: an encrypted key is refused here rather than asked for.
    const PkeyPtr key(PEM_read_bio_PrivateKey(keyIn.get(), nullptr, nullptr, const_cast<char*>("")));
    return certificate && key && X509_check_private_key(certificate.get(), key.get()) == 1;
}

} // namespace t2i
