// SPDX-License-Identifier: Apache-2.0
// Runs an adapter through the real engine (libcurl over loopback) against a fake platform, the way
// t2ibench-cli does, minus the store: the test gets the records and samples back in memory.
#pragma once

#include "engine/adapter.h"
#include "engine/runengine.h"

#include <functional>
#include <vector>

namespace t2itest {

struct HarnessOptions {
    int requests = 4; // one closed step of this many requests
    int concurrency = 1;
    double timeoutMs = 20000; // per request
    int pollIntervalMs = 20;
    t2i::VariantConfig variant = defaultVariant();
    // Evaluated on every progress tick (engine thread); true -> the run is cancelled, as Ctrl-C does.
    std::function<bool(const t2i::EngineProgress&)> cancelWhen;
    bool sampleHealth = false; // sample the adapter's health route every 100 ms
    std::vector<std::string> prompts = { "a lighthouse on a cliff at dawn", "a bowl of ramen, studio light" };

    static t2i::VariantConfig defaultVariant();
};

struct HarnessResult {
    t2i::EngineResult result;
    std::vector<t2i::RequestRecord> records; // in completion order
    std::vector<t2i::WorkerSample> samples;

    const t2i::RequestRecord* bySeq(std::int64_t seq) const;
    int okCount() const;
};

HarnessResult runAdapter(t2i::Adapter& adapter, const HarnessOptions& options = {});

} // namespace t2itest
