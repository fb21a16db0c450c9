// SPDX-License-Identifier: Apache-2.0
#include "detail/rundetailpage.h"

#include "common/icons.h"
#include "compare/comparisonview.h"
#include "detail/runsummarypanel.h"
#include "jobs/backgroundjob.h"
#include "library/runloader.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace t2i::ui {
namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QString prettyJson(const std::string& json)
{
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(json));
    return document.isNull() ? qs(json) : QString::fromUtf8(document.toJson(QJsonDocument::Indented));
}

// Nested objects become dotted keys ("emulator.profile"), so the environment reads as a table.
void flatten(const QJsonObject& object, const QString& prefix, QList<QPair<QString, QString>>* into)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it->isObject())
            flatten(it->toObject(), key, into);
        else if (it->isArray())
            into->append({ key, QString::fromUtf8(QJsonDocument(it->toArray()).toJson(QJsonDocument::Compact)) });
        else
            into->append({ key, it->toVariant().toString() });
    }
}

QString duration(double ms)
{
    const qint64 s = qRound64(ms / 1000.0);
    return s >= 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60) : QStringLiteral("%1 s").arg(s);
}

} // namespace

RunDetailPage::RunDetailPage(QWidget* parent)
    : QWidget(parent)
    , m_job(new BackgroundJob(this))
    , m_title(new QLabel(this))
    , m_status(new QLabel(this))
    , m_subtitle(new QLabel(this))
    , m_tags(new QLabel(this))
    , m_summary(new RunSummaryPanel(this))
    , m_tabs(new QTabWidget(this))
    , m_charts(new ComparisonView(this))
    , m_configuration(new QPlainTextEdit(this))
    , m_environment(new QTreeWidget(this))
    , m_notes(new QPlainTextEdit(this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    m_subtitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tags->setForegroundRole(QPalette::PlaceholderText);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_configuration->setReadOnly(true);
    m_configuration->setFont(mono);
    m_configuration->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_environment->setColumnCount(2);
    m_environment->setHeaderLabels({ tr("Key"), tr("Value") });
    m_environment->setRootIsDecorated(false);
    m_environment->setAlternatingRowColors(true);
    m_environment->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_notes->setReadOnly(true);
    m_notes->setPlaceholderText(tr("No notes. Add them from the runs library (Tags & notes…)."));

    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_charts, tr("Charts"));
    m_tabs->addTab(m_configuration, tr("Configuration"));
    m_tabs->addTab(m_environment, tr("Environment"));
    m_tabs->addTab(m_notes, tr("Notes"));

    auto* heading = new QHBoxLayout;
    heading->setSpacing(10);
    heading->addWidget(m_title);
    heading->addWidget(m_status);
    heading->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 8);
    layout->setSpacing(6);
    layout->addLayout(heading);
    layout->addWidget(m_subtitle);
    layout->addWidget(m_tags);
    layout->addSpacing(10);
    layout->addWidget(m_summary);
    layout->addSpacing(10);
    layout->addWidget(m_tabs, 1);

    connect(m_job, &BackgroundJob::busyChanged, this, &RunDetailPage::loadingChanged);
    connect(m_job, &BackgroundJob::failed, this, [this](const QString& message) {
        showMessage(message);
        emit errorOccurred(message);
    });
    showMessage(tr("Open a run from the runs library."));
}

void RunDetailPage::setDatabase(const QString& dbPath)
{
    m_dbPath = dbPath;
    m_charts->setDatabase(dbPath);
    m_job->cancel();
    m_runId.clear();
    showMessage(tr("Open a run from the runs library."));
}

void RunDetailPage::showMessage(const QString& text)
{
    m_title->setText(text);
    m_status->clear();
    m_subtitle->clear();
    m_tags->clear();
    m_summary->clear();
    m_tabs->setEnabled(false);
}

void RunDetailPage::showRun(const QString& runId)
{
    m_runId = runId;
    showMessage(tr("Loading %1…").arg(runId));
    const QString dbPath = m_dbPath;
    m_job->start<RunDetail>(
        [dbPath, runId](QPromise<RunDetail>& promise) {
            auto detail = loadRunDetail(dbPath, runId);
            if (!detail)
                throw std::runtime_error("no run " + runId.toStdString() + " in " + dbPath.toStdString());
            promise.addResult(std::move(*detail));
        },
        [this](const RunDetail& detail) { present(detail); }, [this] { emit loaded(); });
    m_charts->showRuns({ runId });
}

void RunDetailPage::present(const RunDetail& detail)
{
    const RunInfo& run = detail.report.run;
    const QString status = qs(std::string(toString(run.status)));
    m_title->setText(qs(run.name));
    m_status->setText(QStringLiteral("<span style='color:%1'>●</span> %2").arg(statusColor(status).name(), status));
    QStringList facts { qs(run.id),
        tr("%1 / %2 / %3").arg(qs(run.providerId), qs(run.providerType), qs(run.variantId)) };
    const QDateTime created = parseIsoUtc(qs(run.created));
    facts.append(created.isValid() ? QLocale().toString(created.toLocalTime(), QLocale::ShortFormat) : qs(run.created));
    if (run.durationMs > 0)
        facts.append(tr("ran %1").arg(duration(run.durationMs)));
    if (!run.message.empty())
        facts.append(qs(run.message));
    m_subtitle->setText(facts.join(QStringLiteral("   ·   ")));
    m_tags->setText(detail.tags.isEmpty() ? QString() : tr("Tags: %1").arg(detail.tags));
    m_tags->setVisible(!detail.tags.isEmpty());
    m_summary->showSummary(detail.report);
    m_configuration->setPlainText(prettyJson(run.configJson));
    m_environment->clear();
    QList<QPair<QString, QString>> environment;
    flatten(QJsonDocument::fromJson(QByteArray::fromStdString(run.environmentJson)).object(), {}, &environment);
    for (const auto& [key, value] : environment)
        m_environment->addTopLevelItem(new QTreeWidgetItem({ key, value }));
    m_notes->setPlainText(detail.notes);
    m_tabs->setEnabled(true);
}

QString RunDetailPage::configurationText() const
{
    return m_configuration->toPlainText();
}

QString RunDetailPage::environmentValue(const QString& key) const
{
    const auto items = m_environment->findItems(key, Qt::MatchExactly, 0);
    return items.isEmpty() ? QString() : items.front()->text(1);
}

} // namespace t2i::ui
