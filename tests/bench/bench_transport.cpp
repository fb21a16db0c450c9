// SPDX-License-Identifier: Apache-2.0
// The HTTP transport alone (core/transport over libcurl), without the engine or an adapter: N
// requests in flight, each answer sending the next, for a few seconds. Prints one JSON line with
// its rate and CPU per request: the floor under the engine's figures in tests/bench/run-benchmarks.
//
//   bench_transport --url http://127.0.0.1:PORT/v2/bench/status/ID --closed 64 --seconds 5
#include "engine/adapter.h"
#include "transport/httptransport.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <sys/resource.h>

using namespace t2i;

namespace {
double cpuSeconds()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}
} // namespace

int main(int argc, char** argv)
{
    std::string url;
    int closed = 64;
    double seconds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--url")
            url = argv[i + 1];
        else if (flag == "--closed")
            closed = std::atoi(argv[i + 1]);
        else if (flag == "--seconds")
            seconds = std::atof(argv[i + 1]);
    }
    if (url.empty() || closed <= 0) {
        std::cerr << "usage: bench_transport --url URL [--closed N] [--seconds S]\n";
        return 2;
    }
    RunClock clock;
    HttpTransport transport(clock);
    HttpRequest request;
    request.url = url;
    request.headers = { { "Authorization", "Bearer bench" } };
    std::int64_t done = 0, ok = 0;
    const double endMs = seconds * 1000.0;
    std::function<void(HttpResponse&&)> onAnswer = [&](HttpResponse&& response) {
        ++done;
        ok += response.status == 200;
        if (clock.nowMs() < endMs)
            transport.send(request, 10000, onAnswer);
    };
    const double cpuBefore = cpuSeconds();
    for (int i = 0; i < closed; ++i)
        transport.send(request, 10000, onAnswer);
    while (transport.inFlight() > 0)
        transport.poll(50);
    const double cpu = cpuSeconds() - cpuBefore;
    const double wall = clock.nowMs() / 1000.0;
    nlohmann::json out { { "concurrency", closed }, { "requests", done }, { "ok", ok }, { "wall_s", wall },
        { "requests_per_s", double(done) / wall }, { "cpu_s", cpu },
        { "cpu_us_per_request", done ? cpu / double(done) * 1e6 : 0 } };
    std::cout << out.dump() << std::endl;
    return ok == done ? 0 : 1;
}
