// SPDX-License-Identifier: Apache-2.0
#include "runengine.h"

#include "engine/coldtracker.h"
#include "engine/imagechecker.h"
#include "engine/phaseplan.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <queue>
#include <sys/prctl.h>
#include <thread>

namespace t2i {
namespace {

struct Timer {
    double atMs;
    std::uint64_t order; // FIFO among equal times
    std::function<void()> fire;
    bool operator>(const Timer& other) const { return atMs != other.atMs ? atMs > other.atMs : order > other.order; }
};

// Up to this many pixels a job's images are checked on the engine thread (see succeed()).
constexpr double kInlineCheckPixels = 256.0 * 256.0;

struct InFlight {
    JobState state;
    RequestRecord record;
    HttpRequest lastRequest;
    double deadlineMs = 0;
    double lastPollDelayMs = 0;
    bool afterScaleToZero = false;
    bool downloading = false;
    std::size_t nextDownload = 0;
};

} // namespace

struct RunEngine::Impl {
    Adapter& adapter;
    EngineSettings settings;
    EngineCallbacks callbacks;
    RunClock clock;
    HttpTransport transport;
    ColdTracker coldTracker;
    ImageChecker checker { [this] { transport.wakeup(); } };
    std::vector<Phase> phases;
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
    std::uint64_t timerOrder = 0;
    std::map<std::int64_t, std::unique_ptr<InFlight>> inFlight;
    std::map<std::int64_t, std::unique_ptr<InFlight>> checking; // platform part over, images being checked
    std::atomic<bool> cancelRequested { false };
    bool cancelling = false;
    bool finished = false;
    std::size_t pendingCancels = 0;
    std::optional<double> healthInFlightSince;

    // The current phase's state.
    std::size_t phaseIndex = 0;
    std::uint64_t phaseGeneration = 0; // timers of a finished phase see a newer generation and do nothing
    double phaseStartMs = 0;
    std::int64_t phaseIssued = 0;
    std::int64_t phaseInFlight = 0;
    bool phaseStopIssuing = false;
    int probesLeft = 0;
    double probeVerifyStartMs = 0;

    std::int64_t nextSeq = 0;
    std::int64_t doneCount = 0, okCount = 0, errorCount = 0;
    double lastProgressMs = -1e9;

    Impl(Adapter& a, EngineSettings s, EngineCallbacks c)
        : adapter(a)
        , settings(std::move(s))
        , callbacks(std::move(c))
        , transport(clock, settings.transport)
        , coldTracker(settings.coldThresholdMs)
        , phases(planPhases(settings.workload, std::uint64_t(settings.promptConfig.seed)))
    {
    }

    void at(double atMs, std::function<void()> fire) { timers.push({ atMs, timerOrder++, std::move(fire) }); }

    // ---- phases -------------------------------------------------------------------------
    Phase& phase() { return phases[phaseIndex]; }

    void startPhase()
    {
        ++phaseGeneration;
        phaseStartMs = clock.nowMs();
        phaseIssued = 0;
        phaseInFlight = 0;
        phaseStopIssuing = false;
        const Phase& p = phase();
        const std::uint64_t generation = phaseGeneration;
        if (p.kind == StepKind::ColdProbe) {
            probesLeft = p.repeat;
            waitForIdle();
            return;
        }
        if (p.schedule) {
            scheduleNextArrival();
            return;
        }
        if (p.durationMs)
            at(phaseStartMs + *p.durationMs, [this, generation] {
                if (generation != phaseGeneration)
                    return;
                phaseStopIssuing = true;
                maybeAdvancePhase();
            });
        for (int i = 0; i < p.concurrency && mayIssueClosed(); ++i)
            issue(clock.nowMs(), false);
    }

    bool mayIssueClosed() const
    {
        const Phase& p = phases[phaseIndex];
        return !phaseStopIssuing && !cancelling && (!p.maxRequests || phaseIssued < *p.maxRequests);
    }

    void scheduleNextArrival()
    {
        const std::optional<double> offset = phase().schedule->next();
        if (!offset) {
            phaseStopIssuing = true;
            maybeAdvancePhase();
            return;
        }
        const double intended = phaseStartMs + *offset;
        const std::uint64_t generation = phaseGeneration;
        at(intended, [this, generation, intended] {
            if (generation != phaseGeneration || cancelling)
                return;
            issue(intended, false);
            scheduleNextArrival();
        });
    }

    void waitForIdle()
    {
        const std::uint64_t generation = phaseGeneration;
        at(clock.nowMs() + phase().idleMs, [this, generation] {
            if (generation != phaseGeneration)
                return;
            probeVerifyStartMs = clock.nowMs();
            verifyScaledToZero();
        });
    }

    // A cold probe is only cold if the platform really scaled to zero: where it has a health
    // endpoint, ask it until it shows no workers and no jobs, for at most scaleToZeroWaitMs.
    void verifyScaledToZero()
    {
        const std::uint64_t generation = phaseGeneration;
        auto request = adapter.healthRequest();
        if (!request) {
            issue(clock.nowMs(), false);
            return;
        }
        transport.send(*request, 10000, [this, generation](HttpResponse&& response) {
            if (generation != phaseGeneration || cancelling)
                return;
            const auto sample = adapter.parseHealth(response);
            const bool zero = sample && sample->total() == 0 && sample->inQueue == 0 && sample->inProgress == 0;
            if (zero || clock.nowMs() - probeVerifyStartMs >= settings.scaleToZeroWaitMs) {
                issue(clock.nowMs(), zero);
                return;
            }
            at(clock.nowMs() + 250, [this, generation] {
                if (generation == phaseGeneration && !cancelling)
                    verifyScaledToZero();
            });
        });
    }

    void onJobFinishedInPhase()
    {
        --phaseInFlight;
        const Phase& p = phase();
        if (p.kind == StepKind::ColdProbe) {
            if (--probesLeft > 0 && !cancelling)
                waitForIdle();
            else
                phaseStopIssuing = true;
        } else if (!p.schedule && mayIssueClosed()) {
            issue(clock.nowMs(), false);
        }
        maybeAdvancePhase();
    }

    void maybeAdvancePhase()
    {
        if (cancelling || phaseInFlight > 0)
            return;
        const Phase& p = phase();
        const bool closedDone = !p.schedule && p.kind != StepKind::ColdProbe && !mayIssueClosed();
        if (!(phaseStopIssuing || closedDone))
            return;
        if (++phaseIndex >= phases.size()) {
            finished = true;
            return;
        }
        startPhase();
    }

    // ---- jobs ---------------------------------------------------------------------------
    void issue(double intendedMs, bool afterScaleToZero)
    {
        const Phase& p = phase();
        auto job = std::make_unique<InFlight>();
        const std::int64_t seq = nextSeq++;
        RequestRecord& r = job->record;
        r.seq = seq;
        r.step = p.step;
        r.stepKind = p.kindName;
        r.level = p.level;
        r.offered = p.offered;
        r.intendedMs = intendedMs;
        r.seed = seedFor(settings.promptConfig, seq);
        r.promptIndex = promptIndexFor(settings.promptConfig, seq, settings.prompts.size());
        job->state.job = { seq, settings.prompts[std::size_t(r.promptIndex)], r.seed, settings.variant };
        job->afterScaleToZero = afterScaleToZero;
        ++phaseIssued;
        ++phaseInFlight;
        InFlight& ref = *job;
        inFlight.emplace(seq, std::move(job));
        r.sentMs = clock.nowMs();
        ref.deadlineMs = r.sentMs + settings.timeoutMs;
        sendFor(seq, adapter.submit(ref.state));
    }

    void sendFor(std::int64_t seq, HttpRequest request)
    {
        InFlight& job = *inFlight.at(seq);
        const double remaining = job.deadlineMs - clock.nowMs();
        if (remaining <= 0) {
            fail(seq, ErrorClass::Timeout, "no result within the request timeout");
            return;
        }
        job.lastRequest = std::move(request);
        transport.send(job.lastRequest, remaining, [this, seq](HttpResponse&& response) { onResponse(seq, response); });
    }

    void sendLater(std::int64_t seq, HttpRequest request, double delayMs)
    {
        InFlight& job = *inFlight.at(seq);
        const double when = std::min(clock.nowMs() + delayMs, job.deadlineMs);
        at(when, [this, seq, request = std::move(request)]() mutable {
            if (inFlight.count(seq) && !cancelling)
                sendFor(seq, std::move(request));
        });
    }

    void onResponse(std::int64_t seq, const HttpResponse& response)
    {
        const auto it = inFlight.find(seq);
        if (it == inFlight.end() || cancelling)
            return; // finished meanwhile (cancelled or timed out)
        InFlight& job = *it->second;
        RequestRecord& r = job.record;
        r.bytes += std::int64_t(response.body.size());
        r.httpStatus = response.status;
        if (response.status == 429) {
            // Honoured and counted, never retried silently: the wait is part of this request's latency.
            if (++r.throttled > settings.maxThrottleRetries) {
                fail(seq, ErrorClass::Throttled, "HTTP 429 " + std::to_string(r.throttled) + " times");
                return;
            }
            const double wait
                = adapter.retryAfterMs(response).value_or(settings.throttleBackoffMs * std::pow(2.0, r.throttled - 1));
            sendLater(seq, job.lastRequest, wait);
            return;
        }
        if (job.downloading) {
            onDownload(seq, response);
            return;
        }
        const bool wasAccepted = job.state.accepted;
        Action action = adapter.onResponse(job.state, response);
        if (!wasAccepted && job.state.accepted)
            r.acceptedMs = response.receivedMs;
        switch (action.kind) {
        case Action::Kind::Send: {
            job.lastPollDelayMs = action.delayMs;
            // Polls keep their cadence from when the previous one was sent, so a slow answer does
            // not push every later poll back: completion is noticed within one interval + one round trip.
            const double delay = std::max(0.0, response.sentMs + action.delayMs - clock.nowMs());
            sendLater(seq, std::move(action.request), delay);
            return;
        }
        case Action::Kind::Fail:
            fail(seq, action.error, action.message);
            return;
        case Action::Kind::Done:
            r.finishedMs = response.receivedMs;
            r.pollUncertaintyMs = job.state.polls > 0 ? job.lastPollDelayMs : 0;
            if (!job.state.imageUrls.empty()) {
                job.downloading = true;
                startDownload(seq);
            } else {
                succeed(seq);
            }
        }
    }

    // Images delivered as URLs are fetched one after another and timed apart, as download time.
    void startDownload(std::int64_t seq)
    {
        InFlight& job = *inFlight.at(seq);
        HttpRequest request;
        request.url = job.state.imageUrls[job.nextDownload];
        sendFor(seq, std::move(request));
    }

    void onDownload(std::int64_t seq, const HttpResponse& response)
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
        job.state.images.push_back(response.body);
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
    void succeed(std::int64_t seq)
    {
        auto node = inFlight.extract(seq);
        InFlight& job = *node.mapped();
        finishPlatformPart(job);
        // What costs is inflating the pixels, not the compressed size (a flat 1024x1024 PNG is
        // 6 KB and takes 7 ms to inflate), so the split is by the pixels asked for.
        const double pixels
            = double(settings.variant.width) * settings.variant.height * double(job.state.images.size());
        if (pixels <= kInlineCheckPixels) {
            // Small images (thumbnails, the overhead benchmarks) cost less to check here than a
            // hand-over to the checker thread would.
            applyVerdict(job.record,
                ImageChecker::check(seq, job.state.images, settings.variant.width, settings.variant.height));
            emit(job.record);
        } else {
            checker.post(seq, std::move(job.state.images), settings.variant.width, settings.variant.height);
            checking.emplace(seq, std::move(node.mapped()));
        }
        if (!cancelling)
            onJobFinishedInPhase();
    }

    void collectVerdicts()
    {
        for (ImageChecker::Verdict& verdict : checker.take()) {
            auto node = checking.extract(verdict.seq);
            applyVerdict(node.mapped()->record, std::move(verdict));
            emit(node.mapped()->record);
        }
    }

    static void applyVerdict(RequestRecord& r, ImageChecker::Verdict verdict)
    {
        r.width = verdict.width;
        r.height = verdict.height;
        r.imageHash = std::move(verdict.hash);
        r.images = verdict.images;
        r.ok = verdict.ok;
        if (!verdict.ok) {
            r.errorClass = ErrorClass::InvalidImage;
            r.errorMessage = std::move(verdict.problem);
        }
    }

    void fail(std::int64_t seq, ErrorClass error, std::string message)
    {
        InFlight& job = *inFlight.at(seq);
        job.record.ok = false;
        job.record.errorClass = error;
        job.record.errorMessage = std::move(message);
        if (job.record.finishedMs == 0)
            job.record.finishedMs = clock.nowMs();
        // A job we stop waiting for would keep running, and billing, on the platform.
        if (error == ErrorClass::Timeout)
            if (auto cancel = adapter.cancel(job.state))
                transport.send(*cancel, 10000, [](HttpResponse&&) {});
        complete(seq);
    }

    void complete(std::int64_t seq)
    {
        auto node = inFlight.extract(seq);
        InFlight& job = *node.mapped();
        finishPlatformPart(job);
        emit(job.record);
        if (!cancelling)
            onJobFinishedInPhase();
    }

    void finishPlatformPart(InFlight& job)
    {
        RequestRecord& r = job.record;
        r.doneMs = clock.nowMs();
        r.jobId = job.state.jobId;
        r.providerStatus = job.state.providerStatus;
        r.queueMs = job.state.queueMs;
        r.execMs = job.state.execMs;
        r.workerId = job.state.workerId;
        r.polls = job.state.polls;
        r.reportedCostUsd = job.state.reportedCostUsd;
        r.reportedUsage = job.state.reportedUsage;
        if (r.queueMs)
            r.startedMs = r.sentMs + *r.queueMs; // the platform counts its wait from receipt, about when we sent
        r.cold = coldTracker.classify(r, job.afterScaleToZero);
    }

    void emit(RequestRecord& r)
    {
        ++doneCount;
        (r.ok ? okCount : errorCount)++;
        if (callbacks.record)
            callbacks.record(std::move(r));
    }

    // ---- health, cancel, progress ---------------------------------------------------------
    void sampleHealth()
    {
        if (finished || cancelling)
            return;
        at(clock.nowMs() + settings.workload.healthIntervalS * 1000.0, [this] { sampleHealth(); });
        auto request = adapter.healthRequest();
        if (!request || healthInFlightSince)
            return;
        healthInFlightSince = clock.nowMs();
        transport.send(*request, 5000, [this](HttpResponse&& response) {
            healthInFlightSince.reset();
            if (auto sample = adapter.parseHealth(response)) {
                sample->tMs = response.sentMs; // when the platform was asked, the moment it describes
                coldTracker.noteHealth(*sample);
                if (callbacks.workerSample)
                    callbacks.workerSample(*sample);
            }
        });
    }

    void beginCancel()
    {
        cancelling = true;
        while (!timers.empty())
            timers.pop();
        std::vector<std::int64_t> seqs;
        for (const auto& [seq, job] : inFlight)
            seqs.push_back(seq);
        for (std::int64_t seq : seqs) {
            InFlight& job = *inFlight.at(seq);
            if (auto request = adapter.cancel(job.state)) {
                ++pendingCancels;
                transport.send(*request, settings.cancelGraceMs, [this](HttpResponse&&) { --pendingCancels; });
            }
            job.record.ok = false;
            job.record.errorClass = ErrorClass::Cancelled;
            job.record.errorMessage = "the run was cancelled";
            job.record.finishedMs = clock.nowMs();
            complete(seq);
        }
    }

    void reportProgress(bool force)
    {
        const double now = clock.nowMs();
        if (!callbacks.progress || (!force && now - lastProgressMs < settings.progressIntervalMs))
            return;
        lastProgressMs = now;
        EngineProgress progress;
        progress.elapsedMs = now;
        progress.sent = nextSeq;
        progress.done = doneCount;
        progress.ok = okCount;
        progress.errors = errorCount;
        progress.inFlight = std::int64_t(inFlight.size());
        if (phaseIndex < phases.size()) {
            progress.phase = phases[phaseIndex].label();
            double remaining = std::max(0.0, phases[phaseIndex].plannedMs - (now - phaseStartMs));
            for (std::size_t i = phaseIndex + 1; i < phases.size(); ++i)
                remaining += phases[i].plannedMs;
            progress.etaMs = remaining;
        }
        callbacks.progress(progress);
    }

    EngineResult run()
    {
        EngineResult result;
        if (phases.empty()) {
            result.outcome = EngineOutcome::Failed;
            result.message = "the workload has no steps";
            return result;
        }
        // The kernel may otherwise stretch our short sleeps by its default 50 us timer slack.
        prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
        sampleHealth();
        startPhase();
        double cancelStartedMs = 0;
        while (true) {
            if (cancelRequested && !cancelling) {
                beginCancel();
                cancelStartedMs = clock.nowMs();
            }
            collectVerdicts();
            if (cancelling && checking.empty()
                && (pendingCancels == 0 || clock.nowMs() - cancelStartedMs > settings.cancelGraceMs))
                break;
            if (finished && checking.empty())
                break;
            while (!timers.empty() && timers.top().atMs <= clock.nowMs()) {
                auto fire = timers.top().fire;
                timers.pop();
                fire();
            }
            reportProgress(false);
            double waitMs = 50;
            if (!timers.empty())
                waitMs = std::min(waitMs, timers.top().atMs - clock.nowMs());
            // Whole milliseconds in curl's wait; a sub-millisecond rest is slept off but for the
            // last 200 us, which are spun: send times stay within tens of microseconds of the
            // plan without burning a core at high rates.
            if (waitMs >= 1) {
                transport.poll(int(waitMs));
            } else {
                if (waitMs > 0.3)
                    std::this_thread::sleep_for(std::chrono::microseconds(std::int64_t((waitMs - 0.2) * 1000)));
                transport.poll(0);
            }
        }
        reportProgress(true);
        result.durationMs = clock.nowMs();
        result.requests = nextSeq;
        result.outcome = cancelling ? EngineOutcome::Cancelled : EngineOutcome::Completed;
        if (cancelling)
            result.message = "cancelled by the user";
        return result;
    }
};

RunEngine::RunEngine(Adapter& adapter, EngineSettings settings, EngineCallbacks callbacks)
    : d(std::make_unique<Impl>(adapter, std::move(settings), std::move(callbacks)))
{
}

RunEngine::~RunEngine() = default;

EngineResult RunEngine::run()
{
    return d->run();
}

void RunEngine::cancel()
{
    d->cancelRequested = true;
    d->transport.wakeup();
}

} // namespace t2i
