// SPDX-License-Identifier: Apache-2.0
// `t2ibench-cli report`: the real binary writes the comparison report headless, with the pages
// the dashboard's report has, and refuses bad requests with the documented exit codes.
#include "report/reportwriter.h"
#include "uifixture.h"

#include "charts/comparisonload.h"

#include <QFile>
#include <QProcess>
#include <QTest>

using namespace t2i;

namespace {

struct Cli {
    int exitCode = -1;
    QString out, err;
};

Cli runCli(const QStringList& arguments)
{
    const QString bin = qEnvironmentVariable("T2IBENCH_BIN_DIR", QStringLiteral("bin"));
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY")); // the command must not need one
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    process.setProcessEnvironment(env);
    process.start(bin + QStringLiteral("/t2ibench-cli"), arguments);
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

int pdfPages(const QByteArray& pdf)
{
    int pages = 0;
    for (qsizetype at = pdf.indexOf("/Type /Page"); at >= 0; at = pdf.indexOf("/Type /Page", at + 1))
        if (at + 11 >= pdf.size() || pdf[at + 11] != 's')
            ++pages;
    return pages;
}

} // namespace

class TestCliReport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void writesThePdfOfTwoRuns();
    void writesTheHtml();
    void refusesBadRequests_data();
    void refusesBadRequests();

private:
    std::unique_ptr<test::FixtureDatabase> m_db;
    QStringList m_ids;
};

void TestCliReport::initTestCase()
{
    m_db = std::make_unique<test::FixtureDatabase>();
    for (const test::FixtureRun& run : test::FixtureDatabase::threeRuns()) {
        m_db->add(run);
        m_ids << QString::fromStdString(run.id);
    }
}

void TestCliReport::writesThePdfOfTwoRuns()
{
    const QString out = QFileInfo(m_db->path()).absolutePath() + QStringLiteral("/two.pdf");
    // Prefixes work as everywhere else in the CLI.
    const Cli cli = runCli({ QStringLiteral("report"), m_ids[0], m_ids[1].left(20), QStringLiteral("--db"),
        m_db->path(), QStringLiteral("--out"), out });
    QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
    QVERIFY(cli.out.contains(QStringLiteral("wrote ") + out));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray pdf = file.readAll();
    const auto data
        = charts::loadComparison(m_db->path().toStdString(), { m_ids[0].toStdString(), m_ids[1].toStdString() });
    const auto pages = ui::reportPages(data);
    QCOMPARE(pdfPages(pdf), int(pages.size()));
    QVERIFY(cli.out.contains(QStringLiteral("(%1 pages, 2 runs)").arg(pages.size())));
    // The pages that show the latency, scaling, cost and timeline charts are all there.
    QStringList titles;
    for (const ui::ReportPage& page : pages)
        titles << page.title;
    for (const char* expected : { "Latency", "Scaling", "Cost", "Timeline" })
        QVERIFY2(titles.contains(QLatin1String(expected)), expected);
}

void TestCliReport::writesTheHtml()
{
    const QString out = QFileInfo(m_db->path()).absolutePath() + QStringLiteral("/three.html");
    const Cli cli = runCli({ QStringLiteral("report"), m_ids[0], m_ids[1], m_ids[2], QStringLiteral("--db"),
        m_db->path(), QStringLiteral("--out"), out });
    QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("data:image/png;base64,"));
}

void TestCliReport::refusesBadRequests_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no run") << QStringList { "report", "--out", "x.pdf" } << 2 << "1 to 8 RUNs";
    QTest::newRow("no --out") << QStringList { "report", "r1" } << 2 << "--out FILE.pdf";
    QTest::newRow("unknown format") << QStringList { "report", "r1", "--out", "x.docx" } << 2 << "--out FILE.pdf";
    QTest::newRow("unknown run") << QStringList { "report", "r-nope", "--out", "x.pdf" } << 1 << "r-nope";
}

void TestCliReport::refusesBadRequests()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    arguments << QStringLiteral("--db") << m_db->path();
    const Cli cli = runCli(arguments);
    QCOMPARE(cli.exitCode, exitCode);
    QVERIFY2(cli.err.contains(message), qPrintable(cli.err));
}

QTEST_GUILESS_MAIN(TestCliReport)
#include "tst_clireport.moc"
