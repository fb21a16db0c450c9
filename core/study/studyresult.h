// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace t2i {

// What a study found, in a form every view shares: the CLI prints it, the report and the
// dashboard's Studies page draw it, and the library keeps it as JSON (docs/studies.md, "Results").
// Findings carry numbers (with a confidence interval where the method gives one); tables carry
// the study's own rows already formatted; charts carry bounded, precomputed points.

struct StudyFinding {
    std::string key; // stable, machine-readable: "idle_timeout_s", "max_replicas", ...
    std::string label; // in words: "Idle timeout"
    std::optional<double> value; // nullopt: could not be measured (text says why)
    std::optional<double> low, high; // the confidence interval or bracket, where there is one
    std::string unit; // "s", "ms", "workers", "req/s", "%", "USD"
    std::string text; // the finding as the table prints it: "3.0 s (2.9-3.1)"
};

struct StudyTable {
    std::string title;
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows; // each as long as columns
};

struct StudySeries {
    std::string name;
    std::vector<std::pair<double, double>> points; // at most kMaxStudyPoints
};

struct StudyChart {
    std::string title;
    std::string xLabel, yLabel;
    std::string style = "line"; // "line", "scatter" or "step"
    std::vector<StudySeries> series;
};

inline constexpr std::size_t kMaxStudyPoints = 2000;

struct StudyResult {
    std::string kind;
    std::string answer; // one or two sentences: the study's answer, as the seed's reports state it
    std::vector<StudyFinding> findings;
    std::vector<StudyTable> tables;
    std::vector<StudyChart> charts;
    std::vector<std::string> notes; // the method's limits as they applied to this study
    const StudyFinding* finding(const std::string& key) const;
};

nlohmann::json toJson(const StudyResult& result);
// Throws std::runtime_error naming the field at fault.
StudyResult studyResultFromJson(const nlohmann::json& j);

// Thins a series to at most kMaxStudyPoints points, keeping the first and last.
std::vector<std::pair<double, double>> boundedPoints(std::vector<std::pair<double, double>> points);

// "3.04 s" / "3.04 s (2.91-3.12)" with the given decimals.
std::string formatFinding(double value, const std::string& unit, std::optional<double> low = {},
    std::optional<double> high = {}, int decimals = 2);
StudyFinding makeFinding(std::string key, std::string label, std::optional<double> value, std::string unit,
    std::optional<double> low = {}, std::optional<double> high = {}, int decimals = 2);

} // namespace t2i
