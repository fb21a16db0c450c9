// SPDX-License-Identifier: Apache-2.0
#include "runreport.h"

#include "report/thresholds.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace t2i {
namespace {

std::string ms(double value, bool known = true)
{
    if (!known)
        return "-";
    char buffer[32];
    if (value >= 10000)
        std::snprintf(buffer, sizeof buffer, "%.2f s", value / 1000.0);
    else
        std::snprintf(buffer, sizeof buffer, "%.0f ms", value);
    return buffer;
}

std::string withCi(double value, Interval ci, bool known)
{
    if (!known)
        return "-";
    return ms(value) + " [" + ms(ci.lo) + ", " + ms(ci.hi) + "]";
}

std::string fixed(double value, int decimals)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << value;
    return out.str();
}

// A plain table: first column left-aligned labels, the rest right-aligned values.
void printTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows)
{
    std::vector<std::size_t> widths;
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c) {
            widths.resize(std::max(widths.size(), row.size()));
            widths[c] = std::max(widths[c], row[c].size());
        }
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c == 0)
                out << std::left << std::setw(int(widths[c])) << row[c];
            else
                out << "  " << std::right << std::setw(int(widths[c])) << row[c];
        }
        out << '\n';
    }
}

// A difference of `compare --json` as text: "+123 ms [+12 ms, +230 ms]", "+2.50 pp [...]" for a
// rate (percentage points), "p = 0.0123, P(slower) = 0.620" for the distribution.
std::string differenceText(const nlohmann::json& m)
{
    const std::string metric = m["metric"].get<std::string>();
    if (m.contains("p_value"))
        return "p = " + fixed(m["p_value"].get<double>(), 4) + ", P(slower) = " + fixed(m["p_slower"].get<double>(), 3);
    const bool latency = metric.ends_with("_ms");
    const auto one = [latency](double v) {
        const std::string sign = v >= 0 ? "+" : "-";
        return sign + (latency ? ms(std::abs(v)) : fixed(100.0 * std::abs(v), 2) + " pp");
    };
    std::string text = one(m["delta"].get<double>());
    if (m["delta_ci95"].is_array())
        text += " [" + one(m["delta_ci95"][0].get<double>()) + ", " + one(m["delta_ci95"][1].get<double>()) + "]";
    return text;
}

std::string verdictText(const nlohmann::json& m)
{
    if (m["significant"].is_null())
        return "not tested (" + m["test"].get<std::string>() + ")";
    return m["significant"].get<bool>() ? "significant" : "not significant";
}

// "97.5 % of 1,200 (30, 6.1 ms each)": how many calls reused a connection, and the TLS
// handshakes the others cost (docs/measurement.md, "Network phases"); "-" before schema v6.
std::string networkReuse(const NetworkSummary& n)
{
    if (n.calls == 0)
        return "-";
    std::string text
        = fixed(100.0 * n.reuseRate, 1) + " % of " + std::to_string(n.calls) + " (" + std::to_string(n.tlsHandshakes);
    if (n.tlsRequests > 0)
        text += ", " + fixed(n.tlsMsMean, 1) + " ms each";
    return text + ")";
}

std::vector<std::vector<std::string>> summaryRows(std::span<const RunReport> reports)
{
    std::vector<std::vector<std::string>> rows(25);
    const char* labels[] = { "run", "provider / variant", "status", "requests (ok / errors)", "error rate",
        "throughput", "latency p50 [95% CI]", "latency p95 [95% CI]", "latency p90", "latency p99", "latency max",
        "cold starts", "cold p50 / p95", "warm p50 / p95", "queue p50 (platform)", "exec p50 (platform)",
        "download p50 / p95 (client)", "client lag p99", "platform latency p50 / p99", "detection lag p50 / p99",
        "polls (throttled)", "calls reused (TLS handshakes)", "first byte beyond platform p50", "cost per 1,000 images",
        "price" };
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i].push_back(labels[i]);
    for (const RunReport& r : reports) {
        const RunSummary& s = r.summary;
        const bool any = s.latency.n > 0;
        std::size_t i = 0;
        rows[i++].push_back(r.run.id);
        rows[i++].push_back(r.run.providerId + " / " + r.run.variantId);
        rows[i++].push_back(std::string(toString(r.run.status)));
        rows[i++].push_back(
            std::to_string(s.requests) + " (" + std::to_string(s.ok) + " / " + std::to_string(s.errors) + ")");
        rows[i++].push_back(fixed(100.0 * s.errorRate, 2) + " %");
        rows[i++].push_back(fixed(s.throughputIps, 2) + " img/s");
        rows[i++].push_back(withCi(s.latency.p50, s.p50Ci, any));
        rows[i++].push_back(withCi(s.latency.p95, s.p95Ci, any));
        rows[i++].push_back(ms(s.latency.p90, any));
        rows[i++].push_back(ms(s.latency.p99, any));
        rows[i++].push_back(ms(s.latency.max, any));
        rows[i++].push_back(std::to_string(s.coldStarts) + " (" + fixed(100.0 * s.coldRate, 1) + " %)");
        rows[i++].push_back(
            ms(s.coldLatency.p50, s.coldLatency.n > 0) + " / " + ms(s.coldLatency.p95, s.coldLatency.n > 0));
        rows[i++].push_back(
            ms(s.warmLatency.p50, s.warmLatency.n > 0) + " / " + ms(s.warmLatency.p95, s.warmLatency.n > 0));
        rows[i++].push_back(ms(s.queueMs.p50, s.queueMs.n > 0));
        rows[i++].push_back(ms(s.execMs.p50, s.execMs.n > 0));
        rows[i++].push_back(
            ms(s.downloadMs.p50, s.downloadMs.n > 0) + " / " + ms(s.downloadMs.p95, s.downloadMs.n > 0));
        rows[i++].push_back(ms(s.sendLagMs.p99, s.sendLagMs.n > 0));
        rows[i++].push_back(
            ms(s.platformMs.p50, s.platformMs.n > 0) + " / " + ms(s.platformMs.p99, s.platformMs.n > 0));
        rows[i++].push_back(ms(s.detectionLagMs.p50, s.detectionLagMs.n > 0) + " / "
            + ms(s.detectionLagMs.p99, s.detectionLagMs.n > 0));
        rows[i++].push_back(std::to_string(s.polls) + " (" + std::to_string(s.throttledPolls) + ")");
        rows[i++].push_back(networkReuse(s.network));
        rows[i++].push_back(ms(s.network.firstByteBeyondMs.p50, s.network.firstByteBeyondMs.n > 0));
        rows[i++].push_back(r.cost && r.cost->images > 0 ? usd(r.cost->per1000) : "-");
        rows[i++].push_back(r.cost ? priceText(*r.cost) : "-");
    }
    return rows;
}

// The budget the run was held to and its thresholds' verdict, as stored with it.
void printLimits(std::ostream& out, const RunInfo& run, const nlohmann::json& environment)
{
    if (environment.is_object() && environment.contains("budget") && environment["budget"].is_object()) {
        const nlohmann::json& b = environment["budget"];
        out << "\nbudget: " << usd(b.value("cap_usd", 0.0)) << " cap, each job committed at "
            << usd(b.value("job_worst_case_usd", 0.0)) << " (" << b.value("worst_case_basis", std::string()) << ")"
            << (run.status == RunStatus::Stopped ? "; the run stopped at it" : "") << '\n';
    }
    const std::vector<ThresholdVerdict> verdicts = storedThresholds(run);
    if (verdicts.empty())
        return;
    out << "\nthresholds: " << (allPassed(verdicts) ? "all passed" : "BREACHED") << '\n';
    for (const ThresholdVerdict& verdict : verdicts)
        out << "  " << (verdict.passed ? "pass  " : "FAIL  ") << thresholdText(verdict) << '\n';
}

} // namespace

void printShow(std::ostream& out, const RunReport& report)
{
    out << report.run.name << '\n';
    printTable(out, summaryRows({ &report, 1 }));
    if (!report.summary.errorsByClass.empty()) {
        out << "\nerrors by class:\n";
        for (const auto& [name, count] : report.summary.errorsByClass)
            out << "  " << name << ": " << count << '\n';
    }
    if (!report.summary.levels.empty()) {
        out << "\nscaling (per step and level):\n";
        std::vector<std::vector<std::string>> rows { { "step", "kind", "offered", "requests", "ok", "achieved", "p50",
            "p95" } };
        for (const LevelPoint& p : report.summary.levels)
            rows.push_back({ std::to_string(p.step + 1) + (p.level ? "." + std::to_string(p.level + 1) : ""),
                p.stepKind, fixed(p.offered, 1), std::to_string(p.requests), std::to_string(p.ok),
                fixed(p.achievedIps, 2) + " img/s", ms(p.p50, p.ok > 0), ms(p.p95, p.ok > 0) });
        printTable(out, rows);
    }
    printCostSection(out, report);
    // Was the client itself the bottleneck? (Kept with runs since schema version 4's release.)
    const nlohmann::json environment = nlohmann::json::parse(report.run.environmentJson, nullptr, false);
    if (environment.is_object() && environment.contains("client") && environment["client"].is_object()) {
        const nlohmann::json& c = environment["client"];
        const double cpu = c.value("cpu_s", 0.0), wall = c.value("wall_s", 0.0);
        // Where it ran first: latency between regions is the first thing asked about.
        const std::string host = c.contains("host") && c["host"].is_string() ? c["host"].get<std::string>() : "";
        const std::string region
            = c.contains("region") && c["region"].is_string() ? c["region"].get<std::string>() : "";
        out << "\nclient: " << (host.empty() ? "" : "on " + host + (region.empty() ? "" : " (" + region + ")") + ", ")
            << fixed(cpu, 1) << " s CPU over " << fixed(wall, 1) << " s ("
            << fixed(wall > 0 ? 100.0 * cpu / wall : 0.0, 0) << "% of a core), peak memory "
            << fixed(c.value("peak_rss_mib", 0.0), 0) << " MiB\n";
        // Images that waited for their check in the temporary file (image_backlog_mb).
        if (c.contains("image_check") && c["image_check"].is_object()) {
            const nlohmann::json& check = c["image_check"];
            if (check.value("spilled_jobs", 0) > 0 || check.value("spill_failures", 0) > 0)
                out << "image check: " << check.value("spilled_jobs", 0)
                    << " jobs' images waited in a temporary file (at most "
                    << fixed(check.value("peak_spill_mib", 0.0), 0) << " MiB there, "
                    << fixed(check.value("peak_memory_mib", 0.0), 0) << " MiB in memory)"
                    << (check.value("spill_failures", 0) > 0 ? "; " + std::to_string(check.value("spill_failures", 0))
                                   + " could not be written there and stayed in memory"
                                                             : std::string())
                    << '\n';
        }
    }
    // The addresses each host the run called resolved to (docs/measurement.md, "Network phases").
    if (environment.is_object() && environment.contains("network") && environment["network"].is_object()) {
        const nlohmann::json addresses = environment["network"].value("addresses", nlohmann::json::object());
        if (addresses.is_object() && !addresses.empty()) {
            out << "addresses:";
            for (const auto& [host, ips] : addresses.items()) {
                out << ' ' << host << " ->";
                if (ips.is_array())
                    for (const auto& ip : ips)
                        if (ip.is_string())
                            out << ' ' << ip.get<std::string>();
                out << ';';
            }
            out << '\n';
        }
    }
    for (const std::string& note : measurementNotes(report.run, report.summary))
        out << "\nwarning: " << note << '\n';
    printLimits(out, report.run, environment);
    if (!report.run.message.empty())
        out << "\nnote: " << report.run.message << '\n';
}

void printCompare(std::ostream& out, std::span<const RunReport> reports)
{
    printTable(out, summaryRows(reports));
    const nlohmann::json differences = compareJson(reports)["differences"];
    if (differences.empty())
        return;
    out << "\nagainst " << reports.front().run.id
        << " (significant at 5%: the 95% interval of the difference excludes 0; distribution: Mann-Whitney U):\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& entry : differences)
        for (const auto& m : entry["metrics"]) {
            const std::string metric = m["metric"].get<std::string>();
            if (metric == "throughput_ips" || metric == "cold_starts" || metric == "cost_per_1000_usd")
                continue; // shown above; no sampling distribution to test (docs/statistics.md)
            rows.push_back({ "  " + entry["run"].get<std::string>(), metric, differenceText(m), verdictText(m) });
        }
    printTable(out, rows);
}

void printRuns(std::ostream& out, std::span<const RunInfo> runs)
{
    std::vector<std::vector<std::string>> rows { { "id", "status", "created", "provider", "variant", "name" } };
    for (const RunInfo& run : runs)
        rows.push_back(
            { run.id, std::string(toString(run.status)), run.created, run.providerId, run.variantId, run.name });
    // Every column left-aligned reads better for text columns.
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c)
            out << std::left << std::setw(int(widths[c] + 2)) << row[c];
        out << '\n';
    }
}

} // namespace t2i
