// SPDX-License-Identifier: Apache-2.0
// The live page against the real CLI and the real emulator: a launch streams progress, in-flight
// counts and rolling percentiles to the page; Cancel stops it and the run is in the library,
// cancelled, with its records; closing the window while a launch runs asks, cancels and waits.
#include "app/mainwindow.h"
#include "detail/rundetailpage.h"
#include "library/runlibrary.h"
#include "library/runstablemodel.h"
#include "run/livepage.h"
#include "run/liverunmodel.h"
#include "run/runprocess.h"
#include "setup/launchpage.h"
#include "setup/setuppage.h"
#include "store/store.h"

#include <QApplication>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace t2i::ui;
using nlohmann::json;

namespace {

QString binDir()
{
    const QString dir = qEnvironmentVariable("T2IBENCH_BIN_DIR");
    return dir.isEmpty() ? QStringLiteral("bin") : dir;
}

// A long closed loop on the emulated "steady" platform: requests keep finishing and some are
// always in flight, for as long as the test lets it run.
QString writeLongConfig(const QTemporaryDir& dir, const QString& name)
{
    const json config = {
        { "version", 1 },
        { "name", name.toStdString() },
        { "providers", { { { "id", "steady" }, { "type", "emulated" }, { "profile", "steady" }, { "seed", 5 } } } },
        { "variants",
            { { { "id", "sd512" }, { "model", "sd-1.5" }, { "precision", "fp16" }, { "width", 512 }, { "height", 512 },
                { "steps", 20 }, { "guidance", 7.0 }, { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            { { "timeout_s", 60 }, { "poll_interval_ms", 100 }, { "warmup_requests", 0 }, { "health_interval_s", 1 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 4 }, { "duration_s", 300 } } } } } },
    };
    const QString path = dir.filePath(name + ".json");
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(QByteArray::fromStdString(config.dump(2)));
    return path;
}

// A launch of a few seconds on the emulator's "instant" profile.
QString writeShortConfig(const QTemporaryDir& dir, const QString& name)
{
    const json config = {
        { "version", 1 },
        { "name", name.toStdString() },
        { "providers", { { { "id", "instant" }, { "type", "emulated" }, { "profile", "instant" }, { "seed", 3 } } } },
        { "variants",
            { { { "id", "v256" }, { "model", "sdxl" }, { "precision", "fp16" }, { "width", 256 }, { "height", 256 },
                { "steps", 20 }, { "guidance", 7.0 }, { "images", 1 } } } },
        { "prompts", { { "set", "default" }, { "seed", 42 } } },
        { "workload",
            { { "timeout_s", 60 }, { "poll_interval_ms", 50 }, { "warmup_requests", 1 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 2 }, { "requests", 6 } } } } } },
    };
    const QString path = dir.filePath(name + ".json");
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(QByteArray::fromStdString(config.dump(2)));
    return path;
}

// Waits (on the page's own signals) until the shown snapshot satisfies `ready`.
bool waitForSnapshot(LivePage& page, const std::function<bool(const LiveSnapshot&)>& ready, int timeoutMs = 90000)
{
    QSignalSpy changed(page.model(), &LiveRunModel::snapshotChanged);
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        const int index = page.model()->currentIndex();
        if (index >= 0 && ready(page.model()->snapshot(index)))
            return true;
        changed.wait(1000);
    }
    return false;
}

} // namespace

class TestLivePage : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the window's settings go to a test location
        QCoreApplication::setOrganizationName(QStringLiteral("t2ibench-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_livepage"));
    }

    void aLaunchStreamsToThePageAndCancelKeepsItsRecords()
    {
        const QString db = m_dir.filePath("live.db");
        LivePage page;
        page.setCliProgram(binDir() + "/t2ibench-cli");
        page.resize(1200, 800);
        page.show();
        QSignalSpy finished(&page, &LivePage::launchFinished);
        QSignalSpy runFinished(&page, &LivePage::runFinished);
        QVERIFY(page.start(writeLongConfig(m_dir, "live"), {}, {}, std::nullopt, db));
        QVERIFY(page.isRunning());

        QVERIFY2(waitForSnapshot(page, [](const LiveSnapshot& s) { return s.progress.inFlight > 0; }),
            qPrintable(page.process()->errorText()));
        QVERIFY(waitForSnapshot(
            page, [](const LiveSnapshot& s) { return s.p95Ms.has_value() && s.reportedRequests >= 5; }));
        const LiveSnapshot running = page.model()->snapshot(page.model()->currentIndex());
        QCOMPARE(running.status, QStringLiteral("running"));
        QVERIFY(!running.runId.isEmpty());
        QVERIFY(*running.p95Ms >= *running.p50Ms);
        QVERIFY(!running.p95Series.isEmpty());

        page.cancel();
        QVERIFY(finished.wait(90000));
        QCOMPARE(finished.front().at(0).toInt(), 130);
        QCOMPARE(runFinished.count(), 1);
        QCOMPARE(runFinished.front().at(1).toString(), QStringLiteral("cancelled"));
        const LiveSnapshot& last = page.model()->snapshot(0);
        QCOMPARE(last.status, QStringLiteral("cancelled"));

        auto store = t2i::Store::open(db.toStdString());
        const auto run = store->findRun(last.runId.toStdString());
        QVERIFY(run);
        QCOMPARE(int(run->status), int(t2i::RunStatus::Cancelled));
        const auto records = store->records(run->id);
        QVERIFY(records.size() >= 5);
        QCOMPARE(qint64(records.size()), last.reportedRequests); // every stored record reached the page
    }

    // The whole path a user takes: a configuration opened on the Setup page, its provider and
    // variant checked on the Launch page, Launch; the Live page shows it running; Cancel leaves
    // it cancelled in the library with its records.
    void aLaunchFromTheLaunchPageRunsLiveAndCancelsIntoTheLibrary()
    {
        const QString db = m_dir.filePath("fromlaunch.db");
        MainWindow window;
        window.openDatabase(db);
        window.livePage()->setCliProgram(binDir() + "/t2ibench-cli");
        window.resize(1280, 800);
        window.show();
        LaunchPage* launch = window.launchPage();
        QSignalSpy estimated(launch, &LaunchPage::estimated);
        QString error;
        QVERIFY2(window.setupPage()->openFile(writeLongConfig(m_dir, "fromlaunch"), &error), qPrintable(error));
        launch->setChecked({ QStringLiteral("steady") }, { QStringLiteral("sd512") });
        // The estimate (computed off the GUI thread) for the one pair checked, then Launch enabled.
        QTRY_VERIFY_WITH_TIMEOUT(estimated.count() > 0 && launch->estimate().pairs.size() == 1, 10000);
        QVERIFY2(launch->estimate().error.empty(), launch->estimate().error.c_str());
        QVERIFY2(launch->launchButton()->isEnabled(), qPrintable(launch->launchBlockedReason()));

        QSignalSpy started(window.livePage(), &LivePage::started);
        QSignalSpy finished(window.livePage(), &LivePage::launchFinished);
        window.showPage(MainWindow::LaunchView);
        launch->launchButton()->click();
        QVERIFY(started.wait(10000) || started.count() == 1);
        QCOMPARE(window.currentPage(), MainWindow::LiveView);
        LivePage& page = *window.livePage();
        QVERIFY2(waitForSnapshot(page, [](const LiveSnapshot& s) { return s.progress.inFlight > 0; }),
            qPrintable(page.process()->errorText()));
        QVERIFY(waitForSnapshot(
            page, [](const LiveSnapshot& s) { return s.p95Ms.has_value() && s.reportedRequests >= 5; }));
        QVERIFY(page.model()->snapshot(page.model()->currentIndex()).progress.done >= 5);

        page.cancel();
        QVERIFY(finished.wait(90000));
        QCOMPARE(finished.front().at(0).toInt(), 130);
        const LiveSnapshot& last = page.model()->snapshot(0);
        auto store = t2i::Store::open(db.toStdString());
        const auto run = store->findRun(last.runId.toStdString());
        QVERIFY(run);
        QCOMPARE(int(run->status), int(t2i::RunStatus::Cancelled));
        QCOMPARE(QString::fromStdString(run->providerId), QStringLiteral("steady"));
        QCOMPARE(qint64(store->records(run->id).size()), last.reportedRequests);
    }

    void aSecondLaunchWhileOneRunsIsRefused()
    {
        LivePage page;
        page.setCliProgram(binDir() + "/t2ibench-cli");
        QSignalSpy finished(&page, &LivePage::launchFinished);
        QSignalSpy refused(&page, &LivePage::errorOccurred);
        const QString config = writeLongConfig(m_dir, "twice");
        QVERIFY(page.start(config, {}, {}, std::nullopt, m_dir.filePath("twice.db")));
        QVERIFY(!page.start(config, {}, {}, std::nullopt, m_dir.filePath("twice.db")));
        QCOMPARE(refused.count(), 1);
        page.cancel();
        QVERIFY(finished.wait(90000));
    }

    void aRunThatEndsShowsInTheLibraryAndOpensInRunDetail()
    {
        const QString db = m_dir.filePath("ends.db");
        const QString config = writeShortConfig(m_dir, "ends");
        MainWindow window;
        window.livePage()->setCliProgram(binDir() + "/t2ibench-cli");
        QSignalSpy finished(window.livePage(), &LivePage::launchFinished);
        QVERIFY(window.livePage()->start(config, {}, {}, std::nullopt, db)); // makes the library
        QVERIFY(finished.wait(90000));
        QCOMPARE(finished.takeFirst().at(0).toInt(), 0);

        window.openDatabase(db);
        QTRY_COMPARE_WITH_TIMEOUT(window.library()->model()->rowCount(), 1, 30000);
        QSignalSpy listed(window.library(), &RunLibrary::listed);
        QVERIFY(window.livePage()->start(config, {}, {}, std::nullopt, db));
        QVERIFY(finished.wait(90000));
        QCOMPARE(finished.takeFirst().at(0).toInt(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(listed.count() > 0, 30000); // the run's end reloaded the library
        QTRY_COMPARE_WITH_TIMEOUT(window.library()->model()->rowCount(), 2, 30000);

        // "Open in Run Detail" opens the run that just ended.
        const QString runId = window.livePage()->model()->snapshot(0).runId;
        QPushButton* open = nullptr;
        for (QPushButton* button : window.livePage()->findChildren<QPushButton*>())
            if (button->text() == QStringLiteral("Open in Run Detail"))
                open = button;
        QVERIFY(open && open->isEnabled());
        open->click();
        QTRY_COMPARE(window.currentPage(), MainWindow::RunView);
        QCOMPARE(window.detailPage()->runId(), runId);
    }

    void closingTheWindowDuringALaunchCancelsItAndWaitsForIt()
    {
        const QString db = m_dir.filePath("close.db");
        MainWindow window;
        window.livePage()->setCliProgram(binDir() + "/t2ibench-cli");
        window.show();
        QSignalSpy finished(window.livePage(), &LivePage::launchFinished);
        QVERIFY(window.livePage()->start(writeLongConfig(m_dir, "close"), {}, {}, std::nullopt, db));
        QCOMPARE(window.currentPage(), MainWindow::LiveView);
        QVERIFY(waitForSnapshot(*window.livePage(), [](const LiveSnapshot& s) { return s.reportedRequests >= 3; }));

        // Answer the question as a user would: "Cancel the Run and Quit".
        bool asked = false;
        QTimer::singleShot(0, this, [&asked] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box)
                return;
            for (QAbstractButton* button : box->buttons())
                if (box->buttonRole(button) == QMessageBox::DestructiveRole) {
                    asked = true;
                    button->click();
                }
        });
        QVERIFY(!window.close()); // not yet: the launch is stopping
        QVERIFY(asked);
        QVERIFY(window.isVisible());
        QVERIFY(finished.wait(90000));
        QCOMPARE(finished.front().at(0).toInt(), 130);
        QTRY_VERIFY(!window.isVisible()); // closed once the child had gone

        auto store = t2i::Store::open(db.toStdString());
        const auto runs = store->listRuns();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(int(runs.front().status), int(t2i::RunStatus::Cancelled));
        QVERIFY(!store->records(runs.front().id).empty());
    }
};

QTEST_MAIN(TestLivePage)
#include "tst_livepage.moc"
