// SPDX-License-Identifier: Apache-2.0
// The ComfyUI adapter on canned workflows and answers shaped like ComfyUI's (docs/protocols.md §11):
// where the job's fields land in a workflow, the /prompt -> /queue -> /history flow, timings,
// errors, the cancel route for each state, and the health counts.
#include "adaptertesthelpers.h"
#include "comfyui/comfyuiadapter.h"
#include "registry/registry.h"

#include "comfyuifixtures.h"

#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace t2i;
using nlohmann::json;

namespace {

using adaptertest::headerOf;

ComfyUIOptions options(const std::string& graph = kComfyDefaultGraph, const std::string& mapping = {})
{
    ComfyUIOptions o;
    o.baseUrl = "http://127.0.0.1:8188";
    o.workflowLabel = "test.json";
    o.workflow = json::parse(graph);
    o.placed = locateSlots(o.workflow, mapping.empty() ? json() : json::parse(mapping), o.workflowLabel);
    o.clientId = "client-1";
    o.pollIntervalMs = 100;
    return o;
}

JobState newJob()
{
    JobState job;
    job.job.prompt = "a red fox";
    job.job.seed = 45;
    job.job.variant.model = "sdxl-base.safetensors";
    job.job.variant.width = 768;
    job.job.variant.height = 512;
    job.job.variant.steps = 4;
    job.job.variant.guidance = 3.5;
    job.job.variant.images = 2;
    return job;
}

HttpResponse answer(int status, std::string body)
{
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

bool isError(const Action& a, ErrorClass e)
{
    return a.kind == Action::Kind::Fail && a.error == e;
}

// A job the server accepted as "ID", polled once more with body at the queue phase.
JobState acceptedJob(ComfyUIAdapter& adapter)
{
    JobState job = newJob();
    adapter.submit(job);
    adapter.onResponse(job, answer(200, kComfyPromptAccepted));
    return job;
}

JobState finishedQueueJob(ComfyUIAdapter& adapter)
{
    JobState job = acceptedJob(adapter);
    adapter.onResponse(job, answer(200, kComfyQueueEmpty));
    return job;
}

void writeFile(const QString& path, const std::string& text)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

} // namespace

class TestComfyUIAdapter : public QObject {
    Q_OBJECT
private slots:
    void defaultGraphPlacesEveryField()
    {
        const json graph = json::parse(kComfyDefaultGraph);
        const WorkflowSlots placed = locateSlots(graph, json(), "default");
        QVERIFY(placed.seed == std::vector<InputSlot>({ { "3", "seed" } }));
        QVERIFY(placed.steps == std::vector<InputSlot>({ { "3", "steps" } }));
        QVERIFY(placed.cfg == std::vector<InputSlot>({ { "3", "cfg" } }));
        QVERIFY(placed.prompt == std::vector<InputSlot>({ { "6", "text" } })); // the positive one, not 7
        QVERIFY(placed.width == std::vector<InputSlot>({ { "5", "width" } }));
        QVERIFY(placed.batchSize == std::vector<InputSlot>({ { "5", "batch_size" } }));
        QVERIFY(placed.model.empty()); // only when mapped
        const json filled = fillWorkflow(graph, placed, newJob().job);
        QCOMPARE(filled["3"]["inputs"]["seed"].get<int>(), 45);
        QCOMPARE(filled["3"]["inputs"]["steps"].get<int>(), 4);
        QCOMPARE(filled["3"]["inputs"]["cfg"].get<double>(), 3.5);
        QCOMPARE(filled["6"]["inputs"]["text"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(filled["7"]["inputs"]["text"].get<std::string>(), std::string("negative"));
        QCOMPARE(filled["5"]["inputs"]["width"].get<int>(), 768);
        QCOMPARE(filled["5"]["inputs"]["height"].get<int>(), 512);
        QCOMPARE(filled["5"]["inputs"]["batch_size"].get<int>(), 2);
        QCOMPARE(filled["4"]["inputs"]["ckpt_name"].get<std::string>(), std::string("v1-5-pruned-emaonly.safetensors"));
        QCOMPARE(filled["3"]["inputs"]["positive"], json::array({ "6", 0 })); // links untouched
    }

    void shippedWorkflowIsUsable()
    {
        const std::string path = defaultComfyWorkflowPath();
        const json graph = loadWorkflowFile(path);
        const WorkflowSlots placed = locateSlots(graph, json(), path);
        QCOMPARE(placed.seed.front().node, std::string("3"));
        QCOMPARE(placed.prompt.front().node, std::string("6"));
    }

    void mappingPlacesFieldsInCustomWorkflows()
    {
        const json refiner = json::parse(kComfyRefinerGraph);
        const WorkflowSlots placed = locateSlots(refiner, json::parse(kComfyRefinerMapping), "refiner");
        QCOMPARE(placed.seed.size(), std::size_t(2));
        const json filled = fillWorkflow(refiner, placed, newJob().job);
        for (const char* node : { "10", "11" }) {
            QCOMPARE(filled[node]["inputs"]["noise_seed"].get<int>(), 45);
            QCOMPARE(filled[node]["inputs"]["steps"].get<int>(), 4);
        }
        QCOMPARE(filled["6"]["inputs"]["text"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(filled["15"]["inputs"]["text"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(filled["4"]["inputs"]["ckpt_name"].get<std::string>(), std::string("sdxl-base.safetensors"));
        QCOMPARE(filled["5"]["inputs"]["width"].get<int>(), 768); // the latent found by class

        const json flux = json::parse(kComfyFluxGraph);
        const json fluxFilled
            = fillWorkflow(flux, locateSlots(flux, json::parse(kComfyFluxMapping), "flux"), newJob().job);
        QCOMPARE(fluxFilled["25"]["inputs"]["noise_seed"].get<int>(), 45);
        QCOMPARE(fluxFilled["26"]["inputs"]["guidance"].get<double>(), 3.5);
        QCOMPARE(fluxFilled["27"]["inputs"]["batch_size"].get<int>(), 2); // EmptySD3LatentImage found by class
    }

    void unplaceableFieldsAreNamed_data()
    {
        QTest::addColumn<QString>("graph");
        QTest::addColumn<QString>("mapping");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char* name, const std::string& graph, const char* mapping, const char* expected) {
            QTest::newRow(name) << QString::fromStdString(graph) << mapping << expected;
        };
        row("two samplers", kComfyRefinerGraph, "", "2 KSampler nodes (10, 11)");
        row("positive through a combine", kComfyCombinedGraph, "", "comes from node 20 (ConditioningCombine)");
        row("no sampler", kComfyFluxGraph, "", "no place for \"seed\": expected a KSampler node");
        row("no place for cfg", kComfyFluxGraph,
            "{\"seed\": \"25.inputs.noise_seed\", \"steps\": \"17.inputs.steps\", \"prompt\": \"6.inputs.text\"}",
            "no place for \"cfg\"");
        row("mapped node missing", kComfyDefaultGraph, "{\"seed\": \"99.inputs.seed\"}", "there is no node \"99\"");
        row("mapped input missing", kComfyDefaultGraph, "{\"seed\": \"3.inputs.sed\"}",
            "node 3 (KSampler) has no input \"sed\"");
        row("mapped input is a link", kComfyDefaultGraph, "{\"prompt\": \"3.inputs.positive\"}",
            "is a link from node \"6\"");
        row("mapping syntax", kComfyDefaultGraph, "{\"seed\": \"3.seed\"}", "is not \"<node id>.inputs.<input name>\"");
        row("unknown field", kComfyDefaultGraph, "{\"sede\": \"3.inputs.seed\"}", "inputs.sede is not a job field");
        row("UI format", kComfyUiFormat, "", "UI-format export");
    }

    void unplaceableFieldsAreNamed()
    {
        QFETCH(QString, graph);
        QFETCH(QString, mapping);
        QFETCH(QString, expected);
        try {
            locateSlots(json::parse(graph.toStdString()),
                mapping.isEmpty() ? json() : json::parse(mapping.toStdString()), "wf.json");
            QFAIL("no error");
        } catch (const WorkflowError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(expected), qPrintable(message));
            QVERIFY2(message.startsWith("workflow wf.json"), qPrintable(message));
        }
    }

    void fromConfigResolvesTheWorkflowAgainstTheConfigFolder()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("wf.json"), kComfyRefinerGraph);
        ProviderConfig provider;
        provider.type = "comfyui";
        provider.configDir = dir.path().toStdString();
        provider.settings
            = { { "type", "comfyui" }, { "workflow", "wf.json" }, { "inputs", json::parse(kComfyRefinerMapping) } };
        const ComfyUIOptions o
            = ComfyUIOptions::fromConfig(provider, AdapterContext { "http://gpu-box:8188/api/", "", 50 });
        QCOMPARE(o.workflowLabel, (std::filesystem::path(provider.configDir) / "wf.json").string());
        QCOMPARE(o.baseUrl, std::string("http://gpu-box:8188/api"));
        QCOMPARE(o.pollIntervalMs, 50);
        QCOMPARE(o.placed.seed.size(), std::size_t(2));
        QVERIFY(!o.clientId.empty());

        provider.settings = { { "type", "comfyui" } }; // no workflow: the shipped one, default address
        const ComfyUIOptions shipped = ComfyUIOptions::fromConfig(provider, AdapterContext { "", "", 250 });
        QCOMPARE(shipped.workflowLabel, std::filesystem::path(defaultComfyWorkflowPath()).lexically_normal().string());
        QCOMPARE(shipped.baseUrl, std::string("http://127.0.0.1:8188"));

        provider.settings = { { "type", "comfyui" }, { "workflow", "missing.json" } };
        QVERIFY_THROWS_EXCEPTION(WorkflowError, ComfyUIOptions::fromConfig(provider, AdapterContext {}));
        QVERIFY_THROWS_EXCEPTION(WorkflowError, makeAdapter(provider, AdapterContext {}));
        provider.settings = { { "type", "comfyui" } };
        QCOMPARE(makeAdapter(provider, AdapterContext {})->type(), std::string("comfyui"));
    }

    void submitSendsTheFilledWorkflow()
    {
        ComfyUIAdapter adapter(options());
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.method, std::string("POST"));
        QCOMPARE(r.url, std::string("http://127.0.0.1:8188/prompt"));
        QCOMPARE(headerOf(r, "Authorization"), std::string()); // ComfyUI has no auth
        const json body = json::parse(r.body);
        QCOMPARE(body["client_id"].get<std::string>(), std::string("client-1"));
        QCOMPARE(body["prompt_id"].get<std::string>(), job.jobId); // ours, so it can be cancelled early
        QCOMPARE(job.jobId.size(), std::size_t(36));
        QCOMPARE(body["prompt"]["6"]["inputs"]["text"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(body["prompt"]["5"]["inputs"]["batch_size"].get<int>(), 2);
        JobState other = newJob();
        adapter.submit(other);
        QVERIFY(other.jobId != job.jobId);

        ComfyUIOptions keyed = options();
        keyed.apiKey = "proxy-token";
        JobState third = newJob();
        QCOMPARE(headerOf(ComfyUIAdapter(keyed).submit(third), "Authorization"), std::string("Bearer proxy-token"));
    }

    void acceptedPromptIsPolledOnTheQueue()
    {
        ComfyUIAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(job, answer(200, kComfyPromptAccepted));
        QCOMPARE(int(a.kind), int(Action::Kind::Poll));
        QCOMPARE(a.request.url, std::string("http://127.0.0.1:8188/queue"));
        QCOMPARE(a.delayMs, 100.0);
        QVERIFY(job.accepted);
        QCOMPARE(job.jobId, std::string("ID")); // the server's id is the one that counts
        QCOMPARE(job.providerStatus, std::string("pending"));
    }

    void queueTellsPendingRunningAndGone()
    {
        ComfyUIAdapter adapter(options());
        JobState job = acceptedJob(adapter);
        Action a = adapter.onResponse(job, answer(200, kComfyQueuePending));
        QCOMPARE(job.providerStatus, std::string("pending"));
        QCOMPARE(job.phase, JobPhase::Queued);
        QCOMPARE(a.request.url, std::string("http://127.0.0.1:8188/queue"));
        a = adapter.onResponse(job, answer(200, kComfyQueueRunning));
        QCOMPARE(job.providerStatus, std::string("running"));
        QCOMPARE(job.phase, JobPhase::Running);
        QCOMPARE(int(a.kind), int(Action::Kind::Poll));
        a = adapter.onResponse(job, answer(200, kComfyQueueEmpty));
        QCOMPARE(a.request.url, std::string("http://127.0.0.1:8188/history/ID"));
        QCOMPARE(a.delayMs, 0.0); // the entry is written before the prompt leaves the queue
        QCOMPARE(job.polls, 3);
    }

    void historyGivesTimingsAndFiles()
    {
        ComfyUIAdapter adapter(options());
        JobState job = finishedQueueJob(adapter);
        const Action a = adapter.onResponse(job, answer(200, kComfyHistorySuccess));
        QVERIFY2(a.kind == Action::Kind::Done, a.message.c_str());
        QCOMPARE(*job.queueMs, 250.0); // execution_start - extra_data.create_time
        QCOMPARE(*job.execMs, 1483.0); // execution_success - execution_start
        QCOMPARE(job.providerStatus, std::string("success"));
        QVERIFY(job.images.empty());
        // SaveImage's files, URL-encoded; the PreviewImage temp file is left out.
        QCOMPARE(job.imageUrls.size(), std::size_t(2));
        QCOMPARE(job.imageUrls[0],
            std::string("http://127.0.0.1:8188/view?filename=ComfyUI%2000001_.png&subfolder=&type=output"));
        QCOMPARE(job.imageUrls[1],
            std::string("http://127.0.0.1:8188/view?filename=ComfyUI_00002_.png&subfolder=day%201&type=output"));
    }

    void olderServerLeavesQueueTimeUnknown()
    {
        ComfyUIAdapter adapter(options());
        JobState job = finishedQueueJob(adapter);
        QCOMPARE(int(adapter.onResponse(job, answer(200, kComfyHistoryNoCreateTime)).kind), int(Action::Kind::Done));
        QVERIFY(!job.queueMs);
        QCOMPARE(*job.execMs, 650.0);
    }

    void executionErrorsAreClassified_data()
    {
        QTest::addColumn<QString>("history");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<double>("execMs");
        QTest::newRow("OOM in KSampler") << QString::fromStdString(kComfyHistoryError) << int(ErrorClass::OutOfMemory)
                                         << "node 3 (KSampler) failed: torch.OutOfMemoryError: CUDA out of memory"
                                         << 500.0;
        QTest::newRow("interrupted") << QString::fromStdString(kComfyHistoryInterrupted) << int(ErrorClass::Cancelled)
                                     << "interrupted on the server" << 200.0;
        QTest::newRow("success without images")
            << QString::fromStdString(kComfyHistoryNoImages) << int(ErrorClass::InvalidImage) << "SaveImage" << 200.0;
    }

    void executionErrorsAreClassified()
    {
        QFETCH(QString, history);
        QFETCH(int, error);
        QFETCH(QString, expected);
        QFETCH(double, execMs);
        ComfyUIAdapter adapter(options());
        JobState job = finishedQueueJob(adapter);
        const Action a = adapter.onResponse(job, answer(200, history.toStdString()));
        QVERIFY(isError(a, ErrorClass(error)));
        QVERIFY2(QString::fromStdString(a.message).contains(expected), a.message.c_str());
        QCOMPARE(*job.execMs, execMs);
    }

    void missingHistoryIsRetriedThenFails()
    {
        ComfyUIAdapter adapter(options());
        JobState job = finishedQueueJob(adapter);
        for (int i = 0; i < 2; ++i) {
            const Action a = adapter.onResponse(job, answer(200, "{}"));
            QCOMPARE(int(a.kind), int(Action::Kind::Poll));
            QCOMPARE(a.request.url, std::string("http://127.0.0.1:8188/history/ID"));
        }
        const Action a = adapter.onResponse(job, answer(200, "{}"));
        QVERIFY(isError(a, ErrorClass::ServerError));
        QVERIFY2(a.message.find("--max-history") != std::string::npos, a.message.c_str());
    }

    void refusedPromptNamesTheNode()
    {
        ComfyUIAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(job, answer(400, kComfyValidationFailed));
        QVERIFY(isError(a, ErrorClass::ClientError));
        QVERIFY2(a.message.find("prompt_outputs_failed_validation") != std::string::npos, a.message.c_str());
        QVERIFY2(a.message.find("node 3 (KSampler): Value 0 smaller than min of 1 [steps]") != std::string::npos,
            a.message.c_str());
        QVERIFY(job.jobId.empty()); // nothing of ours is on the server
        QVERIFY(!adapter.cancel(job));
    }

    void transportAndServerErrors()
    {
        ComfyUIAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        QVERIFY(isError(adapter.onResponse(job, answer(200, "<html>")), ErrorClass::ServerError));
        job = acceptedJob(adapter);
        QVERIFY(isError(adapter.onResponse(job, answer(200, "{\"queue_running\": ")), ErrorClass::ServerError));
        job = acceptedJob(adapter);
        QVERIFY(isError(adapter.onResponse(job, answer(500, "500 Internal Server Error")), ErrorClass::ServerError));
        job = acceptedJob(adapter);
        QVERIFY(isError(adapter.onResponse(job, answer(200, "{}")), ErrorClass::ServerError)); // not a /queue answer
        HttpResponse down;
        down.transportError = "Connection refused";
        job = newJob();
        adapter.submit(job);
        QVERIFY(isError(adapter.onResponse(job, down), ErrorClass::Transport));
        QVERIFY(!job.jobId.empty()); // it may have arrived: still cancellable
        down.timedOut = true;
        QVERIFY(isError(adapter.onResponse(job, down), ErrorClass::Timeout));
    }

    void cancelPicksTheRouteForTheState()
    {
        ComfyUIAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        auto cancel = adapter.cancel(job); // not answered yet: it can only be pending
        QCOMPARE(cancel->url, std::string("http://127.0.0.1:8188/queue"));
        QCOMPARE(json::parse(cancel->body), json({ { "delete", { job.jobId } } }));

        job = acceptedJob(adapter);
        adapter.onResponse(job, answer(200, kComfyQueuePending));
        cancel = adapter.cancel(job);
        QCOMPARE(cancel->method, std::string("POST"));
        QCOMPARE(cancel->url, std::string("http://127.0.0.1:8188/queue"));
        QCOMPARE(json::parse(cancel->body), json({ { "delete", { "ID" } } }));

        adapter.onResponse(job, answer(200, kComfyQueueRunning));
        cancel = adapter.cancel(job);
        QCOMPARE(cancel->url, std::string("http://127.0.0.1:8188/interrupt"));
        QCOMPARE(json::parse(cancel->body), json({ { "prompt_id", "ID" } }));

        adapter.onResponse(job, answer(200, kComfyQueueEmpty));
        QVERIFY(!adapter.cancel(job)); // finished on the server
    }

    void healthCountsTheQueue()
    {
        ComfyUIAdapter adapter(options());
        QCOMPARE(adapter.healthRequest()->url, std::string("http://127.0.0.1:8188/queue"));
        auto sample = adapter.parseHealth(answer(200, kComfyQueuePending));
        QCOMPARE(sample->inProgress, 1);
        QCOMPARE(sample->inQueue, 2);
        QCOMPARE(sample->running, 1);
        QCOMPARE(sample->idle, 0);
        sample = adapter.parseHealth(answer(200, kComfyQueueEmpty));
        QCOMPARE(sample->idle, 1);
        QCOMPARE(sample->inQueue, 0);
        QVERIFY(!adapter.parseHealth(answer(502, "bad gateway")));
        QVERIFY(!adapter.parseHealth(answer(200, "[]")));
    }
};

QTEST_GUILESS_MAIN(TestComfyUIAdapter)
#include "tst_comfyuiadapter.moc"
