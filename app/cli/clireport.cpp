// SPDX-License-Identifier: Apache-2.0
// `t2ibench-cli report RUN... [--db FILE] --out FILE.pdf|FILE.html`: the dashboard's comparison
// report, written headless; `report --study ID,...` the report of studies instead. The only command that starts Qt's
// GUI layer, on the offscreen platform, so it needs no display; the charts come from the same builders as the
// dashboard.
#include "clicommands.h"

#include "charts/comparisonload.h"
#include "report/reportwriter.h"
#include "report/studyreport.h"
#include "store/store.h"

#include <QApplication>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>

namespace t2i::cli {
namespace {

// Fonts, painting and PDF output need a QApplication; offscreen needs no display.
std::unique_ptr<QApplication> offscreenApplication()
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "t2ibench-cli";
    static char* argv[] = { name, nullptr };
    return std::make_unique<QApplication>(argc, argv);
}

std::vector<std::string> splitIds(const std::string& list)
{
    std::vector<std::string> ids;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        if (comma > start)
            ids.push_back(list.substr(start, comma - start));
        start = comma + 1;
    }
    return ids;
}

int studyReport(const Args& args, const std::string& suffix)
{
    if (!args.positional.empty()) {
        std::cerr << "t2ibench-cli: report takes either RUNs or --study STUDY,..., not both\n";
        return BadUsage;
    }
    const std::vector<std::string> ids = splitIds(args.studies);
    if (ids.empty()) {
        std::cerr << "t2ibench-cli: --study needs a comma list of study ids (or unique prefixes)\n";
        return BadUsage;
    }
    int failed = Failure;
    auto store = openLibrary(args.db, failed);
    if (!store)
        return failed;
    QList<ui::StudyRow> studies;
    for (const std::string& id : ids) {
        const auto study = store->findStudy(id);
        if (!study) {
            std::cerr << "t2ibench-cli: no study \"" << id
                      << "\" (or several start with it); `t2ibench-cli studies` lists them\n";
            return Failure;
        }
        studies.append(ui::studyRowOf(*study));
    }
    store.reset();
    const auto app = offscreenApplication();
    QString error;
    QStringList sections;
    if (!ui::writeStudyReport(studies, QString::fromStdString(args.out), {}, &error, &sections)) {
        std::cerr << "t2ibench-cli: " << error.toStdString() << '\n';
        return Failure;
    }
    std::cout << "wrote " << args.out << " (" << sections.size() << (sections.size() == 1 ? " study" : " studies")
              << (suffix == ".pdf" ? ", PDF" : ", HTML") << ")\n";
    return Success;
}

} // namespace

int reportCommand(const Args& args)
{
    const std::string out = args.out;
    const auto suffix = std::filesystem::path(out).extension().string();
    if (out.empty() || (suffix != ".pdf" && suffix != ".html" && suffix != ".htm")) {
        std::cerr << "t2ibench-cli: report needs --out FILE.pdf or --out FILE.html\n";
        return BadUsage;
    }
    if (!args.studies.empty())
        return studyReport(args, suffix);
    if (args.positional.empty() || args.positional.size() > 8) {
        std::cerr << "t2ibench-cli: report takes 1 to 8 RUNs (ids or unique prefixes), the first the baseline, "
                     "or --study STUDY,...\n";
        return BadUsage;
    }
    {
        int failed = Failure;
        if (!openLibrary(args.db, failed)) // the comparison below opens it again, once it is known to exist
            return failed;
    }
    charts::ComparisonData data;
    try {
        data = charts::loadComparison(args.db, args.positional);
    } catch (const std::invalid_argument& e) {
        std::cerr << "t2ibench-cli: " << e.what() << "; `t2ibench-cli runs` lists them\n";
        return Failure;
    } catch (const std::exception& e) {
        std::cerr << "t2ibench-cli: " << e.what() << '\n';
        return Failure;
    }
    const auto app = offscreenApplication();
    QString error;
    QStringList pages;
    if (!ui::writeReport(data, QString::fromStdString(out), {}, &error, &pages)) {
        std::cerr << "t2ibench-cli: " << error.toStdString() << '\n';
        return Failure;
    }
    std::cout << "wrote " << out << " (" << pages.size() << (suffix == ".pdf" ? " pages" : " sections") << ", "
              << data.runs.size() << " run" << (data.runs.size() == 1 ? "" : "s") << ")\n";
    return Success;
}

} // namespace t2i::cli
