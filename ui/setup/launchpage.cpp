// SPDX-License-Identifier: Apache-2.0
#include "setup/launchpage.h"

#include <QDoubleValidator>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

using nlohmann::json;

namespace t2i::ui {
namespace {

QString durationText(double s)
{
    if (s < 120)
        return QObject::tr("%1 s").arg(s, 0, 'f', s < 10 ? 1 : 0);
    if (s < 7200)
        return QObject::tr("%1 min").arg(s / 60, 0, 'f', 1);
    return QObject::tr("%1 h").arg(s / 3600, 0, 'f', 1);
}

QString usdText(double usd)
{
    return QStringLiteral("$%1").arg(usd, 0, 'f', usd < 1 ? 4 : 2);
}

QStringList checkedIn(const QListWidget* list)
{
    QStringList out;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked)
            out << list->item(i)->data(Qt::UserRole).toString();
    return out;
}

std::vector<std::string> toStd(const QStringList& list)
{
    std::vector<std::string> out;
    for (const QString& s : list)
        out.push_back(s.toStdString());
    return out;
}

// The ids of a list, checked as before; a new id is checked.
void fillChecked(QListWidget* list, const json& entries, const char* second)
{
    QSet<QString> was, unchecked;
    for (int i = 0; i < list->count(); ++i) {
        was << list->item(i)->data(Qt::UserRole).toString();
        if (list->item(i)->checkState() != Qt::Checked)
            unchecked << list->item(i)->data(Qt::UserRole).toString();
    }
    const QSignalBlocker block(list);
    list->clear();
    if (!entries.is_array())
        return;
    for (const json& entry : entries) {
        if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string())
            continue;
        const QString id = QString::fromStdString(entry["id"].get<std::string>());
        const std::string extra = entry.value(second, std::string());
        auto* item = new QListWidgetItem(
            extra.empty() ? id : QStringLiteral("%1 (%2)").arg(id, QString::fromStdString(extra)), list);
        item->setData(Qt::UserRole, id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        item->setCheckState(unchecked.contains(id) ? Qt::Unchecked : Qt::Checked);
    }
}

} // namespace

LaunchPage::LaunchPage(QWidget* parent)
    : QWidget(parent)
    , m_debounce(new QTimer(this))
    , m_providers(new QListWidget(this))
    , m_variants(new QListWidget(this))
    , m_budget(new QLineEdit(this))
    , m_thresholds(new QLabel(this))
    , m_table(new QTableWidget(0, 5, this))
    , m_totals(new QLabel(this))
    , m_assumptions(new QPlainTextEdit(this))
    , m_blocked(new QLabel(this))
    , m_launch(new QPushButton(tr("Launch"), this))
{
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);
    connect(m_debounce, &QTimer::timeout, this, &LaunchPage::startEstimate);
    connect(&m_watcher, &QFutureWatcher<LaunchEstimate>::finished, this, &LaunchPage::showEstimate);

    auto* layout = new QVBoxLayout(this);
    auto* choose = new QHBoxLayout;
    auto* providers = new QGroupBox(tr("Providers"), this);
    (new QVBoxLayout(providers))->addWidget(m_providers);
    auto* variants = new QGroupBox(tr("Variants"), this);
    (new QVBoxLayout(variants))->addWidget(m_variants);
    choose->addWidget(providers);
    choose->addWidget(variants);
    layout->addLayout(choose, 1);

    auto* limits = new QFormLayout;
    m_budget->setPlaceholderText(tr("none"));
    auto* validator = new QDoubleValidator(0, 1e9, 2, m_budget);
    validator->setNotation(QDoubleValidator::StandardNotation);
    validator->setLocale(QLocale::c());
    m_budget->setValidator(validator);
    m_budget->setToolTip(tr("Stop starting new requests once the committed spend reaches this many US dollars; "
                            "empty: no limit"));
    limits->addRow(tr("Budget (USD)"), m_budget);
    m_thresholds->setWordWrap(true);
    limits->addRow(tr("Thresholds"), m_thresholds);
    layout->addLayout(limits);

    m_table->setHorizontalHeaderLabels({ tr("Provider"), tr("Variant"), tr("Requests"), tr("Duration"), tr("Cost") });
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 2);
    layout->addWidget(m_totals);
    m_assumptions->setReadOnly(true);
    m_assumptions->setPlaceholderText(tr("How each figure was estimated appears here."));
    layout->addWidget(m_assumptions, 2);
    auto* bottom = new QHBoxLayout;
    m_blocked->setWordWrap(true);
    bottom->addWidget(m_blocked, 1);
    bottom->addWidget(m_launch);
    layout->addLayout(bottom);

    connect(m_providers, &QListWidget::itemChanged, this, &LaunchPage::scheduleEstimate);
    connect(m_variants, &QListWidget::itemChanged, this, &LaunchPage::scheduleEstimate);
    connect(m_budget, &QLineEdit::textChanged, this, &LaunchPage::updateLaunch);
    connect(m_launch, &QPushButton::clicked, this, &LaunchPage::launch);
    updateLaunch();
}

LaunchPage::~LaunchPage()
{
    m_watcher.waitForFinished(); // the estimate reads only its own copies; it ends soon
}

void LaunchPage::setConfiguration(const json& document, const QString& path, bool saved)
{
    const bool budgetFromFile = m_budget->text().isEmpty() || !m_document.is_object();
    m_document = document;
    m_path = path;
    m_saved = saved;
    fillChecked(m_providers, document.value("providers", json()), "type");
    fillChecked(m_variants, document.value("variants", json()), "model");
    if (budgetFromFile && document.contains("budget_usd") && document["budget_usd"].is_number())
        m_budget->setText(QString::number(document["budget_usd"].get<double>()));
    const json thresholds = document.value("thresholds", json::object());
    QStringList parts;
    const std::pair<const char*, QString> names[] = { { "p95_ms", tr("p95 at most %1 ms") },
        { "p99_ms", tr("p99 at most %1 ms") }, { "error_rate", tr("error rate at most %1") },
        { "cost_per_1000_usd", tr("at most $%1 per 1,000 images") } };
    for (const auto& [key, text] : names)
        if (thresholds.is_object() && thresholds.contains(key) && thresholds[key].is_number())
            parts << text.arg(thresholds[key].get<double>());
    m_thresholds->setText(
        parts.isEmpty() ? tr("none set (the configuration's \"thresholds\")") : parts.join(QStringLiteral("; ")));
    scheduleEstimate();
}

void LaunchPage::setChecked(const QStringList& providerIds, const QStringList& variantIds)
{
    for (auto [list, ids] : { std::pair { m_providers, providerIds }, std::pair { m_variants, variantIds } }) {
        const QSignalBlocker block(list);
        for (int i = 0; i < list->count(); ++i)
            list->item(i)->setCheckState(
                ids.contains(list->item(i)->data(Qt::UserRole).toString()) ? Qt::Checked : Qt::Unchecked);
    }
    scheduleEstimate();
}

QStringList LaunchPage::checkedProviders() const
{
    return checkedIn(m_providers);
}

QStringList LaunchPage::checkedVariants() const
{
    return checkedIn(m_variants);
}

std::optional<double> LaunchPage::budget() const
{
    bool ok = false;
    const double value = QLocale::c().toDouble(m_budget->text().trimmed(), &ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

void LaunchPage::scheduleEstimate()
{
    m_debounce->start();
    updateLaunch();
}

void LaunchPage::startEstimate()
{
    if (m_watcher.isRunning()) {
        m_again = true;
        return;
    }
    // The worker gets copies: the page may change while it reads the catalog and profiles.
    m_watcher.setFuture(QtConcurrent::run(
        [document = m_document, path = m_path.toStdString(), providers = toStd(checkedProviders()),
            variants = toStd(checkedVariants())] { return estimateLaunch(document, path, providers, variants); }));
}

void LaunchPage::showEstimate()
{
    if (m_again) {
        m_again = false;
        startEstimate();
        return;
    }
    m_estimate = m_watcher.result();
    m_table->setRowCount(int(m_estimate.pairs.size()));
    QStringList notes;
    for (int row = 0; row < int(m_estimate.pairs.size()); ++row) {
        const PairEstimate& pair = m_estimate.pairs[std::size_t(row)];
        const QString cost = pair.cost ? usdText(pair.cost->usd) : tr("unknown");
        const QStringList cells { QString::fromStdString(pair.providerId), QString::fromStdString(pair.variantId),
            QString::number(std::llround(pair.workload.requests)), durationText(pair.workload.durationS), cost };
        for (int column = 0; column < cells.size(); ++column)
            m_table->setItem(row, column, new QTableWidgetItem(cells[column]));
        notes << QStringLiteral("%1 × %2").arg(cells[0], cells[1]);
        notes << tr("  latency %1 ms per request: %2")
                     .arg(pair.latency.ms, 0, 'f', 0)
                     .arg(QString::fromStdString(pair.latency.source));
        for (const std::string& step : pair.workload.steps)
            notes << QStringLiteral("  ") + QString::fromStdString(step);
        notes << tr("  cost: %1").arg(QString::fromStdString(pair.cost ? pair.cost->how : pair.costNote));
    }
    const LaunchTotals& totals = m_estimate.totals;
    if (!m_estimate.error.empty())
        m_totals->setText(tr("No estimate: %1").arg(QString::fromStdString(m_estimate.error)));
    else
        m_totals->setText(
            tr("In all: about %1 requests, %2 (runs go one after another), %3")
                .arg(std::llround(totals.requests))
                .arg(durationText(totals.durationS))
                .arg(totals.costUsd ? tr("about %1").arg(usdText(*totals.costUsd))
                                    : tr("at least %1 (%n pair(s) with no known price)", nullptr, totals.unpricedPairs)
                                          .arg(usdText(totals.knownCostUsd))));
    m_assumptions->setPlainText(notes.join(QLatin1Char('\n')));
    updateLaunch();
    emit estimated();
}

QString LaunchPage::launchBlockedReason() const
{
    if (m_path.isEmpty())
        return tr("Save the configuration first: a run reads the file.");
    if (!m_saved)
        return tr("The configuration has unsaved changes: save them first, a run reads the file.");
    // What a launch will take is shown before it can start: the choice shown must be the one estimated.
    if (m_debounce->isActive() || m_watcher.isRunning())
        return tr("Estimating what the chosen runs will take...");
    if (!m_estimate.error.empty())
        return tr("The configuration has problems (see Setup): %1").arg(QString::fromStdString(m_estimate.error));
    if (checkedProviders().isEmpty() || checkedVariants().isEmpty())
        return tr("Choose at least one provider and one variant.");
    if (!m_budget->text().trimmed().isEmpty() && !budget())
        return tr("The budget must be a number of US dollars, or empty for none.");
    return {};
}

void LaunchPage::updateLaunch()
{
    const QString reason = launchBlockedReason();
    m_blocked->setText(reason);
    m_launch->setEnabled(reason.isEmpty());
}

void LaunchPage::launch()
{
    if (!launchBlockedReason().isEmpty())
        return;
    emit launchRequested({ m_path, checkedProviders(), checkedVariants(), budget() });
}

} // namespace t2i::ui
