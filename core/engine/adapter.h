// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "model/networkphases.h"
#include "model/ratelimit.h"
#include "model/requestrecord.h"
#include "model/run.h"

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace t2i {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    HttpHeaders headers;
    std::string body;
    // The platform operation it counts against in the request budget ("run", "status", ...: the
    // names of the provider's rate limits); "" is never limited.
    std::string operation;
};

struct HttpResponse {
    int status = 0; // 0: no HTTP answer at all (see transportError)
    std::string transportError; // libcurl's message when status == 0
    bool timedOut = false;
    HttpHeaders headers; // names lower-cased
    // Adapters read JSON bodies in place when the string's capacity leaves kBodyPadding bytes after
    // its end (providers/json/jsondoc.h); a body without that room is copied once to be read.
    std::string body;
    // What crossed the wire (libcurl's CURLINFO_SIZE_DOWNLOAD_T and CURLINFO_HEADER_SIZE): the body
    // before content decoding, and every response's header block (redirects, 100 Continue). -1:
    // not measured (a caller that builds responses itself); the engine counts body.size() then.
    std::int64_t wireBodyBytes = -1;
    std::int64_t headerBytes = 0;
    double sentMs = 0; // run clock
    double receivedMs = 0;
    // The call on the network as libcurl timed it (not measured for a response built by hand).
    struct Network {
        bool measured = false;
        CallPhases phases;
        int newConnections = 0; // connections this call opened (CURLINFO_NUM_CONNECTS): 0 on reuse
        bool tlsHandshake = false; // one of them shook hands over TLS
        std::string remoteIp; // the address it reached (CURLINFO_PRIMARY_IP)
    } network;
    std::string header(std::string_view lowerName) const; // "" when absent
};

// The readable bytes a JSON reader (simdjson) may touch past a body's end: a transport that
// reserves them (capacity() >= size() + kBodyPadding) saves a copy of every answer.
inline constexpr std::size_t kBodyPadding = 64;

// The job as the workload made it: what to ask the platform for.
struct Job {
    std::int64_t seq = 0;
    std::string prompt;
    std::int64_t seed = 0;
    VariantConfig variant;
};

// An image as a platform delivered it: its bytes (a binary answer, a download), or the base64
// text it came as inside a JSON answer. Base64 is kept as it came and decoded on the image-check
// thread with the rest of the check: decoding a 1.5 MB PNG takes most of a millisecond, which the
// engine thread spends on sends and polls instead (docs/performance.md, "Image answers").
struct DeliveredImage {
    std::string data;
    bool base64 = false; // data is base64 text (a data URI's payload or raw base64)
    // The image's bytes: data itself, or data decoded; nullopt when the base64 does not decode.
    std::optional<std::string> bytes() const;
};

// Where the platform says a job is, as far as it says: it steers which jobs are polled first
// when the request budget is short (core/engine/pollscheduler.h).
enum class JobPhase { Unknown, Queued, Running };

// What an adapter learns about a job as responses come in. The engine owns it; the adapter
// fills in what the platform says.
struct JobState {
    Job job;
    std::string jobId; // the platform's id, once known
    std::string providerStatus; // last status string seen
    std::optional<double> queueMs; // platform-reported, in ms
    std::optional<double> execMs;
    // The platform's own end-to-end time, from receiving the job to finishing it, where its
    // timings give it (Replicate: completed_at - created_at). Unset, queueMs + execMs is used when
    // both are known (RunPod: delayTime + executionTime).
    std::optional<double> platformMs;
    JobPhase phase = JobPhase::Unknown;
    std::string workerId;
    std::vector<DeliveredImage> images; // delivered inline (see DeliveredImage)
    std::vector<std::string> imageUrls; // images to download (timed apart as download time)
    bool accepted = false; // the submit call was answered with a job id
    int polls = 0;
    std::string scratch; // adapter-private notes (e.g. the status URL)
    std::optional<double> reportedCostUsd; // the platform's own charge, where it reports one
    std::string reportedUsage; // the platform's usage report (JSON), where it bills by usage

    // An image as platforms name it: a URL goes to imageUrls (downloaded and timed apart by the
    // engine), a data URI or raw base64 to images (see takeInlineImage). False when it is neither,
    // and when the URL holds a space or control character.
    bool takeImage(std::string_view text);
    // A data URI or raw base64, kept encoded in images. False for a data URI that is not base64,
    // and for text that is empty or plainly not base64 at its start or end; the rest of it is
    // only decoded with the image check, where bad base64 makes the image invalid.
    bool takeInlineImage(std::string_view text);
    // Image bytes as they arrived (a binary answer, a downloaded file).
    void takeImageBytes(std::string bytes) { images.push_back({ std::move(bytes), false }); }
};

// What happens after a response.
struct Action {
    enum class Kind {
        Send, // send `request` after `delayMs` (a follow-up call: a result fetch, a retry)
        Poll, // the job is not done: ask again with `request`, no sooner than `delayMs` after the
              // previous question was sent; the engine's poll scheduler picks the moment
        Done, // the job finished with images (inline in JobState::images or to download from imageUrls)
        Fail, // the job failed: `error` and `message` say why
    };
    Kind kind = Kind::Fail;
    HttpRequest request;
    double delayMs = 0;
    ErrorClass error = ErrorClass::None;
    std::string message;
    // A poll the platform holds until the job changes (RunPod /status-sync): it waits on the
    // platform, not on the client, so it does not count against the polls the engine keeps in flight.
    bool held = false;

    static Action send(HttpRequest r, double delay)
    {
        return { Kind::Send, std::move(r), delay, ErrorClass::None, {}, false };
    }
    // "Not done yet; ask again with this request", for status polls (see Kind::Poll).
    static Action poll(HttpRequest r, double intervalMs)
    {
        return { Kind::Poll, std::move(r), intervalMs, ErrorClass::None, {}, false };
    }
    static Action heldPoll(HttpRequest r, double intervalMs)
    {
        return { Kind::Poll, std::move(r), intervalMs, ErrorClass::None, {}, true };
    }
    static Action done() { return { Kind::Done, {}, 0, ErrorClass::None, {}, false }; }
    // A platform failure whose message says the GPU ran out of memory is classed OutOfMemory here,
    // once for every adapter (platformFailureClass), so no adapter has to tell the two apart.
    static Action fail(ErrorClass e, std::string m)
    {
        if (e == ErrorClass::PlatformFailure)
            e = platformFailureClass(m);
        return { Kind::Fail, {}, 0, e, std::move(m), false };
    }
};

// A protocol translator (docs/design.md): builds requests and reads responses; never does I/O,
// never sleeps, never owns a socket or a clock. The engine drives it. onResponse may run on the
// engine's answer-reading thread (a large answer, core/engine/answerreader.h) while the engine
// thread calls the adapter for other jobs: it reads and writes the job's JobState only, and the
// adapter's own settings stay as they were built.
class Adapter {
public:
    virtual ~Adapter() = default;
    virtual std::string type() const = 0;
    // The first request of a job.
    virtual HttpRequest submit(JobState& job) = 0;
    // Reads the answer to the job's latest request and says what happens next. HTTP 429 never
    // reaches it: the engine waits for retryAfterMs() and sends the same request again, counted.
    virtual Action onResponse(JobState& job, const HttpResponse& response) = 0;
    // The request that cancels a job on the platform; nullopt when the platform has none or the
    // job has no platform id yet.
    virtual std::optional<HttpRequest> cancel(const JobState& job) const = 0;
    // The platform's worker/queue counters, where it has them.
    virtual std::optional<HttpRequest> healthRequest() const { return std::nullopt; }
    virtual std::optional<WorkerSample> parseHealth(const HttpResponse&) const { return std::nullopt; }
    // How long to wait after a 429; nullopt when the platform did not say (the engine backs off).
    virtual std::optional<double> retryAfterMs(const HttpResponse& response) const;
    // The platform's documented request budget per operation (the operations its requests are
    // tagged with); a config's rate_limits overrides it. None by default.
    virtual RateLimits defaultRateLimits() const { return {}; }
    // The operations its requests count against. An adapter that tags none gets the engine's
    // names for what each request does: kSubmitOperation, kStatusOperation, ... below.
    virtual std::vector<std::string> operations() const;
};

// The operation names the engine gives untagged requests, by what each does.
inline constexpr const char* kSubmitOperation = "submit";
inline constexpr const char* kStatusOperation = "status";
inline constexpr const char* kFollowUpOperation = "request"; // result fetches and other follow-ups
inline constexpr const char* kCancelOperation = "cancel";
inline constexpr const char* kHealthOperation = "health";

// What an adapter threw, as a message ("an exception without a message" when it gave none).
std::string exceptionText(const std::exception& e);

// The error class an HTTP status means when the platform's body says nothing more specific.
ErrorClass classifyHttpStatus(int status);

// A request with the platform's Authorization header and, when there is a body, a JSON content type.
HttpRequest jsonRequest(std::string method, std::string url, const std::string& authorization, std::string body = {});
// A base URL without trailing slashes, so paths can be appended with one "/".
std::string withoutTrailingSlashes(std::string url);

} // namespace t2i
