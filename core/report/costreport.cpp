// SPDX-License-Identifier: Apache-2.0
// The cost parts of show / compare / cost: JSON keys and text lines (docs/cost.md).
#include "runreport.h"

#include <cstdio>

namespace t2i {

using nlohmann::json;

std::string usd(double value)
{
    char buffer[48];
    const double magnitude = value < 0 ? -value : value;
    std::snprintf(buffer, sizeof buffer, magnitude >= 100 ? "$%.2f" : magnitude >= 1 ? "$%.4f" : "$%.6f", value);
    return buffer;
}

namespace {

// The client-timed download of URL-delivered images: beside egress, what fetching them costs in
// time (not billed; docs/cost.md). Null percentiles when no image was downloaded.
json downloadJson(const Distribution& d)
{
    return { { "p50", d.n > 0 ? json(d.p50) : json(nullptr) }, { "p95", d.n > 0 ? json(d.p95) : json(nullptr) },
        { "n", d.n } };
}

// "1.52 MB": egress in decimal units, as it is priced (1 GB = 1e9 bytes).
std::string megabytes(std::int64_t bytes)
{
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.2f MB", static_cast<double>(bytes) / 1e6);
    return buffer;
}

} // namespace

void addCostJson(json& show, const RunReport& report)
{
    if (!report.cost) {
        show["cost_usd"] = nullptr;
        show["price_date"] = nullptr;
        show["cost"] = { { "error", report.costError } };
        return;
    }
    const CostBreakdown& c = *report.cost;
    show["cost_usd"] = { { "total", c.total }, { "per_image", c.images > 0 ? json(c.perImage) : json(nullptr) },
        { "per_1000", c.images > 0 ? json(c.per1000) : json(nullptr) }, { "compute", c.compute },
        { "cold_start", c.coldStart }, { "idle", c.idle }, { "keep_warm", c.keepWarm }, { "egress", c.egress },
        { "failed", c.failed } };
    show["price_date"] = c.priceRead.empty() ? json(nullptr) : json(c.priceRead);
    json detail = { { "price", c.priceLabel }, { "method", std::string(toString(c.method)) },
        { "marginal_warm_per_image", c.marginalWarmPerImage }, { "images", c.images }, { "workers", c.workers },
        { "jobless_workers", c.joblessWorkers }, { "boots_estimated", c.bootsEstimated },
        { "billed_worker_s", c.billedWorkerS }, { "keep_warm_s", c.keepWarmS }, { "cold_boot_s", c.coldBootS },
        { "egress_price", c.egressLabel.empty() ? json(nullptr) : json(c.egressLabel) },
        { "reported_usd", c.reportedUsd ? json(*c.reportedUsd) : json(nullptr) },
        { "reported_requests", c.reportedRequests }, { "basis", c.basis }, { "instance_s", c.instanceS },
        { "instances", c.instances }, { "client_timed_requests", c.clientTimedRequests }, { "notes", c.notes },
        { "egress_bytes", c.egressBytes }, { "egress_header_bytes", c.egressHeaderBytes },
        { "download_ms", downloadJson(report.summary.downloadMs) } };
    show["cost"] = std::move(detail);
}

void printCostSection(std::ostream& out, const RunReport& report)
{
    if (!report.cost) {
        out << "\ncost: unknown: " << report.costError << '\n';
        return;
    }
    const CostBreakdown& c = *report.cost;
    out << "\ncost (" << priceText(c) << "; " << toString(c.method) << "):\n";
    if (!c.basis.empty())
        out << "  billed: " << c.basis << '\n';
    out << "  total " << usd(c.total);
    if (c.images > 0)
        out << "  per image " << usd(c.perImage) << "  per 1,000 images " << usd(c.per1000);
    out << "\n  marginal warm " << usd(c.marginalWarmPerImage) << " per image (execution only)\n";
    out << "  compute " << usd(c.compute) << "  cold start " << usd(c.coldStart) << "  idle " << usd(c.idle)
        << "  keep-warm " << usd(c.keepWarm) << "  egress " << usd(c.egress) << "  failed " << usd(c.failed) << '\n';
    if (c.egressBytes > 0)
        out << "  egress " << megabytes(c.egressBytes) << " received (" << c.egressBytes << " bytes, "
            << c.egressHeaderBytes << " of them headers) -> " << usd(c.egress) << '\n';
    if (const Distribution& d = report.summary.downloadMs; d.n > 0) {
        char line[160];
        std::snprintf(line, sizeof line,
            "  download time p50 %.1f ms, p95 %.1f ms over %zu requests (client-timed, each request's images)\n", d.p50,
            d.p95, static_cast<std::size_t>(d.n));
        out << line;
    }
    if (c.method == CostMethod::WorkerLifetimes) {
        char line[160];
        std::snprintf(line, sizeof line, "  %d worker lifetimes (%d without a job, %d boots estimated), %.0f s billed",
            c.workers, c.joblessWorkers, c.bootsEstimated, c.billedWorkerS);
        out << line;
        if (c.keepWarmS > 0) {
            std::snprintf(line, sizeof line, ", keep-warm %.1f s", c.keepWarmS);
            out << line;
        }
        out << '\n';
    }
    if (c.method == CostMethod::InstanceTime) {
        char line[160];
        std::snprintf(line, sizeof line, "  %.0f instance-seconds billed (%.2f instances on average)\n", c.instanceS,
            c.instances);
        out << line;
    }
    for (const std::string& note : c.notes)
        out << "  note: " << note << '\n';
    if (c.reportedUsd)
        out << "  reported by the platform " << usd(*c.reportedUsd) << " over " << c.reportedRequests
            << " requests; modelled " << usd(c.total) << '\n';
}

} // namespace t2i
