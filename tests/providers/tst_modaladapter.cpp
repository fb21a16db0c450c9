// SPDX-License-Identifier: Apache-2.0
// The Modal adapter on canned answers shaped like a Modal web endpoint's (docs/protocols.md §4): the
// app-defined body template, image extraction, proxy auth, spawn-then-poll and errors.
#include "modal/modaladapter.h"
#include "registry/registry.h"

#include "adaptertesthelpers.h"
#include "serverlessfixtures.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using namespace adaptertest;
using nlohmann::json;

namespace {

ModalOptions options(const std::string& mode = "sync")
{
    ModalOptions o;
    o.url = "https://ws--bench-generate.modal.run";
    o.mode = mode;
    o.apiKey = "wk-id123:ws-secret456";
    o.pollIntervalMs = 100;
    return o;
}

} // namespace

class TestModalAdapter : public QObject {
    Q_OBJECT
private slots:
    void defaultBodyAndProxyAuth()
    {
        ModalAdapter adapter(options());
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(r.method, std::string("POST"));
        QCOMPARE(r.url, std::string("https://ws--bench-generate.modal.run"));
        QCOMPARE(headerOf(r, "Modal-Key"), std::string("wk-id123"));
        QCOMPARE(headerOf(r, "Modal-Secret"), std::string("ws-secret456"));
        QCOMPARE(headerOf(r, "Authorization"), std::string());
        QCOMPARE(headerOf(r, "Content-Type"), std::string("application/json"));
        const json body = json::parse(r.body);
        QCOMPARE(body["prompt"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(body["width"].get<int>(), 768);
        QCOMPARE(body["height"].get<int>(), 512);
        QCOMPARE(body["num_inference_steps"].get<int>(), 4);
        QCOMPARE(body["guidance_scale"].get<double>(), 3.5);
        QCOMPARE(body["seed"].get<int>(), 45);
        QCOMPARE(body["num_images"].get<int>(), 2);
    }

    void bearerAndPublicAuth()
    {
        ModalOptions o = options();
        o.authScheme = "bearer";
        o.headers = { { "X-Team", "bench" } };
        ModalAdapter bearer(o);
        JobState job = newJob();
        HttpRequest r = bearer.submit(job);
        QCOMPARE(headerOf(r, "Authorization"), std::string("Bearer wk-id123:ws-secret456"));
        QCOMPARE(headerOf(r, "Modal-Key"), std::string());
        QCOMPARE(headerOf(r, "X-Team"), std::string("bench"));
        o.authScheme = "none";
        ModalAdapter open(o);
        r = open.submit(job);
        QCOMPARE(headerOf(r, "Authorization"), std::string());
        QCOMPARE(headerOf(r, "Modal-Key"), std::string());
    }

    void bodyTemplateTypedAndTextual()
    {
        ModalOptions o = options();
        o.bodyTemplate = json::parse(
            "{\"input\": {\"text\": \"{{prompt}}\", \"size\": \"{{width}}x{{height}}\", \"seed\": \"{{seed}}\","
            " \"cfg\": \"{{guidance}}\", \"fixed\": 7, \"list\": [\"{{steps}}\", \"{{unknown}}\"]}}");
        ModalAdapter adapter(o);
        JobState job = newJob();
        const json body = json::parse(adapter.submit(job).body);
        QCOMPARE(body["input"]["text"].get<std::string>(), std::string("a red fox"));
        QCOMPARE(body["input"]["size"].get<std::string>(), std::string("768x512"));
        QVERIFY(body["input"]["seed"].is_number_integer()); // a whole-string placeholder keeps its type
        QCOMPARE(body["input"]["seed"].get<int>(), 45);
        QCOMPARE(body["input"]["cfg"].get<double>(), 3.5);
        QCOMPARE(body["input"]["fixed"].get<int>(), 7);
        QCOMPARE(body["input"]["list"][0].get<int>(), 4);
        QCOMPARE(body["input"]["list"][1].get<std::string>(), std::string("{{unknown}}"));
    }

    void syncJsonAnswer()
    {
        ModalAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a
            = adapter.onResponse(job, answer(200, modalAppResult(), { { "modal-function-call-id", "fc-abc" } }));
        QVERIFY(isKind(a, Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        QCOMPARE(job.execMs.value_or(-1), 1234.0); // the app's inference_s, in ms
        QVERIFY(!job.queueMs.has_value()); // Modal reports none: a cold start shows as latency only
        QCOMPARE(job.workerId, std::string("ta-01HXYZ"));
        QCOMPARE(job.jobId, std::string("fc-abc"));
        QCOMPARE(job.polls, 0);
    }

    void syncBinaryAnswer()
    {
        ModalAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        const Action a = adapter.onResponse(job, answer(200, "\x89PNG-bytes", { { "content-type", "image/png" } }));
        QVERIFY(isKind(a, Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        QCOMPARE(*job.images[0].bytes(), std::string("\x89PNG-bytes"));
        QVERIFY(!job.execMs.has_value());
    }

    void configuredExtraction()
    {
        ProviderConfig provider;
        provider.type = "modal";
        provider.settings = json::parse("{\"url\": \"https://x.modal.run/\", \"extract\": {\"image\": \"/result/png\","
                                        " \"exec_ms\": \"/timing/gen_ms\", \"worker_id\": \"/worker\"}}");
        ModalAdapter adapter(ModalOptions::fromConfig(provider, AdapterContext { {}, "k:s", 50 }));
        JobState job = newJob();
        QCOMPARE(adapter.submit(job).url, std::string("https://x.modal.run"));
        QVERIFY(isKind(adapter.onResponse(job, answer(200, kModalCustomShape)), Action::Kind::Done));
        QCOMPARE(job.images.size(), std::size_t(1));
        QCOMPARE(job.execMs.value_or(-1), 812.5);
        QCOMPARE(job.workerId, std::string("c-9"));

        // The default pointers find nothing in this shape: a clear error naming them.
        ModalAdapter defaults(options());
        JobState other = newJob();
        defaults.submit(other);
        const Action a = defaults.onResponse(other, answer(200, kModalCustomShape));
        QVERIFY(isError(a, ErrorClass::InvalidImage));
        QVERIFY2(mentions(a, "/images or /image") && mentions(a, "extract.image"), a.message.c_str());
    }

    void spawnFlow()
    {
        ModalAdapter adapter(options("spawn"));
        JobState job = newJob();
        const HttpRequest submit = adapter.submit(job);
        QCOMPARE(submit.url, std::string("https://ws--bench-generate.modal.run/accept"));
        QVERIFY(!adapter.cancel(job).has_value());
        Action a = adapter.onResponse(job, answer(200, kModalSpawned));
        QVERIFY(isKind(a, Action::Kind::Poll));
        QVERIFY(job.accepted);
        QCOMPARE(job.jobId, std::string("fc-01J8ZQ6S0D8Z"));
        QCOMPARE(a.request.method, std::string("GET"));
        QCOMPARE(a.request.url, std::string("https://ws--bench-generate.modal.run/result/fc-01J8ZQ6S0D8Z"));
        QCOMPARE(headerOf(a.request, "Modal-Key"), std::string("wk-id123"));
        QCOMPARE(a.delayMs, 100.0);
        a = adapter.onResponse(job, answer(202, kModalPending));
        QVERIFY(isKind(a, Action::Kind::Poll));
        QCOMPARE(a.request.url, std::string("https://ws--bench-generate.modal.run/result/fc-01J8ZQ6S0D8Z"));
        a = adapter.onResponse(job, answer(202, kModalPending));
        QCOMPARE(job.polls, 2);
        a = adapter.onResponse(job, answer(200, modalAppResult()));
        QVERIFY(isKind(a, Action::Kind::Done));
        QCOMPARE(job.execMs.value_or(-1), 1234.0);
        QCOMPARE(job.jobId, std::string("fc-01J8ZQ6S0D8Z"));
        QVERIFY(!adapter.cancel(job).has_value()); // no cancel route configured: Modal's web layer has none
    }

    void spawnRoutesAndCancelConfigurable()
    {
        ModalOptions o = options("spawn");
        o.submitPath = "/jobs";
        o.resultPath = "/jobs/{call_id}/result";
        o.cancelPath = "/jobs/{call_id}";
        o.cancelMethod = "DELETE";
        o.callIdPointer = "/job/id";
        ModalAdapter adapter(o);
        JobState job = newJob();
        QCOMPARE(adapter.submit(job).url, std::string("https://ws--bench-generate.modal.run/jobs"));
        const Action a = adapter.onResponse(job, answer(201, "{\"job\": {\"id\": \"fc-9\"}}"));
        QCOMPARE(a.request.url, std::string("https://ws--bench-generate.modal.run/jobs/fc-9/result"));
        const auto cancel = adapter.cancel(job);
        QVERIFY(cancel.has_value());
        QCOMPARE(cancel->method, std::string("DELETE"));
        QCOMPARE(cancel->url, std::string("https://ws--bench-generate.modal.run/jobs/fc-9"));
        QCOMPARE(headerOf(*cancel, "Modal-Secret"), std::string("ws-secret456"));

        JobState missing = newJob();
        adapter.submit(missing);
        QVERIFY(isError(adapter.onResponse(missing, answer(200, kModalSpawned)), ErrorClass::ServerError));
    }

    void legacyAcceptedIsPolled()
    {
        ModalAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        Action a = adapter.onResponse(job, answer(202, kModalLegacyAccepted));
        QVERIFY(isKind(a, Action::Kind::Poll));
        QCOMPARE(a.request.url, std::string("https://ws--app-fn.modal.run/result?__modal_function_call_id=fc-77"));
        a = adapter.onResponse(job, answer(202, ""));
        QCOMPARE(a.request.url, std::string("https://ws--app-fn.modal.run/result?__modal_function_call_id=fc-77"));
        a = adapter.onResponse(job, answer(200, modalAppResult()));
        QVERIFY(isKind(a, Action::Kind::Done));
        QCOMPARE(job.polls, 2);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<bool>("afterSpawn");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("mentioning");
        const auto row = [](const char* name, const char* mode, bool after, int status, const std::string& body,
                             ErrorClass e, const char* text) {
            QTest::newRow(name) << QString(mode) << after << status << QString::fromStdString(body) << int(e)
                                << QString(text);
        };
        row("proxy auth missing is a client error", "sync", false, 401, kModalProxy401, ErrorClass::ClientError,
            "missing credentials");
        row("stopped app is a client error", "sync", false, 404, kModalNotFound, ErrorClass::ClientError,
            "app stopped");
        row("function crash on sync is a server error", "sync", false, 500, "internal error", ErrorClass::ServerError,
            "HTTP 500");
        row("gateway timeout is a timeout", "sync", false, 504, "", ErrorClass::Timeout, "HTTP 504");
        row("function raised on the result route is a platform failure", "spawn", true, 500,
            "{\"detail\": \"RuntimeError: CUDA OOM\"}", ErrorClass::PlatformFailure, "CUDA OOM");
        row("expired call id is a client error", "spawn", true, 404, "{\"detail\": \"Not Found\"}",
            ErrorClass::ClientError, "expired");
        row("non-JSON non-image answer is a server error", "sync", false, 200, "<html>oops</html>",
            ErrorClass::ServerError, "neither an image nor JSON");
        row("JSON without an image is an invalid image", "sync", false, 200, "{\"images\": []}",
            ErrorClass::InvalidImage, "no image");
    }

    void errors()
    {
        QFETCH(QString, mode);
        QFETCH(bool, afterSpawn);
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(int, error);
        QFETCH(QString, mentioning);
        ModalAdapter adapter(options(mode.toStdString()));
        JobState job = newJob();
        adapter.submit(job);
        if (afterSpawn)
            adapter.onResponse(job, answer(200, kModalSpawned));
        const Action a = adapter.onResponse(job, answer(status, body.toStdString()));
        QCOMPARE(int(a.kind), int(Action::Kind::Fail));
        QCOMPARE(int(a.error), error);
        QVERIFY2(mentions(a, mentioning.toStdString()), a.message.c_str());
    }

    void malformedProxyKeyIsExplained()
    {
        ModalOptions o = options();
        o.apiKey = "wk-only";
        ModalAdapter adapter(o);
        JobState job = newJob();
        const HttpRequest r = adapter.submit(job);
        QCOMPARE(headerOf(r, "Modal-Key"), std::string("wk-only"));
        QCOMPARE(headerOf(r, "Modal-Secret"), std::string());
        const Action a = adapter.onResponse(job, answer(401, kModalProxy401));
        QVERIFY(isError(a, ErrorClass::ClientError));
        QVERIFY2(mentions(a, "wk-...:ws-..."), a.message.c_str());
        QVERIFY(!mentions(a, "wk-only")); // the key itself is never in a message
    }

    void transportFailures()
    {
        ModalAdapter adapter(options());
        JobState job = newJob();
        adapter.submit(job);
        HttpResponse timeout;
        timeout.timedOut = true;
        timeout.transportError = "Operation timed out";
        QVERIFY(isError(adapter.onResponse(job, timeout), ErrorClass::Timeout));
        HttpResponse refused;
        refused.transportError = "Connection refused";
        QVERIFY(isError(adapter.onResponse(job, refused), ErrorClass::Transport));
        QCOMPARE(adapter.retryAfterMs(answer(429, "", { { "retry-after", "2" } })).value_or(-1), 2000.0);
    }

    void fromConfigAndRegistry()
    {
        ProviderConfig provider;
        provider.type = "modal";
        provider.settings = json::parse("{\"url\": \"https://ws--app-fn.modal.run\", \"mode\": \"spawn\","
                                        " \"auth_scheme\": \"bearer\", \"headers\": {\"X-A\": \"b\"},"
                                        " \"spawn\": {\"submit_path\": \"/submit\", \"result_path\": \"/r/{call_id}\","
                                        " \"cancel_path\": \"/c/{call_id}\", \"cancel_method\": \"DELETE\"},"
                                        " \"extract\": {\"call_id\": \"/id\", \"exec_s\": \"\"}}");
        ModalOptions o = ModalOptions::fromConfig(provider, AdapterContext { {}, "tok", 75 });
        QCOMPARE(o.url, std::string("https://ws--app-fn.modal.run"));
        QCOMPARE(o.mode, std::string("spawn"));
        QCOMPARE(o.authScheme, std::string("bearer"));
        QCOMPARE(o.headers.size(), std::size_t(1));
        QCOMPARE(o.submitPath, std::string("/submit"));
        QCOMPARE(o.resultPath, std::string("/r/{call_id}"));
        QCOMPARE(o.cancelPath, std::string("/c/{call_id}"));
        QCOMPARE(o.cancelMethod, std::string("DELETE"));
        QCOMPARE(o.callIdPointer, std::string("/id"));
        QCOMPARE(o.output.execSecondsPointer, std::string()); // switched off
        QCOMPARE(o.pollIntervalMs, 75);
        o = ModalOptions::fromConfig(provider, AdapterContext { "http://127.0.0.1:9/", "tok", 75 });
        QCOMPARE(o.url, std::string("http://127.0.0.1:9")); // base_url overrides url
        const auto adapter = makeAdapter(provider, AdapterContext { {}, "tok", 75 });
        QVERIFY(adapter != nullptr);
        QCOMPARE(adapter->type(), std::string("modal"));
        QVERIFY(isKnownProviderType("modal"));
    }
};

QTEST_GUILESS_MAIN(TestModalAdapter)
#include "tst_modaladapter.moc"
