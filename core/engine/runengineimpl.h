// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to core/engine: the state of a running RunEngine, shared by runengine.cpp (phases,
// the event loop, progress) and enginejobs.cpp (a job's requests, polls, budget and end).

#include "engine/answerreader.h"
#include "engine/coldtracker.h"
#include "engine/imagechecker.h"
#include "engine/phaseplan.h"
#include "engine/pollscheduler.h"
#include "engine/remoteaddresses.h"
#include "engine/requestbudget.h"
#include "engine/runengine.h"
#include "engine/spendcap.h"

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

namespace t2i {

struct EngineTimer {
    double atMs;
    std::uint64_t order; // FIFO among equal times
    std::function<void()> fire;
    bool operator>(const EngineTimer& other) const
    {
        return atMs != other.atMs ? atMs > other.atMs : order > other.order;
    }
};

// One job on its way: what the adapter knows, the record being filled, and where its next
// request is (in transit, waiting for the poll scheduler, or waiting for the request budget).
inline constexpr int kPingStep = -2; // RequestRecord::step of a keep-warm ping

struct InFlight {
    JobState state;
    RequestRecord record;
    HttpRequest lastRequest; // the one in transit, or the last sent
    HttpRequest next; // waiting for the poll scheduler or the budget
    double deadlineMs = 0;
    bool afterScaleToZero = false;
    bool ping = false; // a keep-warm ping: no part of any phase
    bool downloading = false;
    bool inTransit = false;
    bool reading = false; // its answer is with the answer reader (core/engine/answerreader.h)
    bool readWasPoll = false; // that answer was to a poll
    bool acceptedBeforeRead = false; // the platform had accepted the job before that answer
    bool submitAnswered = false; // an answer was kept as the submit call's (RequestRecord::submitNet)
    bool lastWasPoll = false;
    bool nextHeld = false; // `next` is a held poll (Action::held)
    bool lastHeld = false;
    bool sent = false; // the submit has left at least once
    int throttledCalls = 0; // 429s on calls other than polls (they count towards failing it)
    std::size_t nextDownload = 0;
    // What the polls prove about when the platform finished (docs/measurement.md).
    std::optional<double> platformBasisMs; // when the platform's timings start: it received the job
    std::optional<double> lastNotDoneSentMs; // the latest question answered "not done"
    std::optional<double> lastNotDoneReceivedMs; // and when that answer arrived
    std::optional<double> doneQuestionSentMs; // the question whose answer ended the polling
    std::optional<double> notRunningSentMs; // the latest answer that did not say "running"
    std::optional<double> runningSinceMs;
};

struct RunEngine::Impl {
    Adapter& adapter;
    EngineSettings settings;
    EngineCallbacks callbacks;
    RunClock clock;
    HttpTransport transport;
    ColdTracker coldTracker;
    RequestBudget budget;
    PollScheduler polls;
    ImageChecker checker { [this] { transport.wakeup(); }, settings.imageBacklogBytes };
    AnswerReader reader { adapter, [this] { transport.wakeup(); } };
    RemoteAddresses remotes;
    std::vector<Phase> phases;
    std::priority_queue<EngineTimer, std::vector<EngineTimer>, std::greater<>> timers;
    std::uint64_t timerOrder = 0;
    std::map<std::int64_t, std::unique_ptr<InFlight>> inFlight;
    std::map<std::int64_t, std::unique_ptr<InFlight>> checking; // platform part over, images being checked
    std::priority_queue<std::pair<double, std::int64_t>, std::vector<std::pair<double, std::int64_t>>, std::greater<>>
        deadlines;
    // Sends waiting for their operation's budget, oldest first; each is retried in order.
    std::map<std::string, std::deque<std::function<void()>>, std::less<>> budgetWaiters;
    std::optional<double> budgetWakeMs; // when a waiting send or poll could go
    std::atomic<bool> cancelRequested { false };
    bool cancelling = false;
    SpendCap spend { settings.budget };
    // The budget would not admit the next job: nothing more is issued, what was queued on the
    // platform was cancelled, and the run ends when the jobs already running have finished.
    bool capReached = false;
    double capReachedMs = 0;
    std::string capMessage;
    bool finished = false;
    bool stepsDone = false; // every phase has ended (keep-warm pings may still be in flight)
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
    std::int64_t pollsSent = 0, throttledPolls = 0;
    int pollsInFlight = 0; // short polls on the wire (held ones aside): at most settings.maxPollsInFlight
    double lastProgressMs = -1e9;

    Impl(Adapter& a, EngineSettings s, EngineCallbacks c);

    void at(double atMs, std::function<void()> fire) { timers.push({ atMs, timerOrder++, std::move(fire) }); }

    // runengine.cpp: phases, health, cancel, progress, the loop.
    Phase& phase() { return phases[phaseIndex]; }
    void startPhase();
    bool mayIssueClosed() const;
    void scheduleNextArrival();
    void waitForIdle();
    void verifyScaledToZero();
    void onJobFinishedInPhase();
    void onJobFinished(bool ping); // a ping ends no phase; the last one in flight may end the run
    void maybeAdvancePhase();
    void sampleHealth();
    void beginCancel();
    bool admittedByCap();
    void stopAtCap(const std::string& overSaturated); // empty: the budget stopped it
    void reportProgress(bool force);
    double nextWakeMs();
    EngineResult run();

    // enginejobs.cpp: one job from submit to record.
    void issue(double intendedMs, bool afterScaleToZero, bool ping = false);
    void schedulePing(); // keep_warm: the next ping, interval_s from now
    void sendFor(std::int64_t seq, HttpRequest request);
    void transmit(std::int64_t seq, HttpRequest request);
    void sendLater(std::int64_t seq, HttpRequest request, double delayMs);
    void whenBudgetAllows(const std::string& operation, std::function<void()> go);
    void pumpBudgetWaiters();
    void pumpPolls();
    void expireDeadlines();
    void onResponse(std::int64_t seq, HttpResponse& response);
    void afterAnswer(std::int64_t seq, InFlight& job, const HttpResponse& response, Action& action);
    void noteNetwork(InFlight& job, const HttpResponse& response, bool wasPoll);
    void collectReadAnswers();
    void onThrottled(std::int64_t seq, InFlight& job, const HttpResponse& response);
    void onPoll(std::int64_t seq, InFlight& job, const HttpResponse& response, Action& action);
    void onDone(std::int64_t seq, InFlight& job, const HttpResponse& response);
    void startDownload(std::int64_t seq);
    void onDownload(std::int64_t seq, HttpResponse& response);
    void succeed(std::int64_t seq);
    void collectVerdicts();
    void fail(std::int64_t seq, ErrorClass error, std::string message);
    void complete(std::int64_t seq);
    void finishPlatformPart(InFlight& job);
    void emit(RequestRecord& r);
    void sendCancel(const JobState& state, double timeoutMs, std::function<void()> answered);
};

} // namespace t2i
