// SPDX-License-Identifier: Apache-2.0
#include "truthlog.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace t2i {

TruthLog::TruthLog(const std::string& path)
    : m_out(path, std::ios::binary | std::ios::trunc)
    , m_path(path)
{
    if (!m_out)
        throw std::runtime_error(path + ": cannot write the truth file");
}

nlohmann::json TruthLog::toJson(const JobTruth& t)
{
    nlohmann::json j = {
        { "job_id", t.jobId },
        { "front", t.spec.front },
        { "arrival_ms", t.arrivalMs },
        { "start_ms", t.startMs },
        { "finish_ms", t.finishMs },
        { "queue_ms", t.queueMs },
        { "cold_start_ms", t.coldStartMs },
        { "exec_ms", t.execMs },
        { "worker_id", t.workerId },
        { "cold", t.cold },
        { "status", std::string(jobStatusName(t.status)) },
        { "billed_s", t.billedS },
        { "cost_usd", t.costUsd },
        { "index", t.index },
        { "seed", t.seed },
        { "width", t.spec.width },
        { "height", t.spec.height },
        { "steps", t.spec.steps },
        { "images", t.spec.images },
        { "precision", t.spec.precision },
        { "image_format", t.imageFormat },
        { "image_bytes", t.imageBytes },
    };
    if (!t.workerId.empty())
        j["utilization_at_start"] = t.utilizationAtStart;
    if (!t.error.empty())
        j["error"] = t.error;
    return j;
}

nlohmann::json TruthLog::toJson(const UtilizationChange& c)
{
    return { { "utilization",
        { { "t_ms", c.tMs }, { "worker_id", c.workerId }, { "running", c.running },
            { "concurrency", c.concurrency } } } };
}

nlohmann::json TruthLog::toJson(const Ledger& l)
{
    nlohmann::json workers = nlohmann::json::array();
    for (const Ledger::Worker& w : l.workers)
        workers.push_back({ { "id", w.id }, { "boot_start_ms", w.bootStartMs }, { "ready_ms", w.readyMs },
            { "stop_ms", w.stopMs }, { "always_on", w.alwaysOn } });
    nlohmann::json egress = nlohmann::json::object();
    for (const auto& [front, e] : l.egress)
        egress[front] = { { "responses", e.responses }, { "response_bytes", e.responseBytes },
            { "inline_images", e.inlineImages }, { "inline_image_bytes", e.inlineImageBytes },
            { "file_images", e.fileImages }, { "file_image_bytes", e.fileImageBytes } };
    return { { "ledger",
        { { "billed_s", l.billedS }, { "keep_warm_s", l.keepWarmS }, { "cost_usd", l.costUsd },
            { "workers_started", l.workersStarted }, { "workers", workers }, { "price_per_s", l.pricePerS },
            { "egress", egress } } } };
}

void TruthLog::write(const JobTruth& truth)
{
    writeLine(toJson(truth).dump());
}

void TruthLog::write(const UtilizationChange& change)
{
    writeLine(toJson(change).dump());
}

void TruthLog::writeLedger(const Ledger& ledger)
{
    writeLine(toJson(ledger).dump());
}

void TruthLog::writeLine(const std::string& line)
{
    m_out << line << '\n';
    m_out.flush();
}

} // namespace t2i
