// SPDX-License-Identifier: Apache-2.0
#include "detail/runsummarypanel.h"

#include "report/thresholds.h"

#include "common/text.h"
#include "report/runreport.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace t2i::ui {
namespace {

QString seconds(double ms, int decimals = 2)
{
    return QLocale().toString(ms / 1000.0, 'f', decimals) + QStringLiteral(" s");
}

QString withCi(double ms, Interval ci)
{
    return seconds(ms) + QStringLiteral("  [") + QLocale().toString(ci.lo / 1000.0, 'f', 2) + QStringLiteral(" – ")
        + QLocale().toString(ci.hi / 1000.0, 'f', 2) + QLatin1Char(']');
}

QString milliseconds(double ms)
{
    return QLocale().toString(ms, 'f', 0) + QStringLiteral(" ms");
}

QString distributionP50(const Distribution& d)
{
    return d.n > 0 ? seconds(d.p50) : QStringLiteral("—");
}

} // namespace

RunSummaryPanel::RunSummaryPanel(QWidget* parent)
    : QWidget(parent)
    , m_grid(new QGridLayout(this))
{
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setHorizontalSpacing(28);
    m_grid->setVerticalSpacing(0);
}

void RunSummaryPanel::clear()
{
    while (QLayoutItem* item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

void RunSummaryPanel::addGroup(int column, const QString& title, const QList<Item>& items)
{
    auto* group = new QWidget(this);
    auto* grid = new QGridLayout(group);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(4);
    auto* heading = new QLabel(title, group);
    QFont headingFont = heading->font();
    headingFont.setWeight(QFont::DemiBold);
    heading->setFont(headingFont);
    grid->addWidget(heading, 0, 0, 1, 2);
    int row = 1;
    for (const Item& item : items) {
        auto* label = new QLabel(item.label, group);
        label->setForegroundRole(QPalette::PlaceholderText);
        auto* value = new QLabel(item.value, group);
        value->setObjectName(QStringLiteral("value:") + item.label);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setToolTip(item.toolTip);
        label->setToolTip(item.toolTip);
        grid->addWidget(label, row, 0);
        grid->addWidget(value, row, 1);
        ++row;
    }
    grid->setRowStretch(row, 1);
    m_grid->addWidget(group, 0, column, Qt::AlignTop);
}

void RunSummaryPanel::showSummary(const RunReport& report)
{
    clear();
    const RunSummary& s = report.summary;
    const QLocale locale;
    const bool any = s.latency.n > 0;
    const QString none = QStringLiteral("—");
    addGroup(0, tr("Latency (successful requests)"),
        { { tr("p50"), any ? withCi(s.latency.p50, s.p50Ci) : none,
              tr("Median end-to-end latency from the intended send time, with its exact 95% bootstrap interval") },
            { tr("p95"), any ? withCi(s.latency.p95, s.p95Ci) : none, tr("95th percentile with its 95% interval") },
            { tr("p99"), any ? seconds(s.latency.p99) : none, {} },
            { tr("mean ± sd"), any ? seconds(s.latency.mean) + QStringLiteral(" ± ") + seconds(s.latency.stddev) : none,
                {} },
            { tr("min – max"), any ? seconds(s.latency.min) + QStringLiteral(" – ") + seconds(s.latency.max) : none,
                {} } });
    addGroup(1, tr("Outcome"),
        { { tr("requests"), locale.toString(qulonglong(s.requests)), tr("Measured requests; warm-up excluded") },
            { tr("succeeded"), locale.toString(qulonglong(s.ok)), {} },
            { tr("errors"),
                locale.toString(qulonglong(s.errors)) + QStringLiteral("  (")
                    + locale.toString(s.errorRate * 100, 'f', 1) + QStringLiteral(" %)"),
                {} },
            { tr("images"), locale.toString(qulonglong(s.images)), {} },
            { tr("throughput"), locale.toString(s.throughputIps, 'f', 2) + tr(" images/s"),
                tr("Images per second over the measured windows") } });
    addGroup(2, tr("Cold and warm"),
        { { tr("cold starts"),
              locale.toString(qulonglong(s.coldStarts)) + QStringLiteral("  (")
                  + locale.toString(s.coldRate * 100, 'f', 1) + QStringLiteral(" %)"),
              tr("Cold requests / successful requests") },
            { tr("cold p50"), distributionP50(s.coldLatency), {} },
            { tr("warm p50"), distributionP50(s.warmLatency), {} },
            { tr("unknown"), locale.toString(qulonglong(s.unknownColdness)),
                tr("Requests whose coldness could not be told") } });
    addGroup(3, tr("Stages (p50)"),
        { { tr("queue"), distributionP50(s.queueMs),
              tr("Platform-reported wait before execution, cold start included") },
            { tr("execution"), distributionP50(s.execMs), {} }, { tr("download"), distributionP50(s.downloadMs), {} },
            { tr("send lag"),
                s.sendLagMs.n > 0 ? QLocale().toString(s.sendLagMs.p50, 'f', 1) + QStringLiteral(" ms") : none,
                tr("The client's own lag against the plan") },
            { tr("platform-side"), distributionP50(s.platformMs),
                tr("The platform's own end-to-end time, receiving the job to finishing it (its timings), p50") },
            { tr("detection lag"),
                s.detectionLagMs.n > 0
                    ? milliseconds(s.detectionLagMs.p50) + QStringLiteral(" / ") + milliseconds(s.detectionLagMs.p99)
                    : none,
                tr("How late the client noticed the platform's finish, p50 / p99 (docs/measurement.md)") },
            { tr("polls (throttled)"),
                locale.toString(qulonglong(s.polls)) + QStringLiteral("  (")
                    + locale.toString(qulonglong(s.throttledPolls)) + QLatin1Char(')'),
                tr("Status polls, and how many the platform answered 429") } });
    // docs/measurement.md, "Network phases"; runs stored before schema v6 counted no calls.
    const NetworkSummary& net = s.network;
    addGroup(4, tr("Network"),
        { { tr("calls reused"),
              net.calls > 0 ? locale.toString(net.reuseRate * 100, 'f', 1) + QStringLiteral(" %  (")
                      + locale.toString(qulonglong(net.calls)) + QLatin1Char(')')
                            : none,
              tr("Share of the run's HTTP calls that reused a connection (1 − new connections / calls)") },
            { tr("new connections"), net.calls > 0 ? locale.toString(qulonglong(net.newConnections)) : none, {} },
            { tr("TLS handshakes"),
                net.calls > 0 ? locale.toString(qulonglong(net.tlsHandshakes))
                        + (net.tlsRequests > 0
                                ? QStringLiteral("  (") + QLocale().toString(net.tlsMsMean, 'f', 1) + tr(" ms each)")
                                : QString())
                              : none,
                tr("Connections that shook hands over TLS, and the mean handshake time of the requests' submit, "
                   "final and download calls") },
            { tr("first byte beyond platform"),
                net.firstByteBeyondMs.n > 0
                    ? QLocale().toString(net.firstByteBeyondMs.p50, 'f', 1) + QStringLiteral(" ms")
                    : none,
                tr("Median wait for the result's first byte that the platform's own time does not explain: "
                   "distance and the platform's front door (docs/measurement.md)") } });
    if (const auto& cost = report.cost) {
        const QString price = QString::fromStdString(priceText(*cost));
        auto money = [](double amount) { return QString::fromStdString(usd(amount)); };
        addGroup(5, tr("Cost"),
            { { tr("per 1,000 images"), cost->images > 0 ? money(cost->per1000) : none, price },
                { tr("total"), money(cost->total), countText(cost->images, tr("image"), tr("images")) },
                { tr("compute"), money(cost->compute), {} },
                { tr("cold start"), money(cost->coldStart), tr("Booting time billed for cold requests") },
                { tr("idle + keep-warm"), money(cost->idle + cost->keepWarm), {} },
                { tr("price"), QString::fromStdString(cost->priceLabel), price },
                { tr("billed"), QString::fromStdString(std::string(toString(cost->method))),
                    QString::fromStdString(cost->basis) } });
    } else {
        addGroup(5, tr("Cost"), { { tr("per 1,000 images"), none, QString::fromStdString(report.costError) } });
    }
    m_grid->setColumnStretch(6, 1);
    // What a reader must know before trusting the latencies, in words, under the numbers.
    QStringList notes;
    for (const std::string& note : measurementNotes(report.run, s))
        notes << QStringLiteral("⚠ ") + QString::fromStdString(note);
    // The configuration's thresholds, as judged when the run ended (docs/configuration.md).
    if (const auto verdicts = storedThresholds(report.run); !verdicts.empty()) {
        QStringList lines { allPassed(verdicts) ? tr("Thresholds: all passed") : tr("Thresholds: BREACHED") };
        for (const ThresholdVerdict& verdict : verdicts)
            lines << (verdict.passed ? QStringLiteral("✓ ") : QStringLiteral("✗ "))
                    + QString::fromStdString(t2i::thresholdText(verdict));
        auto* thresholds = new QLabel(lines.join(QLatin1Char('\n')), this);
        thresholds->setObjectName(QStringLiteral("thresholdVerdict"));
        thresholds->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_grid->addWidget(thresholds, 2, 0, 1, 6);
    }
    if (!notes.isEmpty()) {
        auto* warning = new QLabel(notes.join(QLatin1Char('\n')), this);
        warning->setObjectName(QStringLiteral("measurementWarnings"));
        warning->setWordWrap(true);
        warning->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_grid->addWidget(warning, 1, 0, 1, 6);
    }
}

QString RunSummaryPanel::warningText() const
{
    const auto* warning = findChild<QLabel*>(QStringLiteral("measurementWarnings"));
    return warning ? warning->text() : QString();
}

QString RunSummaryPanel::thresholdText() const
{
    const auto* label = findChild<QLabel*>(QStringLiteral("thresholdVerdict"));
    return label ? label->text() : QString();
}

QString RunSummaryPanel::valueText(const QString& label) const
{
    const auto* value = findChild<QLabel*>(QStringLiteral("value:") + label);
    return value ? value->text() : QString();
}

} // namespace t2i::ui
