// SPDX-License-Identifier: Apache-2.0
#include "phaseplan.h"

namespace t2i {

std::string Phase::label() const
{
    std::string text = kindName;
    if (kind == StepKind::Closed)
        text += " c=" + std::to_string(concurrency);
    else if (kind == StepKind::ColdProbe)
        text += " idle " + std::to_string(int(idleMs / 1000)) + " s";
    if (step >= 0)
        text += " (step " + std::to_string(step + 1) + ")";
    return text;
}

std::vector<Phase> planPhases(const WorkloadConfig& workload, std::uint64_t seed)
{
    std::vector<Phase> phases;
    if (workload.warmupRequests > 0) {
        Phase warmup;
        warmup.step = -1;
        warmup.kindName = "warmup";
        warmup.offered = 1;
        warmup.maxRequests = workload.warmupRequests;
        phases.push_back(warmup);
    }
    for (std::size_t s = 0; s < workload.steps.size(); ++s) {
        const WorkloadStep& step = workload.steps[s];
        Phase base;
        base.step = int(s);
        base.kind = step.kind;
        base.kindName = std::string(toString(step.kind));
        if (step.requests)
            base.maxRequests = *step.requests;
        if (step.durationS)
            base.durationMs = *step.durationS * 1000.0;
        switch (step.kind) {
        case StepKind::Closed:
            for (std::size_t level = 0; level < step.concurrency.size(); ++level) {
                Phase phase = base;
                phase.level = int(level);
                phase.concurrency = step.concurrency[level];
                phase.offered = phase.concurrency;
                phase.plannedMs = phase.durationMs.value_or(0);
                phases.push_back(phase);
            }
            continue;
        case StepKind::ColdProbe:
            base.repeat = step.repeat;
            base.idleMs = step.idleS * 1000.0;
            base.waitForZeroMs = step.waitForZeroS * 1000.0;
            base.offered = 1;
            base.plannedMs = step.repeat * base.idleMs;
            break;
        case StepKind::Ramp:
            base.offered = (step.rateFrom + step.rateTo) / 2.0;
            break;
        case StepKind::Burst:
            base.offered = double(step.requests.value_or(0));
            base.durationMs.reset(); // a burst is all at once, whatever else is said
            break;
        default:
            base.offered = step.rate;
        }
        if (step.kind != StepKind::ColdProbe) {
            // Each open-loop step draws from its own stream, so adding a step never changes another.
            base.schedule = std::make_shared<OpenLoopSchedule>(step, seed * 1000003ULL + s);
            base.plannedMs = base.schedule->plannedMs();
        }
        phases.push_back(base);
    }
    return phases;
}

} // namespace t2i
