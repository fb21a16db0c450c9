// SPDX-License-Identifier: Apache-2.0
// bench_answers: what reading one platform answer costs. A RunPod COMPLETED answer carrying a
// 1.5 MB base64 PNG twice over (image_url and images[], as worker-sdxl sends it) is read by the
// RunPod adapter (providers/json: simdjson On-Demand, the image decoded once), against parsing
// the same body into an nlohmann::json DOM (what every answer cost before). Prints ms per answer.
//   bench_answers [SECONDS]
#include "json/jsondoc.h"
#include "runpod/runpodadapter.h"
#include "util/base64.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>

using namespace t2i;

namespace {

double msPerCall(double seconds, const std::function<void()>& call)
{
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    long n = 0;
    while (std::chrono::duration<double>(clock::now() - start).count() < seconds) {
        call();
        ++n;
    }
    return std::chrono::duration<double, std::milli>(clock::now() - start).count() / double(n);
}

} // namespace

int main(int argc, char** argv)
{
    const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
    // 1.1 MB of random bytes: base64 of about 1.5 MB, like a 1024x1024 PNG.
    std::mt19937 random(7);
    std::string bytes(1100 * 1024, '\0');
    for (char& c : bytes)
        c = char(random());
    const std::string image = "data:image/png;base64," + base64Encode(bytes);
    const std::string body = R"({"delayTime": 1520, "executionTime": 3986, "id": "j-1-u1", "status": "COMPLETED", )"
                             R"("workerId": "w-7", "output": {"image_url": ")"
        + image + R"(", "images": [")" + image + R"("], "seed": 42}})";
    std::string padded = body;
    padded.reserve(body.size() + kBodyPadding);

    RunPodOptions options;
    options.baseUrl = "http://127.0.0.1:9/v2";
    options.endpointId = "e";
    RunPodAdapter adapter(options);
    HttpResponse response;
    response.status = 200;
    response.body = padded;
    response.body.reserve(padded.size() + kBodyPadding);

    std::printf("answer: %.2f MB\n", double(body.size()) / 1e6);
    std::printf("nlohmann::json::parse (the DOM every answer was read into):  %8.3f ms\n",
        msPerCall(seconds, [&] {
            const auto parsed = nlohmann::json::parse(body);
            (void)parsed;
        }));
    std::printf("JsonDoc, checked, copied for padding:                       %8.3f ms\n",
        msPerCall(seconds, [&] { (void)JsonDoc(body).valid(); }));
    std::printf("JsonDoc, checked, read in place:                            %8.3f ms\n",
        msPerCall(seconds, [&] { (void)JsonDoc(padded).valid(); }));
    std::printf("JsonDoc, status and timings read:                           %8.3f ms\n",
        msPerCall(seconds, [&] {
            const JsonDoc doc(padded);
            (void)doc.string("/status");
            (void)doc.number("/delayTime");
            (void)doc.number("/executionTime");
            (void)doc.string("/workerId");
        }));
    std::printf("RunPodAdapter::onResponse (reads it all, decodes the image): %8.3f ms\n",
        msPerCall(seconds, [&] {
            JobState job;
            job.jobId = "j-1-u1";
            (void)adapter.onResponse(job, response);
        }));
    std::printf("base64 decode of the image alone:                           %8.3f ms\n",
        msPerCall(seconds, [&] { (void)decodeInlineImage(image); }));
    return 0;
}
