// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "engine/runclock.h"

#include <functional>
#include <limits>
#include <memory>
#include <string>

namespace t2i {

struct TransportOptions {
    std::string httpVersion = "1.1"; // "1.1", "2" (ALPN over TLS), "2-prior-knowledge" (h2c)
    long maxConnectionsPerHost = 0; // 0: unlimited
    // Idle keep-alive connections kept for reuse. libcurl looks for an idle connection by walking
    // every connection to the host, so after a burst of 10,000 (HTTP/1.1: one per request in
    // flight) an unbounded cache would make each later request walk 10,000 (docs/performance.md).
    // At least the engine's polls in flight (EngineSettings::maxPollsInFlight), or a poll's
    // connection is closed as it finishes and the next one opens another, the platform's accept
    // and set-up included.
    long maxIdleConnections = 2048;
    // A PEM file of the CA certificates the server's certificate is verified against, in place
    // of the system's (both libcurl defaults: its CA bundle and its CA folder); empty: the
    // system's. Verification stays on either way. Config: a provider's ca_file, docs/configuration.md.
    std::string caFile;
    // The largest answer body taken, in bytes (0: no cap). A bigger one is cut off and answered as
    // a transport error that names the cap: one runaway answer must not take the client's memory
    // (config: a provider's max_answer_mb, docs/configuration.md).
    std::int64_t maxAnswerBytes = std::int64_t(64) << 20;
    // What all answer bodies arriving at once may hold, in bytes (0: no limit). A large answer
    // that does not fit waits, paused, with its bytes in the socket, until bodies before it are
    // handed over; small ones (under 64 KiB: polls, submits) never wait. Config: a provider's
    // answer_memory_mb, docs/configuration.md.
    std::int64_t maxBufferedAnswerBytes = std::int64_t(128) << 20;
};

// libcurl's multi socket interface over epoll, driven by the thread that calls poll() (the
// engine thread): one event loop, no thread per request, keep-alive connections reused across
// requests, and a cost per ready socket rather than per open connection, so 10,000 requests in
// flight cost no more per answer than ten.
class HttpTransport {
public:
    using Callback = std::function<void(HttpResponse&&)>;
    HttpTransport(const RunClock& clock, TransportOptions options = {});
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    // Starts the request now. The callback runs inside a later poll(), on the polling thread.
    void send(const HttpRequest& request, double timeoutMs, Callback callback);
    // Moves every transfer forward and runs completion callbacks; waits at most timeoutMs for
    // socket activity (0: do not wait). Callbacks may send() again. Past yieldAtMs (run clock) it
    // leaves the sockets it has not served yet for the next call, so the caller's due work waits
    // for one socket's reading at most.
    void poll(int timeoutMs, double yieldAtMs = std::numeric_limits<double>::infinity());
    // Breaks a poll() that is waiting; callable from any thread.
    void wakeup();
    std::size_t inFlight() const;
    struct AnswerMemoryUse {
        std::int64_t peakBytes = 0; // the most answer bodies held at once while arriving
        std::int64_t pausedAnswers = 0; // answers that waited for room (maxBufferedAnswerBytes)
    };
    AnswerMemoryUse answerMemory() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// curl_global_init once per process, before threads start (libcurl's rule).
void initHttpGlobally();

} // namespace t2i
