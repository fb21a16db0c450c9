// SPDX-License-Identifier: Apache-2.0
// The report of studies: writeStudyReport's HTML holds each study's answer, findings, table
// cells, one image per chart, notes and runs, and a failed study's message; the PDF is a real
// PDF of the same sections; `t2ibench-cli report --study` writes it headless and refuses bad
// requests with the documented exit codes.
#include "report/studyreport.h"
#include "studyfixture.h"

#include "store/store.h"

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

using namespace t2i;
using namespace t2i::ui;

namespace {

struct Cli {
    int exitCode = -1;
    QString out, err;
};

Cli runCli(const QStringList& arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY")); // the command must not need one
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    process.setProcessEnvironment(env);
    process.start(
        qEnvironmentVariable("T2IBENCH_BIN_DIR", QStringLiteral("bin")) + QStringLiteral("/t2ibench-cli"), arguments);
    Cli cli;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        return cli;
    }
    cli.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    cli.out = QString::fromUtf8(process.readAllStandardOutput());
    cli.err = QString::fromUtf8(process.readAllStandardError());
    return cli;
}

QString readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

class TestStudyReport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        m_db = std::make_unique<test::FixtureDatabase>();
        test::addFixtureStudies(*m_db);
        for (const char* id : { test::kCompletedStudy, test::kFailedStudy })
            m_studies.append(studyRowOf(*m_db->store().findStudy(id)));
        m_html = QFileInfo(m_db->path()).absolutePath() + QStringLiteral("/studies.html");
        QString error;
        QStringList sections;
        QVERIFY2(writeStudyReport(m_studies, m_html, {}, &error, &sections), qPrintable(error));
        QCOMPARE(sections,
            QStringList(
                { QStringLiteral("Cold start — steady / sdxl"), QStringLiteral("Cold start — steady / sdxl") }));
        m_text = readAll(m_html);
    }

    void theHtmlHoldsTheStudy_data()
    {
        QTest::addColumn<QString>("expected");
        QTest::newRow("the answer") << test::kStudyAnswer;
        QTest::newRow("a finding with its interval") << "<td>6.00 s (5.90-6.10)</td>";
        QTest::newRow("the table's title") << "<h3>Cold and warm latency</h3>";
        QTest::newRow("a table header") << "<th>p50</th>";
        QTest::newRow("a table cell") << "<td>29</td>";
        QTest::newRow("a note") << "One worker only: the platform was idle before each cold request.";
        QTest::newRow("the run it made") << "<td>r20260101-120000-aaaa01</td>";
        QTest::newRow("the failed study's message") << test::kStudyFailure;
        QTest::newRow("a chart, embedded") << "alt=\"Latency against idle time\"";
    }
    void theHtmlHoldsTheStudy()
    {
        QFETCH(QString, expected);
        QVERIFY2(m_text.contains(expected), qPrintable(expected));
    }

    void everyChartIsAnEmbeddedImage()
    {
        QCOMPARE(m_text.count(QStringLiteral("src=\"data:image/png;base64,")), 3);
        QVERIFY(!m_text.contains(QStringLiteral("http://")) && !m_text.contains(QStringLiteral("https://")));
    }

    void writesAPdf()
    {
        const QString pdf = QFileInfo(m_db->path()).absolutePath() + QStringLiteral("/studies.pdf");
        QString error;
        QVERIFY2(writeStudyReport(m_studies, pdf, {}, &error), qPrintable(error));
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(5) == "%PDF-");
    }

    void theCliWritesIt()
    {
        const QString out = QFileInfo(m_db->path()).absolutePath() + QStringLiteral("/cli.html");
        const Cli cli = runCli(
            { QStringLiteral("report"), QStringLiteral("--study"), QStringLiteral("s20260101-1300,s20260101-1301"),
                QStringLiteral("--db"), m_db->path(), QStringLiteral("--out"), out });
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        QVERIFY2(cli.out.contains(QStringLiteral("2 studies")), qPrintable(cli.out));
        const QString html = readAll(out);
        QVERIFY(html.contains(QString::fromLatin1(test::kStudyAnswer)));
        QVERIFY(html.contains(QStringLiteral("<td>2.15 s</td>")));
    }

    void theCliRefusesBadRequests_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("runs and studies together")
            << QStringList { QStringLiteral("r20260101"), QStringLiteral("--study"), QStringLiteral("s2026") } << 2
            << "not both";
        QTest::newRow("no such study") << QStringList { QStringLiteral("--study"), QStringLiteral("s1999") } << 1
                                       << "no study \"s1999\"";
        QTest::newRow("an ambiguous prefix")
            << QStringList { QStringLiteral("--study"), QStringLiteral("s2026") } << 1 << "several start with it";
        QTest::newRow("an empty list") << QStringList { QStringLiteral("--study"), QStringLiteral(",") } << 2
                                       << "--study needs";
    }
    void theCliRefusesBadRequests()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const QString out = QFileInfo(m_db->path()).absolutePath() + QStringLiteral("/refused.html");
        const Cli cli = runCli(QStringList { QStringLiteral("report") } + arguments
            + QStringList { QStringLiteral("--db"), m_db->path(), QStringLiteral("--out"), out });
        QCOMPARE(cli.exitCode, exitCode);
        QVERIFY2(cli.err.contains(message), qPrintable(cli.err));
        QVERIFY(!QFileInfo::exists(out));
    }

private:
    std::unique_ptr<test::FixtureDatabase> m_db;
    QList<StudyRow> m_studies;
    QString m_html;
    QString m_text;
};

QTEST_MAIN(TestStudyReport)
#include "tst_studyreport.moc"
