// SPDX-License-Identifier: Apache-2.0
#include "runengine.h"

#include "engine/runengineimpl.h"
#include "util/openfiles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sys/prctl.h>
#include <thread>

namespace t2i {

RunEngine::Impl::Impl(Adapter& a, EngineSettings s, EngineCallbacks c)
    : adapter(a)
    , settings(std::move(s))
    , callbacks(std::move(c))
    , transport(clock, settings.transport)
    , coldTracker(settings.coldThresholdMs)
    , budget(settings.rateLimits)
    , phases(planPhases(settings.workload, std::uint64_t(settings.promptConfig.seed)))
{
}

// ---- phases -------------------------------------------------------------------------------

void RunEngine::Impl::startPhase()
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

bool RunEngine::Impl::mayIssueClosed() const
{
    const Phase& p = phases[phaseIndex];
    return !phaseStopIssuing && !cancelling && !capReached && (!p.maxRequests || phaseIssued < *p.maxRequests);
}

void RunEngine::Impl::scheduleNextArrival()
{
    if (capReached)
        return;
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

void RunEngine::Impl::waitForIdle()
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
// endpoint, ask it until it shows no workers and no jobs, for at most the phase's waitForZeroMs
// (0: ask it once and do not wait).
void RunEngine::Impl::verifyScaledToZero()
{
    const std::uint64_t generation = phaseGeneration;
    std::optional<HttpRequest> request;
    try {
        request = adapter.healthRequest();
    } catch (const std::exception&) {
        request.reset(); // an adapter that cannot ask is treated as one without a health endpoint
    }
    if (!request) {
        issue(clock.nowMs(), false);
        return;
    }
    transport.send(*request, 10000, [this, generation](HttpResponse&& response) {
        if (generation != phaseGeneration || cancelling)
            return;
        std::optional<WorkerSample> sample;
        try {
            sample = adapter.parseHealth(response);
        } catch (const std::exception&) {
            sample.reset();
        }
        const bool zero = sample && sample->total() == 0 && sample->inQueue == 0 && sample->inProgress == 0;
        if (zero || clock.nowMs() - probeVerifyStartMs >= phase().waitForZeroMs) {
            issue(clock.nowMs(), zero);
            return;
        }
        at(clock.nowMs() + 250, [this, generation] {
            if (generation == phaseGeneration && !cancelling)
                verifyScaledToZero();
        });
    });
}

void RunEngine::Impl::onJobFinished(bool ping)
{
    if (!ping)
        onJobFinishedInPhase();
    else if (stepsDone && inFlight.empty())
        finished = true;
}

// keep_warm: one ping every interval_s while the steps run (not during the warm-up, which wakes
// the workers anyway), through the same submit path as any request (docs/measurement.md).
void RunEngine::Impl::schedulePing()
{
    at(clock.nowMs() + *settings.workload.keepWarmIntervalS * 1000.0, [this] {
        if (finished || stepsDone || cancelling || capReached)
            return;
        if (phase().step >= 0)
            issue(clock.nowMs(), false, true);
        schedulePing();
    });
}

void RunEngine::Impl::onJobFinishedInPhase()
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

void RunEngine::Impl::maybeAdvancePhase()
{
    // After the last phase only keep-warm pings may run; a late timer of that phase has nothing to do.
    if (cancelling || stepsDone)
        return;
    if (capReached) { // no further phase: the run ends with the last job it let in
        finished = finished || inFlight.empty();
        return;
    }
    if (phaseInFlight > 0)
        return;
    const Phase& p = phase();
    const bool closedDone = !p.schedule && p.kind != StepKind::ColdProbe && !mayIssueClosed();
    if (!(phaseStopIssuing || closedDone))
        return;
    if (++phaseIndex >= phases.size()) {
        stepsDone = true;
        // Only keep-warm pings can still be in flight here: the last of them to finish ends the run.
        finished = !settings.workload.keepWarmIntervalS || inFlight.empty();
        return;
    }
    startPhase();
}

// ---- health, cancel, progress -------------------------------------------------------------

void RunEngine::Impl::sampleHealth()
{
    if (finished || cancelling)
        return;
    at(clock.nowMs() + settings.workload.healthIntervalS * 1000.0, [this] { sampleHealth(); });
    std::optional<HttpRequest> request;
    try {
        request = adapter.healthRequest();
    } catch (const std::exception&) {
        return;
    }
    if (!request || healthInFlightSince)
        return;
    healthInFlightSince = clock.nowMs();
    transport.send(*request, 5000, [this](HttpResponse&& response) {
        healthInFlightSince.reset();
        std::optional<WorkerSample> sample;
        try {
            sample = adapter.parseHealth(response);
        } catch (const std::exception&) {
            return; // a health answer the adapter cannot read is no sample, not a failed run
        }
        if (sample) {
            sample->tMs = response.sentMs; // when the platform was asked, the moment it describes
            coldTracker.noteHealth(*sample);
            spend.noteSample(*sample); // workers the platform bills that no finished job shows yet
            if (callbacks.workerSample)
                callbacks.workerSample(*sample);
        }
    });
}

void RunEngine::Impl::beginCancel()
{
    cancelling = true;
    while (!timers.empty())
        timers.pop();
    budgetWaiters.clear();
    std::vector<std::int64_t> seqs;
    for (const auto& [seq, job] : inFlight)
        seqs.push_back(seq);
    for (std::int64_t seq : seqs) {
        InFlight& job = *inFlight.at(seq);
        ++pendingCancels;
        sendCancel(job.state, settings.cancelGraceMs, [this] { --pendingCancels; });
        job.record.ok = false;
        job.record.errorClass = ErrorClass::Cancelled;
        job.record.errorMessage = "the run was cancelled";
        job.record.finishedMs = clock.nowMs();
        complete(seq);
    }
}

// The next job may go only while what is committed and its own worst case stay within the cap.
bool RunEngine::Impl::admittedByCap()
{
    if (capReached)
        return false;
    // The over-saturation guard (workload.max_in_flight): a platform that only piles requests up
    // has answered the question; waiting for the pile to drain would only cost time and money.
    if (const auto most = settings.workload.maxInFlight; most && inFlight.size() >= std::size_t(*most)) {
        stopAtCap("over-saturated: " + std::to_string(inFlight.size()) + " requests in flight reached max_in_flight ("
            + std::to_string(*most) + ")");
        return false;
    }
    if (spend.admit(clock.nowMs()))
        return true;
    stopAtCap({});
    return false;
}

// Nothing more is issued. What the platform still holds in its queue is cancelled (as a cancel
// does: it has cost nothing yet and would otherwise run and bill); running jobs finish, since
// they are already committed, and the run ends with the last of them (maybeAdvancePhase).
void RunEngine::Impl::stopAtCap(const std::string& overSaturated)
{
    capReached = true;
    capReachedMs = clock.nowMs();
    const double committed = spend.committedUsd(capReachedMs);
    std::vector<std::int64_t> queued;
    for (const auto& [seq, job] : inFlight)
        if (!job->sent || job->state.phase == JobPhase::Queued)
            queued.push_back(seq);
    for (std::int64_t seq : queued) {
        InFlight& job = *inFlight.at(seq);
        if (job.inTransit) { // its answer will find the job gone: give its slots back now
            budget.release(job.lastRequest.operation);
            if (job.lastWasPoll && !job.lastHeld)
                --pollsInFlight;
        }
        ++pendingCancels;
        sendCancel(job.state, settings.cancelGraceMs, [this] { --pendingCancels; });
        job.record.ok = false;
        job.record.errorClass = ErrorClass::Cancelled;
        job.record.errorMessage = overSaturated.empty() ? "cancelled while queued: the run's budget was reached"
                                                        : "cancelled while queued: the run was over-saturated";
        job.record.finishedMs = clock.nowMs();
        complete(seq);
    }
    char text[320];
    std::snprintf(text, sizeof text,
        "budget: $%.6g committed + $%.6g for the next job would pass the $%.6g cap; stopped after submitting %lld jobs "
        "(%zu cancelled while queued)",
        committed, spend.jobWorstCaseUsd(), spend.capUsd(), static_cast<long long>(nextSeq), queued.size());
    capMessage = overSaturated.empty() ? std::string(text)
                                       : overSaturated + "; stopped after submitting " + std::to_string(nextSeq)
            + " jobs (" + std::to_string(queued.size()) + " cancelled while queued)";
    finished = finished || inFlight.empty();
}

void RunEngine::Impl::reportProgress(bool force)
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
    progress.polls = pollsSent;
    progress.throttledPolls = throttledPolls;
    if (spend.active()) {
        progress.committedUsd = spend.committedUsd(now);
        progress.budgetUsd = spend.capUsd();
    }
    if (phaseIndex < phases.size()) {
        progress.phase = phases[phaseIndex].label();
        double remaining = std::max(0.0, phases[phaseIndex].plannedMs - (now - phaseStartMs));
        for (std::size_t i = phaseIndex + 1; i < phases.size(); ++i)
            remaining += phases[i].plannedMs;
        progress.etaMs = remaining;
    }
    callbacks.progress(progress);
}

// ---- the loop -----------------------------------------------------------------------------

// The next moment something is due: a timer, a poll, a send the budget held back, a deadline.
double RunEngine::Impl::nextWakeMs()
{
    double wake = clock.nowMs() + 50;
    if (!timers.empty())
        wake = std::min(wake, timers.top().atMs);
    if (const auto due = polls.nextDueMs())
        wake = std::min(wake, *due);
    if (budgetWakeMs)
        wake = std::min(wake, *budgetWakeMs);
    if (!deadlines.empty())
        wake = std::min(wake, deadlines.top().first);
    return wake;
}

EngineResult RunEngine::Impl::run()
{
    EngineResult result;
    if (phases.empty()) {
        result.outcome = EngineOutcome::Failed;
        result.message = "the workload has no steps";
        return result;
    }
    // The kernel may otherwise stretch our short sleeps by its default 50 us timer slack.
    prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
    raiseOpenFileLimit(); // HTTP/1.1 holds a connection per request in flight: thousands at once

    sampleHealth();
    if (settings.workload.keepWarmIntervalS)
        schedulePing();
    startPhase();
    double cancelStartedMs = 0;
    while (true) {
        if (cancelRequested && !cancelling) {
            beginCancel();
            cancelStartedMs = clock.nowMs();
        }
        collectVerdicts();
        collectReadAnswers();
        if (cancelling && checking.empty()
            && (pendingCancels == 0 || clock.nowMs() - cancelStartedMs > settings.cancelGraceMs))
            break;
        // A budget stop waits, like a cancel, for the cancels of the jobs that were still queued.
        if (finished && checking.empty()
            && (!capReached || pendingCancels == 0 || clock.nowMs() - capReachedMs > settings.cancelGraceMs))
            break;
        while (!timers.empty() && timers.top().atMs <= clock.nowMs()) {
            auto fire = timers.top().fire;
            timers.pop();
            fire();
        }
        budgetWakeMs.reset();
        pumpBudgetWaiters();
        if (!cancelling)
            pumpPolls();
        expireDeadlines();
        reportProgress(false);
        const double wakeAtMs = nextWakeMs();
        const double waitMs = wakeAtMs - clock.nowMs();
        // Whole milliseconds in curl's wait; a sub-millisecond rest is slept off but for the
        // last 200 us, which are spun: send times stay within tens of microseconds of the
        // plan without burning a core at high rates.
        if (waitMs >= 1) {
            transport.poll(int(waitMs), wakeAtMs);
        } else {
            if (waitMs > 0.3)
                std::this_thread::sleep_for(std::chrono::microseconds(std::int64_t((waitMs - 0.2) * 1000)));
            transport.poll(0, wakeAtMs);
        }
    }
    reportProgress(true);
    result.durationMs = clock.nowMs();
    result.requests = nextSeq;
    const ImageChecker::Backlog backlog = checker.backlog();
    result.imageBacklogPeakBytes = backlog.peakHeldBytes;
    result.imagesSpilled = backlog.spilledJobs;
    result.imageSpillPeakBytes = backlog.peakSpillFileBytes;
    result.imageSpillFailures = backlog.spillFailures;
    const HttpTransport::AnswerMemoryUse answers = transport.answerMemory();
    result.answerMemoryPeakBytes = answers.peakBytes;
    result.answersPaused = answers.pausedAnswers;
    result.remoteAddresses = remotes.byHost();
    result.outcome = cancelling ? EngineOutcome::Cancelled
        : capReached            ? EngineOutcome::Stopped
                                : EngineOutcome::Completed;
    if (cancelling)
        result.message = "cancelled by the user";
    else if (capReached)
        result.message = capMessage;
    return result;
}

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
