// SPDX-License-Identifier: Apache-2.0
// t2ibench-cli study and studies, end to end on the emulator: the cold_start study recovers the
// cold-start overhead the ground truth shows, is stored with its run, is listed and printed; bad
// requests are refused before anything runs, naming what was wrong.
#include "../integration/clifixture.h"

#include "stats/summary.h"

#include <algorithm>

using namespace t2itest;
using nlohmann::json;

namespace {

// One worker at most, no noise: every cold start is boot + load = 1.0 s, every job 0.25 s.
const char* kProfile = R"({
  "name": "study-cold", "workers": {"min": 0, "max": 1, "concurrency": 1, "idle_timeout_ms": 600},
  "cold_start": {"boot_median_ms": 600, "boot_sigma": 0, "load_median_ms": 400, "load_sigma": 0},
  "autoscaler": {"scale_on": "queue_delay", "queue_delay_ms": 0, "reaction_delay_ms": 0},
  "service": {"base_ms": 250, "ms_per_megapixel_step": 0, "noise_sigma": 0},
  "images": {"format": "jpeg", "quality": 50}})";

json config(const QString& dir, int providers = 1) // written in dir
{
    json list = json::array();
    for (int i = 0; i < providers; ++i)
        list.push_back({ { "id", "emu" + std::to_string(i) }, { "type", "emulated" },
            { "profile", (dir + "/profile.json").toStdString() }, { "seed", 5 },
            { "truth", "truth.jsonl" } }); // relative: next to the configuration
    return { { "version", 1 }, { "name", "coldstudy" }, { "providers", list },
        { "variants", { { { "id", "v" }, { "model", "sdxl" }, { "width", 256 }, { "height", 256 }, { "steps", 4 } } } },
        { "workload",
            { { "poll_interval_ms", 25 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } } } } },
        { "studies", { { "cold_start", { { "cold_samples", 3 }, { "warm_requests", 6 }, { "idle_s", 0.2 } } } } } };
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return t2i::quantileNearestRank(v, 0.5);
}

} // namespace

class TestStudyCli : public QObject {
    Q_OBJECT

private slots:
    void coldStartRecoversTheTruthAndIsStored()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("profile.json"), kProfile);
        writeFile(dir.filePath("cfg.json"), config(dir.path()).dump(2));
        const QString db = dir.filePath("lib.db");
        const CliResult run
            = runCli({ "study", dir.filePath("cfg.json"), "--kind", "cold_start", "--db", db, "--json" });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const json out = json::parse(run.out.toStdString());
        QCOMPARE(out["status"].get<std::string>(), std::string("completed"));
        QCOMPARE(out["runs"].size(), std::size_t(1));

        // The truth of the study's one run: "<truth>.1".
        const Truth truth = readTruth(dir.filePath("truth.jsonl.1"));
        std::vector<double> cold, warm;
        for (const auto& [id, job] : truth.jobs) {
            const double ms = job["finish_ms"].get<double>() - job["arrival_ms"].get<double>();
            (job["cold"].get<bool>() ? cold : warm).push_back(ms);
        }
        QCOMPARE(cold.size(), std::size_t(4)); // the warm-up and the three probes
        const double truthOverheadS = (median(cold) - median(warm)) / 1000.0;
        double overheadS = -1;
        for (const json& f : out["result"]["findings"])
            if (f["key"] == "cold_overhead_s")
                overheadS = f["value"].get<double>();
        // The client adds its poll interval at most to each latency; the truth's overhead is 1 s.
        QVERIFY2(std::abs(overheadS - truthOverheadS) <= 0.1 * truthOverheadS,
            qPrintable(QStringLiteral("study %1 s, truth %2 s").arg(overheadS).arg(truthOverheadS)));

        // Listed, and printed by id prefix with its answer and run.
        const CliResult list = runCli({ "studies", "--db", db });
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(QByteArray::fromStdString(out["id"].get<std::string>())));
        const CliResult show
            = runCli({ "studies", QString::fromStdString(out["id"].get<std::string>()).left(12), "--db", db });
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains("Cold start study"));
        QVERIFY(show.out.contains("A cold start adds"));
        QVERIFY(show.out.contains(QByteArray::fromStdString(out["runs"][0]["run_id"].get<std::string>())));
    }

    void badRequestsAreRefusedBeforeAnythingRuns_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("providers");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown study") << QStringList { "--kind", "coldstart" } << 1 << "unknown study \"coldstart\"";
        QTest::newRow("bad parameter") << QStringList { "--kind", "cold_start", "--param", "cold_samples=0" } << 1
                                       << "--param cold_samples=0: must be an integer from 1 to 1000";
        QTest::newRow("param without value")
            << QStringList { "--kind", "cold_start", "--param", "idle_s" } << 1 << "--param needs KEY=VALUE";
        QTest::newRow("several providers, none named") << QStringList { "--kind", "cold_start" } << 2
                                                       << "several providers (emu0, emu1): name one with --provider";
        QTest::newRow("unknown provider")
            << QStringList { "--kind", "cold_start", "--provider", "nope" } << 1 << "no provider \"nope\"";
    }

    void badRequestsAreRefusedBeforeAnythingRuns()
    {
        QFETCH(QStringList, extra);
        QFETCH(int, providers);
        QFETCH(QString, message);
        QTemporaryDir dir;
        writeFile(dir.filePath("profile.json"), kProfile);
        writeFile(dir.filePath("cfg.json"), config(dir.path(), providers).dump(2));
        const QString db = dir.filePath("lib.db");
        const CliResult run = runCli(QStringList { "study", dir.filePath("cfg.json"), "--db", db } + extra);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(!QFile::exists(db)); // nothing was written
    }
};

QTEST_MAIN(TestStudyCli)
#include "tst_studycli.moc"
