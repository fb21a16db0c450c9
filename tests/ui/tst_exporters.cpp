// SPDX-License-Identifier: Apache-2.0
// ui/charts/chartexporter: a PNG of the asked size and resolution, an SVG that parses, a
// one-page PDF, the CSV behind the chart, and clear errors for what cannot be written.
#include "chartfixture.h"
#include "charts/chartexporter.h"

#include <QFile>
#include <QImage>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace t2i;
using namespace t2i::charts;
using namespace t2i::ui;

namespace {

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Page objects of a PDF: "/Type /Page" not followed by "s" (that is the page tree).
int pdfPages(const QByteArray& pdf)
{
    int pages = 0;
    for (qsizetype at = pdf.indexOf("/Type /Page"); at >= 0; at = pdf.indexOf("/Type /Page", at + 1))
        if (at + 11 >= pdf.size() || pdf[at + 11] != 's')
            ++pages;
    return pages;
}

} // namespace

class TestExporters : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void pngHasTheAskedSizeAndResolution_data();
    void pngHasTheAskedSizeAndResolution();
    void pngIsNotBlank();
    void svgParses_data();
    void svgParses();
    void pdfIsOnePage();
    void csvIsTheDataBehindTheChart();
    void badRequestsSayWhatIsWrong();

private:
    std::unique_ptr<test::FixtureComparison> m_fixture;
    QTemporaryDir m_dir;
};

void TestExporters::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_fixture = std::make_unique<test::FixtureComparison>(2);
}

void TestExporters::pngHasTheAskedSizeAndResolution_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QSize>("pixels");
    QTest::addColumn<double>("dpi");
    QTest::newRow("ECDF for a slide, 1600x1000 at 192 dpi") << int(ChartKind::Ecdf) << QSize(1600, 1000) << 192.0;
    QTest::newRow("histogram for print, 2400x1500 at 300 dpi")
        << int(ChartKind::Histogram) << QSize(2400, 1500) << 300.0;
    QTest::newRow("timeline, small, 640x400 at 96 dpi") << int(ChartKind::Timeline) << QSize(640, 400) << 96.0;
}

void TestExporters::pngHasTheAskedSizeAndResolution()
{
    QFETCH(int, kind);
    QFETCH(QSize, pixels);
    QFETCH(double, dpi);
    const QString path = m_dir.filePath(QStringLiteral("chart-%1.png").arg(QTest::currentDataTag()).replace(' ', '_'));
    QString error;
    PngOptions png { pixels, dpi };
    QVERIFY2(exportChart(*m_fixture->data, ChartKind(kind), {}, path, png, &error), qPrintable(error));
    QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), pixels);
    QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), qRound(dpi));
    QCOMPARE(qRound(image.dotsPerMeterY() * 0.0254), qRound(dpi));
}

void TestExporters::pngIsNotBlank()
{
    const QString path = m_dir.filePath(QStringLiteral("ink.png"));
    QString error;
    QVERIFY2(exportChart(*m_fixture->data, ChartKind::ScalingThroughput, {}, path, {}, &error), qPrintable(error));
    QImage image(path);
    // Axes, labels and two runs' curves: far more than a handful of non-white pixels, and the
    // first run's colour among them.
    const QColor first = ChartPalette().run(0);
    int ink = 0;
    bool runColour = false;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QColor c = image.pixelColor(x, y);
            ink += c != QColor(Qt::white) ? 1 : 0;
            runColour = runColour
                || (std::abs(c.red() - first.red()) < 8 && std::abs(c.green() - first.green()) < 8
                    && std::abs(c.blue() - first.blue()) < 8);
        }
    QVERIFY(ink > 2000);
    QVERIFY(runColour);
}

void TestExporters::svgParses_data()
{
    QTest::addColumn<int>("kind");
    for (const ChartKind k : { ChartKind::Histogram, ChartKind::Ecdf, ChartKind::BoxPlot, ChartKind::Stages,
             ChartKind::CostStack, ChartKind::Timeline, ChartKind::Workers })
        QTest::newRow(chartSlug(k)) << int(k);
}

void TestExporters::svgParses()
{
    QFETCH(int, kind);
    const QString path = m_dir.filePath(QString::fromLatin1(chartSlug(ChartKind(kind))) + QStringLiteral(".svg"));
    QString error;
    QVERIFY2(exportChart(*m_fixture->data, ChartKind(kind), {}, path, {}, &error), qPrintable(error));
    const QByteArray svg = readAll(path);
    QXmlStreamReader xml(svg);
    bool sawSvg = false;
    int texts = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("svg"))
            sawSvg = true;
        if (xml.isStartElement() && xml.name() == QLatin1String("text"))
            ++texts;
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(sawSvg);
    QVERIFY(texts > 5); // title, axis titles and labels are text, not paths
    QSvgRenderer renderer(svg);
    QVERIFY(renderer.isValid());
    QCOMPARE(renderer.viewBoxF(), QRectF(QPointF(0, 0), kDefaultChartSize));
}

void TestExporters::pdfIsOnePage()
{
    const QString path = m_dir.filePath(QStringLiteral("chart.pdf"));
    QString error;
    QVERIFY2(exportChart(*m_fixture->data, ChartKind::CostVsP95, {}, path, {}, &error), qPrintable(error));
    const QByteArray pdf = readAll(path);
    QVERIFY(pdf.startsWith("%PDF-"));
    QCOMPARE(pdfPages(pdf), 1);
}

void TestExporters::csvIsTheDataBehindTheChart()
{
    const QString path = m_dir.filePath(QStringLiteral("stages.csv"));
    QString error;
    QVERIFY2(exportChart(*m_fixture->data, ChartKind::Stages, {}, path, {}, &error), qPrintable(error));
    const QList<QByteArray> lines = readAll(path).trimmed().split('\n');
    QCOMPARE(lines.size(), qsizetype(3)); // header and one row per run
    QVERIFY(lines[0].startsWith("run,requests,client_lag_ms,dns_ms,connect_ms,tls_ms,queue_ms,"));
    QVERIFY(lines[1].startsWith(QByteArray::fromStdString(m_fixture->data->runs[0].label + ",")));
    const QList<QByteArray> fields = lines[1].trimmed().split(',');
    QCOMPARE(fields.last().toDouble(), m_fixture->data->runs[0].stages.meanLatency);
}

void TestExporters::badRequestsSayWhatIsWrong()
{
    QString error;
    QVERIFY(
        !exportChart(*m_fixture->data, ChartKind::Ecdf, {}, m_dir.filePath(QStringLiteral("chart.gif")), {}, &error));
    QVERIFY2(error.contains(QLatin1String("gif")) && error.contains(QLatin1String(".png")), qPrintable(error));
    PngOptions huge { QSize(50000, 100), 96 };
    QVERIFY(
        !exportChart(*m_fixture->data, ChartKind::Ecdf, {}, m_dir.filePath(QStringLiteral("huge.png")), huge, &error));
    QVERIFY2(error.contains(QLatin1String("50000x100")), qPrintable(error));
    const QString nowhere = m_dir.filePath(QStringLiteral("no/such/folder/chart.svg"));
    QVERIFY(!exportChart(*m_fixture->data, ChartKind::Ecdf, {}, nowhere, {}, &error));
    QVERIFY2(error.contains(nowhere), qPrintable(error));
    QVERIFY(!exportChart(
        *m_fixture->data, ChartKind::Ecdf, {}, m_dir.filePath(QStringLiteral("no/such/chart.pdf")), {}, &error));
    QVERIFY(error.contains(QLatin1String("cannot write")));
}

QTEST_MAIN(TestExporters)
#include "tst_exporters.moc"
