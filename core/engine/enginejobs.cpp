// SPDX-License-Identifier: Apache-2.0
// One job from submit to record: its requests (each within the platform's request budget), its
// polls (picked by the run's poll scheduler), throttling, downloads, image checks, and what the
// polls prove about when the platform finished (docs/measurement.md).
#include "engine/runengineimpl.h"

#include <algorithm>
#include <cmath>

namespace t2i {
namespace {

// Up to this many pixels a job's images are checked on the engine thread (see succeed()).
constexpr double kInlineCheckPixels = 256.0 * 256.0;
constexpr std::size_t kInlineCheckBytes = 256 * 1024;

// When the platform received the job, as far as the client can tell (see platformBasisMs).
double queuedSince(const InFlight& job)
{
    return job.platformBasisMs.value_or(job.record.sentMs);
}

} // namespace

void RunEngine::Impl::issue(double intendedMs, bool afterScaleToZero, bool ping)
{
    if (!admittedByCap())
        return;
    const Phase& p = phase();
    auto job = std::make_unique<InFlight>();
    const std::int64_t seq = nextSeq++;
    RequestRecord& r = job->record;
    r.seq = seq;
    r.step = ping ? kPingStep : p.step;
    r.stepKind = ping ? "ping" : p.kindName;
    r.level = ping ? 0 : p.level;
    r.offered = ping ? 0 : p.offered;
    r.intendedMs = intendedMs;
    r.seed = seedFor(settings.promptConfig, seq);
    r.promptIndex = promptIndexFor(settings.promptConfig, seq, settings.prompts.size());
    job->state.job = { seq, settings.prompts[std::size_t(r.promptIndex)], r.seed, settings.variant };
    job->afterScaleToZero = afterScaleToZero;
    job->ping = ping;
    if (!ping) { // a ping belongs to no phase: the phase neither waits for it nor counts it
        ++phaseIssued;
        ++phaseInFlight;
    }
    InFlight& ref = *job;
    inFlight.emplace(seq, std::move(job));
    r.sentMs = clock.nowMs();
    ref.deadlineMs = r.sentMs + settings.timeoutMs;
    deadlines.push({ ref.deadlineMs, seq });
    HttpRequest request;
    try {
        request = adapter.submit(ref.state);
    } catch (const std::exception& e) {
        fail(seq, ErrorClass::ClientError, "could not build the request: " + exceptionText(e));
        return;
    }
    if (request.operation.empty())
        request.operation = kSubmitOperation;
    sendFor(seq, std::move(request));
}

// Sends now if the operation's budget allows, else when it does (the wait is part of latency:
// it is measured from the intended send time).
void RunEngine::Impl::sendFor(std::int64_t seq, HttpRequest request)
{
    InFlight& job = *inFlight.at(seq);
    if (clock.nowMs() >= job.deadlineMs) {
        fail(seq, ErrorClass::Timeout, "no result within the request timeout");
        return;
    }
    if (budget.tryAcquire(request.operation, clock.nowMs())) {
        transmit(seq, std::move(request));
        return;
    }
    budget.noteDelayed(request.operation);
    const std::string operation = request.operation;
    job.next = std::move(request);
    whenBudgetAllows(operation, [this, seq, operation] {
        const auto it = inFlight.find(seq);
        if (it == inFlight.end()) { // it timed out while it waited: give the slot back
            budget.release(operation);
            return;
        }
        transmit(seq, std::move(it->second->next));
    });
}

void RunEngine::Impl::transmit(std::int64_t seq, HttpRequest request)
{
    InFlight& job = *inFlight.at(seq);
    const double now = clock.nowMs();
    if (now >= job.deadlineMs) {
        budget.release(request.operation);
        fail(seq, ErrorClass::Timeout, "no result within the request timeout");
        return;
    }
    if (!job.sent) {
        job.sent = true;
        job.record.sentMs = now; // the submit left now, whatever the budget made it wait
    }
    job.inTransit = true;
    job.lastRequest = std::move(request);
    transport.send(
        job.lastRequest, job.deadlineMs - now, [this, seq](HttpResponse&& response) { onResponse(seq, response); });
}

void RunEngine::Impl::sendLater(std::int64_t seq, HttpRequest request, double delayMs)
{
    InFlight& job = *inFlight.at(seq);
    const double when = std::min(clock.nowMs() + delayMs, job.deadlineMs);
    at(when, [this, seq, request = std::move(request)]() mutable {
        if (inFlight.count(seq) && !cancelling)
            sendFor(seq, std::move(request));
    });
}

void RunEngine::Impl::whenBudgetAllows(const std::string& operation, std::function<void()> go)
{
    budgetWaiters[operation].push_back(std::move(go));
}

// Waiting sends go in order, each when its operation's budget allows.
void RunEngine::Impl::pumpBudgetWaiters()
{
    for (auto& [operation, waiting] : budgetWaiters) {
        while (!waiting.empty() && budget.tryAcquire(operation, clock.nowMs())) {
            auto go = std::move(waiting.front());
            waiting.pop_front();
            go();
        }
        if (!waiting.empty()) {
            const double at = budget.availableAtMs(operation, clock.nowMs());
            if (std::isfinite(at))
                budgetWakeMs = std::min(budgetWakeMs.value_or(at), at);
        }
    }
}

// Sends the polls the scheduler picks, as fast as the budget allows (evenly over its window).
void RunEngine::Impl::pumpPolls()
{
    while (const auto seq = polls.peek(clock.nowMs())) {
        InFlight& job = *inFlight.at(*seq);
        if (!job.nextHeld && pollsInFlight >= settings.maxPollsInFlight)
            return; // an answer frees a place, and the loop comes back here
        const std::string& operation = job.next.operation;
        if (!budget.tryAcquire(operation, clock.nowMs(), true)) {
            const double at = budget.availableAtMs(operation, clock.nowMs(), true);
            if (std::isfinite(at))
                budgetWakeMs = std::min(budgetWakeMs.value_or(at), at);
            return;
        }
        polls.take(*seq);
        job.lastWasPoll = true;
        job.lastHeld = job.nextHeld;
        if (!job.lastHeld)
            ++pollsInFlight;
        ++pollsSent;
        transmit(*seq, std::move(job.next));
    }
}

// A job waiting for the scheduler or the budget has no transfer whose timeout would end it.
void RunEngine::Impl::expireDeadlines()
{
    const double now = clock.nowMs();
    while (!deadlines.empty() && deadlines.top().first <= now) {
        const std::int64_t seq = deadlines.top().second;
        deadlines.pop();
        const auto it = inFlight.find(seq);
        // One in transit ends by the transfer's own timeout; one being read is checked when read.
        if (it != inFlight.end() && !it->second->inTransit && !it->second->reading)
            fail(seq, ErrorClass::Timeout, "no result within the request timeout");
    }
}

void RunEngine::Impl::onResponse(std::int64_t seq, HttpResponse& response)
{
    const auto it = inFlight.find(seq);
    if (it == inFlight.end() || cancelling)
        return; // finished meanwhile (cancelled or timed out)
    InFlight& job = *it->second;
    job.inTransit = false;
    budget.release(job.lastRequest.operation);
    RequestRecord& r = job.record;
    // Every exchange of the job counts, submit, polls, throttled calls and downloads: egress is
    // billed on what the platform sent (docs/measurement.md, "Bytes").
    r.bytes += response.wireBodyBytes >= 0 ? response.wireBodyBytes : std::int64_t(response.body.size());
    r.headerBytes += response.headerBytes;
    r.httpStatus = response.status;
    const bool wasPoll = std::exchange(job.lastWasPoll, false);
    noteNetwork(job, response, wasPoll);
    if (wasPoll && !job.lastHeld)
        --pollsInFlight;
    if (response.status == 429) {
        job.lastWasPoll = wasPoll;
        onThrottled(seq, job, response);
        return;
    }
    if (job.downloading) {
        onDownload(seq, response);
        return;
    }
    job.readWasPoll = wasPoll;
    job.acceptedBeforeRead = job.state.accepted;
    // A large answer is read off this thread, so sends and polls that fall due meanwhile go on time.
    if (response.body.size() >= AnswerReader::kOffThreadAnswerBytes && reader.post(seq, job.state, response)) {
        job.reading = true;
        return;
    }
    Action action = AnswerReader::read(adapter, job.state, response);
    afterAnswer(seq, job, response, action);
}

void RunEngine::Impl::collectReadAnswers()
{
    for (AnswerReader::Read& read : reader.take()) {
        const auto it = inFlight.find(read.seq);
        if (it == inFlight.end() || cancelling)
            continue; // it ended while its answer was read (timed out, cancelled)
        InFlight& job = *it->second;
        job.reading = false;
        job.state = std::move(read.state);
        afterAnswer(read.seq, job, read.response, read.action);
    }
}

// Every call's connections, and the polls' and downloads' network time; the submit and final
// calls are kept when their answers are read (afterAnswer), once it is known what they said.
void RunEngine::Impl::noteNetwork(InFlight& job, const HttpResponse& response, bool wasPoll)
{
    const HttpResponse::Network& net = response.network;
    if (!net.measured)
        return;
    RequestRecord& r = job.record;
    ++r.calls;
    r.newConnections += net.newConnections;
    r.tlsHandshakes += net.tlsHandshake ? 1 : 0;
    if (wasPoll)
        r.pollNetworkMs += net.phases.totalMs();
    else if (job.downloading && response.status != 429)
        r.downloadNet = r.downloadNet.value_or(CallPhases {}) += net.phases;
    if (net.newConnections > 0)
        remotes.note(job.lastRequest.url, net.remoteIp);
}

// What the adapter said about an answer, carried out.
void RunEngine::Impl::afterAnswer(std::int64_t seq, InFlight& job, const HttpResponse& response, Action& action)
{
    RequestRecord& r = job.record;
    const bool wasPoll = job.readWasPoll;
    // The submit call is the one the platform accepted the job with or, where it never says so
    // apart (one call does it all), the first answer read; the final call is the one that
    // brought the result, when that is another (docs/measurement.md, "Network phases").
    bool submitCall = false;
    if (response.network.measured && !wasPoll
        && (!job.submitAnswered || (!job.acceptedBeforeRead && job.state.accepted))) {
        r.submitNet = response.network.phases;
        job.submitAnswered = submitCall = true;
    }
    if (response.network.measured && action.kind == Action::Kind::Done && !submitCall)
        r.finalNet = response.network.phases;
    if (!job.acceptedBeforeRead && job.state.accepted) {
        r.acceptedMs = response.receivedMs;
        // The platform's clock starts when it receives the job: somewhere between our send and
        // its answer, so midway (an error of at most half this round trip, which a platform
        // busy with a burst of submits can stretch to seconds).
        job.platformBasisMs = (response.sentMs + response.receivedMs) / 2;
    }
    if (wasPoll && action.kind != Action::Kind::Poll)
        job.doneQuestionSentMs = response.sentMs;
    switch (action.kind) {
    case Action::Kind::Poll:
        onPoll(seq, job, response, action);
        return;
    case Action::Kind::Send: {
        if (action.request.operation.empty())
            action.request.operation = kFollowUpOperation;
        // A follow-up keeps its cadence from when the previous call was sent, so a slow answer
        // does not push it back.
        const double delay = std::max(0.0, response.sentMs + action.delayMs - clock.nowMs());
        if (delay <= 0)
            sendFor(seq, std::move(action.request));
        else
            sendLater(seq, std::move(action.request), delay);
        return;
    }
    case Action::Kind::Fail:
        fail(seq, action.error, action.message);
        return;
    case Action::Kind::Done:
        onDone(seq, job, response);
    }
}

// A 429 is honoured and counted, never retried silently. On a poll it slows the run's shared
// poll cadence and the job simply waits for its next turn; on any other call the same request
// goes again after Retry-After (or a doubling backoff), and too many make the request fail.
void RunEngine::Impl::onThrottled(std::int64_t seq, InFlight& job, const HttpResponse& response)
{
    RequestRecord& r = job.record;
    ++r.throttled;
    std::optional<double> retryAfter;
    try {
        retryAfter = adapter.retryAfterMs(response);
    } catch (const std::exception&) {
        retryAfter.reset();
    }
    budget.throttled(job.lastRequest.operation, clock.nowMs(), retryAfter);
    if (job.lastWasPoll) {
        job.lastWasPoll = false;
        ++r.throttledPolls;
        ++throttledPolls;
        job.next = job.lastRequest;
        job.nextHeld = job.lastHeld;
        polls.schedule(seq, clock.nowMs(), response.sentMs, job.runningSinceMs, queuedSince(job));
        return;
    }
    if (++job.throttledCalls > settings.maxThrottleRetries) {
        fail(seq, ErrorClass::Throttled, "HTTP 429 " + std::to_string(job.throttledCalls) + " times");
        return;
    }
    const double wait = retryAfter.value_or(settings.throttleBackoffMs * std::pow(2.0, job.throttledCalls - 1));
    sendLater(seq, job.lastRequest, wait);
}

void RunEngine::Impl::onPoll(std::int64_t seq, InFlight& job, const HttpResponse& response, Action& action)
{
    if (clock.nowMs() >= job.deadlineMs) {
        fail(seq, ErrorClass::Timeout, "no result within the request timeout");
        return;
    }
    job.lastNotDoneSentMs = response.sentMs;
    job.lastNotDoneReceivedMs = response.receivedMs;
    const JobState& state = job.state;
    if (state.phase == JobPhase::Running) {
        if (state.queueMs && job.platformBasisMs)
            job.runningSinceMs = *job.platformBasisMs + *state.queueMs; // the platform said when
        else if (!job.runningSinceMs)
            job.runningSinceMs = job.notRunningSentMs ? (*job.notRunningSentMs + response.sentMs) / 2 : response.sentMs;
    } else {
        job.notRunningSentMs = response.sentMs;
        job.runningSinceMs.reset();
    }
    job.next = std::move(action.request);
    job.nextHeld = action.held;
    if (job.next.operation.empty())
        job.next.operation = kStatusOperation;
    polls.schedule(seq, response.sentMs + action.delayMs, response.sentMs, job.runningSinceMs, queuedSince(job));
}

void RunEngine::Impl::onDone(std::int64_t seq, InFlight& job, const HttpResponse& response)
{
    job.record.finishedMs = response.receivedMs;
    if (!job.platformBasisMs)
        job.platformBasisMs = response.sentMs; // a blocking call: the platform's clock started with it
    if (!job.state.imageUrls.empty()) {
        job.downloading = true;
        startDownload(seq);
    } else {
        succeed(seq);
    }
}

// Images delivered as URLs are fetched one after another and timed apart, as download time.
void RunEngine::Impl::startDownload(std::int64_t seq)
{
    InFlight& job = *inFlight.at(seq);
    HttpRequest request;
    request.url = job.state.imageUrls[job.nextDownload];
    sendFor(seq, std::move(request));
}

void RunEngine::Impl::onDownload(std::int64_t seq, HttpResponse& response)
{
    InFlight& job = *inFlight.at(seq);
    job.record.downloadMs = job.record.downloadMs.value_or(0) + (response.receivedMs - response.sentMs);
    if (response.status != 200) {
        const ErrorClass error
            = response.status == 0 && response.timedOut ? ErrorClass::Timeout : classifyHttpStatus(response.status);
        fail(seq, error,
            "image download failed: "
                + (response.status ? "HTTP " + std::to_string(response.status) : response.transportError));
        return;
    }
    job.state.takeImageBytes(std::move(response.body));
    if (++job.nextDownload < job.state.imageUrls.size()) {
        startDownload(seq);
        return;
    }
    job.record.downloadedMs = response.receivedMs;
    succeed(seq);
}

// All image bytes are in: the request is over for the platform and for the load (a closed
// loop sends its next one now); the images are checked off this thread and the record is
// emitted when the verdict comes back.
void RunEngine::Impl::succeed(std::int64_t seq)
{
    auto node = inFlight.extract(seq);
    InFlight& job = *node.mapped();
    const bool ping = job.ping;
    finishPlatformPart(job);
    if (job.state.execMs)
        polls.noteExecutionMs(*job.state.execMs);
    // What costs is inflating the pixels, not the compressed size (a flat 1024x1024 PNG is
    // 6 KB and takes 7 ms to inflate), so the split is by the pixels asked for; and by the bytes
    // delivered, since a platform may send far more than was asked for.
    const double pixels = double(settings.variant.width) * settings.variant.height * double(job.state.images.size());
    std::size_t bytes = 0;
    for (const DeliveredImage& image : job.state.images)
        bytes += image.data.size();
    if (pixels <= kInlineCheckPixels && bytes <= kInlineCheckBytes) {
        // Small images (thumbnails, the overhead benchmarks) cost less to check here than a
        // hand-over to the checker thread would.
        const ImageChecker::Verdict verdict
            = ImageChecker::check(seq, job.state.images, settings.variant.width, settings.variant.height);
        RequestRecord& r = job.record;
        r.width = verdict.width;
        r.height = verdict.height;
        r.imageHash = verdict.hash;
        r.images = verdict.images;
        r.ok = verdict.ok;
        if (!verdict.ok) {
            r.errorClass = ErrorClass::InvalidImage;
            r.errorMessage = verdict.problem;
        }
        emit(r);
    } else {
        checker.post(seq, std::move(job.state.images), settings.variant.width, settings.variant.height);
        checking.emplace(seq, std::move(node.mapped()));
    }
    if (!cancelling)
        onJobFinished(ping);
}

void RunEngine::Impl::collectVerdicts()
{
    for (ImageChecker::Verdict& verdict : checker.take()) {
        auto node = checking.extract(verdict.seq);
        RequestRecord& r = node.mapped()->record;
        r.width = verdict.width;
        r.height = verdict.height;
        r.imageHash = std::move(verdict.hash);
        r.images = verdict.images;
        r.ok = verdict.ok;
        if (!verdict.ok) {
            r.errorClass = ErrorClass::InvalidImage;
            r.errorMessage = std::move(verdict.problem);
        }
        emit(r);
    }
}

void RunEngine::Impl::fail(std::int64_t seq, ErrorClass error, std::string message)
{
    InFlight& job = *inFlight.at(seq);
    job.record.ok = false;
    job.record.errorClass = error;
    job.record.errorMessage = std::move(message);
    if (job.record.finishedMs == 0)
        job.record.finishedMs = clock.nowMs();
    // A job we stop waiting for would keep running, and billing, on the platform.
    if (error == ErrorClass::Timeout)
        sendCancel(job.state, 10000, [] {});
    complete(seq);
}

void RunEngine::Impl::complete(std::int64_t seq)
{
    auto node = inFlight.extract(seq);
    InFlight& job = *node.mapped();
    finishPlatformPart(job);
    emit(job.record);
    if (!cancelling)
        onJobFinished(job.ping);
}

// The platform's cancel call, within its budget; `answered` runs once it is answered or given up.
void RunEngine::Impl::sendCancel(const JobState& state, double timeoutMs, std::function<void()> answered)
{
    std::optional<HttpRequest> request;
    try {
        request = adapter.cancel(state);
    } catch (const std::exception&) {
        request.reset();
    }
    if (!request) {
        answered();
        return;
    }
    if (request->operation.empty())
        request->operation = kCancelOperation;
    auto go = [this, request = *request, timeoutMs, answered]() {
        transport.send(request, timeoutMs, [this, operation = request.operation, answered](HttpResponse&&) {
            budget.release(operation);
            answered();
        });
    };
    // Cancels go at once when the budget allows; the rest are sent as it frees, for as long as
    // the run waits for them (cancelGraceMs), and a run that stops waiting drops them.
    if (budget.tryAcquire(request->operation, clock.nowMs()))
        go();
    else
        whenBudgetAllows(request->operation, std::move(go));
}

void RunEngine::Impl::finishPlatformPart(InFlight& job)
{
    polls.remove(job.record.seq);
    RequestRecord& r = job.record;
    const JobState& state = job.state;
    r.doneMs = clock.nowMs();
    r.jobId = state.jobId;
    r.providerStatus = state.providerStatus;
    r.queueMs = state.queueMs;
    r.execMs = state.execMs;
    r.workerId = state.workerId;
    r.polls = state.polls;
    r.reportedCostUsd = state.reportedCostUsd;
    r.reportedUsage = state.reportedUsage;
    const double basis = job.platformBasisMs.value_or(r.sentMs);
    if (r.queueMs)
        r.startedMs = basis + *r.queueMs; // the platform counts its wait from receipt
    r.platformMs = state.platformMs;
    if (!r.platformMs && state.queueMs && state.execMs)
        r.platformMs = *state.queueMs + *state.execMs;
    // How long nobody was asking: from the last "not done" answer to the question that got
    // "done". A poll interval for /status; next to nothing for a held /status-sync, asked again at once.
    if (job.lastNotDoneReceivedMs && job.doneQuestionSentMs)
        r.pollUncertaintyMs = std::max(0.0, *job.doneQuestionSentMs - *job.lastNotDoneReceivedMs);
    if (r.ok || r.errorClass == ErrorClass::None || r.errorClass == ErrorClass::InvalidImage) {
        if (r.platformMs && r.finishedMs > 0) {
            // The platform was not done when it answered the last "not done" (sent at
            // lastNotDoneSentMs), and was done before the "done" answer arrived.
            const double lo = job.lastNotDoneSentMs.value_or(basis);
            const double finishedAt = std::clamp(basis + *r.platformMs, std::min(lo, r.finishedMs), r.finishedMs);
            r.detectionLagMs = r.finishedMs - finishedAt;
        }
    }
    r.cold = coldTracker.classify(r, job.afterScaleToZero);
    if (spend.active()) {
        // Over for the platform: what the cost model makes of its record replaces its worst case
        // now, not once its images are checked (which may take a while). Delivered images count
        // as billed whatever the check says: the platform made them.
        RequestRecord settled = r;
        if (settled.errorClass == ErrorClass::None) {
            settled.ok = true;
            settled.images = std::max(1, int(state.images.size()));
        }
        spend.settle(std::move(settled));
    }
}

void RunEngine::Impl::emit(RequestRecord& r)
{
    ++doneCount;
    (r.ok ? okCount : errorCount)++;
    if (callbacks.record)
        callbacks.record(std::move(r));
}

} // namespace t2i
