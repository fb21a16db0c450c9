// SPDX-License-Identifier: Apache-2.0
#include "comparisonview.h"

#include "charts/chartview.h"
#include "charts/palette.h"
#include "compare/summarytables.h"
#include "jobs/backgroundjob.h"
#include "report/reportwriter.h"

#include "charts/comparisonload.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace t2i::ui {

using charts::ChartKind;
using ComparisonPtr = std::shared_ptr<const charts::ComparisonData>;

namespace {

constexpr const char* kSettingLog = "charts/logLatency";
constexpr const char* kSettingPopulation = "charts/population";

QTableView* tableView(TextTableModel* model, QWidget* parent)
{
    auto* proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    auto* view = new QTableView(parent);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(-1, Qt::AscendingOrder); // keep the run order until the user sorts
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    // Columns fit their text each time the numbers change.
    QObject::connect(model, &QAbstractItemModel::modelReset, view, [view] { view->resizeColumnsToContents(); });
    return view;
}

bool paletteIsDark(const QWidget* widget)
{
    return widget->palette().color(QPalette::Window).lightness() < 128;
}

} // namespace

ComparisonView::ComparisonView(QWidget* parent)
    : QWidget(parent)
    , m_job(new BackgroundJob(this))
{
    buildUi();
    connect(m_job, &BackgroundJob::busyChanged, this, [this](bool busy) {
        m_progress->setVisible(busy);
        if (busy)
            m_progress->setRange(0, 0); // indeterminate until the first real tick
        emit loadingChanged(busy);
    });
    connect(m_job, &BackgroundJob::progressChanged, this, [this](int percent) {
        m_progress->setRange(0, 100);
        m_progress->setValue(percent);
        emit progressChanged(percent);
    });
    connect(m_job, &BackgroundJob::failed, this, [this](const QString& message) {
        if (!m_data) {
            m_message->setText(tr("Could not load the runs: %1").arg(message));
            m_stack->setCurrentIndex(0);
        }
        emit errorOccurred(message);
    });
}

ComparisonView::~ComparisonView() = default;

void ComparisonView::buildUi()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    m_heading = new QLabel(this);
    m_heading->setTextFormat(Qt::RichText);
    bar->addWidget(m_heading, 1);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(180);
    m_progress->setVisible(false);
    bar->addWidget(m_progress);
    m_population = new QComboBox(this);
    m_population->addItem(tr("All successful requests"), int(charts::Population::All));
    m_population->addItem(tr("Warm requests"), int(charts::Population::Warm));
    m_population->addItem(tr("Cold requests"), int(charts::Population::Cold));
    m_population->setToolTip(
        tr("Which requests the latency histogram and ECDF show: cold and warm are never blended silently"));
    bar->addWidget(m_population);
    m_logScale = new QCheckBox(tr("Log latency axis"), this);
    bar->addWidget(m_logScale);
    m_exportButton = new QPushButton(tr("Export report…"), this);
    m_exportButton->setEnabled(false);
    bar->addWidget(m_exportButton);
    layout->addLayout(bar);

    QSettings settings;
    m_logScale->setChecked(settings.value(QLatin1String(kSettingLog), true).toBool());
    m_population->setCurrentIndex(std::clamp(settings.value(QLatin1String(kSettingPopulation), 0).toInt(), 0, 2));

    m_stack = new QStackedWidget(this);
    m_message = new QLabel(tr("Select runs to compare."), m_stack);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_stack->addWidget(m_message);
    m_tabs = new QTabWidget(m_stack);
    m_tabs->addTab(
        chartPage({ ChartKind::Histogram, ChartKind::Ecdf, ChartKind::BoxPlot, ChartKind::Stages }, 2), tr("Latency"));
    m_tabs->addTab(chartPage({ ChartKind::ScalingThroughput, ChartKind::ScalingP95 }, 2), tr("Scaling"));
    m_tabs->addTab(chartPage({ ChartKind::CostStack, ChartKind::CostVsP95 }, 2), tr("Cost"));

    auto* timeScroll = new QScrollArea(m_tabs);
    timeScroll->setWidgetResizable(true);
    auto* timePage = new QWidget(timeScroll);
    auto* timeLayout = new QVBoxLayout(timePage);
    m_timelineGrid = new QGridLayout;
    timeLayout->addLayout(m_timelineGrid);
    auto* counters = new QGridLayout;
    const ChartKind counterKinds[]
        = { ChartKind::InFlight, ChartKind::Workers, ChartKind::Errors, ChartKind::Throughput };
    for (int i = 0; i < 4; ++i) {
        auto* view = new ChartView(timePage);
        view->setMinimumHeight(300);
        m_views[counterKinds[i]] = view;
        counters->addWidget(view, i / 2, i % 2);
    }
    timeLayout->addLayout(counters);
    timeScroll->setWidget(timePage);
    m_tabs->addTab(timeScroll, tr("Time"));
    // A local server's GPUs (nvidia-smi): shown only for runs that have samples (apply()).
    m_gpuTab = m_tabs->addTab(chartPage({ ChartKind::GpuUtilization, ChartKind::GpuMemory }, 1), tr("GPU"));
    m_tabs->setTabVisible(m_gpuTab, false);

    auto* summary = new QWidget(m_tabs);
    auto* summaryLayout = new QVBoxLayout(summary);
    m_runsModel = new TextTableModel(this);
    m_differencesModel = new TextTableModel(this);
    summaryLayout->addWidget(
        new QLabel(tr("<b>Runs</b> — percentiles are nearest-rank, with 95% exact-bootstrap intervals"), summary));
    summaryLayout->addWidget(tableView(m_runsModel, summary), 1);
    m_warnings = new QLabel(summary);
    m_warnings->setObjectName(QStringLiteral("measurementWarnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings->hide();
    summaryLayout->addWidget(m_warnings);
    summaryLayout->addWidget(
        new QLabel(tr("<b>Differences against the baseline</b> (the first run) — bold: significant at 5%"), summary));
    summaryLayout->addWidget(tableView(m_differencesModel, summary), 2);
    m_tabs->addTab(summary, tr("Summary"));
    m_stack->addWidget(m_tabs);
    layout->addWidget(m_stack, 1);

    connect(m_population, &QComboBox::currentIndexChanged, this, &ComparisonView::optionsChanged);
    connect(m_logScale, &QCheckBox::toggled, this, &ComparisonView::optionsChanged);
    connect(m_exportButton, &QPushButton::clicked, this, &ComparisonView::exportReportInteractively);
}

QWidget* ComparisonView::chartPage(const std::vector<ChartKind>& kinds, int columns)
{
    auto* page = new QWidget(m_tabs);
    auto* grid = new QGridLayout(page);
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        auto* view = new ChartView(page);
        m_views[kinds[i]] = view;
        grid->addWidget(view, static_cast<int>(i) / columns, static_cast<int>(i) % columns);
    }
    return page;
}

void ComparisonView::setDatabase(const QString& dbPath)
{
    m_dbPath = dbPath;
}

bool ComparisonView::isLoading() const
{
    return m_job->isBusy();
}

void ComparisonView::showRuns(const QStringList& runIds)
{
    if (runIds.isEmpty()) {
        m_job->cancel();
        m_data.reset();
        m_message->setText(tr("Select runs to compare."));
        m_stack->setCurrentIndex(0);
        m_exportButton->setEnabled(false);
        return;
    }
    if (m_dbPath.isEmpty()) {
        emit errorOccurred(tr("No run library is open."));
        return;
    }
    if (!m_data) {
        m_message->setText(tr("Loading %n run(s)…", nullptr, static_cast<int>(runIds.size())));
        m_stack->setCurrentIndex(0);
    }
    // Inputs are copied here, on the GUI thread; the work touches no widget.
    const std::string db = m_dbPath.toStdString();
    std::vector<std::string> ids;
    for (const QString& id : runIds)
        ids.push_back(id.toStdString());
    m_job->start<ComparisonPtr>(
        [db, ids](QPromise<ComparisonPtr>& promise) {
            promise.setProgressRange(0, 100);
            charts::Progress progress;
            progress.report = [&promise](int percent) { promise.setProgressValue(percent); };
            progress.cancelled = [&promise] { return promise.isCanceled(); };
            // Two results: the charts as soon as they exist, then the same with the costs.
            auto chartsReady = [&promise](const charts::ComparisonData& charts) {
                promise.addResult(std::make_shared<const charts::ComparisonData>(charts));
            };
            try {
                promise.addResult(std::make_shared<const charts::ComparisonData>(
                    charts::loadComparison(db, ids, progress, chartsReady)));
            } catch (const charts::Cancelled&) {
                // superseded: nothing more to deliver
            }
        },
        [this](const ComparisonPtr& loaded) {
            if (loaded->costsComputed && m_data && !m_data->costsComputed)
                applyCosts(loaded);
            else
                apply(loaded);
        });
}

ChartOptions ComparisonView::currentOptions() const
{
    ChartOptions o;
    o.population = static_cast<charts::Population>(m_population->currentData().toInt());
    o.logLatency = m_logScale->isChecked();
    o.dark = paletteIsDark(this);
    return o;
}

void ComparisonView::apply(ComparisonPtr loaded)
{
    m_data = std::move(loaded);
    const ChartOptions options = currentOptions();
    for (auto& [kind, view] : m_views)
        view->showChart(m_data, kind, options);
    rebuildTimelines();
    const bool gpus = std::any_of(
        m_data->runs.begin(), m_data->runs.end(), [](const charts::RunChartData& run) { return !run.gpus.empty(); });
    m_tabs->setTabVisible(m_gpuTab, gpus);
    m_runsModel->setTable(runsTable(*m_data));
    m_differencesModel->setTable(differencesTable(*m_data));
    const QStringList warnings = measurementWarnings(*m_data);
    m_warnings->setText(QStringLiteral("⚠ ") + warnings.join(QStringLiteral("\n⚠ ")));
    m_warnings->setVisible(!warnings.isEmpty());
    // Each run in its colour, as every chart draws it.
    const ChartPalette palette { options.dark };
    QStringList names;
    for (std::size_t r = 0; r < m_data->runs.size(); ++r)
        names << QStringLiteral("<span style=\"color:%1\">&#9632;</span>&nbsp;%2")
                     .arg(palette.run(r).name(), QString::fromStdString(m_data->runs[r].label).toHtmlEscaped());
    m_heading->setText(names.join(QStringLiteral("&nbsp;&nbsp;&nbsp;")));
    m_stack->setCurrentIndex(1);
    m_exportButton->setEnabled(m_data->costsComputed);
    if (m_data->costsComputed)
        emit ready();
    else
        emit chartsShown();
}

void ComparisonView::applyCosts(ComparisonPtr loaded)
{
    // Only what the costs change is rebuilt, so a chart the user is zoomed into stays as it is.
    m_data = std::move(loaded);
    const ChartOptions options = currentOptions();
    for (const ChartKind kind : { ChartKind::CostStack, ChartKind::CostVsP95 })
        m_views[kind]->showChart(m_data, kind, options);
    for (auto& [kind, view] : m_views)
        if (kind != ChartKind::CostStack && kind != ChartKind::CostVsP95)
            view->updateData(m_data); // the same numbers: later rebuilds (log scale ...) see the costs too
    for (ChartView* view : m_timelines)
        view->updateData(m_data);
    m_runsModel->setTable(runsTable(*m_data));
    m_differencesModel->setTable(differencesTable(*m_data));
    m_exportButton->setEnabled(true);
    emit ready();
}

void ComparisonView::rebuildTimelines()
{
    for (ChartView* view : m_timelines)
        delete view;
    m_timelines.clear();
    if (!m_data)
        return;
    ChartOptions options = currentOptions();
    for (std::size_t r = 0; r < m_data->runs.size(); ++r) {
        auto* view = new ChartView(m_timelineGrid->parentWidget());
        view->setMinimumHeight(320);
        options.run = r;
        view->showChart(m_data, ChartKind::Timeline, options);
        m_timelineGrid->addWidget(view, static_cast<int>(r) / 2, static_cast<int>(r) % 2);
        m_timelines.push_back(view);
    }
}

bool ComparisonView::showsGpuCharts() const
{
    return m_tabs->isTabVisible(m_gpuTab);
}

ChartView* ComparisonView::chartView(ChartKind kind, std::size_t run) const
{
    if (kind == ChartKind::Timeline)
        return run < m_timelines.size() ? m_timelines[run] : nullptr;
    const auto it = m_views.find(kind);
    return it == m_views.end() ? nullptr : it->second;
}

void ComparisonView::optionsChanged()
{
    QSettings settings;
    settings.setValue(QLatin1String(kSettingLog), m_logScale->isChecked());
    settings.setValue(QLatin1String(kSettingPopulation), m_population->currentIndex());
    if (!m_data)
        return;
    const ChartOptions options = currentOptions();
    for (auto& [kind, view] : m_views)
        view->setOptions(options);
    for (std::size_t r = 0; r < m_timelines.size(); ++r) {
        ChartOptions perRun = options;
        perRun.run = r;
        m_timelines[r]->setOptions(perRun);
    }
}

void ComparisonView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_data)
        optionsChanged(); // light and dark charts follow the application's palette
}

bool ComparisonView::exportReport(const QString& path, QString* error)
{
    if (!m_data) {
        if (error)
            *error = tr("nothing to export: no comparison is loaded");
        return false;
    }
    ReportOptions options;
    options.logLatency = m_logScale->isChecked();
    return writeReport(*m_data, path, options, error);
}

void ComparisonView::exportReportInteractively()
{
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export report"), QStringLiteral("t2ibench-report.pdf"), tr("PDF (*.pdf);;HTML (*.html)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".pdf");
    QString error;
    if (!exportReport(path, &error)) {
        QMessageBox::warning(this, tr("Export report"), error);
        emit errorOccurred(error);
    }
}

} // namespace t2i::ui
