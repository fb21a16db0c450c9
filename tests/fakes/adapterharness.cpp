// SPDX-License-Identifier: Apache-2.0
#include "adapterharness.h"

#include <mutex>

namespace t2itest {

t2i::VariantConfig HarnessOptions::defaultVariant()
{
    t2i::VariantConfig v;
    v.id = "fake-512";
    v.model = "fake-model";
    v.width = 512;
    v.height = 512;
    v.steps = 4;
    v.guidance = 3.5;
    return v;
}

const t2i::RequestRecord* HarnessResult::bySeq(std::int64_t seq) const
{
    for (const auto& r : records)
        if (r.seq == seq)
            return &r;
    return nullptr;
}

int HarnessResult::okCount() const
{
    int n = 0;
    for (const auto& r : records)
        n += r.ok ? 1 : 0;
    return n;
}

HarnessResult runAdapter(t2i::Adapter& adapter, const HarnessOptions& options)
{
    t2i::EngineSettings settings;
    t2i::WorkloadStep step;
    step.kind = t2i::StepKind::Closed;
    step.concurrency = { options.concurrency };
    step.requests = options.requests;
    settings.workload.steps = { step };
    settings.workload.pollIntervalMs = options.pollIntervalMs;
    settings.workload.timeoutS = options.timeoutMs / 1000.0;
    // Without health sampling the first sample is an hour away: the run never reaches it.
    settings.workload.healthIntervalS = options.sampleHealth ? 0.1 : 3600.0;
    settings.variant = options.variant;
    settings.prompts = options.prompts;
    settings.timeoutMs = options.timeoutMs;
    settings.progressIntervalMs = 20;
    settings.cancelGraceMs = 5000;
    settings.throttleBackoffMs = 50;

    HarnessResult out;
    std::mutex mutex;
    t2i::RunEngine* running = nullptr;
    bool cancelled = false;
    t2i::EngineCallbacks callbacks;
    callbacks.record = [&](t2i::RequestRecord r) {
        std::lock_guard lock(mutex);
        out.records.push_back(std::move(r));
    };
    callbacks.workerSample = [&](const t2i::WorkerSample& s) {
        std::lock_guard lock(mutex);
        out.samples.push_back(s);
    };
    callbacks.progress = [&](const t2i::EngineProgress& p) {
        if (options.cancelWhen && !cancelled && running && options.cancelWhen(p)) {
            cancelled = true;
            running->cancel();
        }
    };
    t2i::RunEngine engine(adapter, settings, callbacks);
    running = &engine;
    out.result = engine.run();
    return out;
}

} // namespace t2itest
