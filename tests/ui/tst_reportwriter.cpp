// SPDX-License-Identifier: Apache-2.0
// ui/report: the PDF has the pages reportPages() plans, with their titles, and the HTML is one
// self-contained file with the same sections.
#include "chartfixture.h"
#include "report/reportwriter.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace t2i;
using namespace t2i::charts;
using namespace t2i::ui;

namespace {

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
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

class TestReportWriter : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void plannedPages_data();
    void plannedPages();
    void pdfHasThePlannedPagesAndTitles();
    void htmlIsSelfContained();
    void unknownFormatIsRefused();

private:
    QTemporaryDir m_dir;
};

void TestReportWriter::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestReportWriter::plannedPages_data()
{
    QTest::addColumn<int>("runs");
    QTest::addColumn<QStringList>("titles");
    QTest::newRow("one run: no differences page")
        << 1
        << QStringList { "Comparison of 1 runs", "Latency", "Scaling", "Cost", "Timeline", "Over time",
               "Configuration and environment: fixture · steady · sdxl" };
    QTest::newRow("three runs") << 3
                                << QStringList { "Comparison of 3 runs", "Differences against the baseline", "Latency",
                                       "Scaling", "Cost", "Timeline", "Over time",
                                       "Configuration and environment: fixture · steady · sdxl",
                                       "Configuration and environment: fixture · fast · sdxl",
                                       "Configuration and environment: fixture · cheap · sdxl" };
}

void TestReportWriter::plannedPages()
{
    QFETCH(int, runs);
    QFETCH(QStringList, titles);
    test::FixtureComparison fixture(static_cast<std::size_t>(runs));
    QStringList planned;
    for (const ReportPage& page : reportPages(*fixture.data))
        planned << page.title;
    QCOMPARE(planned, titles);
}

void TestReportWriter::pdfHasThePlannedPagesAndTitles()
{
    test::FixtureComparison fixture(3);
    const QString path = m_dir.filePath(QStringLiteral("report.pdf"));
    QString error;
    QStringList titles;
    QVERIFY2(writeReport(*fixture.data, path, {}, &error, &titles), qPrintable(error));
    const QByteArray pdf = readAll(path);
    QVERIFY(pdf.startsWith("%PDF-"));
    QCOMPARE(pdfPages(pdf), int(reportPages(*fixture.data).size()));
    QCOMPARE(titles.size(), qsizetype(pdfPages(pdf)));
    QCOMPARE(titles.at(2), QStringLiteral("Latency"));
    // Where poppler's pdftotext is installed, read each page's title back from the page itself.
    const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
    if (pdftotext.isEmpty()) {
        qInfo("pdftotext not installed: page titles checked from the writer only");
        return;
    }
    for (qsizetype page = 0; page < titles.size(); ++page) {
        QProcess p;
        p.start(pdftotext,
            { QStringLiteral("-f"), QString::number(page + 1), QStringLiteral("-l"), QString::number(page + 1), path,
                QStringLiteral("-") });
        QVERIFY(p.waitForFinished(30000));
        // Fonts set "ff" and "fi" as ligatures, which pdftotext returns as single characters.
        const QString text = QString::fromUtf8(p.readAllStandardOutput())
                                 .replace(QChar(0xFB00), QLatin1String("ff"))
                                 .replace(QChar(0xFB01), QLatin1String("fi"))
                                 .replace(QChar(0xFB02), QLatin1String("fl"))
                                 .simplified();
        QVERIFY2(text.contains(titles[page].simplified()),
            qPrintable(QStringLiteral("page %1: %2").arg(page + 1).arg(titles[page])));
        QVERIFY(text.contains(QStringLiteral("page %1 of %2").arg(page + 1).arg(titles.size())));
    }
}

void TestReportWriter::htmlIsSelfContained()
{
    test::FixtureComparison fixture(2);
    const QString path = m_dir.filePath(QStringLiteral("report.html"));
    QString error;
    QStringList titles;
    QVERIFY2(writeReport(*fixture.data, path, {}, &error, &titles), qPrintable(error));
    const QString html = QString::fromUtf8(readAll(path));
    QVERIFY(html.startsWith(QLatin1String("<!DOCTYPE html>")));
    for (const QString& title : titles)
        QVERIFY2(html.contains(QLatin1Char('>') + title.toHtmlEscaped() + QLatin1String("</h")), qPrintable(title));
    // Latency 4, scaling 2, cost 2, one timeline per run, over time 4.
    QCOMPARE(html.count(QLatin1String("src=\"data:image/png;base64,")), 4 + 2 + 2 + 2 + 4);
    QVERIFY(!html.contains(QLatin1String("src=\"http")));
    QVERIFY(!html.contains(QLatin1String("href=\"http")));
    QVERIFY(html.contains(QStringLiteral("significant")));
}

void TestReportWriter::unknownFormatIsRefused()
{
    test::FixtureComparison fixture(1);
    QString error;
    QVERIFY(!writeReport(*fixture.data, m_dir.filePath(QStringLiteral("report.docx")), {}, &error));
    QVERIFY(error.contains(QLatin1String(".pdf or .html")));
    QVERIFY(!writeReport(*fixture.data, m_dir.filePath(QStringLiteral("missing/dir/report.pdf")), {}, &error));
    QVERIFY(error.contains(QLatin1String("cannot write")));
}

QTEST_MAIN(TestReportWriter)
#include "tst_reportwriter.moc"
