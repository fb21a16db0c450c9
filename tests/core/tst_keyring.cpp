// SPDX-License-Identifier: Apache-2.0
// api_key_keyring: the runner asks an injected resolver for the key (a fake one here), keeps it in
// memory only and says clearly when it cannot have it; the real QtKeychain reader fails gracefully
// where no keyring answers for an entry (a headless machine has no secret service; a desktop has
// no such entry), naming the entry. No test here needs a running keyring.
#include "engine/benchmarkrunner.h"
#include "keyringresolver.h"
#include "registry/registry.h"
#include "store/store.h"
#include "transport/httptransport.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace t2i;
using nlohmann::json;

namespace {

const char* kSecret = "rpa_keyring_secret_0123456789";

RunConfig keyringConfig(const QString& dir)
{
    const json config = {
        { "version", 1 },
        { "name", "keyring" },
        { "providers",
            { { { "id", "pod" }, { "type", "runpod" }, { "endpoint_id", "abc" },
                { "base_url", "http://127.0.0.1:1/v2" }, { "api_key_keyring", "t2ibench/runpod-test" } } } },
        { "variants", { { { "id", "v" }, { "model", "m" }, { "width", 64 }, { "height", 64 }, { "steps", 1 } } } },
        { "workload",
            { { "timeout_s", 5 },
                { "steps", { { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } } } } },
    };
    const ConfigResult parsed = parseConfig(config.dump(), (dir + "/keyring.json").toStdString(), providerCatalog());
    if (!parsed.config)
        qFatal("%s", parsed.errors.front().format().c_str());
    return *parsed.config;
}

} // namespace

class TestKeyring : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { initHttpGlobally(); }

    void entriesAreServiceSlashAccount_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("account");
        QTest::newRow("service/account") << "t2ibench/runpod"
                                         << "t2ibench"
                                         << "runpod";
        QTest::newRow("a bare account is under t2ibench") << "runpod-prod"
                                                          << "t2ibench"
                                                          << "runpod-prod";
        QTest::newRow("only the first slash splits") << "work/fal/eu"
                                                     << "work"
                                                     << "fal/eu";
    }
    void entriesAreServiceSlashAccount()
    {
        QFETCH(QString, value);
        QFETCH(QString, service);
        QFETCH(QString, account);
        const KeyringEntry entry = parseKeyringEntry(value.toStdString());
        QCOMPARE(QString::fromStdString(entry.service), service);
        QCOMPARE(QString::fromStdString(entry.account), account);
    }

    void theResolvedKeyReachesTheAdapterAndNothingElse()
    {
        std::vector<std::string> keysSeen;
        const AdapterFactory factory = [&keysSeen](const ProviderConfig& p, const AdapterContext& c) {
            keysSeen.push_back(c.apiKey);
            return makeAdapter(p, c);
        };
        const QString db = m_dir.filePath("resolved.db");
        BenchmarkRunner runner(keyringConfig(m_dir.path()), db.toStdString(), factory);
        int asked = 0;
        runner.setSecretResolver([&asked](const ProviderConfig& p, std::string*) -> std::optional<std::string> {
            ++asked;
            return p.settings["api_key_keyring"] == "t2ibench/runpod-test" ? std::optional<std::string>(kSecret)
                                                                           : std::nullopt;
        });
        QVERIFY(runner.preflight().empty());
        const auto outcomes = runner.runAll({});
        QCOMPARE(outcomes.size(), std::size_t(1));
        QCOMPARE(asked, 1); // read once, in preflight, then kept in memory
        QCOMPARE(keysSeen.back(), std::string(kSecret));

        // The key is in no stored byte of the run: config, environment, records.
        auto store = Store::open(db.toStdString());
        const RunInfo run = *store->findRun(outcomes.front().runId);
        QVERIFY(run.configJson.find(kSecret) == std::string::npos);
        QVERIFY(run.environmentJson.find(kSecret) == std::string::npos);
        QVERIFY(run.message.find(kSecret) == std::string::npos);
        for (const auto& record : store->records(run.id))
            QVERIFY(record.errorMessage.find(kSecret) == std::string::npos);
    }

    void aResolverFailureIsAPreflightProblemNamingTheEntry()
    {
        BenchmarkRunner runner(keyringConfig(m_dir.path()), m_dir.filePath("failed.db").toStdString(), makeAdapter);
        runner.setSecretResolver([](const ProviderConfig&, std::string* error) -> std::optional<std::string> {
            *error = "the keyring entry \"t2ibench/runpod-test\" cannot be read: no OS keyring is available";
            return std::nullopt;
        });
        const auto problems = runner.preflight();
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY2(problems.front().find("providers[0].api_key_keyring: the keyring entry \"t2ibench/runpod-test\"")
                != std::string::npos,
            problems.front().c_str());
    }

    void anEmptySecretIsRefused()
    {
        BenchmarkRunner runner(keyringConfig(m_dir.path()), m_dir.filePath("empty.db").toStdString(), makeAdapter);
        runner.setSecretResolver([](const ProviderConfig&, std::string*) { return std::optional<std::string>(""); });
        const auto problems = runner.preflight();
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY2(
            problems.front().find("\"t2ibench/runpod-test\" is empty") != std::string::npos, problems.front().c_str());
    }

    void withoutAResolverTheKeyringIsAProblem()
    {
        BenchmarkRunner runner(keyringConfig(m_dir.path()), m_dir.filePath("none.db").toStdString(), makeAdapter);
        const auto problems = runner.preflight();
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY2(problems.front().find("cannot read the OS keyring (entry \"t2ibench/runpod-test\"); use api_key_env")
                != std::string::npos,
            problems.front().c_str());
    }

    void theRealKeyringFailsGracefullyNamingTheEntry()
    {
        // A name nobody has stored: a desktop keyring answers "not found", a headless machine
        // "no keyring"; either way no secret and a message naming the entry.
        const KeyringEntry entry { "t2ibench-test",
            "no-such-entry-" + std::to_string(QDateTime::currentMSecsSinceEpoch()) };
        std::string error;
        const auto secret = readKeyring(entry, std::chrono::seconds(20), &error);
        QVERIFY(!secret);
        qInfo("the keyring here says: %s", error.c_str());
        QVERIFY2(error.find("the keyring entry \"" + entry.text() + "\"") != std::string::npos, error.c_str());
    }

    void theRealKeyringIsReadFromAnotherThreadToo()
    {
        // A program whose runner is on a worker thread (the dashboard): the read runs on the
        // application's thread, which keeps running its event loop here.
        const KeyringEntry entry { "t2ibench-test", "other-thread-entry" };
        std::atomic<bool> done { false };
        std::string error;
        std::optional<std::string> secret;
        std::thread reader([&] {
            secret = readKeyring(entry, std::chrono::seconds(20), &error);
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
        reader.join();
        QVERIFY(!secret);
        QVERIFY2(error.find("t2ibench-test/other-thread-entry") != std::string::npos, error.c_str());
    }

    void aWriteIsAnsweredOnceNamingTheEntryWhenItFails()
    {
        // The dashboard's "Store in keyring...": a headless machine has no keyring to write to, a
        // desktop one takes the entry (and then reads it back the same).
        QCOMPARE(keyringUnavailableReason(), std::string()); // this build has QtKeychain
        const KeyringEntry entry { "t2ibench-test", "write-test-entry" };
        int answers = 0;
        std::string error;
        writeKeyringAsync(entry, "t2i-test-value", [&](const std::string& e) {
            ++answers;
            error = e;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answers > 0, 30000);
        QCOMPARE(answers, 1);
        if (!error.empty()) {
            qInfo("the keyring here says: %s", error.c_str());
            QVERIFY2(
                error.find("the keyring entry \"t2ibench-test/write-test-entry\"") != std::string::npos, error.c_str());
        } else {
            std::string readError;
            QCOMPARE(readKeyring(entry, std::chrono::seconds(20), &readError).value_or(readError),
                std::string("t2i-test-value"));
        }
        int malformed = 0;
        writeKeyringAsync(parseKeyringEntry("t2ibench/"), "x", [&](const std::string& e) {
            ++malformed;
            QVERIFY2(e.find("must be \"service/account\"") != std::string::npos, e.c_str());
        });
        QCOMPARE(malformed, 1);
    }

    void aMalformedEntryIsRefusedBeforeAnyLookup()
    {
        std::string error;
        QVERIFY(!readKeyring(parseKeyringEntry("t2ibench/"), std::chrono::seconds(1), &error));
        QVERIFY2(error.find("must be \"service/account\"") != std::string::npos, error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestKeyring)
#include "tst_keyring.moc"
