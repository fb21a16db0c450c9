// SPDX-License-Identifier: Apache-2.0
// The run detail page over a fixture library: summary with confidence intervals, the stored
// configuration and environment, a clear message for a run that is not there, and the GPU charts
// only for a run with nvidia-smi samples.
#include "charts/chartview.h"
#include "compare/comparisonview.h"
#include "detail/rundetailpage.h"
#include "detail/runsummarypanel.h"
#include "report/runreport.h"
#include "uifixture.h"

#include <QLineSeries>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace t2i;
using namespace t2i::ui;
using t2i::test::FixtureDatabase;
using t2i::test::FixtureRun;

class TestRunDetailPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        m_db = std::make_unique<FixtureDatabase>();
        for (const FixtureRun& run : FixtureDatabase::threeRuns())
            m_db->add(run);
        // nvidia-smi's samples of two GPUs on the "fast" run, once a second from 2 s before it began.
        for (int i = 0; i < kGpuSamples; ++i)
            for (int gpu = 0; gpu < 2; ++gpu)
                m_db->store().insertGpuSample("r20260101-120100-bbbb02",
                    { 1000.0 * (i - 2), gpu, gpu == 0 ? 50.0 : 10.0 * i, 1000.0 + 100 * i, 24576.0 });
    }

    void summaryValue_data()
    {
        QTest::addColumn<QString>("runId");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("prefix");
        const QString steady = QStringLiteral("r20260101-120000-aaaa01");
        const QString cheap = QStringLiteral("r20260101-120200-cccc03");
        QTest::newRow("p50 with its interval") << steady << "p50"
                                               << "2.15 s  [";
        QTest::newRow("p95 with its interval") << steady << "p95"
                                               << "2.29 s  [";
        QTest::newRow("max is the cold start") << steady << "min – max"
                                               << "2.01 s – 8.00 s";
        QTest::newRow("measured requests") << steady << "requests"
                                           << "30";
        QTest::newRow("one cold start of 30") << steady << "cold starts"
                                              << "1  (3.3 %)";
        QTest::newRow("cold apart from warm") << steady << "cold p50"
                                              << "8.00 s";
        QTest::newRow("warm p50 of 29") << steady << "warm p50"
                                        << "2.15 s";
        QTest::newRow("queue stage p50") << steady << "queue"
                                         << "0.10 s";
        QTest::newRow("download stage p50") << steady << "download"
                                            << "0.05 s";
        QTest::newRow("errors with rate") << cheap << "errors"
                                          << "3  (10.0 %)";
        QTest::newRow("the cost names its price") << steady << "price"
                                                  << "emulator profile steady";
        QTest::newRow("platform-side latency apart") << steady << "platform-side"
                                                     << "2.09 s"; // the network's parts left out
        // uifixture.h: five calls a request, a connection opened by every tenth (seq 1, 11, 21
        // of the 30 measured), each with a 12 ms handshake; the final poll's first byte at 3 ms.
        QTest::newRow("connection reuse over the run's calls") << steady << "calls reused"
                                                               << "98.0 %  (150)";
        QTest::newRow("one TLS handshake per new connection") << steady << "TLS handshakes"
                                                              << "3  (12.0 ms each)";
        QTest::newRow("first byte beyond the platform's own time") << steady << "first byte beyond platform"
                                                                   << "3.0 ms";
        QTest::newRow("detection lag p50 and p99") << steady << "detection lag"
                                                   << "80 ms / 80 ms";
        QTest::newRow("polls and the throttled ones") << cheap << "polls (throttled)"
                                                      << "81  (2)";
    }
    void summaryValue()
    {
        QFETCH(QString, runId);
        QFETCH(QString, label);
        QFETCH(QString, prefix);
        RunDetailPage page;
        page.setDatabase(m_db->path());
        QSignalSpy loaded(&page, &RunDetailPage::loaded);
        page.showRun(runId);
        QVERIFY(loaded.wait(30000));
        const QString value = page.summaryPanel()->valueText(label);
        QVERIFY2(value.startsWith(prefix), qPrintable(label + QStringLiteral(": ") + value));
    }

    void warnsInWordsWhenCompletionsWereNoticedLateOrPollsThrottled_data()
    {
        QTest::addColumn<QString>("runId");
        QTest::addColumn<QStringList>("phrases");
        QTest::newRow("steady: nothing to say") << QStringLiteral("r20260101-120000-aaaa01") << QStringList();
        QTest::newRow("cheap: lag past the interval, throttled polls")
            << QStringLiteral("r20260101-120200-cccc03")
            << QStringList { QStringLiteral("detection lag p99 400 ms exceeds the poll interval of 250 ms"),
                   QStringLiteral("2 of 81 status polls were throttled") };
    }
    void warnsInWordsWhenCompletionsWereNoticedLateOrPollsThrottled()
    {
        QFETCH(QString, runId);
        QFETCH(QStringList, phrases);
        RunDetailPage page;
        page.setDatabase(m_db->path());
        QSignalSpy loaded(&page, &RunDetailPage::loaded);
        page.showRun(runId);
        QVERIFY(loaded.wait(30000));
        const QString text = page.summaryPanel()->warningText();
        QCOMPARE(text.isEmpty(), phrases.isEmpty());
        for (const QString& phrase : phrases)
            QVERIFY2(text.contains(phrase), qPrintable(text));
    }

    // The verdict `run` stored with the run (environment "thresholds") is shown under the numbers.
    void showsTheThresholdsVerdictStoredWithTheRun_data()
    {
        QTest::addColumn<QString>("environment");
        QTest::addColumn<QStringList>("phrases");
        QTest::newRow("no thresholds set: nothing shown") << QStringLiteral(R"({"tool": "t2ibench"})") << QStringList();
        QTest::newRow("a breached p95 is marked, a met error rate passes")
            << QStringLiteral(R"({"thresholds": {"passed": false, "checks": [
                   {"metric": "p95_ms", "limit": 1000, "value": 2345.6, "passed": false},
                   {"metric": "error_rate", "limit": 0.01, "value": 0, "passed": true}]}})")
            << QStringList { QStringLiteral("Thresholds: BREACHED"),
                   QStringLiteral("✗ p95_ms: 2345.6 ms, over the 1000 ms limit by 1345.6 ms"),
                   QStringLiteral("✓ error_rate") };
        QTest::newRow("all met") << QStringLiteral(R"({"thresholds": {"passed": true, "checks": [
                   {"metric": "p99_ms", "limit": 5000, "value": 1200, "passed": true}]}})")
                                 << QStringList { QStringLiteral("Thresholds: all passed"),
                                        QStringLiteral("✓ p99_ms: 1200 ms") };
    }
    void showsTheThresholdsVerdictStoredWithTheRun()
    {
        QFETCH(QString, environment);
        QFETCH(QStringList, phrases);
        t2i::RunReport report;
        report.run.environmentJson = environment.toStdString();
        t2i::ui::RunSummaryPanel panel;
        panel.showSummary(report);
        const QString text = panel.thresholdText();
        QCOMPARE(text.isEmpty(), phrases.isEmpty());
        for (const QString& phrase : phrases)
            QVERIFY2(text.contains(phrase), qPrintable(text));
    }

    void showsTheStoredConfigurationAndEnvironment()
    {
        RunDetailPage page;
        page.setDatabase(m_db->path());
        QSignalSpy loaded(&page, &RunDetailPage::loaded);
        page.showRun(QStringLiteral("r20260101-120100-bbbb02"));
        QVERIFY(loaded.wait(30000));
        QVERIFY2(page.configurationText().contains(QLatin1String("\"profile\": \"fast\"")),
            qPrintable(page.configurationText()));
        QCOMPARE(page.environmentValue(QStringLiteral("host")), QStringLiteral("fixture-host"));
        QCOMPARE(page.environmentValue(QStringLiteral("version")), QStringLiteral("0.1.0"));
    }

    // A local server's run has nvidia-smi samples (two GPUs here, on the "fast" run): its charts
    // get a GPU tab with one line per GPU; a run without samples has no such tab.
    void gpuChartsOnlyForARunWithGpuSamples_data()
    {
        QTest::addColumn<QString>("runId");
        QTest::addColumn<int>("gpus");
        QTest::newRow("with samples of two GPUs") << QStringLiteral("r20260101-120100-bbbb02") << 2;
        QTest::newRow("without samples") << QStringLiteral("r20260101-120000-aaaa01") << 0;
    }
    void gpuChartsOnlyForARunWithGpuSamples()
    {
        QFETCH(QString, runId);
        QFETCH(int, gpus);
        RunDetailPage page;
        page.setDatabase(m_db->path());
        QSignalSpy ready(page.charts(), &ComparisonView::ready);
        page.showRun(runId);
        QVERIFY(ready.wait(30000));
        QCOMPARE(page.charts()->showsGpuCharts(), gpus > 0);
        QCOMPARE(page.charts()->comparison()->runs.front().gpus.size(), std::size_t(gpus));
        if (gpus == 0)
            return;
        for (const charts::ChartKind kind : { charts::ChartKind::GpuUtilization, charts::ChartKind::GpuMemory }) {
            QChart* chart = page.charts()->chartView(kind)->chart();
            QVERIFY(chart);
            QCOMPARE(chart->series().size(), qsizetype(gpus));
            for (QAbstractSeries* series : chart->series()) {
                auto* line = qobject_cast<QLineSeries*>(series);
                QVERIFY(line);
                QCOMPARE(line->count(), qsizetype(kGpuSamples));
                QVERIFY2(line->name().startsWith(QLatin1String("GPU ")), qPrintable(line->name()));
            }
        }
        // GPU 1 ran at 10 x the sample's index percent, from 2 s before the workload.
        auto* gpu1 = qobject_cast<QLineSeries*>(
            page.charts()->chartView(charts::ChartKind::GpuUtilization)->chart()->series().at(1));
        QCOMPARE(gpu1->at(0), QPointF(-2.0, 0.0));
        QCOMPARE(gpu1->at(kGpuSamples - 1), QPointF(kGpuSamples - 3.0, 10.0 * (kGpuSamples - 1)));
    }

    void aMissingRunIsReportedByName()
    {
        RunDetailPage page;
        page.setDatabase(m_db->path());
        QSignalSpy error(&page, &RunDetailPage::errorOccurred);
        QSignalSpy loaded(&page, &RunDetailPage::loaded);
        page.showRun(QStringLiteral("r19990101-000000-0000"));
        QVERIFY(error.wait(30000));
        QVERIFY(error.at(0).at(0).toString().contains(QLatin1String("r19990101-000000-0000")));
        QCOMPARE(loaded.count(), 0);
    }

    void onlyTheLatestRunIsShown()
    {
        RunDetailPage page;
        page.setDatabase(m_db->path());
        QSignalSpy loaded(&page, &RunDetailPage::loaded);
        page.showRun(QStringLiteral("r20260101-120000-aaaa01"));
        page.showRun(QStringLiteral("r20260101-120200-cccc03"));
        QVERIFY(loaded.wait(30000));
        QTest::qWait(50); // a stale delivery would land now
        QCOMPARE(loaded.count(), 1);
        QVERIFY(page.summaryPanel()->valueText(QStringLiteral("p50")).startsWith(QLatin1String("3.14 s")));
    }

private:
    static constexpr int kGpuSamples = 8;
    std::unique_ptr<FixtureDatabase> m_db;
};

QTEST_MAIN(TestRunDetailPage)
#include "tst_rundetailpage.moc"
