// SPDX-License-Identifier: Apache-2.0
#include "study/studytext.h"

#include "study/studytypes.h"

#include <algorithm>
#include <sstream>

namespace t2i {

namespace {

// Display width in characters, counting a UTF-8 sequence once (units like "µ", dashes like "–").
std::size_t width(const std::string& s)
{
    return std::size_t(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string padded(const std::string& s, std::size_t w)
{
    return s + std::string(w > width(s) ? w - width(s) : 0, ' ');
}

} // namespace

std::string formatTextTable(const StudyTable& table)
{
    std::vector<std::size_t> widths(table.columns.size(), 0);
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        widths[c] = width(table.columns[c]);
        for (const auto& row : table.rows)
            if (c < row.size())
                widths[c] = std::max(widths[c], width(row[c]));
    }
    std::ostringstream out;
    const auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t c = 0; c < widths.size(); ++c)
            text += (c ? "  " : "") + padded(c < cells.size() ? cells[c] : std::string(), widths[c]);
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        out << "  " << text << '\n';
    };
    line(table.columns);
    std::vector<std::string> rule;
    for (std::size_t w : widths)
        rule.push_back(std::string(w, '-'));
    line(rule);
    for (const auto& row : table.rows)
        line(row);
    return out.str();
}

std::string formatStudyText(const StudyInfo& info, const StudyResult& result)
{
    std::ostringstream out;
    const StudyType* type = findStudyType(info.kind);
    out << (type ? type->title : info.kind) << " study " << info.id << " (" << toString(info.status) << ")\n";
    out << "  " << info.configName << ": provider " << info.providerId << ", variant " << info.variantId << ", "
        << info.created << '\n';
    if (!info.message.empty())
        out << "  " << info.message << '\n';
    if (!result.answer.empty())
        out << '\n' << result.answer << '\n';
    if (!result.findings.empty()) {
        StudyTable findings { "Findings", { "finding", "value" }, {} };
        for (const StudyFinding& f : result.findings)
            findings.rows.push_back({ f.label, f.text });
        out << '\n' << formatTextTable(findings);
    }
    for (const StudyTable& table : result.tables)
        out << '\n' << table.title << '\n' << formatTextTable(table);
    if (!result.notes.empty()) {
        out << "\nNotes\n";
        for (const std::string& note : result.notes)
            out << "  - " << note << '\n';
    }
    if (!info.runs.empty()) {
        out << "\nRuns (" << info.runs.size() << ")\n";
        for (const StudyRunRef& run : info.runs)
            out << "  " << run.runId << "  " << run.role << '\n';
    }
    return out.str();
}

std::string formatStudyLine(const StudyInfo& info, const StudyResult* result)
{
    std::string answer = result ? result->answer : info.message;
    if (width(answer) > 80)
        answer = answer.substr(0, 77) + "...";
    std::ostringstream out;
    out << info.id << "  " << padded(std::string(toString(info.status)), 11) << padded(info.kind, 14) << info.providerId
        << "/" << info.variantId << "  " << info.created << "  " << answer;
    return out.str();
}

} // namespace t2i
