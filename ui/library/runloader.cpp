// SPDX-License-Identifier: Apache-2.0
#include "library/runloader.h"

#include "store/store.h"

#include <QDir>
#include <QFileInfo>

namespace t2i::ui {
namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

std::unique_ptr<Store> openStore(const QString& dbPath)
{
    // A new library goes where asked, as with `t2ibench-cli --db`.
    QDir().mkpath(QFileInfo(dbPath).absolutePath());
    return Store::open(dbPath.toStdString());
}

} // namespace

QDateTime parseIsoUtc(const QString& iso)
{
    QDateTime time = QDateTime::fromString(iso, Qt::ISODate);
    // Stored times end in "Z"; one without a zone is UTC too, never local time.
    if (time.isValid() && time.timeSpec() == Qt::LocalTime)
        time.setTimeSpec(Qt::UTC);
    return time;
}

QList<RunRow> loadRunRows(const QString& dbPath)
{
    auto store = openStore(dbPath);
    QList<RunRow> rows;
    for (const RunInfo& run : store->listRuns()) {
        RunRow row;
        row.id = qs(run.id);
        row.name = qs(run.name);
        row.provider = qs(run.providerId);
        row.providerType = qs(run.providerType);
        row.variant = qs(run.variantId);
        row.status = qs(std::string(toString(run.status)));
        row.createdIso = qs(run.created);
        row.created = parseIsoUtc(row.createdIso);
        row.recordCount = store->recordCount(run.id);
        if (const auto notes = store->runNotes(run.id)) {
            row.tags = qs(notes->tags);
            row.notes = qs(notes->notes);
        }
        rows.append(row);
    }
    return rows;
}

RunStats computeRunStats(const RunReport& report)
{
    const RunSummary& s = report.summary;
    RunStats stats;
    stats.runId = qs(report.run.id);
    stats.requests = static_cast<qint64>(s.requests);
    stats.ok = static_cast<qint64>(s.ok);
    stats.hasLatency = s.latency.n > 0;
    stats.p50Ms = s.latency.p50;
    stats.p95Ms = s.latency.p95;
    stats.p50Ci = s.p50Ci;
    stats.p95Ci = s.p95Ci;
    stats.errorRate = s.errorRate;
    // makeReport priced the run with the one cost entry point, as `t2ibench-cli show` does.
    if (report.cost) {
        if (report.cost->images > 0)
            stats.costPer1000 = report.cost->per1000;
        stats.costNote = QStringLiteral("%1 in all for %2 images; price %3")
                             .arg(qs(usd(report.cost->total)))
                             .arg(report.cost->images)
                             .arg(qs(priceText(*report.cost)));
    } else {
        stats.costNote = QStringLiteral("No cost: ") + qs(report.costError);
    }
    return stats;
}

RunStats loadRunStats(const QString& dbPath, const QString& runId)
{
    auto store = openStore(dbPath);
    const auto run = store->findRun(runId.toStdString());
    if (!run)
        throw StoreError("no run " + runId.toStdString() + " in " + dbPath.toStdString());
    const auto records = store->records(run->id);
    const auto samples = store->workerSamples(run->id);
    return computeRunStats(makeReport(*run, records, samples));
}

std::optional<RunDetail> loadRunDetail(const QString& dbPath, const QString& runId)
{
    auto store = openStore(dbPath);
    const auto run = store->findRun(runId.toStdString());
    if (!run)
        return std::nullopt;
    const auto records = store->records(run->id);
    const auto samples = store->workerSamples(run->id);
    RunDetail detail { makeReport(*run, records, samples), {}, {}, {} };
    detail.stats = computeRunStats(detail.report);
    if (const auto notes = store->runNotes(run->id)) {
        detail.tags = qs(notes->tags);
        detail.notes = qs(notes->notes);
    }
    return detail;
}

void deleteRuns(const QString& dbPath, const QStringList& runIds)
{
    auto store = openStore(dbPath);
    for (const QString& id : runIds)
        store->deleteRun(id.toStdString());
}

void saveRunNotes(const QString& dbPath, const QString& runId, const QString& tags, const QString& notes)
{
    auto store = openStore(dbPath);
    store->setRunNotes(runId.toStdString(), Store::RunNotes { tags.toStdString(), notes.toStdString() });
}

} // namespace t2i::ui
