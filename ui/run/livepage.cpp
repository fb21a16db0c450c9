// SPDX-License-Identifier: Apache-2.0
#include "run/livepage.h"

#include "charts/chartstyle.h"
#include "charts/livechart.h"
#include "run/liverunmodel.h"
#include "run/runprocess.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCoreApplication>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace t2i::ui {
namespace {

QString defaultCli()
{
    const QString fromEnvironment = qEnvironmentVariable("T2IBENCH_CLI");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    return QCoreApplication::applicationDirPath() + QStringLiteral("/t2ibench-cli");
}

QString duration(double ms)
{
    if (ms < 0)
        return QStringLiteral("?");
    const qint64 s = qint64(ms / 1000.0 + 0.5);
    return s >= 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60) : QStringLiteral("%1 s").arg(s);
}

QString msOrDash(const std::optional<double>& value)
{
    return value ? style::ms(*value) : QStringLiteral("–");
}

QChartView* chartView(QChart* chart, QWidget* parent)
{
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(200);
    return view;
}

} // namespace

LivePage::LivePage(QWidget* parent)
    : QWidget(parent)
    , m_cli(defaultCli())
    , m_process(new RunProcess(this))
    , m_model(new LiveRunModel(this))
    , m_title(new QLabel(tr("No run launched yet"), this))
    , m_runs(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_openRun(new QPushButton(tr("Open in Run Detail"), this))
    , m_progress(new QProgressBar(this))
    , m_counters(new QLabel(this))
    , m_latency(new QLabel(this))
    , m_workers(new QLabel(this))
    , m_spend(new QProgressBar(this))
    , m_error(new QLabel(this))
    , m_latencyChart(std::make_unique<LiveChart>(
          tr("Latency, rolling"), tr("latency (ms)"), QStringList { tr("p50"), tr("p95") }, tr("cold start")))
    , m_throughputChart(
          std::make_unique<LiveChart>(tr("Throughput, rolling"), tr("requests/s"), QStringList { tr("completed/s") }))
    , m_workersChart(std::make_unique<LiveChart>(
          tr("Workers and queue"), tr("count"), QStringList { tr("workers"), tr("queue depth"), tr("in flight") }))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_cancel->setEnabled(false);
    m_cancel->setToolTip(tr("Stop the run: in-flight jobs are cancelled on the platform, everything collected is "
                            "kept and the run is stored as cancelled"));
    m_openRun->setEnabled(false);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QString());
    m_spend->setRange(0, 1000);
    m_spend->setTextVisible(true);
    m_spend->setFormat(tr("no budget"));
    m_spend->setEnabled(false);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    for (QLabel* label : { m_counters, m_latency, m_workers })
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_runs);
    header->addWidget(m_cancel);
    header->addWidget(m_openRun);
    auto* numbers = new QGridLayout;
    numbers->addWidget(new QLabel(tr("Progress"), this), 0, 0);
    numbers->addWidget(m_progress, 0, 1);
    numbers->addWidget(m_status, 0, 2);
    numbers->addWidget(new QLabel(tr("Spend"), this), 1, 0);
    numbers->addWidget(m_spend, 1, 1);
    numbers->addWidget(m_counters, 2, 0, 1, 3);
    numbers->addWidget(m_latency, 3, 0, 1, 3);
    numbers->addWidget(m_workers, 4, 0, 1, 3);
    numbers->setColumnStretch(1, 1);
    auto* charts = new QGridLayout;
    charts->addWidget(chartView(m_latencyChart->chart(), this), 0, 0);
    charts->addWidget(chartView(m_throughputChart->chart(), this), 0, 1);
    charts->addWidget(chartView(m_workersChart->chart(), this), 1, 0, 1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(numbers);
    layout->addWidget(m_error);
    layout->addLayout(charts, 1);

    m_model->connectTo(m_process);
    connect(m_model, &LiveRunModel::planChanged, this, &LivePage::refreshPlan);
    connect(m_model, &LiveRunModel::snapshotChanged, this, [this](int index) {
        if (m_followCurrent && index == m_model->currentIndex() && m_runs->currentIndex() != index)
            showRun(index);
        if (index < m_runs->count()) {
            const LiveSnapshot& s = m_model->snapshot(index);
            m_runs->setItemText(
                index, tr("%1/%2: %3 (%4)").arg(index + 1).arg(m_model->runCount()).arg(s.name, s.status));
        }
        if (index == m_runs->currentIndex())
            refreshShown();
    });
    connect(m_runs, &QComboBox::activated, this, [this](int index) {
        m_followCurrent = index == m_model->currentIndex();
        showRun(index);
    });
    connect(m_process, &RunProcess::runEnded, this,
        [this](int, const QString& runId, const QString& status, const QString&) { emit runFinished(runId, status); });
    connect(m_process, &RunProcess::finished, this, &LivePage::onLaunchFinished);
    connect(m_cancel, &QPushButton::clicked, this, &LivePage::cancel);
    connect(m_openRun, &QPushButton::clicked, this, [this] {
        const int index = shownRun();
        if (index >= 0)
            emit openRunRequested(m_model->snapshot(index).runId);
    });
}

LivePage::~LivePage() = default;

void LivePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refreshShown();
}

bool LivePage::start(const QString& configPath, const QStringList& providers, const QStringList& variants,
    std::optional<double> budgetUsd, const QString& dbPath)
{
    if (isRunning()) {
        emit errorOccurred(tr("A launch is still running: cancel it or wait for it to finish first"));
        return false;
    }
    m_model->clear();
    m_followCurrent = true;
    m_title->setText(QFileInfo(configPath).fileName());
    m_title->setToolTip(configPath);
    m_status->setText(tr("starting…"));
    m_error->hide();
    m_cancel->setEnabled(true);
    m_openRun->setEnabled(false);
    m_process->start(m_cli, RunProcess::runArguments(configPath, dbPath, providers, variants, budgetUsd));
    emit started();
    return true;
}

void LivePage::cancel()
{
    if (!isRunning())
        return;
    m_cancel->setEnabled(false);
    m_status->setText(tr("cancelling: in-flight jobs are being cancelled, what finished is kept…"));
    m_process->cancel();
}

bool LivePage::isRunning() const
{
    return m_process->isRunning();
}

int LivePage::shownRun() const
{
    const int index = m_runs->currentIndex();
    return index >= 0 && index < m_model->runCount() ? index : -1;
}

void LivePage::refreshPlan()
{
    m_runs->clear();
    for (int i = 0; i < m_model->runCount(); ++i) {
        const LiveSnapshot& s = m_model->snapshot(i);
        m_runs->addItem(tr("%1/%2: %3 (%4)").arg(i + 1).arg(m_model->runCount()).arg(s.name, s.status));
    }
    m_runs->setVisible(m_model->runCount() > 1);
    refreshShown();
}

void LivePage::showRun(int index)
{
    if (index >= m_runs->count())
        refreshPlan();
    m_runs->setCurrentIndex(index);
    refreshShown();
}

void LivePage::refreshShown()
{
    const int index = shownRun();
    if (index < 0)
        return;
    const LiveSnapshot& s = m_model->snapshot(index);
    const LiveProgress& p = s.progress;
    const double total = p.elapsedMs + std::max(0.0, p.etaMs);
    m_progress->setValue(s.ended() ? 1000 : total > 0 ? int(1000.0 * p.elapsedMs / total) : 0);
    m_progress->setFormat(
        s.ended() ? s.status : tr("%1 · %2 elapsed · ETA %3").arg(p.phase, duration(p.elapsedMs), duration(p.etaMs)));
    if (s.ended())
        m_status->setText(s.message.isEmpty() ? s.status : tr("%1: %2").arg(s.status, s.message));
    else if (!m_process->cancelRequested())
        m_status->setText(s.status);
    const qint64 done = std::max(p.done, s.reportedRequests);
    const qint64 failed = std::max(p.errors, s.reportedFailed);
    m_counters->setText(tr("In flight <b>%1</b> · done <b>%2</b> · failed <b>%3</b> · sent %4")
                            .arg(p.inFlight)
                            .arg(done)
                            .arg(failed)
                            .arg(p.sent));
    m_latency->setText(tr("Last %1 s: p50 <b>%2</b> · p95 <b>%3</b> · %4 completed/s · detection lag median %5, "
                          "p95 %6 · cold starts <b>%7</b>")
                           .arg(style::number(s.windowS, 0), msOrDash(s.p50Ms), msOrDash(s.p95Ms),
                               style::number(s.throughputPerS, 1), msOrDash(s.lagP50Ms), msOrDash(s.lagP95Ms))
                           .arg(s.coldStarts));
    m_workers->setText(s.workers ? tr("Workers %1 (running %2, idle %3, starting %4) · queue %5")
                                       .arg(s.workers->workers())
                                       .arg(s.workers->running)
                                       .arg(s.workers->idle + s.workers->ready)
                                       .arg(s.workers->initializing)
                                       .arg(s.workers->inQueue)
                                 : tr("Workers: no health samples (yet)"));
    if (p.budgetUsd > 0) {
        const double spent = std::max(0.0, p.committedUsd);
        m_spend->setEnabled(true);
        m_spend->setValue(int(std::min(1.0, spent / p.budgetUsd) * 1000));
        m_spend->setFormat(tr("%1 committed of %2").arg(style::usd(spent), style::usd(p.budgetUsd)));
    } else {
        m_spend->setEnabled(false);
        m_spend->setValue(0);
        m_spend->setFormat(
            p.committedUsd >= 0 ? tr("%1 committed · no budget").arg(style::usd(p.committedUsd)) : tr("no budget"));
    }
    m_openRun->setEnabled(s.ended() && !s.runId.isEmpty());
    // The charts are the costly part of an update: a page nobody sees skips them, and catches up
    // when it is shown (showEvent).
    if (!isVisible())
        return;
    m_latencyChart->setData({ s.p50Series, s.p95Series }, s.coldMarks);
    m_throughputChart->setData({ s.throughputSeries });
    m_workersChart->setData({ s.workersSeries, s.queueSeries, s.inFlightSeries });
}

void LivePage::onLaunchFinished(int exitCode, const QString& errorText)
{
    m_model->update(); // the last events, shown now rather than at the next tick
    m_cancel->setEnabled(false);
    const bool failed = exitCode != 0 && exitCode != 130;
    if (shownRun() < 0 || failed) {
        m_status->setText(exitCode == 0 ? tr("finished")
                : exitCode == 130       ? tr("cancelled")
                                        : tr("failed (exit code %1)").arg(exitCode));
    }
    if (failed && !errorText.isEmpty()) {
        m_error->setText(errorText);
        m_error->show();
    }
    emit launchFinished(exitCode);
}

} // namespace t2i::ui
