// SPDX-License-Identifier: Apache-2.0
// ui/charts: each chart builder's series hold the comparison's values for the fixture library,
// every run keeps its colour and its label, series stay bounded, and ChartView's tooltips give
// exact values.
#include "chartfixture.h"
#include "charts/chartbuilders.h"
#include "charts/chartview.h"
#include "charts/palette.h"
#include "charts/segmentsitem.h"

#include <QAreaSeries>
#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChartView>
#include <QHorizontalStackedBarSeries>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QTest>
#include <QValueAxis>

using namespace t2i;
using namespace t2i::charts;
using namespace t2i::ui;

namespace {

template <typename T> QList<T*> seriesOf(QChart* chart)
{
    QList<T*> out;
    for (QAbstractSeries* s : chart->series())
        if (auto* t = qobject_cast<T*>(s))
            out.append(t);
    return out;
}

// The legend as a reader sees it: the chart laid out in a view, hidden markers left out.
QStringList legendLabels(QChart* chart)
{
    QChartView view(chart);
    view.resize(800, 500);
    view.show();
    QCoreApplication::processEvents();
    QStringList labels;
    for (QLegendMarker* marker : chart->legend()->markers())
        if (marker->isVisible())
            labels << marker->label();
    view.setChart(new QChart); // hand the chart back to its owner: the view deletes only its own
    chart->setParent(nullptr);
    return labels;
}

// What legends and series names show: the parts of the label that differ between runs.
QString label(const ComparisonData& data, std::size_t run)
{
    return QString::fromStdString(data.runs[run].legend);
}

} // namespace

class TestChartBuilders : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void everyChartIsBoundedAndNeverOpenGl_data();
    void everyChartIsBoundedAndNeverOpenGl();
    void histogramHoldsEachRunsBins();
    void histogramAxisFollowsLogSetting();
    void ecdfHoldsPointsBandAndMarkers();
    void boxPlotHoldsTukeyStats();
    void stagesAddUpPerRun();
    void scalingHoldsLevelsAndKnee();
    void costChartsFollowTheCostModel();
    void costChartsSayWhileTheCostsAreComputed();
    void timelineDrawsTheRunsSegments();
    void timeSeriesOnePerRun();
    void gpuChartsSideBySide();
    void runColoursAreFixedAcrossCharts();
    void darkPaletteChangesBackgroundNotRunOrder();
    void tooltipsGiveExactValues();

private:
    std::unique_ptr<test::FixtureComparison> m_fixture;
    const ComparisonData& data() const { return *m_fixture->data; }
};

void TestChartBuilders::initTestCase()
{
    m_fixture = std::make_unique<test::FixtureComparison>();
}

void TestChartBuilders::everyChartIsBoundedAndNeverOpenGl_data()
{
    QTest::addColumn<int>("kind");
    for (int k = 0; k <= int(ChartKind::Throughput); ++k)
        QTest::newRow(chartSlug(ChartKind(k))) << k;
}

void TestChartBuilders::everyChartIsBoundedAndNeverOpenGl()
{
    QFETCH(int, kind);
    std::unique_ptr<QChart> chart(buildChart(data(), ChartKind(kind)));
    QVERIFY(!chart->title().isEmpty());
    QCOMPARE(chart->property("t2iChartKind").toInt(), kind);
    QVERIFY(!chart->axes().isEmpty());
    for (QAbstractSeries* s : chart->series()) {
        QVERIFY2(!s->useOpenGL(), qPrintable(s->name()));
        if (auto* xy = qobject_cast<QXYSeries*>(s))
            QVERIFY2(xy->count() <= 2 * int(kMaxEcdfPoints) + 2, qPrintable(s->name()));
    }
}

void TestChartBuilders::histogramHoldsEachRunsBins()
{
    ChartOptions o;
    std::unique_ptr<QChart> chart(buildChart(data(), ChartKind::Histogram, o));
    const auto areas = seriesOf<QAreaSeries>(chart.get());
    QCOMPARE(areas.size(), qsizetype(3));
    const HistogramBins& bins = data().bins[1][0];
    for (std::size_t r = 0; r < 3; ++r) {
        QCOMPARE(areas[qsizetype(r)]->name(), label(data(), r));
        const QList<QPointF> outline = areas[qsizetype(r)]->upperSeries()->points();
        const Histogram& h = data().runs[r].histogram[1][0];
        QCOMPARE(outline.size(), qsizetype(2 * h.counts.size() + 2));
        for (std::size_t i = 0; i < h.counts.size(); ++i) {
            QCOMPARE(outline[qsizetype(2 * i + 1)], QPointF(bins.edges[i], h.percent[i]));
            QCOMPARE(outline[qsizetype(2 * i + 2)], QPointF(bins.edges[i + 1], h.percent[i]));
        }
    }
    QCOMPARE(legendLabels(chart.get()), (QStringList { label(data(), 0), label(data(), 1), label(data(), 2) }));
}

void TestChartBuilders::histogramAxisFollowsLogSetting()
{
    ChartOptions o;
    o.logLatency = true;
    std::unique_ptr<QChart> logChart(buildChart(data(), ChartKind::Histogram, o));
    QVERIFY(qobject_cast<QLogValueAxis*>(logChart->axes(Qt::Horizontal).value(0)));
    o.logLatency = false;
    std::unique_ptr<QChart> linear(buildChart(data(), ChartKind::Histogram, o));
    QVERIFY(qobject_cast<QValueAxis*>(linear->axes(Qt::Horizontal).value(0)));
    QCOMPARE(seriesOf<QAreaSeries>(linear.get()).first()->upperSeries()->count(),
        qsizetype(2 * data().runs[0].histogram[0][0].counts.size() + 2));
    QVERIFY(linear->axes(Qt::Horizontal).value(0)->titleText().contains(QLatin1String("(ms)")));
}

void TestChartBuilders::ecdfHoldsPointsBandAndMarkers()
{
    std::unique_ptr<QChart> chart(buildChart(data(), ChartKind::Ecdf));
    const auto lines = seriesOf<QLineSeries>(chart.get());
    for (std::size_t r = 0; r < 3; ++r) {
        const Ecdf& e = data().runs[r].ecdf[0];
        const auto curve
            = std::find_if(lines.begin(), lines.end(), [&](QLineSeries* s) { return s->name() == label(data(), r); });
        QVERIFY(curve != lines.end());
        QCOMPARE((*curve)->count(), qsizetype(e.points.size() + 1)); // starts on the axis
        QCOMPARE((*curve)->at(0), QPointF(e.points[0].x, 0));
        QCOMPARE((*curve)->at(1), QPointF(e.points[0].x, e.points[0].y * 100));
        QCOMPARE((*curve)->points().last().y(), 100.0);
        const auto dots = std::find_if(lines.begin(), lines.end(), [&](QLineSeries*) { return false; });
        Q_UNUSED(dots);
    }
    const auto scatters = seriesOf<QScatterSeries>(chart.get());
    QCOMPARE(scatters.size(), qsizetype(3));
    for (std::size_t r = 0; r < 3; ++r) {
        const Ecdf& e = data().runs[r].ecdf[0];
        QCOMPARE(scatters[qsizetype(r)]->at(0), QPointF(e.p50, 50));
        QCOMPARE(scatters[qsizetype(r)]->at(1), QPointF(e.p95, 95));
        QCOMPARE(e.p50, data().runs[r].summary.latency.p50); // the marker is the table's number
    }
    const auto bands = seriesOf<QAreaSeries>(chart.get());
    QCOMPARE(bands.size(), qsizetype(3));
    const Ecdf& e0 = data().runs[0].ecdf[0];
    QCOMPARE(bands[0]->upperSeries()->at(1).y(), std::min(1.0, e0.points[0].y + e0.dkwEpsilon) * 100);
    QCOMPARE(bands[0]->lowerSeries()->at(1).y(), std::max(0.0, e0.points[0].y - e0.dkwEpsilon) * 100);
    // One legend entry per run, nothing else.
    QCOMPARE(legendLabels(chart.get()).size(), qsizetype(3));
}

void TestChartBuilders::boxPlotHoldsTukeyStats()
{
    std::unique_ptr<QChart> chart(buildChart(data(), ChartKind::BoxPlot));
    const auto boxes = seriesOf<QBoxPlotSeries>(chart.get());
    QCOMPARE(boxes.size(), qsizetype(3));
    for (std::size_t r = 0; r < 3; ++r) {
        QCOMPARE(boxes[qsizetype(r)]->name(), label(data(), r));
        QCOMPARE(boxes[qsizetype(r)]->count(), 3);
        const BoxStats& warm = data().runs[r].box[index(Population::Warm)];
        QBoxSet* set = boxes[qsizetype(r)]->boxSets().at(1);
        QCOMPARE(set->at(QBoxSet::LowerExtreme), warm.lowerWhisker);
        QCOMPARE(set->at(QBoxSet::LowerQuartile), warm.q1);
        QCOMPARE(set->at(QBoxSet::Median), warm.median);
        QCOMPARE(set->at(QBoxSet::UpperQuartile), warm.q3);
        QCOMPARE(set->at(QBoxSet::UpperExtreme), warm.upperWhisker);
    }
}

void TestChartBuilders::stagesAddUpPerRun()
{
    std::unique_ptr<QChart> chart(buildChart(data(), ChartKind::Stages));
    const auto bars = seriesOf<QHorizontalStackedBarSeries>(chart.get());
    QCOMPARE(bars.size(), qsizetype(1));
    // The network's parts sit among the stages in the order a request lives them; "other" is
    // zero for every fixture run, so it leaves the chart and its legend.
    QStringList names;
    for (QBarSet* set : bars[0]->barSets())
        names << set->label();
    QCOMPARE(names,
        (QStringList {
            "client lag", "DNS", "connect", "TLS", "queue", "cold start", "execution", "transfer", "download" }));
    for (std::size_t r = 0; r < 3; ++r) {
        const StageStack& s = data().runs[r].stages;
        const double parts[]
            = { s.clientLag, s.dns, s.connect, s.tls, s.queue, s.coldStart, s.execution, s.transfer, s.download };
        for (int i = 0; i < 9; ++i) // bars top down: the baseline is the last category
            QCOMPARE(bars[0]->barSets().at(i)->at(int(2 - r)), parts[i]);
        // The network's means, worked out from the fixture's definition (uifixture.h): every
        // tenth request opens a connection; each has 1 + 8 ms of transfer; the downloads reuse
        // a connection, so their 50 ms stay whole.
        std::size_t ok = 0, opening = 0;
        for (const RequestRecord& rec : test::fixtureRecords(m_fixture->runs[r]))
            if (rec.step >= 0 && rec.ok) {
                ++ok;
                opening += rec.seq % test::kFixtureNetwork.connectEvery == 1 ? 1 : 0;
            }
        const double share = double(opening) / double(ok);
        QVERIFY(opening > 0);
        QCOMPARE(s.dns, test::kFixtureNetwork.dnsMs * share);
        QCOMPARE(s.connect, test::kFixtureNetwork.connectMs * share);
        QCOMPARE(s.tls, test::kFixtureNetwork.tlsMs * share);
        QCOMPARE(s.transfer, test::kFixtureNetwork.submitTransferMs + test::kFixtureNetwork.finalTransferMs);
        QCOMPARE(s.download, 50.0);
        // The fixture's stages fill its latency: nothing is left for "other", and the bar is the
        // mean latency plus the half-millisecond client lag they overlap.
        QCOMPARE(s.other, 0.0);
        double sum = 0;
        for (double part : parts)
            sum += part;
        QVERIFY(std::fabs(sum - s.meanLatency - 0.5) < 1e-6);
    }
    QCOMPARE(bars[0]->barSets().at(4)->at(2), 100.0 * 29 / 30); // 29 warm requests queue 100 ms
}

void TestChartBuilders::scalingHoldsLevelsAndKnee()
{
    std::unique_ptr<QChart> chart(buildChart(data(), ChartKind::ScalingThroughput));
    const auto lines = seriesOf<QLineSeries>(chart.get());
    QCOMPARE(lines.size(), qsizetype(3));
    for (std::size_t r = 0; r < 3; ++r) {
        const ScalingCurve& c = data().runs[r].scaling;
        QCOMPARE(c.points.size(), std::size_t { 3 }); // the fixture sweeps concurrency 1, 2, 4
        QCOMPARE(lines[qsizetype(r)]->count(), qsizetype(3));
        for (std::size_t i = 0; i < 3; ++i)
            QCOMPARE(lines[qsizetype(r)]->at(qsizetype(i)), QPointF(c.points[i].offered, c.points[i].achievedIps));
        QCOMPARE(c.points[2].offered, 4.0);
    }
    std::unique_ptr<QChart> p95(buildChart(data(), ChartKind::ScalingP95));
    const auto p95Lines = seriesOf<QLineSeries>(p95.get());
    QCOMPARE(p95Lines[0]->at(0).y(), data().runs[0].scaling.points[0].p95);
    // A knee, where the rule finds one, is a ring on the curve at that level.
    std::size_t knees = 0;
    for (const RunChartData& run : data().runs)
        knees += run.scaling.knee ? 1 : 0;
    // A ring per knee, and one legend key for all of them.
    QCOMPARE(std::size_t(seriesOf<QScatterSeries>(chart.get()).size()), knees + (knees > 0 ? 1 : 0));
}

void TestChartBuilders::costChartsFollowTheCostModel()
{
    std::unique_ptr<QChart> stack(buildChart(data(), ChartKind::CostStack));
    const auto bars = seriesOf<QHorizontalStackedBarSeries>(stack.get());
    QCOMPARE(bars.size(), qsizetype(1));
    for (std::size_t r = 0; r < 3; ++r) {
        double sum = 0;
        for (QBarSet* set : bars[0]->barSets())
            sum += set->at(int(2 - r)); // top down: the baseline is the last category
        const CostStack& cost = data().runs[r].cost;
        QVERIFY2(std::fabs(sum - (cost.available ? cost.total : 0.0)) < 1e-9 * std::max(1.0, cost.total),
            qPrintable(label(data(), r)));
    }
    std::unique_ptr<QChart> pareto(buildChart(data(), ChartKind::CostVsP95));
    std::size_t priced = 0;
    for (const RunChartData& run : data().runs)
        priced += run.cost.available ? 1 : 0;
    QCOMPARE(std::size_t(seriesOf<QScatterSeries>(pareto.get()).size()), priced);
}

void TestChartBuilders::costChartsSayWhileTheCostsAreComputed()
{
    // What the dashboard shows between the charts and the costs (loadComparison's chartsReady):
    // no run has a cost yet, which must not read as "no run has a price".
    ComparisonData pending = data();
    pending.costsComputed = false;
    for (RunChartData& run : pending.runs) {
        run.cost = CostStack {};
        run.cost.why = "the cost is being computed";
    }
    pending.paretoFront.clear();
    for (const ChartKind kind : { ChartKind::CostStack, ChartKind::CostVsP95 }) {
        std::unique_ptr<QChart> chart(buildChart(pending, kind));
        QVERIFY2(chart->title().contains("computing"), qPrintable(chart->title()));
        QVERIFY2(!chart->title().contains("no run has"), qPrintable(chart->title()));
    }
    // Once computed, a library without prices says so.
    pending.costsComputed = true;
    std::unique_ptr<QChart> stack(buildChart(pending, ChartKind::CostStack));
    QVERIFY2(stack->title().contains("no run has a price"), qPrintable(stack->title()));
}

void TestChartBuilders::timelineDrawsTheRunsSegments()
{
    ChartOptions o;
    o.run = 1;
    std::unique_ptr<QChart> chart(buildChart(data(), ChartKind::Timeline, o));
    SegmentsItem* item = nullptr;
    for (QGraphicsItem* child : chart->childItems())
        if (auto* s = dynamic_cast<SegmentsItem*>(child))
            item = s;
    QVERIFY(item);
    QCOMPARE(item->segments().size(), data().runs[1].timeline.segments.size());
    QVERIFY(chart->title().contains(label(data(), 1).toHtmlEscaped()));
    // The legend names the stages that occur: the fixture's requests queue, execute, download.
    const QStringList legend = legendLabels(chart.get());
    QVERIFY(legend.contains(QStringLiteral("queue")));
    QVERIFY(legend.contains(QStringLiteral("execution")));
    QVERIFY(legend.contains(QStringLiteral("cold start")));
}

void TestChartBuilders::timeSeriesOnePerRun()
{
    for (const ChartKind kind : { ChartKind::InFlight, ChartKind::Errors, ChartKind::Throughput }) {
        std::unique_ptr<QChart> chart(buildChart(data(), kind));
        const auto lines = seriesOf<QLineSeries>(chart.get());
        QCOMPARE(lines.size(), qsizetype(3));
        QCOMPARE(lines[2]->name(), label(data(), 2));
    }
    std::unique_ptr<QChart> errors(buildChart(data(), ChartKind::Errors));
    // A staircase: each interval's count appears at its start and again at its end.
    const QList<QPointF> steps = seriesOf<QLineSeries>(errors.get())[2]->points();
    double failed = 0;
    for (qsizetype i = 0; i < steps.size(); i += 2)
        failed += steps[i].y();
    QCOMPARE(failed, 3.0); // the "cheap" fixture run fails its last three requests
    std::unique_ptr<QChart> workers(buildChart(data(), ChartKind::Workers));
    QCOMPARE(seriesOf<QLineSeries>(workers.get()).size(), qsizetype(6)); // running and queue, per run
}

// Compare: each run's GPUs in the run's colour, named "<run> · GPU n", told apart by the dash; a
// run without samples draws nothing; no samples at all keep the axes and say why.
void TestChartBuilders::gpuChartsSideBySide()
{
    ComparisonData gpus = data();
    for (std::size_t r : { std::size_t { 0 }, std::size_t { 2 } })
        for (int g = 0; g < 2; ++g)
            gpus.runs[r].gpus.push_back(
                { g, { { -1, 10.0 * g }, { 0, 50 }, { 3, 90 } }, { { -1, 1000 }, { 3, 2000.0 + r } }, 24576 });
    const ChartPalette palette;
    for (const ChartKind kind : { ChartKind::GpuUtilization, ChartKind::GpuMemory }) {
        std::unique_ptr<QChart> chart(buildChart(gpus, kind));
        const auto lines = seriesOf<QLineSeries>(chart.get());
        QCOMPARE(lines.size(), qsizetype(4)); // two GPUs of runs 0 and 2; run 1 has none
        QCOMPARE(lines[2]->name(), label(gpus, 2) + QStringLiteral(" · GPU 0"));
        QCOMPARE(lines[3]->name(), label(gpus, 2) + QStringLiteral(" · GPU 1"));
        QCOMPARE(lines[3]->pen().color(), palette.run(2));
        QVERIFY(lines[2]->pen().style() != lines[3]->pen().style());
        QCOMPARE(lines[3]->count(), qsizetype(kind == ChartKind::GpuMemory ? 2 : 3));
        QCOMPARE(lines[3]->at(lines[3]->count() - 1).y(), kind == ChartKind::GpuMemory ? 2002.0 : 90.0);
    }
    std::unique_ptr<QChart> none(buildChart(data(), ChartKind::GpuUtilization));
    QVERIFY(none->title().contains(QLatin1String("no GPU was sampled")));
    QVERIFY(legendLabels(none.get()).isEmpty());
}

void TestChartBuilders::runColoursAreFixedAcrossCharts()
{
    const ChartPalette palette;
    std::unique_ptr<QChart> ecdf(buildChart(data(), ChartKind::Ecdf));
    std::unique_ptr<QChart> scaling(buildChart(data(), ChartKind::ScalingThroughput));
    std::unique_ptr<QChart> inFlight(buildChart(data(), ChartKind::InFlight));
    for (QChart* chart : { ecdf.get(), scaling.get(), inFlight.get() })
        for (std::size_t r = 0; r < 3; ++r) {
            const auto lines = seriesOf<QLineSeries>(chart);
            const auto it = std::find_if(
                lines.begin(), lines.end(), [&](QLineSeries* s) { return s->name() == label(data(), r); });
            QVERIFY(it != lines.end());
            QCOMPARE((*it)->pen().color(), palette.run(r));
        }
    QVERIFY(palette.run(0) != palette.run(1));
    QCOMPARE(palette.run(8), palette.run(0));
}

void TestChartBuilders::darkPaletteChangesBackgroundNotRunOrder()
{
    ChartOptions o;
    o.dark = true;
    std::unique_ptr<QChart> chart(buildChart(data(), ChartKind::InFlight, o));
    QVERIFY(chart->backgroundBrush().color().lightness() < 64);
    const ChartPalette dark { true };
    QCOMPARE(seriesOf<QLineSeries>(chart.get())[1]->pen().color(), dark.run(1));
    QVERIFY(chart->axes().first()->labelsBrush().color().lightness() > 160);
}

void TestChartBuilders::tooltipsGiveExactValues()
{
    ChartView view;
    view.resize(800, 500);
    view.showChart(m_fixture->data, ChartKind::ScalingThroughput, {});
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const auto lines = seriesOf<QLineSeries>(view.chart());
    const ScalingPoint& point = data().runs[0].scaling.points[1];
    emit lines[0]->hovered(QPointF(point.offered, point.achievedIps), true);
    QVERIFY2(view.lastTooltip().contains(QStringLiteral("concurrency 2")), qPrintable(view.lastTooltip()));
    QVERIFY(view.lastTooltip().contains(label(data(), 0).toHtmlEscaped()));
    emit lines[0]->hovered(QPointF(), false);
    QVERIFY(view.lastTooltip().isEmpty());

    view.showChart(m_fixture->data, ChartKind::Stages, {});
    const auto bars = seriesOf<QHorizontalStackedBarSeries>(view.chart());
    emit bars[0]->barSets().at(6)->hovered(true, 2); // execution, in the bottom bar: the last run
    QVERIFY(view.lastTooltip().contains(QStringLiteral("execution")));
    QVERIFY(view.lastTooltip().contains(QString::fromStdString(data().runs[0].label).toHtmlEscaped()));

    // Zoom in and reset: the axes move and come back.
    view.showChart(m_fixture->data, ChartKind::InFlight, {});
    auto* x = qobject_cast<QValueAxis*>(view.chart()->axes(Qt::Horizontal).first());
    const double max = x->max();
    view.chart()->zoomIn();
    QVERIFY(x->max() < max);
    view.resetZoom();
    QCOMPARE(x->max(), max);
}

QTEST_MAIN(TestChartBuilders)
#include "tst_chartbuilders.moc"
