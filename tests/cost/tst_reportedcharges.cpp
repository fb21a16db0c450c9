// SPDX-License-Identifier: Apache-2.0
// What the platforms themselves say a request cost, as the adapters read it from their real
// answers (docs/protocols.md §1.8, §9.2): RunPod public endpoints' output.cost in USD, OpenAI's
// usage token counts (kept verbatim for the catalog's token prices).
#include "openai/openaiadapter.h"
#include "runpod/runpodadapter.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using nlohmann::json;

namespace {

HttpResponse answer(const json& body)
{
    HttpResponse r;
    r.status = 200;
    r.body = body.dump();
    return r;
}

JobState fluxJob()
{
    JobState job;
    job.job.prompt = "a red fox";
    job.job.variant.width = 1024;
    job.job.variant.height = 1024;
    return job;
}

json completed(const json& output)
{
    return { { "id", "sync-0f1e-u1" }, { "status", "COMPLETED" }, { "delayTime", 17 }, { "executionTime", 3986 },
        { "workerId", "oqk7ao1uomckye" }, { "output", output } };
}

} // namespace

class TestReportedCharges : public QObject {
    Q_OBJECT

private slots:
    void runpodOutputCost_data()
    {
        QTest::addColumn<QString>("cost"); // output.cost as JSON; empty: absent
        QTest::addColumn<double>("expected"); // < 0: no reported charge
        // The documented 1024x1024 FLUX dev charge: 1.048576 MP x $0.02.
        QTest::newRow("a public endpoint's output.cost is kept") << "0.02097152" << 0.02097152;
        QTest::newRow("a worker without cost reports none") << QString() << -1.0;
        QTest::newRow("a cost that is not a number is ignored") << "\"0.02\"" << -1.0;
        QTest::newRow("a negative cost is ignored") << "-1" << -1.0;
    }

    void runpodOutputCost()
    {
        QFETCH(QString, cost);
        QFETCH(double, expected);
        RunPodOptions options;
        options.endpointId = "black-forest-labs-flux-1-dev";
        options.mode = "runsync";
        RunPodAdapter adapter(options);
        JobState job = fluxJob();
        adapter.submit(job);
        json output = { { "image_url", "https://image.runpod.ai/abc123/output.png" } };
        if (!cost.isEmpty())
            output["cost"] = json::parse(cost.toStdString());
        const Action a = adapter.onResponse(job, answer(completed(output)));
        QCOMPARE(int(a.kind), int(Action::Kind::Done));
        if (expected < 0) {
            QVERIFY(!job.reportedCostUsd);
        } else {
            QVERIFY(job.reportedCostUsd);
            QCOMPARE(*job.reportedCostUsd, expected);
        }
    }

    void openaiUsageIsKeptVerbatim()
    {
        OpenAIAdapter adapter(OpenAIOptions {});
        JobState job = fluxJob();
        job.job.variant.model = "gpt-image-1";
        adapter.submit(job);
        const json usage = { { "input_tokens", 50 },
            { "input_tokens_details", { { "text_tokens", 50 }, { "image_tokens", 0 } } }, { "output_tokens", 1056 },
            { "output_tokens_details", { { "image_tokens", 1056 }, { "text_tokens", 0 } } }, { "total_tokens", 1106 } };
        adapter.onResponse(job, answer({ { "created", 1700000000 }, { "data", json::array() }, { "usage", usage } }));
        QVERIFY(!job.reportedCostUsd); // tokens, not dollars: priced later with the catalog
        QCOMPARE(json::parse(job.reportedUsage), usage);

        JobState dalle = fluxJob();
        adapter.submit(dalle);
        adapter.onResponse(dalle, answer({ { "created", 1700000000 }, { "data", json::array() } }));
        QVERIFY(dalle.reportedUsage.empty()); // dall-e sends no usage
    }
};

QTEST_APPLESS_MAIN(TestReportedCharges)
#include "tst_reportedcharges.moc"
