// SPDX-License-Identifier: Apache-2.0
// The config validator on the modal, hf_endpoint and baseten keys: the documented examples are
// accepted, and each mistake is refused with an error naming the key and saying what was wrong.
#include "config/config.h"
#include "registry/registry.h"

#include <QtTest>
#include <nlohmann/json.hpp>

using namespace t2i;
using nlohmann::json;

namespace {

json documentWith(const json& provider)
{
    return { { "version", 1 }, { "name", "serverless" }, { "providers", json::array({ provider }) },
        { "variants",
            json::array({ { { "id", "v" }, { "model", "sdxl-base-1.0" }, { "width", 512 }, { "height", 512 } } }) },
        { "workload",
            { { "steps", json::array({ { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 2 } } }) } } } };
}

json with(json base, const json& extra)
{
    base.update(extra);
    return base;
}

std::string errorsOf(const json& provider)
{
    const ConfigResult result = validateConfig(documentWith(provider), "test.json", providerCatalog());
    std::string out;
    for (const ConfigError& e : result.errors)
        out += e.path + ": " + e.message + "\n";
    return out;
}

} // namespace

class TestServerlessConfig : public QObject {
    Q_OBJECT
private slots:
    void documentedExamplesAreAccepted_data()
    {
        QTest::addColumn<QString>("provider");
        const auto row
            = [](const char* name, const json& p) { QTest::newRow(name) << QString::fromStdString(p.dump()); };
        row("modal sync",
            { { "id", "m" }, { "type", "modal" }, { "url", "https://acme--sdxl-generate.modal.run" },
                { "api_key_env", "MODAL_PROXY_TOKEN" } });
        row("modal spawn with everything",
            { { "id", "m" }, { "type", "modal" }, { "url", "https://acme--api.modal.run" }, { "mode", "spawn" },
                { "auth_scheme", "bearer" }, { "headers", { { "X-Team", "bench" } } },
                { "spawn",
                    { { "submit_path", "/accept" }, { "result_path", "/result/{call_id}" },
                        { "cancel_path", "/cancel/{call_id}" }, { "cancel_method", "DELETE" } } },
                { "body_template", { { "input", { { "text", "{{prompt}}" }, { "size", "{{width}}x{{height}}" } } } } },
                { "extract",
                    { { "image", "/output/png" }, { "exec_ms", "/t" }, { "worker_id", "" }, { "call_id", "/id" } } } });
        row("hf endpoint",
            { { "id", "h" }, { "type", "hf_endpoint" }, { "url", "https://x.endpoints.huggingface.cloud" },
                { "scale_up_timeout_s", 0 }, { "response_format", "json" }, { "extract", { { "image", "/img" } } },
                { "scale_up_retry", { { "when", "always" }, { "max", 5 }, { "delay_ms", 100 } } },
                { "management", { { "namespace", "acme" }, { "name", "ep" } } } });
        row("baseten sync",
            { { "id", "b" }, { "type", "baseten" }, { "model_id", "abc1234" }, { "deployment_id", "q4" } });
        row("baseten async",
            { { "id", "b" }, { "type", "baseten" }, { "model_id", "abc1234" }, { "mode", "async" },
                { "async",
                    { { "result_url", "https://hook/r/{request_id}" }, { "webhook_endpoint", "https://hook/in" },
                        { "priority", 2 }, { "max_time_in_queue_seconds", 600 }, { "queue_status", true } } } });
    }

    void documentedExamplesAreAccepted()
    {
        QFETCH(QString, provider);
        const std::string errors = errorsOf(json::parse(provider.toStdString()));
        QVERIFY2(errors.empty(), errors.c_str());
    }

    void mistakesAreNamed_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char* name, const json& p, const char* expected) {
            QTest::newRow(name) << QString::fromStdString(p.dump()) << QString(expected);
        };
        const json modal = { { "id", "m" }, { "type", "modal" }, { "url", "https://a.modal.run" } };
        row("unknown placeholder", with(modal, { { "body_template", { { "p", "{{promt}}" } } } }),
            "providers[0].body_template.p: unknown placeholder {{promt}}");
        row("body template not an object", with(modal, { { "body_template", "text" } }), "providers[0].body_template");
        row("extract value not a pointer", with(modal, { { "extract", { { "image", "images" } } } }),
            "providers[0].extract.image: must be a JSON pointer");
        row("unknown extract key", with(modal, { { "extract", { { "imag", "/x" } } } }), "providers[0].extract");
        row("spawn path without slash", with(modal, { { "spawn", { { "submit_path", "accept" } } } }),
            "providers[0].spawn.submit_path: must be a path on the app");
        row("bad auth scheme", with(modal, { { "auth_scheme", "basic" } }), "providers[0].auth_scheme");
        const json hf
            = { { "id", "h" }, { "type", "hf_endpoint" }, { "url", "https://x.endpoints.huggingface.cloud" } };
        row("retry policy unknown", with(hf, { { "scale_up_retry", { { "when", "sometimes" } } } }),
            "providers[0].scale_up_retry.when");
        row("management without name", with(hf, { { "management", { { "namespace", "acme" } } } }),
            "providers[0].management.name");
        row("response format unknown", with(hf, { { "response_format", "jpeg" } }), "providers[0].response_format");
        const json baseten = { { "id", "b" }, { "type", "baseten" }, { "model_id", "abc" } };
        row("async without result_url", with(baseten, { { "mode", "async" } }),
            "providers[0].async: mode async needs async.result_url");
        row("async result_url missing in object", with(baseten, { { "mode", "async" }, { "async", json::object() } }),
            "providers[0].async.result_url");
        row("priority out of range", with(baseten, { { "async", { { "priority", 3 } } } }),
            "providers[0].async.priority: must be 0, 1 or 2");
        row("queue time out of range", with(baseten, { { "async", { { "max_time_in_queue_seconds", 5 } } } }),
            "providers[0].async.max_time_in_queue_seconds");
        row("webhook not a URL", with(baseten, { { "async", { { "webhook_endpoint", "hook" } } } }),
            "providers[0].async.webhook_endpoint: must be a URL");
    }

    void mistakesAreNamed()
    {
        QFETCH(QString, provider);
        QFETCH(QString, expected);
        const std::string errors = errorsOf(json::parse(provider.toStdString()));
        QVERIFY2(errors.find(expected.toStdString()) != std::string::npos, errors.c_str());
    }
};

QTEST_GUILESS_MAIN(TestServerlessConfig)
#include "tst_serverlessconfig.moc"
