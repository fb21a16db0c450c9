// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "study/studytypes.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace t2i {

// idle_timeout: how long the platform keeps an idle worker before it scales to zero, found by a
// search over idle gaps, one run per probe (docs/studies.md).
StudyType idleTimeoutStudyType();

// One probe: a warm-up request, then after `askedS` of silence one request whose cold/warm label
// the platform's own signals decide.
struct IdleProbe {
    double askedS = 0; // the silence the workload asked for
    // The platform's gap: from the warm-up's finish at the platform (the client's finish less its
    // detection lag, where known) to the probe's send. nullopt: the run gave no such pair.
    std::optional<double> measuredS;
    ColdLabel label = ColdLabel::Unknown;
    std::string evidence; // "new worker; queue wait 0.61 s; health 0 workers 0.2 s before"
    bool repeat = false; // the second try of an inconclusive probe
    std::string runId;
};

// Reads one probe run's records (warm-up step -1, probe step 0) and its health samples. A probe
// whose record says cold while it ran on the warm-up's own worker is Unknown: the signals disagree.
IdleProbe readIdleProbe(
    double askedS, const std::vector<RequestRecord>& records, const std::vector<WorkerSample>& workerSamples);

struct IdleSearchSettings {
    double minIdleS = 5;
    double maxIdleS = 300;
    double growth = 2;
    double precision = 0.05; // stop once (hi - lo) / hi is at most this
    int maxProbes = 30;
};

struct IdleSearch {
    enum class Outcome { Bracketed, NoScaleToZero, Inconclusive, Inconsistent, ProbeLimit, Stopped };
    Outcome outcome = Outcome::Stopped;
    std::vector<IdleProbe> probes; // in the order made, repeats included
    std::optional<double> lastWarmS, firstColdS; // the bracket, measured gaps
    std::optional<double> answerS() const; // the bracket's midpoint, when there is a cold probe
};

// Makes a probe with this asked gap; nullopt stops the search (cancelled).
using IdleProbeFunction = std::function<std::optional<IdleProbe>(double askedS)>;

// Grows the gap geometrically from minIdleS until a probe is cold (or maxIdleS stays warm), then
// bisects [last warm, first cold] on measured gaps until it is narrow enough. An Unknown probe is
// made once more; a second Unknown ends the search as Inconclusive.
IdleSearch searchIdleTimeout(const IdleSearchSettings& settings, const IdleProbeFunction& probe);

StudyResult idleTimeoutResult(const IdleSearch& search, const IdleSearchSettings& settings);

// The search over a study's context, with the settings from its parameters (min_idle_s,
// max_idle_s, growth, precision, max_probes): also used by the prewarm study.
IdleSearchSettings idleSearchSettings(const nlohmann::json& params);
IdleSearch searchIdleTimeout(StudyContext& ctx, const IdleSearchSettings& settings);

} // namespace t2i
