// SPDX-License-Identifier: Apache-2.0
// `t2ibench-cli report RUN... [--db FILE] --out FILE.pdf|FILE.html`: the dashboard's comparison
// report, written headless. The only command that starts Qt's GUI layer, on the offscreen
// platform, so it needs no display; the charts come from the same builders as the dashboard.
#include "clicommands.h"

#include "charts/comparisonload.h"
#include "report/reportwriter.h"
#include "store/store.h"

#include <QApplication>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace t2i::cli {

int reportCommand(const Args& args)
{
    if (args.positional.empty() || args.positional.size() > 8) {
        std::cerr << "t2ibench-cli: report takes 1 to 8 RUNs (ids or unique prefixes), the first the baseline\n";
        return BadUsage;
    }
    const std::string out = args.out;
    const auto suffix = std::filesystem::path(out).extension().string();
    if (out.empty() || (suffix != ".pdf" && suffix != ".html" && suffix != ".htm")) {
        std::cerr << "t2ibench-cli: report needs --out FILE.pdf or --out FILE.html\n";
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
    // Fonts, painting and PDF output need a QApplication; offscreen needs no display.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    int argc = 1;
    char name[] = "t2ibench-cli";
    char* argv[] = { name, nullptr };
    QApplication app(argc, argv);
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
