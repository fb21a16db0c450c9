// SPDX-License-Identifier: Apache-2.0
// The deploy study: its analysis on hand-made repeats, the bounded redacted output tail, and the
// whole study over a real shell command, a real readiness server and the real emulator, whose
// output must never carry the provider's key into the library.
#include "studyfixture.h"

#include "fakeserver.h"
#include "study/deploycommand.h"
#include "study/deploystudy.h"
#include "transport/httptransport.h"

#include <QProcess>
#include <QRegularExpression>

#include <cmath>
#include <csignal>

using namespace t2itest;
using nlohmann::json;

namespace {

const char* kKeyVariable = "T2I_DEPLOY_KEY";
const char* kKey = "deploy-key-9f86d081884c7d65";

using Repeats = std::vector<t2i::DeployRepeat>;

t2i::DeployRepeat repeat(std::optional<int> exit, double commandS, std::optional<double> readyS,
    std::optional<double> latencyS, std::string stoppedAt = {})
{
    t2i::DeployRepeat r;
    r.exitStatus = exit;
    r.commandS = commandS;
    r.readyS = readyS;
    r.firstImageLatencyS = latencyS;
    if (readyS && latencyS)
        r.firstImageS = *readyS + *latencyS;
    r.stoppedAt = std::move(stoppedAt);
    return r;
}

// NaN: the finding has no value.
double valueOf(const t2i::StudyResult& r, const std::string& key)
{
    const t2i::StudyFinding* f = r.finding(key);
    return f && f->value ? *f->value : std::nan("");
}

bool same(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || std::abs(a - b) < 1e-9;
}

// The emulator speaking RunPod's API with the study's key: what the deploy "deployed".
quint16 startEmulator(QProcess& process)
{
    process.start(binDir() + "/t2ibench-emulator",
        { "--profile", "instant", "--protocol", "runpod", "--seed", "3", "--api-key-env", kKeyVariable });
    if (!process.waitForStarted(10000))
        return 0;
    QSignalSpy output(&process, &QProcess::readyReadStandardOutput);
    while (!process.canReadLine() && process.state() == QProcess::Running)
        output.wait(10000);
    static const QRegularExpression first(QStringLiteral("^listening on http://127\\.0\\.0\\.1:(\\d+)\\n$"));
    const auto match = first.match(QString::fromUtf8(process.readLine()));
    return match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
}

} // namespace

Q_DECLARE_METATYPE(Repeats)

class TestDeployStudy : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QProcess m_emulator;
    std::string m_base; // the emulator
    std::unique_ptr<FakeServer> m_ready; // ready_url: with the key, 200 once the deploy's flag file exists, else 503

    json config() const
    {
        return {
            { "version", 1 },
            { "name", "deploy" },
            { "providers",
                { { { "id", "deployed" }, { "type", "runpod" }, { "endpoint_id", "emulated" },
                    { "base_url", m_base + "/v2" }, { "api_key_env", kKeyVariable } } } },
            { "variants",
                { { { "id", "sd256" }, { "model", "sd-1.5" }, { "width", 256 }, { "height", 256 }, { "steps", 4 },
                    { "images", 1 } } } },
            { "prompts", { { "set", "default" }, { "seed", 1 } } },
            { "workload",
                { { "timeout_s", 60 }, { "poll_interval_ms", 50 }, { "warmup_requests", 0 },
                    { "steps", { { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 1 } } } } } },
        };
    }

    StudyRun deploy(const std::string& db, const std::vector<std::pair<std::string, std::string>>& params)
    {
        return runStudy(config(), m_dir.path().toStdString(), m_dir.filePath(QString::fromStdString(db)).toStdString(),
            "deploy", params);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        t2i::initHttpGlobally();
        qputenv(kKeyVariable, kKey);
        const quint16 port = startEmulator(m_emulator);
        QVERIFY2(port != 0, m_emulator.readAllStandardError().constData());
        m_base = "http://127.0.0.1:" + std::to_string(port);
        const QString flag = m_dir.filePath("ready.flag");
        // Like a platform's health endpoint: it wants the key, then says whether the service is up.
        m_ready = std::make_unique<FakeServer>([flag](const FakeRequest& request) {
            if (request.header("authorization") != std::string("Bearer ") + kKey)
                return FakeResponse::json(401, { { "error", "unauthorized" } });
            return QFile::exists(flag) ? FakeResponse::json(200, { { "ok", true } })
                                       : FakeResponse::json(503, { { "ok", false } });
        });
    }

    void cleanupTestCase()
    {
        m_ready.reset();
        m_emulator.closeWriteChannel();
        m_emulator.terminate();
        m_emulator.waitForFinished(10000);
    }

    void analysis_data()
    {
        QTest::addColumn<Repeats>("repeats");
        QTest::addColumn<double>("command");
        QTest::addColumn<double>("ready");
        QTest::addColumn<double>("firstImage");
        QTest::addColumn<QString>("answerHas");
        const double none = std::nan("");
        QTest::newRow("one repeat gives each stage's time from the command's start")
            << Repeats { repeat(0, 40, 55, 3) } << 40.0 << 55.0 << 58.0 << "first image after 58.00 s";
        QTest::newRow("three repeats give the median of each stage")
            << Repeats { repeat(0, 40, 55, 3), repeat(0, 20, 30, 1), repeat(0, 60, 90, 5) } << 40.0 << 55.0 << 58.0
            << "median of 3 repeats";
        QTest::newRow("a failed command leaves its repeat out of every stage") << Repeats {
            repeat(3, 2, std::nullopt, std::nullopt, "the command failed (exit status 3)"), repeat(0, 20, 30, 1)
        } << 20.0 << 30.0 << 31.0 << "median of 1 repeat";
        QTest::newRow("no repeat with an image answers with the first repeat's stop")
            << Repeats { repeat(0, 20, std::nullopt, std::nullopt, "ready_url did not answer 2xx within 5 s") } << 20.0
            << none << none << "No repeat reached a first image: ready_url did not answer 2xx within 5 s";
        QTest::newRow("a command that never ended has no command time")
            << Repeats { repeat(std::nullopt, 1800, std::nullopt, std::nullopt, "killed") } << none << none << none
            << "No repeat reached a first image: killed";
    }

    void analysis()
    {
        QFETCH(Repeats, repeats);
        QFETCH(double, command);
        QFETCH(double, ready);
        QFETCH(double, firstImage);
        QFETCH(QString, answerHas);
        const t2i::StudyResult r = t2i::analyzeDeploy(repeats);
        QVERIFY2(same(valueOf(r, "deploy_command_s"), command), r.finding("deploy_command_s")->text.c_str());
        QVERIFY2(same(valueOf(r, "ready_s"), ready), r.finding("ready_s")->text.c_str());
        QVERIFY2(same(valueOf(r, "first_image_s"), firstImage), r.finding("first_image_s")->text.c_str());
        QVERIFY2(QString::fromStdString(r.answer).contains(answerHas), r.answer.c_str());
        const t2i::StudyTable* table = tableTitled(r, "Repeats");
        QVERIFY(table);
        QCOMPARE(table->rows.size(), repeats.size());
    }

    void spreadIsMinToMax()
    {
        const t2i::StudyResult r
            = t2i::analyzeDeploy({ repeat(0, 40, 55, 3), repeat(0, 20, 30, 1), repeat(0, 60, 90, 5) });
        const t2i::StudyFinding* f = r.finding("first_image_s");
        QCOMPARE(*f->low, 31.0);
        QCOMPARE(*f->high, 95.0);
    }

    void tailIsRedactedAndBounded_data()
    {
        QTest::addColumn<int>("chunk");
        QTest::newRow("a byte at a time: a key cut between reads is still redacted") << 1;
        QTest::newRow("three bytes at a time") << 3;
        QTest::newRow("all at once") << 100000;
    }

    void tailIsRedactedAndBounded()
    {
        QFETCH(int, chunk);
        std::string output;
        for (int i = 0; i < 200; ++i)
            output += "line " + std::to_string(i) + " key=" + kKey + "\n";
        output += "no newline at the end " + std::string(kKey);
        t2i::RedactedTail tail({ kKey }, 1000);
        for (std::size_t at = 0; at < output.size(); at += std::size_t(chunk))
            tail.append(output.data() + at, std::min(std::size_t(chunk), output.size() - at));
        const std::string kept = tail.finish();
        QVERIFY2(kept.size() <= 1000 + 40, std::to_string(kept.size()).c_str());
        QVERIFY(kept.find("deploy-key") == std::string::npos);
        QVERIFY(kept.find(kKey + 5) == std::string::npos); // nor any end of it
        QVERIFY(kept.rfind("[earlier output left out]\n", 0) == 0);
        QVERIFY(kept.find("line 199 key=***\n") != std::string::npos);
        QVERIFY(kept.ends_with("no newline at the end ***"));
        QVERIFY(kept.find("line 0 ") == std::string::npos);
    }

    void aLineLongerThanTheLimitKeepsItsEnd()
    {
        t2i::RedactedTail tail({ kKey }, 100);
        const std::string line = std::string(500, 'x') + kKey + std::string(50, 'y');
        tail.append(line.data(), line.size());
        const std::string kept = tail.finish();
        QVERIFY2(kept.ends_with("***" + std::string(50, 'y')), kept.c_str());
        QVERIFY(kept.find("deploy-key") == std::string::npos);
    }

    void lastLinesKeepsTheEnd()
    {
        QCOMPARE(QString::fromStdString(t2i::lastLines("a\nb\nc\n", 2)), QString("b\nc\n"));
        QCOMPARE(QString::fromStdString(t2i::lastLines("a\nb\nc", 2)), QString("b\nc"));
        QCOMPARE(QString::fromStdString(t2i::lastLines("a\nb\n", 5)), QString("a\nb\n"));
    }

    void commandOutputIsBoundedToItsLastBytes()
    {
        // 20,000 numbered lines (about 190 KB), both streams: only the end is kept, from a line's start.
        const t2i::DeployCommandOutcome out
            = t2i::runDeployCommand("seq 1 20000 | sed 's/$/ is a line of output/'; echo last words >&2",
                m_dir.path().toStdString(), std::chrono::seconds(60), [] { return false; }, { "last" });
        QCOMPARE(out.exitStatus, std::optional<int>(0));
        QVERIFY2(out.outputTail.size() <= t2i::kDeployOutputLimit + 64, std::to_string(out.outputTail.size()).c_str());
        QVERIFY(out.outputTail.rfind("[earlier output left out]\n", 0) == 0);
        QVERIFY(out.outputTail.ends_with("20000 is a line of output\n*** words\n"));
        const std::string afterMarker = out.outputTail.substr(out.outputTail.find('\n') + 1);
        QVERIFY2(
            QRegularExpression("^\\d+ is a line of output\n").match(QString::fromStdString(afterMarker)).hasMatch(),
            afterMarker.substr(0, 80).c_str());
    }

    void backgroundProcessHoldingTheOutputDoesNotHoldTheCommand()
    {
        // The deployment goes on in the background with our pipe as its stdout: the command has
        // still ended, and is not waited for past its exit.
        const t2i::DeployCommandOutcome out = t2i::runDeployCommand("sleep 30 & echo $! > holder.pid; echo started",
            m_dir.path().toStdString(), std::chrono::seconds(20), [] { return false; }, {});
        QFile pid(m_dir.filePath("holder.pid"));
        QVERIFY(pid.open(QIODevice::ReadOnly));
        const int holder = pid.readAll().trimmed().toInt();
        QVERIFY(holder > 0);
        QVERIFY(::kill(holder, 0) == 0); // left running: it is the deployment
        ::kill(holder, SIGKILL);
        QVERIFY(!out.timedOut);
        QCOMPARE(out.exitStatus, std::optional<int>(0));
        QCOMPARE(QString::fromStdString(out.outputTail), QString("started\n"));
    }

    void deployIsTimedToReadyAndFirstImageAndKeepsNoKey()
    {
        // A "deploy" that says the key on stdout and stderr, then makes ready_url answer a little
        // after it exits, as a platform does once the new service is up.
        writeFile(m_dir.filePath("deploy.sh"),
            "rm -f ready.flag\n"
            "echo \"token=$T2I_DEPLOY_KEY\"\n"
            "echo \"stderr says $T2I_DEPLOY_KEY\" >&2\n"
            "sleep 0.2\n"
            "( sleep 0.5; touch ready.flag ) >/dev/null 2>&1 &\n"
            "echo deployed\n");
        const QString db = m_dir.filePath("deploy.db");
        // The key in the command itself must not be stored either.
        const StudyRun s = deploy("deploy.db",
            { { "command", std::string("KEY_COPY=") + kKey + " sh deploy.sh" },
                { "ready_url", m_ready->baseUrl() + "/health" },
                { "ready_header", "Authorization: Bearer {{api_key}}" }, { "poll_s", "0.1" }, { "repeat", "2" } });
        QVERIFY2(s.prepareErrors.empty(), s.prepareErrors.empty() ? "" : s.prepareErrors.front().c_str());
        QVERIFY2(s.outcome.status == t2i::StudyStatus::Completed, s.outcome.message.c_str());
        const t2i::StudyResult& r = s.outcome.result;
        qInfo("%s", r.answer.c_str());
        const double command = valueOf(r, "deploy_command_s"), ready = valueOf(r, "ready_s"),
                     image = valueOf(r, "first_image_s");
        QVERIFY(command > 0);
        QVERIFY(ready >= command); // ready is polled only once the command ended
        QVERIFY(image > ready);
        const t2i::StudyTable* repeats = tableTitled(r, "Repeats");
        QVERIFY(repeats);
        QCOMPARE(repeats->rows.size(), std::size_t(2));
        for (const auto& row : repeats->rows) {
            QCOMPARE(QString::fromStdString(row[1]), QString("0"));
            QCOMPARE(QString::fromStdString(row.back()), QString("-"));
        }
        const t2i::StudyTable* output = tableTitled(r, "Output");
        QVERIFY(output);
        QStringList lines;
        for (const auto& row : output->rows)
            lines << QString::fromStdString(row[0] + ": " + row[1]);
        QVERIFY2(lines.contains("1: token=***"), qPrintable(lines.join('\n')));
        QVERIFY2(lines.contains("2: stderr says ***"), qPrintable(lines.join('\n')));
        QVERIFY2(lines.contains("2: deployed"), qPrintable(lines.join('\n')));
        // Each repeat's first image is a run of the study.
        QCOMPARE(s.info.runs.size(), std::size_t(2));
        QVERIFY(s.info.paramsJson.find("KEY_COPY=***") != std::string::npos);
        // Nowhere in the library: not the output, not the command.
        QVERIFY(!libraryBytes(db).isEmpty());
        QVERIFY(!libraryBytes(db).contains(kKey));
    }

    void failedCommandIsRecordedAndStopsItsRepeat()
    {
        const StudyRun s = deploy("fail.db",
            { { "command", "echo about to fail; exit 3" }, { "ready_url", m_ready->baseUrl() + "/health" } });
        QVERIFY2(s.outcome.status == t2i::StudyStatus::Completed, s.outcome.message.c_str());
        const t2i::StudyResult& r = s.outcome.result;
        const t2i::StudyTable* repeats = tableTitled(r, "Repeats");
        QVERIFY(repeats);
        QCOMPARE(repeats->rows.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(repeats->rows[0][1]), QString("3"));
        QVERIFY2(repeats->rows[0].back() == "the command failed (exit status 3)", repeats->rows[0].back().c_str());
        QVERIFY(std::isnan(valueOf(r, "deploy_command_s")));
        QVERIFY(std::isnan(valueOf(r, "first_image_s")));
        QVERIFY(s.info.runs.empty()); // no image was asked for
        QVERIFY(tableTitled(r, "Output")->rows.at(0)[1] == "about to fail");
    }

    void readyTimeoutIsRecordedWithTheLastAnswer_data()
    {
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("last");
        QTest::newRow("a service that is not up answers 503") << "Authorization: Bearer {{api_key}}"
                                                              << "HTTP 503";
        QTest::newRow("without the key the health endpoint answers 401") << ""
                                                                         << "HTTP 401";
    }

    void readyTimeoutIsRecordedWithTheLastAnswer()
    {
        QFETCH(QString, header);
        QFETCH(QString, last);
        QFile::remove(m_dir.filePath("ready.flag"));
        std::vector<std::pair<std::string, std::string>> params { { "command", "true" },
            { "ready_url", m_ready->baseUrl() + "/health" }, { "ready_timeout_s", "0.5" }, { "poll_s", "0.1" } };
        if (!header.isEmpty())
            params.emplace_back("ready_header", header.toStdString());
        const StudyRun s = deploy("timeout.db", params);
        QVERIFY2(s.outcome.status == t2i::StudyStatus::Completed, s.outcome.message.c_str());
        const t2i::StudyResult& r = s.outcome.result;
        QVERIFY(!std::isnan(valueOf(r, "deploy_command_s")));
        QVERIFY(std::isnan(valueOf(r, "ready_s")));
        const std::string stopped = tableTitled(r, "Repeats")->rows.at(0).back();
        QCOMPARE(QString::fromStdString(stopped),
            "ready_url did not answer 2xx within 0.5 s (ready_timeout_s; last: " + last + ")");
        QVERIFY(s.info.runs.empty());
    }

    void malformedReadyHeaderFailsBeforeAnyCommand()
    {
        const QString marker = m_dir.filePath("ran.flag");
        const StudyRun s = deploy("header.db",
            { { "command", "touch ran.flag" }, { "ready_url", m_ready->baseUrl() + "/health" },
                { "ready_header", "Bearer {{api_key}}" } });
        QCOMPARE(int(s.outcome.status), int(t2i::StudyStatus::Failed));
        QVERIFY2(s.outcome.message.rfind("studies.deploy.ready_header: must be \"Name: value\"", 0) == 0,
            s.outcome.message.c_str());
        QVERIFY(!QFile::exists(marker));
    }

    void commandPastItsTimeoutIsKilledWithItsChildren()
    {
        const QString pidFile = m_dir.filePath("sleeper.pid");
        const StudyRun s = deploy("slow.db",
            { { "command", "sleep 60 & echo $! > sleeper.pid; wait" }, { "ready_url", m_ready->baseUrl() + "/health" },
                { "command_timeout_s", "1" } });
        QVERIFY2(s.outcome.status == t2i::StudyStatus::Completed, s.outcome.message.c_str());
        const auto& row = tableTitled(s.outcome.result, "Repeats")->rows.at(0);
        QCOMPARE(QString::fromStdString(row[1]), QString("-"));
        QVERIFY2(row.back() == "the command ran past command_timeout_s (1 s) and was killed", row.back().c_str());
        QFile pid(pidFile);
        QVERIFY(pid.open(QIODevice::ReadOnly));
        const int sleeper = pid.readAll().trimmed().toInt();
        QVERIFY(sleeper > 0);
        // Gone, or a zombie nobody reaps (in a container PID 1 may not): it runs nothing.
        QFile stat(QString("/proc/%1/stat").arg(sleeper));
        const QByteArray line = stat.open(QIODevice::ReadOnly) ? stat.readAll() : QByteArray();
        QVERIFY2(line.isEmpty() || line.mid(line.lastIndexOf(')') + 2, 1) == "Z", line.constData());
    }

    void requiredParametersAreNamed()
    {
        const StudyRun s = deploy("missing.db", { { "ready_url", "http://127.0.0.1:9/" } });
        QCOMPARE(s.prepareErrors.size(), std::size_t(1));
        QVERIFY2(
            s.prepareErrors.front().rfind("studies.deploy.command: required", 0) == 0, s.prepareErrors.front().c_str());
    }
};

QTEST_GUILESS_MAIN(TestDeployStudy)
#include "tst_deploystudy.moc"
