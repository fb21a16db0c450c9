// SPDX-License-Identifier: Apache-2.0
#include "study/studysummary.h"

#include <algorithm>
#include <map>

namespace t2i {

const std::vector<SummaryColumn>& summaryColumns()
{
    static const std::vector<SummaryColumn> columns = {
        { "cold_start", "cold_overhead_s", "cold-start overhead" },
        { "idle_timeout", "idle_timeout_s", "idle timeout" },
        { "prewarm", "none_p95_s", "p95, no pre-warming" },
        { "prewarm", "best_p95_s", "p95, best pre-warming" },
        { "prewarm", "best_p95_change_pct", "p95 change" },
        { "scaling", "k_workers_s", "time to add K workers" },
        { "scaling", "max_replicas", "max replicas" },
        { "scaling", "peak_error_rate_pct", "errors at peak" },
        { "capacity", "capacity_rps", "rate at the SLA" },
        { "saturation", "knee_utilization_pct", "starvation past" },
        { "deploy", "ready_s", "deploy to ready" },
        { "local_start", "start_to_first_image_s", "start to first image" },
    };
    return columns;
}

StudyTable summarizeStudies(const std::vector<StudyWithResult>& studies)
{
    // Rows in the order their newest study came, each cell from the newest study of its kind.
    std::vector<std::string> rowOrder;
    std::map<std::string, std::map<std::pair<std::string, std::string>, std::string>> cells;
    for (const StudyWithResult& s : studies) {
        if (s.info.status != StudyStatus::Completed)
            continue;
        const std::string row = s.info.configName + "/" + s.info.providerId + "/" + s.info.variantId;
        if (std::find(rowOrder.begin(), rowOrder.end(), row) == rowOrder.end())
            rowOrder.push_back(row);
        for (const SummaryColumn& c : summaryColumns()) {
            if (c.kind != s.info.kind)
                continue;
            const StudyFinding* f = s.result.finding(c.key);
            if (f && f->value)
                cells[row].emplace(std::make_pair(c.kind, c.key), f->text); // emplace: the newest wins
        }
    }
    std::vector<const SummaryColumn*> used;
    for (const SummaryColumn& c : summaryColumns())
        if (std::any_of(cells.begin(), cells.end(), [&](const auto& r) {
                return r.second.count({ c.kind, c.key }) > 0;
            }))
            used.push_back(&c);
    StudyTable table { "Studies side by side", { "configuration/provider/variant" }, {} };
    for (const SummaryColumn* c : used)
        table.columns.push_back(c->header);
    for (const std::string& row : rowOrder) {
        if (!cells.count(row))
            continue;
        std::vector<std::string> line { row };
        for (const SummaryColumn* c : used) {
            const auto it = cells[row].find({ c->kind, c->key });
            line.push_back(it == cells[row].end() ? "-" : it->second);
        }
        table.rows.push_back(std::move(line));
    }
    return table;
}

} // namespace t2i
