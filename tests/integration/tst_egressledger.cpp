// SPDX-License-Identifier: Apache-2.0
// Egress against the emulator's ledger of bytes served, per front and delivery: a small run
// through the real t2ibench-cli with an egress price, then `cost --json`'s egress bytes and USD
// against the ledger's `egress` for the front that answered (docs/emulator.md, "The ground
// truth"; docs/measurement.md, "Bytes").
//
// What each side counts. The ledger's `response_bytes` is every HTTP response body the front
// wrote, JSON and image files alike, headers not counted. A record's `bytes` is the bodies of
// every answer to its job (submit, polls, downloads) as libcurl received them, and its
// `header_bytes` the header blocks apart; egress is priced on both. So bodies are compared with
// bodies: the cost's egress bytes less its header bytes against `response_bytes`. The ledger
// also counts answers that belong to no job (the runner's readiness probe, health samples,
// which the run keeps to one or two with a long health interval): a few hundred bytes, so the
// jobs' bodies are at most the ledger's and within 1 % of it.
#include "clifixture.h"

#include "store/store.h"

#include <cmath>

using namespace t2itest;
using nlohmann::json;

namespace {

constexpr double kEgressPerGb = 0.09;

// Two 512x512 PNGs per request, priced with an egress rate.
std::string egressConfig(const json& provider, const std::string& truthPath)
{
    json p = provider;
    p["pricing"] = { { "per_second", 0.0001 }, { "egress_per_gb", kEgressPerGb } };
    return instantRunConfig("egress", p, truthPath, 512, 2);
}

} // namespace

class TestEgressLedger : public QObject {
    Q_OBJECT
private slots:
    void egressMatchesTheBytesServed_data()
    {
        QTest::addColumn<QString>("front"); // the ledger's key
        QTest::addColumn<QString>("provider"); // the provider's keys beside the common ones (JSON)
        QTest::addColumn<bool>("urls"); // images delivered as URLs, downloaded and timed apart
        QTest::newRow("runpod inline base64") << "runpod"
                                              << R"({"mode": "run"})" << false;
        QTest::newRow("openai url") << "openai"
                                    << R"({"protocol": "openai", "model": "dall-e-2", "response_format": "url"})"
                                    << true;
        QTest::newRow("openai inline b64_json")
            << "openai"
            << R"({"protocol": "openai", "model": "dall-e-2", "response_format": "b64_json"})" << false;
        QTest::newRow("replicate URL images") << "replicate"
                                              << R"({"protocol": "replicate", "model": "acme/sdxl"})" << true;
        QTest::newRow("fal URL images") << "fal"
                                        << R"({"protocol": "fal", "app": "fal-ai/fast-sdxl"})" << true;
    }

    void egressMatchesTheBytesServed()
    {
        QFETCH(QString, front);
        QFETCH(QString, provider);
        QFETCH(bool, urls);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString truthPath = dir.filePath("truth.jsonl");
        const QString configPath = dir.filePath("egress.json");
        const QString db = dir.filePath("lib.db");
        writeFile(configPath, egressConfig(json::parse(provider.toStdString()), truthPath.toStdString()));

        const CliResult run = runCli({ "run", configPath, "--db", db, "--json" });
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const std::string runId = json::parse(run.out.toStdString())["runs"][0].get<std::string>();
        const QString id = QString::fromStdString(runId);
        const CliResult cost = runCli({ "cost", id, "--db", db, "--json" });
        QVERIFY2(cost.exitCode == 0 || cost.exitCode == 1, cost.err.constData()); // 1: no projection
        const json c = json::parse(cost.out.toStdString())["runs"][0];
        QVERIFY2(c["cost_usd"].is_object(), c.dump().c_str());
        const Truth truth = readTruth(truthPath);
        QVERIFY2(truth.ledger.contains("egress") && truth.ledger["egress"].contains(front.toStdString()),
            truth.ledger.dump().c_str());
        const json& served = truth.ledger["egress"][front.toStdString()];

        // The cost's figures are the records': bodies plus headers, every record counted.
        auto store = t2i::Store::open(db.toStdString());
        const auto records = store->records(runId);
        QCOMPARE(records.size(), std::size_t(7)); // the warm-up and six measured
        std::int64_t bodies = 0, headers = 0;
        int images = 0;
        for (const auto& r : records) {
            QVERIFY2(r.ok, r.errorMessage.c_str());
            bodies += r.bytes;
            headers += r.headerBytes;
            images += r.images;
            // Every answer has a status line and an empty line at least.
            QVERIFY2(r.headerBytes >= 19 * (1 + r.polls), qPrintable(QString("%1 header bytes").arg(r.headerBytes)));
            // URL images are downloaded and timed apart; inline ones have no download.
            QCOMPARE(r.downloadMs.has_value(), urls);
            QCOMPARE(r.downloadedMs.has_value(), urls);
        }
        const std::int64_t egressBytes = c["cost"]["egress_bytes"].get<std::int64_t>();
        QCOMPARE(egressBytes, bodies + headers);
        QCOMPARE(c["cost"]["egress_header_bytes"].get<std::int64_t>(), headers);
        const double egressUsd = c["cost_usd"]["egress"].get<double>();
        QVERIFY(std::abs(egressUsd - double(egressBytes) / 1e9 * kEgressPerGb) <= 1e-12);
        QCOMPARE(c["cost"]["egress_price"].get<std::string>(), std::string("config"));

        // Bodies against bodies (see the top of the file).
        const auto servedBytes = served["response_bytes"].get<std::int64_t>();
        const double off = double(bodies - servedBytes) / double(servedBytes);
        qInfo("%s: bodies %lld + headers %lld = %lld bytes, $%.9f; ledger response_bytes %lld (%lld responses): "
              "%+.4f %%",
            QTest::currentDataTag(), static_cast<long long>(bodies), static_cast<long long>(headers),
            static_cast<long long>(egressBytes), egressUsd, static_cast<long long>(servedBytes),
            served["responses"].get<long long>(), 100.0 * off);
        QVERIFY2(bodies <= servedBytes, "more body bytes received than the emulator served");
        QVERIFY2(std::abs(off) <= 0.01, qPrintable(QString("%1 % off the ledger").arg(100.0 * off)));
        // The images are what the ledger says went out, by the delivery the row asks for.
        QCOMPARE(served[urls ? "file_images" : "inline_images"].get<int>(), images);
        QCOMPARE(served[urls ? "inline_images" : "file_images"].get<int>(), 0);

        // The client-timed download is reported beside the egress cost, in JSON and in text.
        const json& download = c["cost"]["download_ms"];
        QCOMPARE(download["n"].get<int>(), urls ? 6 : 0); // the measured requests
        QCOMPARE(download["p50"].is_number(), urls);
        const CliResult text = runCli({ "show", id, "--db", db });
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("download p50 / p95 (client)"), text.out.constData());
        QVERIFY2(text.out.contains(QByteArray("(") + QByteArray::number(qlonglong(egressBytes)) + " bytes, "),
            text.out.constData());
        QCOMPARE(text.out.contains("download time p50"), urls);
    }
};

QTEST_GUILESS_MAIN(TestEgressLedger)
#include "tst_egressledger.moc"
