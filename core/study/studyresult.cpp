// SPDX-License-Identifier: Apache-2.0
#include "study/studyresult.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace t2i {

namespace {

using nlohmann::json;

json optionalNumber(const std::optional<double>& v)
{
    return v && std::isfinite(*v) ? json(*v) : json(nullptr);
}

std::optional<double> numberAt(const json& j, const char* key)
{
    if (!j.contains(key) || j[key].is_null())
        return std::nullopt;
    if (!j[key].is_number())
        throw std::runtime_error(std::string("\"") + key + "\" must be a number or null");
    return j[key].get<double>();
}

std::string stringAt(const json& j, const char* key)
{
    if (!j.contains(key))
        return {};
    if (!j[key].is_string())
        throw std::runtime_error(std::string("\"") + key + "\" must be a string");
    return j[key].get<std::string>();
}

const json& arrayAt(const json& j, const char* key)
{
    static const json empty = json::array();
    if (!j.contains(key))
        return empty;
    if (!j[key].is_array())
        throw std::runtime_error(std::string("\"") + key + "\" must be an array");
    return j[key];
}

std::string fixed(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

} // namespace

const StudyFinding* StudyResult::finding(const std::string& key) const
{
    for (const StudyFinding& f : findings)
        if (f.key == key)
            return &f;
    return nullptr;
}

json toJson(const StudyResult& r)
{
    json findings = json::array();
    for (const StudyFinding& f : r.findings)
        findings.push_back({ { "key", f.key }, { "label", f.label }, { "value", optionalNumber(f.value) },
            { "low", optionalNumber(f.low) }, { "high", optionalNumber(f.high) }, { "unit", f.unit },
            { "text", f.text } });
    json tables = json::array();
    for (const StudyTable& t : r.tables)
        tables.push_back({ { "title", t.title }, { "columns", t.columns }, { "rows", t.rows } });
    json charts = json::array();
    for (const StudyChart& c : r.charts) {
        json series = json::array();
        for (const StudySeries& s : c.series) {
            json points = json::array();
            for (const auto& [x, y] : s.points)
                points.push_back(json::array({ x, y }));
            series.push_back({ { "name", s.name }, { "points", std::move(points) } });
        }
        charts.push_back({ { "title", c.title }, { "x_label", c.xLabel }, { "y_label", c.yLabel }, { "style", c.style },
            { "series", std::move(series) } });
    }
    return { { "kind", r.kind }, { "answer", r.answer }, { "findings", std::move(findings) },
        { "tables", std::move(tables) }, { "charts", std::move(charts) }, { "notes", r.notes } };
}

StudyResult studyResultFromJson(const json& j)
{
    if (!j.is_object())
        throw std::runtime_error("a study result must be a JSON object");
    StudyResult r;
    r.kind = stringAt(j, "kind");
    r.answer = stringAt(j, "answer");
    for (const json& f : arrayAt(j, "findings"))
        r.findings.push_back({ stringAt(f, "key"), stringAt(f, "label"), numberAt(f, "value"), numberAt(f, "low"),
            numberAt(f, "high"), stringAt(f, "unit"), stringAt(f, "text") });
    for (const json& t : arrayAt(j, "tables")) {
        StudyTable table { stringAt(t, "title"), {}, {} };
        for (const json& c : arrayAt(t, "columns"))
            table.columns.push_back(c.get<std::string>());
        for (const json& row : arrayAt(t, "rows")) {
            std::vector<std::string> cells;
            for (const json& cell : row)
                cells.push_back(cell.get<std::string>());
            if (cells.size() != table.columns.size())
                throw std::runtime_error("table \"" + table.title + "\": a row has " + std::to_string(cells.size())
                    + " cells for " + std::to_string(table.columns.size()) + " columns");
            table.rows.push_back(std::move(cells));
        }
        r.tables.push_back(std::move(table));
    }
    for (const json& c : arrayAt(j, "charts")) {
        StudyChart chart { stringAt(c, "title"), stringAt(c, "x_label"), stringAt(c, "y_label"),
            c.value("style", std::string("line")), {} };
        for (const json& s : arrayAt(c, "series")) {
            StudySeries series { stringAt(s, "name"), {} };
            for (const json& p : arrayAt(s, "points")) {
                if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number())
                    throw std::runtime_error("chart \"" + chart.title + "\": a point must be [x, y]");
                series.points.emplace_back(p[0].get<double>(), p[1].get<double>());
            }
            chart.series.push_back(std::move(series));
        }
        r.charts.push_back(std::move(chart));
    }
    for (const json& n : arrayAt(j, "notes"))
        r.notes.push_back(n.get<std::string>());
    return r;
}

std::vector<std::pair<double, double>> boundedPoints(std::vector<std::pair<double, double>> points)
{
    if (points.size() <= kMaxStudyPoints)
        return points;
    std::vector<std::pair<double, double>> out;
    out.reserve(kMaxStudyPoints);
    const double stride = double(points.size() - 1) / double(kMaxStudyPoints - 1);
    for (std::size_t i = 0; i < kMaxStudyPoints; ++i)
        out.push_back(points[std::size_t(std::llround(double(i) * stride))]);
    return out;
}

std::string formatFinding(
    double value, const std::string& unit, std::optional<double> low, std::optional<double> high, int decimals)
{
    std::string text = fixed(value, decimals);
    if (!unit.empty())
        text += (unit == "%" ? "" : " ") + unit;
    if (low && high)
        text += " (" + fixed(*low, decimals) + "-" + fixed(*high, decimals) + ")";
    return text;
}

StudyFinding makeFinding(std::string key, std::string label, std::optional<double> value, std::string unit,
    std::optional<double> low, std::optional<double> high, int decimals)
{
    StudyFinding f { std::move(key), std::move(label), value, low, high, std::move(unit), {} };
    f.text = value ? formatFinding(*value, f.unit, low, high, decimals) : std::string("not measured");
    return f;
}

} // namespace t2i
