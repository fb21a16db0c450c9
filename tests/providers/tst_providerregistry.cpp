// SPDX-License-Identifier: Apache-2.0
// The registry's catalog of provider types (providers/registry): each type describes itself
// completely (a factory, a title, its keys with what the setup page and the validator need), and
// a config holding only its required keys and its stated defaults is valid and makes an adapter.
#include "config/config.h"
#include "model/ratelimit.h"
#include "registry/registry.h"
#include "replicate/replicateadapter.h"
#include "runpod/runpodadapter.h"

#include <QtTest>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

using namespace t2i;
using nlohmann::json;

namespace {

json documentWith(const json& provider)
{
    return { { "version", 1 }, { "name", "registry" }, { "providers", json::array({ provider }) },
        { "variants",
            json::array({ { { "id", "v" }, { "model", "sdxl-base-1.0" }, { "width", 512 }, { "height", 512 } } }) },
        { "workload",
            { { "steps", json::array({ { { "kind", "closed" }, { "concurrency", 1 }, { "requests", 2 } } }) } } } };
}

// A sample value for each key some type requires (or, for replicate, needs one of).
json sampleValue(const std::string& type, const std::string& key)
{
    static const std::map<std::string, json> byKey = {
        { "profile", "steady" },
        { "endpoint_id", "abc123" },
        { "app", "fal-ai/flux/dev" },
        { "url", "https://x.example/generate" },
        { "region", "us-east-1" },
        { "endpoint_name", "sdxl" },
        { "access_key_env", "AWS_ACCESS_KEY_ID" },
        { "secret_key_env", "AWS_SECRET_ACCESS_KEY" },
        { "model_id", "abcd1234" },
        { "base_url", "http://127.0.0.1:8000/v1" },
    };
    if (type == "together" && key == "model")
        return "black-forest-labs/FLUX.1-schnell";
    const auto it = byKey.find(key);
    return it == byKey.end() ? json() : it->second;
}

// The type's default config: its required keys with sample values and every key with a stated
// default written out, so that a default the validator refuses is found here.
json defaultProvider(const ProviderDescriptor& type)
{
    json p = { { "id", "p" }, { "type", type.type } };
    for (const SettingSpec& spec : type.settings) {
        if (spec.required)
            p[spec.key] = sampleValue(type.type, spec.key);
        else if (!spec.defaultValue.is_null())
            p[spec.key] = spec.defaultValue;
    }
    for (const SettingSpec& spec : type.requiredCommon)
        p[spec.key] = sampleValue(type.type, spec.key);
    if (type.type == "replicate") // exactly one of model, deployment, version: none alone is required
        p["model"] = "acme/sdxl";
    if (!type.defaultRateLimits.is_null())
        p["rate_limits"] = type.defaultRateLimits;
    return p;
}

// A JSON object keeps its keys sorted: the limits are compared by operation, not in order.
RateLimits byOperation(RateLimits limits)
{
    std::sort(
        limits.begin(), limits.end(), [](const RateLimit& a, const RateLimit& b) { return a.operation < b.operation; });
    return limits;
}

std::string errorsOf(const json& provider)
{
    const ConfigResult result = validateConfig(documentWith(provider), "registry.json", providerCatalog());
    std::string out;
    for (const ConfigError& e : result.errors)
        out += e.path + ": " + e.message + "\n";
    return out;
}

} // namespace

class TestProviderRegistry : public QObject {
    Q_OBJECT

private slots:
    void catalogNamesEveryTypeOnce()
    {
        const std::vector<std::string> expected
            = { "emulated", "runpod", "replicate", "fal", "modal", "sagemaker", "hf_endpoint", "baseten", "openai",
                  "openai_compatible", "together", "stability", "comfyui", "a1111", "sdcpp", "http" };
        QCOMPARE(knownProviderTypes(), expected);
        QCOMPARE(providerCatalog().size(), expected.size());
        for (const std::string& type : expected) {
            QVERIFY(isKnownProviderType(type));
            QCOMPARE(findProviderDescriptor(type), &findProviderType(type)->descriptor);
        }
        QVERIFY(!findProviderDescriptor("dalle"));
        QVERIFY(!isKnownProviderType("dalle"));
    }

    void typeDescribesItself_data()
    {
        QTest::addColumn<QString>("type");
        for (const ProviderDescriptor* d : providerCatalog())
            QTest::newRow(d->type.c_str()) << QString::fromStdString(d->type);
    }

    void typeDescribesItself()
    {
        QFETCH(QString, type);
        const ProviderType* found = findProviderType(type.toStdString());
        QVERIFY(found);
        const ProviderDescriptor& d = found->descriptor;
        QVERIFY(found->factory);
        QVERIFY(!d.title.empty());
        QVERIFY(!d.summary.empty());
        const std::set<std::string> units = { "second", "image", "megapixel", "hour", "none" };
        QVERIFY2(units.count(d.billingUnit), d.billingUnit.c_str());
        QVERIFY(d.defaultRateLimits.is_null() || d.defaultRateLimits.is_object());

        std::set<std::string> common;
        for (const SettingSpec& spec : commonProviderSettings())
            common.insert(spec.key);
        std::set<std::string> seen;
        for (const SettingSpec& spec : d.settings) {
            const QByteArray key = QByteArray::fromStdString(spec.key);
            QVERIFY2(!spec.key.empty(), "a setting without a key");
            QVERIFY2(seen.insert(spec.key).second, "key listed twice: " + key);
            QVERIFY2(!common.count(spec.key), "key clashes with a common key: " + key);
            QVERIFY2(!spec.help.empty(), "no help for " + key);
            if (spec.kind == SettingKind::Choice) {
                QVERIFY2(!spec.allowed.empty(), "a choice without allowed values: " + key);
                if (spec.defaultValue.is_string())
                    QVERIFY2(std::count(spec.allowed.begin(), spec.allowed.end(), spec.defaultValue.get<std::string>()),
                        "default not among the allowed values: " + key);
            } else {
                QVERIFY2(spec.allowed.empty(), "allowed values on a key that is not a choice: " + key);
            }
            if (spec.min && spec.max)
                QVERIFY2(*spec.min <= *spec.max, "min above max: " + key);
            if (spec.secret)
                QVERIFY2(spec.kind == SettingKind::EnvName, "a secret's place is named by a variable: " + key);
        }
        // A common key a type requires is a common key, not one of its own.
        for (const SettingSpec& spec : d.requiredCommon)
            QVERIFY2(common.count(spec.key) && spec.required && !spec.help.empty(), spec.key.c_str());
    }

    void defaultConfigValidatesAndMakesAnAdapter_data() { typeDescribesItself_data(); }

    void defaultConfigValidatesAndMakesAnAdapter()
    {
        QFETCH(QString, type);
        const ProviderDescriptor* d = findProviderDescriptor(type.toStdString());
        QVERIFY(d);
        const json provider = defaultProvider(*d);
        const std::string errors = errorsOf(provider);
        QVERIFY2(errors.empty(), (provider.dump() + "\n" + errors).c_str());

        ProviderConfig config;
        config.id = "p";
        config.type = d->type;
        config.settings = provider;
        AdapterContext context;
        context.baseUrl = "http://127.0.0.1:9";
        const std::unique_ptr<Adapter> adapter = makeAdapter(config, context);
        QVERIFY(adapter);
    }

    void requiredKeyMissingIsReportedWithItsHelp_data() { typeDescribesItself_data(); }

    void requiredKeyMissingIsReportedWithItsHelp()
    {
        QFETCH(QString, type);
        const ProviderDescriptor* d = findProviderDescriptor(type.toStdString());
        for (const SettingSpec& spec : d->settings) {
            if (!spec.required)
                continue;
            json provider = defaultProvider(*d);
            provider.erase(spec.key);
            QCOMPARE(QString::fromStdString(errorsOf(provider)),
                QString::fromStdString("providers[0]." + spec.key + ": required; " + spec.help + "\n"));
        }
    }

    void unknownKeyIsRefused_data() { typeDescribesItself_data(); }

    void unknownKeyIsRefused()
    {
        QFETCH(QString, type);
        json provider = defaultProvider(*findProviderDescriptor(type.toStdString()));
        provider["no_such_key"] = 1;
        const std::string errors = errorsOf(provider);
        QVERIFY2(errors.starts_with("providers[0].no_such_key: unknown key for type \"" + type.toStdString() + "\""),
            errors.c_str());
    }

    void statedRateLimitsAreTheAdaptersOwn()
    {
        // The descriptor states what the adapter uses, through one definition.
        QCOMPARE(byOperation(mergeRateLimits({}, findProviderDescriptor("runpod")->defaultRateLimits)),
            byOperation(RunPodAdapter::platformRateLimits()));
        QCOMPARE(byOperation(mergeRateLimits({}, findProviderDescriptor("replicate")->defaultRateLimits)),
            byOperation(ReplicateAdapter::platformRateLimits()));
        QVERIFY(findProviderDescriptor("openai")->defaultRateLimits.is_null());
    }

    void emulatedTakesItsProtocolsKeys()
    {
        // Every key of a protocol the emulator speaks is a key of "emulated" (but RunPod's
        // auth_scheme: the emulator takes any key), none of them required.
        const ProviderDescriptor* emulated = findProviderDescriptor("emulated");
        std::set<std::string> keys;
        for (const SettingSpec& spec : emulated->settings)
            keys.insert(spec.key);
        for (const char* protocol : { "runpod", "openai", "replicate", "fal" })
            for (const SettingSpec& spec : findProviderDescriptor(protocol)->settings)
                if (spec.key != "auth_scheme")
                    QVERIFY2(keys.count(spec.key), (std::string(protocol) + "." + spec.key).c_str());
        for (const SettingSpec& spec : emulated->settings)
            QVERIFY2(!spec.required || spec.key == "profile", spec.key.c_str());
    }
};

QTEST_APPLESS_MAIN(TestProviderRegistry)
#include "tst_providerregistry.moc"
