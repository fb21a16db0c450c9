// SPDX-License-Identifier: Apache-2.0
#include "httptransport.h"

#include "callnetwork.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <deque>
#include <malloc.h>
#include <mutex>
#include <optional>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace t2i {
namespace {

struct Transfer;

// The memory answer bodies may hold while they arrive, shared by all transfers
// (TransportOptions::maxBufferedAnswerBytes). A large body is admitted when it starts, with its
// Content-Length (or, without one, as it grows), if it fits; one that does not is paused before
// its first byte is kept, the platform's bytes waiting in the socket (TCP holds the sender back),
// and resumed, oldest first, as admitted bodies are handed over. Small bodies (status polls,
// submit answers) are always admitted, and so is any body when none is held, so nothing waits
// on itself.
struct AnswerMemory {
    static constexpr std::int64_t kAlwaysAdmitted = 64 * 1024;
    std::int64_t limit = 0; // 0: none
    std::int64_t held = 0;
    std::int64_t peak = 0;
    std::int64_t pausedAnswers = 0;
    std::deque<Transfer*> paused; // oldest first
    bool fits(std::int64_t bytes) const
    {
        return limit <= 0 || bytes < kAlwaysAdmitted || held == 0 || held + bytes <= limit;
    }
};

struct Transfer {
    CURL* easy = nullptr;
    std::uint32_t shard = 0; // the multi handle it runs on
    curl_slist* headers = nullptr;
    std::string requestBody; // libcurl reads it in place, so it lives as long as the transfer
    HttpResponse response;
    HttpTransport::Callback callback;
    std::int64_t maxAnswerBytes = 0; // 0: no cap
    bool tooLarge = false; // cut off at maxAnswerBytes
    AnswerMemory* memory = nullptr;
    std::int64_t expectedBytes = -1; // the Content-Length, when there is one
    std::int64_t admittedBytes = -1; // what it counts in memory.held; -1: not admitted yet
    bool paused = false;
};

// What a body will hold once `incoming` more bytes are in: its Content-Length when that says more.
std::int64_t wantedBytes(const Transfer& transfer, std::size_t incoming)
{
    return std::max(transfer.expectedBytes, std::int64_t(transfer.response.body.size() + incoming));
}

// False: the transfer waits (paused) until admitted bodies make room.
bool admit(Transfer& transfer, std::size_t incoming)
{
    AnswerMemory& memory = *transfer.memory;
    const auto size = std::int64_t(transfer.response.body.size() + incoming);
    if (transfer.admittedBytes < 0) {
        const std::int64_t want = wantedBytes(transfer, incoming);
        if (!memory.fits(want)) {
            if (!transfer.paused) {
                transfer.paused = true;
                ++memory.pausedAnswers;
                memory.paused.push_back(&transfer);
            }
            return false;
        }
        transfer.paused = false;
        transfer.admittedBytes = want;
        memory.held += want;
        // Its room at once, with the padding a JSON reader wants (kBodyPadding), instead of
        // doubling its way there and holding up to twice its size.
        if (transfer.expectedBytes > 0)
            transfer.response.body.reserve(std::size_t(transfer.expectedBytes) + kBodyPadding);
    } else if (size > transfer.admittedBytes) { // no Content-Length, or more than it said
        memory.held += size - transfer.admittedBytes;
        transfer.admittedBytes = size;
    }
    memory.peak = std::max(memory.peak, memory.held);
    return true;
}

bool overCap(Transfer& transfer, std::uint64_t bytes)
{
    if (transfer.maxAnswerBytes <= 0 || bytes <= std::uint64_t(transfer.maxAnswerBytes))
        return false;
    transfer.tooLarge = true;
    return true;
}

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* transfer = static_cast<Transfer*>(user);
    std::string& body = transfer->response.body;
    if (overCap(*transfer, body.size() + size * count))
        return 0; // libcurl ends the transfer with CURLE_WRITE_ERROR
    if (!admit(*transfer, size * count))
        return CURL_WRITEFUNC_PAUSE; // libcurl keeps this chunk and gives it again when resumed
    body.append(data, size * count);
    return size * count;
}

// A Content-Length is the size of the body to come: over the cap, the transfer ends before its
// body is read; under it, it is what the body is admitted with (admit()).
bool noteContentLength(Transfer& transfer, std::string_view value)
{
    std::uint64_t length = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec != std::errc() || end != value.data() + value.size())
        return true;
    if (overCap(transfer, length))
        return false;
    transfer.expectedBytes = std::int64_t(length); // reserved when admitted (admit())
    return true;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* transfer = static_cast<Transfer*>(user);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) { // a new response (after a redirect or 100 Continue) starts afresh
        transfer->response.headers.clear();
        transfer->expectedBytes = -1;
        return line.size();
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos)
        return line.size();
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
        value.remove_suffix(1);
    if (name == "content-length" && !noteContentLength(*transfer, value))
        return 0; // over the cap: libcurl ends the transfer
    transfer->response.headers.emplace_back(std::move(name), std::string(value));
    return line.size();
}

long curlHttpVersion(const std::string& version)
{
    if (version == "2")
        return CURL_HTTP_VERSION_2TLS;
    if (version == "2-prior-knowledge")
        return CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
    return CURL_HTTP_VERSION_1_1;
}

} // namespace

void initHttpGlobally()
{
    static std::once_flag once;
    std::call_once(once, [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        // Answer bodies of megabytes come and go by the thousand. glibc would give blocks that
        // large fresh pages from the kernel, zeroed (and, in a VM, faulted in) on first touch: a
        // profile at 1,000 image answers/s put a fifth of the engine thread in the kernel's
        // clear_page. Kept in the heap, a freed body's memory serves the next one.
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
    });
}

struct HttpTransport::Impl {
    // One of the transport's libcurl multi handles, each with its own connection cache.
    struct MultiShard {
        Impl* owner = nullptr;
        std::uint32_t index = 0;
        CURLM* multi = nullptr;
        std::optional<double> timerAtMs; // when libcurl wants CURL_SOCKET_TIMEOUT; nullopt: never
    };

    // libcurl looks for a connection to reuse by walking every connection its multi handle has
    // to the host, busy ones included: with 10,000 requests in flight (HTTP/1.1, a connection
    // each) one walk is 10,000 steps and a burst of 10,000 submits 50,000,000 (a profile of such
    // a burst spent 84% of the client there). Transfers are spread over several multi handles,
    // each with its own connections, so each walk is an eighth as long.
    // A new transfer goes to the shard with the fewest in flight (the first such): at low
    // concurrency that is the same shard again, whose idle connection it reuses, where turns
    // round the shards would open (and over TLS shake hands on) a connection in each of them;
    // under load the shards fill evenly and each walk stays an eighth.
    static constexpr std::uint32_t kShards = 8;
    static constexpr std::uint64_t kWakeKey = ~std::uint64_t(0);

    const RunClock& clock;
    TransportOptions options;
    std::vector<MultiShard> shards = std::vector<MultiShard>(kShards);
    std::array<std::uint32_t, kShards> busy {}; // transfers in flight per shard
    int epoll = -1;
    int wakeFd = -1; // an eventfd: wakeup() from any thread breaks epoll_wait
    std::unordered_map<CURL*, std::unique_ptr<Transfer>> active;
    std::vector<CURL*> idleHandles; // reused: a handle keeps the options every request shares
    std::vector<epoll_event> events = std::vector<epoll_event>(512);
    AnswerMemory memory;

    Impl(const RunClock& c, TransportOptions o)
        : clock(c)
        , options(std::move(o))
    {
        initHttpGlobally();
        memory.limit = options.maxBufferedAnswerBytes;
        epoll = epoll_create1(EPOLL_CLOEXEC);
        wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        epoll_event wake {};
        wake.events = EPOLLIN;
        wake.data.u64 = kWakeKey;
        epoll_ctl(epoll, EPOLL_CTL_ADD, wakeFd, &wake);
        for (std::uint32_t i = 0; i < kShards; ++i) {
            MultiShard& shard = shards[i];
            shard.owner = this;
            shard.index = i;
            shard.multi = curl_multi_init();
            CURLM* multi = shard.multi;
            curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
            if (options.maxConnectionsPerHost > 0)
                curl_multi_setopt(
                    multi, CURLMOPT_MAX_HOST_CONNECTIONS, std::max(1L, options.maxConnectionsPerHost / long(kShards)));
            if (options.maxIdleConnections > 0)
                curl_multi_setopt(
                    multi, CURLMOPT_MAXCONNECTS, std::max(1L, options.maxIdleConnections / long(kShards)));
            // The socket interface: libcurl says which sockets to watch and when to call it back;
            // epoll hands over only the sockets that are ready, so a loop with 10,000 connections
            // costs per event, not per connection (curl_multi_poll walks every one each time).
            curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::onSocket);
            curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, &shard);
            curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::onTimer);
            curl_multi_setopt(multi, CURLMOPT_TIMERDATA, &shard);
        }
    }

    ~Impl()
    {
        for (auto& [easy, transfer] : active) {
            curl_multi_remove_handle(shards[transfer->shard].multi, easy);
            curl_slist_free_all(transfer->headers);
            curl_easy_cleanup(easy);
        }
        for (CURL* easy : idleHandles)
            curl_easy_cleanup(easy);
        for (MultiShard& shard : shards)
            curl_multi_cleanup(shard.multi);
        close(wakeFd);
        close(epoll);
    }

    static int onSocket(CURL*, curl_socket_t socket, int what, void* user, void* socketData)
    {
        auto* shard = static_cast<MultiShard*>(user);
        const int epoll = shard->owner->epoll;
        if (what == CURL_POLL_REMOVE) {
            epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nullptr);
            curl_multi_assign(shard->multi, socket, nullptr);
            return 0;
        }
        epoll_event event {};
        event.data.u64 = (std::uint64_t(shard->index) << 32) | std::uint32_t(socket);
        event.events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
        // socketData marks a socket already in the epoll set (libcurl keeps it for us).
        if (socketData) {
            epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event);
        } else {
            epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &event);
            curl_multi_assign(shard->multi, socket, shard);
        }
        return 0;
    }

    static int onTimer(CURLM*, long timeoutMs, void* user)
    {
        auto* shard = static_cast<MultiShard*>(user);
        if (timeoutMs < 0)
            shard->timerAtMs.reset();
        else
            shard->timerAtMs = shard->owner->clock.nowMs() + double(timeoutMs);
        return 0;
    }

    // A handle keeps the options every request shares from one request to the next: resetting
    // it and setting them again costs more than a status poll's own work (docs/performance.md).
    CURL* takeHandle()
    {
        if (!idleHandles.empty()) {
            CURL* easy = idleHandles.back();
            idleHandles.pop_back();
            return easy;
        }
        CURL* easy = curl_easy_init();
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, onBody);
        curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, onHeader);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, curlHttpVersion(options.httpVersion));
        // Verified always: there is no switch to turn it off, only ca_file for a self-signed one.
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!options.caFile.empty()) { // only this file: Debian's libcurl also reads /etc/ssl/certs (CAPATH)
            curl_easy_setopt(easy, CURLOPT_CAINFO, options.caFile.c_str());
            curl_easy_setopt(easy, CURLOPT_CAPATH, static_cast<const char*>(nullptr));
        }
        curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L); // Modal's long calls answer 303 to a result URL
        curl_easy_setopt(easy, CURLOPT_USERAGENT, "t2ibench/" T2I_VERSION);
        return easy;
    }

    // Runs what libcurl's timers ask for, on every shard whose timer is due.
    void runDueTimers()
    {
        const double now = clock.nowMs();
        for (MultiShard& shard : shards)
            if (shard.timerAtMs && *shard.timerAtMs <= now) {
                int running = 0;
                shard.timerAtMs.reset(); // libcurl sets it again if it still wants one
                curl_multi_socket_action(shard.multi, CURL_SOCKET_TIMEOUT, 0, &running);
            }
    }

    bool anyTimerDue() const
    {
        const double now = clock.nowMs();
        return std::any_of(
            shards.begin(), shards.end(), [now](const MultiShard& s) { return s.timerAtMs && *s.timerAtMs <= now; });
    }

    std::optional<double> nextTimerMs() const
    {
        std::optional<double> next;
        for (const MultiShard& shard : shards)
            if (shard.timerAtMs)
                next = next ? std::min(*next, *shard.timerAtMs) : *shard.timerAtMs;
        return next;
    }

    // Runs the callbacks of the transfers that finished. Collect first, call back after: a
    // callback may add transfers, which must not disturb the read.
    void collect()
    {
        std::vector<std::pair<CURL*, CURLcode>> finished;
        for (MultiShard& shard : shards) {
            int left = 0;
            while (CURLMsg* message = curl_multi_info_read(shard.multi, &left))
                if (message->msg == CURLMSG_DONE)
                    finished.emplace_back(message->easy_handle, message->data.result);
        }
        for (const auto& [easy, code] : finished)
            finish(easy, code);
    }

    void finish(CURL* easy, CURLcode code)
    {
        auto node = active.extract(easy);
        if (node.empty())
            return;
        std::unique_ptr<Transfer> transfer = std::move(node.mapped());
        curl_multi_remove_handle(shards[transfer->shard].multi, easy);
        --busy[transfer->shard];
        // Its body is handed over: what it held is free for the bodies waiting (resumePaused()).
        if (transfer->admittedBytes > 0)
            memory.held -= transfer->admittedBytes;
        if (transfer->paused)
            memory.paused.erase(std::find(memory.paused.begin(), memory.paused.end(), transfer.get()));
        HttpResponse& response = transfer->response;
        response.receivedMs = clock.nowMs();
        if (code == CURLE_OK) {
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            response.status = int(status);
        } else {
            response.status = 0;
            response.timedOut = code == CURLE_OPERATION_TIMEDOUT;
            response.transportError = transfer->tooLarge ? "the answer is larger than the cap of "
                    + std::to_string(transfer->maxAnswerBytes) + " bytes per answer (max_answer_mb)"
                                                         : curl_easy_strerror(code);
        }
        // What the platform sent, counted as it crossed the wire, whether or not the transfer
        // completed: the body before content decoding (the engine asks for gzip and the like)
        // and every header block (those of a redirect or a 100 Continue too). A reused handle
        // starts both again at 0 with each transfer.
        curl_off_t bodyBytes = 0;
        long headerBytes = 0;
        if (curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &bodyBytes) == CURLE_OK)
            response.wireBodyBytes = std::int64_t(bodyBytes);
        if (curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &headerBytes) == CURLE_OK)
            response.headerBytes = std::int64_t(headerBytes);
        readCallNetwork(easy, response.network);
        curl_slist_free_all(transfer->headers);
        idleHandles.push_back(easy);
        transfer->callback(std::move(response));
        resumePaused();
    }

    // Waiting bodies go on, oldest first, as far as the memory allows. Resuming hands libcurl's
    // kept chunk to onBody at once, which admits the body (or pauses it again).
    void resumePaused()
    {
        while (!memory.paused.empty()) {
            Transfer* next = memory.paused.front();
            if (!memory.fits(wantedBytes(*next, 1)))
                return;
            memory.paused.pop_front();
            next->paused = false;
            curl_easy_pause(next->easy, CURLPAUSE_CONT);
        }
    }

    void poll(int timeoutMs, double yieldAtMs)
    {
        // What is due already (new transfers ask for a 0 ms timer as they are added) goes first,
        // as do the answers that are already there.
        runDueTimers();
        collect();
        if (anyTimerDue()) { // a callback added a transfer
            runDueTimers();
            collect();
        }
        int waitMs = std::max(0, timeoutMs);
        if (const auto next = nextTimerMs())
            waitMs = std::min(waitMs, int(std::ceil(std::max(0.0, *next - clock.nowMs()))));
        const int ready = epoll_wait(epoll, events.data(), int(events.size()), waitMs);
        int running = 0;
        for (int i = 0; i < ready; ++i) {
            // The caller has something due (a send): the sockets left are still ready at the next
            // epoll_wait (level-triggered), and a large answer is read a piece at a time between sends.
            if (i > 0 && clock.nowMs() >= yieldAtMs)
                break;
            const epoll_event& event = events[std::size_t(i)];
            if (event.data.u64 == kWakeKey) {
                std::uint64_t count = 0;
                [[maybe_unused]] const auto n = read(wakeFd, &count, sizeof count);
                continue;
            }
            int mask = 0;
            if (event.events & (EPOLLIN | EPOLLHUP))
                mask |= CURL_CSELECT_IN;
            if (event.events & EPOLLOUT)
                mask |= CURL_CSELECT_OUT;
            if (event.events & EPOLLERR)
                mask |= CURL_CSELECT_ERR;
            const auto shard = std::uint32_t(event.data.u64 >> 32);
            const auto socket = curl_socket_t(std::uint32_t(event.data.u64));
            curl_multi_socket_action(shards[shard].multi, socket, mask, &running);
        }
        if (ready == int(events.size()))
            events.resize(events.size() * 2); // a busy loop: take more at once next time
        runDueTimers();
        collect();
    }
};

HttpTransport::HttpTransport(const RunClock& clock, TransportOptions options)
    : d(std::make_unique<Impl>(clock, std::move(options)))
{
}

HttpTransport::~HttpTransport() = default;

void HttpTransport::send(const HttpRequest& request, double timeoutMs, Callback callback)
{
    auto transfer = std::make_unique<Transfer>();
    transfer->callback = std::move(callback);
    transfer->requestBody = request.body;
    transfer->maxAnswerBytes = d->options.maxAnswerBytes;
    transfer->memory = &d->memory;
    CURL* easy = d->takeHandle();
    transfer->easy = easy;
    for (const auto& [name, value] : request.headers)
        transfer->headers = curl_slist_append(transfer->headers, (name + ": " + value).c_str());
    // libcurl adds "Expect: 100-continue" to larger POSTs, costing a round trip no platform needs.
    transfer->headers = curl_slist_append(transfer->headers, "Expect:");

    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    // The method, set anew each time (a reused handle keeps the last request's). GET and POST are
    // libcurl's own (POSTFIELDS makes a POST): a custom method would be kept on redirects, but a
    // 303 (Modal's long calls) must be followed with GET.
    if (!transfer->requestBody.empty() || request.method == "POST" || request.method == "PUT") {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 0L);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer->requestBody.data());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(transfer->requestBody.size()));
    } else if (request.method == "HEAD") {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST,
        request.method != "GET" && request.method != "POST" ? request.method.c_str() : nullptr);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, long(std::max(1.0, timeoutMs)));
    transfer->response.sentMs = d->clock.nowMs();
    transfer->shard = std::uint32_t(std::min_element(d->busy.begin(), d->busy.end()) - d->busy.begin());
    ++d->busy[transfer->shard];
    CURLM* multi = d->shards[transfer->shard].multi;
    d->active.emplace(easy, std::move(transfer));
    curl_multi_add_handle(multi, easy); // libcurl asks for a 0 ms timer: the next poll() starts it
}

void HttpTransport::poll(int timeoutMs, double yieldAtMs)
{
    d->poll(timeoutMs, yieldAtMs);
}

void HttpTransport::wakeup()
{
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = write(d->wakeFd, &one, sizeof one);
}

std::size_t HttpTransport::inFlight() const
{
    return d->active.size();
}

HttpTransport::AnswerMemoryUse HttpTransport::answerMemory() const
{
    return { d->memory.peak, d->memory.pausedAnswers };
}

} // namespace t2i
