// SPDX-License-Identifier: Apache-2.0
// t2ibench: the desktop dashboard over the run library. Parsing here; everything else in ui/.
#include "app/mainwindow.h"
#include "app/screenshot.h"
#include "keyringresolver.h"
#include "setup/launchpage.h"
#include "setup/setuppage.h"

#include <QPushButton>

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

struct Options {
    QCommandLineOption db { QStringLiteral("db"),
        QStringLiteral("The run library (default: the last one opened, else $XDG_DATA_HOME/t2ibench/library.db)."),
        QStringLiteral("FILE") };
    QCommandLineOption compare { QStringLiteral("compare"),
        QStringLiteral("Open straight on a comparison of 2 to 8 runs (ids or unique prefixes, comma-separated)."),
        QStringLiteral("RUN,RUN,...") };
    QCommandLineOption open { QStringLiteral("run"),
        QStringLiteral("Open straight on one run's detail (an id or a unique prefix)."), QStringLiteral("RUN") };
    QCommandLineOption screenshot { QStringLiteral("screenshot"),
        QStringLiteral("Render the window into FILE (PNG) once loaded, then quit (scripts/screenshots)."),
        QStringLiteral("FILE") };
    QCommandLineOption config { QStringLiteral("config"),
        QStringLiteral("Open a configuration file on the Setup page."), QStringLiteral("FILE") };
    QCommandLineOption page { QStringLiteral("page"),
        QStringLiteral("Open on the studies page; or with --config, the setup page (default) or the launch page."),
        QStringLiteral("studies|setup|launch") };
    QCommandLineOption launch { QStringLiteral("launch"),
        QStringLiteral("With --config: launch every provider x variant of it at once, on the Live page.") };
    QCommandLineOption size { QStringLiteral("size"), QStringLiteral("The window size, e.g. 1440x900."),
        QStringLiteral("WxH") };
};

void describe(QCoreApplication& app, QCommandLineParser& parser, const Options& o)
{
    QCoreApplication::setApplicationName(QStringLiteral("t2ibench"));
    QCoreApplication::setOrganizationName(QStringLiteral("t2ibench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(T2I_VERSION));
    parser.setApplicationDescription(
        QStringLiteral("The t2ibench dashboard: explore, compare and export benchmark runs."));
    parser.addHelpOption();
    parser.addVersionOption();
    for (const QCommandLineOption& option :
        { o.db, o.compare, o.open, o.config, o.page, o.launch, o.screenshot, o.size })
        parser.addOption(option);
    parser.process(app);
}

// Without a display Qt aborts with a message about plugins; say what to do instead.
bool hasDisplay()
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}

bool asksForHelpOrVersion(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        for (const char* flag : { "-h", "--help", "-?", "--help-all", "-v", "--version" })
            if (std::strcmp(argv[i], flag) == 0)
                return true;
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    const Options o;
    if (!hasDisplay()) {
        if (asksForHelpOrVersion(argc, argv)) {
            QCoreApplication core(argc, argv);
            QCommandLineParser parser;
            describe(core, parser, o); // prints and exits
        }
        std::fputs("t2ibench: no display (DISPLAY and WAYLAND_DISPLAY are unset). Run it on a desktop or under "
                   "Xvfb; QT_QPA_PLATFORM=offscreen serves --screenshot. Without a display, t2ibench-cli runs, "
                   "compares and reports (t2ibench-cli report RUN... --out FILE.pdf).\n",
            stderr);
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setDesktopFileName(QStringLiteral("t2ibench"));
    QCommandLineParser parser;

    describe(app, parser, o);
    if (!parser.positionalArguments().isEmpty())
        parser.showHelp(2);

    QStringList runs;
    if (parser.isSet(o.compare)) {
        runs = parser.value(o.compare).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString& run : runs)
            run = run.trimmed();
        if (runs.size() < 2 || runs.size() > 8) {
            qCritical("t2ibench: --compare takes 2 to 8 runs, separated by commas");
            return 2;
        }
    }

    const QString page = parser.value(o.page);
    const bool onStudies = page == QLatin1String("studies");
    if (parser.isSet(o.page) && !onStudies && page != QLatin1String("setup") && page != QLatin1String("launch")) {
        qCritical("t2ibench: --page takes studies, setup or launch");
        return 2;
    }
    if (onStudies && (parser.isSet(o.config) || parser.isSet(o.compare) || parser.isSet(o.open))) {
        qCritical("t2ibench: --page studies goes with none of --config, --compare and --run");
        return 2;
    }
    if (((parser.isSet(o.page) && !onStudies) || parser.isSet(o.launch)) && !parser.isSet(o.config)) {
        qCritical("t2ibench: --page setup|launch and --launch need --config FILE");
        return 2;
    }

    QSize windowSize;
    if (parser.isSet(o.size)) {
        const QStringList parts = parser.value(o.size).split(QLatin1Char('x'));
        windowSize = parts.size() == 2 ? QSize(parts[0].toInt(), parts[1].toInt()) : QSize();
        if (windowSize.width() < 320 || windowSize.height() < 240) {
            qCritical("t2ibench: --size takes WIDTHxHEIGHT, at least 320x240, e.g. 1440x900");
            return 2;
        }
    }

    t2i::ui::MainWindow window;
    // The setup page stores API keys in the OS keyring through QtKeychain (app/secrets); the key
    // goes straight to the keyring and nowhere else.
    window.setupPage()->setKeyringWriter(
        { [](const QString& service, const QString& account, const QString& secret,
              std::function<void(const QString&)> done) {
             t2i::writeKeyringAsync({ service.toStdString(), account.toStdString() }, secret.toStdString(),
                 [done](const std::string& error) { done(QString::fromStdString(error)); });
         },
            QString::fromStdString(t2i::keyringUnavailableReason()) });
    // The last library opened, unless it has gone since (a new empty one would be no help).
    const QString lastDb = QSettings().value(QStringLiteral("library/database")).toString();
    window.openDatabase(parser.isSet(o.db) ? parser.value(o.db)
            : QFileInfo::exists(lastDb)    ? lastDb
                                           : t2i::ui::MainWindow::defaultDatabasePath());
    if (!runs.isEmpty())
        window.compareRuns(runs);
    if (parser.isSet(o.open))
        window.openRun(parser.value(o.open));
    if (windowSize.isValid())
        window.resize(windowSize);
    using Wait = t2i::ui::ScreenshotTaker::Wait;
    Wait wait = !runs.isEmpty() ? Wait::Comparison : parser.isSet(o.open) ? Wait::RunDetail : Wait::Library;
    if (onStudies) {
        window.showPage(t2i::ui::MainWindow::StudiesView);
        wait = Wait::Studies;
    }
    if (parser.isSet(o.config)) {
        QString error;
        if (!window.setupPage()->openFile(parser.value(o.config), &error)) {
            std::fprintf(stderr, "t2ibench: %s\n", qPrintable(error));
            return 2;
        }
        const bool onLaunch = page == QLatin1String("launch") || parser.isSet(o.launch);
        window.showPage(onLaunch ? t2i::ui::MainWindow::LaunchView : t2i::ui::MainWindow::SetupView);
        wait = onLaunch ? Wait::Launch : Wait::Setup;
        if (parser.isSet(o.launch)) {
            // Every provider x variant (all are checked), once the estimate has said it can run.
            auto* launchPage = window.launchPage();
            auto clicked = std::make_shared<bool>(false);
            QObject::connect(launchPage, &t2i::ui::LaunchPage::estimated, &window, [launchPage, clicked] {
                if (*clicked || !launchPage->launchButton()->isEnabled())
                    return;
                *clicked = true;
                launchPage->launchButton()->click();
            });
            wait = Wait::Live;
        }
    }
    if (parser.isSet(o.screenshot))
        new t2i::ui::ScreenshotTaker(&window, parser.value(o.screenshot), wait);
    window.show();
    return QApplication::exec();
}
