// SPDX-License-Identifier: Apache-2.0
// Modal's settings (docs/configuration.md, "Provider types"; docs/providers.md, "modal").
#include "config/providerrules.h"
#include "modal/modaladapter.h"
#include "registry/providertype.h"

namespace t2i {

namespace {

using namespace configcheck;

void validateModal(Checker& check, const json& p, const std::string& path)
{
    if (const json* headers = objectAt(p, "headers"))
        for (const auto& [name, value] : headers->items())
            if (!value.is_string())
                check.error(child(child(path, "headers"), name), "must be a string (got " + describe(value) + ")");
    checkBodyTemplate(check, p, path);
    checkExtract(check, p, path, { "image", "exec_s", "exec_ms", "queue_ms", "worker_id", "call_id" });
    if (const json* spawn = objectAt(p, "spawn")) {
        const std::string at = child(path, "spawn");
        for (const char* key : { "submit_path", "result_path", "cancel_path" })
            if (auto v = check.string(*spawn, at, key); v && !v->starts_with("/"))
                check.error(child(at, key), "must be a path on the app starting with '/' (got \"" + *v + "\")");
        check.choice(*spawn, at, "cancel_method", { "POST", "DELETE", "PUT", "GET" });
        check.checkKeys(*spawn, at, { "submit_path", "result_path", "cancel_path", "cancel_method" }, "spawn");
    }
}

} // namespace

ProviderType modalProviderType()
{
    using K = SettingKind;
    ProviderDescriptor d;
    d.type = "modal";
    d.title = "Modal";
    d.summary = "your app on a Modal web endpoint: one POST, or spawn then poll";
    d.settings = {
        { .key = "url", .kind = K::Url, .required = true, .help = "the web endpoint's URL" },
        { .key = "mode",
            .kind = K::Choice,
            .defaultValue = "sync",
            .allowed = { "sync", "spawn" },
            .help = "sync: one POST answered with the image; spawn: accept, then poll the result" },
        { .key = "headers", .kind = K::Object, .help = "extra request headers, an object of strings" },
        { .key = "auth_scheme",
            .kind = K::Choice,
            .defaultValue = "proxy",
            .allowed = { "proxy", "bearer", "none" },
            .help = "proxy: Modal-Key/Modal-Secret; bearer: Authorization: Bearer KEY; none" },
        { .key = "body_template",
            .kind = K::Object,
            .help = "the app's request body, with {{prompt}}, {{seed}}, {{width}}, ... placeholders" },
        { .key = "extract",
            .kind = K::Object,
            .help = "JSON pointers to image, exec_s, exec_ms, queue_ms, worker_id, call_id in the answer" },
        { .key = "spawn",
            .kind = K::Object,
            .help = "spawn mode's routes: submit_path, result_path, cancel_path, cancel_method" },
    };
    d.validate = validateModal;
    d.billingUnit = "second";
    return { std::move(d),
        [](const ProviderConfig& provider, const AdapterContext& context) -> std::unique_ptr<Adapter> {
            return std::make_unique<ModalAdapter>(ModalOptions::fromConfig(provider, context));
        } };
}

} // namespace t2i
