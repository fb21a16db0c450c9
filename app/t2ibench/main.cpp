// SPDX-License-Identifier: Apache-2.0
// t2ibench: the desktop dashboard over the run library. Parsing here; everything else in ui/.
#include "app/mainwindow.h"
#include "app/screenshot.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("t2ibench"));
    QApplication::setOrganizationName(QStringLiteral("t2ibench"));
    QApplication::setApplicationVersion(QStringLiteral(T2I_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("t2ibench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The t2ibench dashboard: explore, compare and export benchmark runs."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption db(QStringLiteral("db"),
        QStringLiteral("The run library (default: the last one opened, else $XDG_DATA_HOME/t2ibench/library.db)."),
        QStringLiteral("FILE"));
    const QCommandLineOption compare(QStringLiteral("compare"),
        QStringLiteral("Open straight on a comparison of 2 to 8 runs (ids or unique prefixes, comma-separated)."),
        QStringLiteral("RUN,RUN,..."));
    const QCommandLineOption open(QStringLiteral("run"),
        QStringLiteral("Open straight on one run's detail (an id or a unique prefix)."), QStringLiteral("RUN"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Render the window into FILE (PNG) once loaded, then quit (scripts/screenshots)."),
        QStringLiteral("FILE"));
    const QCommandLineOption size(
        QStringLiteral("size"), QStringLiteral("The window size, e.g. 1440x900."), QStringLiteral("WxH"));
    parser.addOption(db);
    parser.addOption(compare);
    parser.addOption(open);
    parser.addOption(screenshot);
    parser.addOption(size);
    parser.process(app);
    if (!parser.positionalArguments().isEmpty())
        parser.showHelp(2);

    QStringList runs;
    if (parser.isSet(compare)) {
        runs = parser.value(compare).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString& run : runs)
            run = run.trimmed();
        if (runs.size() < 2 || runs.size() > 8) {
            qCritical("t2ibench: --compare takes 2 to 8 runs, separated by commas");
            return 2;
        }
    }

    QSize windowSize;
    if (parser.isSet(size)) {
        const QStringList parts = parser.value(size).split(QLatin1Char('x'));
        windowSize = parts.size() == 2 ? QSize(parts[0].toInt(), parts[1].toInt()) : QSize();
        if (windowSize.width() < 320 || windowSize.height() < 240) {
            qCritical("t2ibench: --size takes WIDTHxHEIGHT, at least 320x240, e.g. 1440x900");
            return 2;
        }
    }

    t2i::ui::MainWindow window;
    // The last library opened, unless it has gone since (a new empty one would be no help).
    const QString lastDb = QSettings().value(QStringLiteral("library/database")).toString();
    window.openDatabase(parser.isSet(db) ? parser.value(db)
            : QFileInfo::exists(lastDb)  ? lastDb
                                         : t2i::ui::MainWindow::defaultDatabasePath());
    if (!runs.isEmpty())
        window.compareRuns(runs);
    if (parser.isSet(open))
        window.openRun(parser.value(open));
    if (windowSize.isValid())
        window.resize(windowSize);
    if (parser.isSet(screenshot))
        new t2i::ui::ScreenshotTaker(&window, parser.value(screenshot),
            !runs.isEmpty()          ? t2i::ui::ScreenshotTaker::Wait::Comparison
                : parser.isSet(open) ? t2i::ui::ScreenshotTaker::Wait::RunDetail
                                     : t2i::ui::ScreenshotTaker::Wait::Library);
    window.show();
    return QApplication::exec();
}
