// SPDX-License-Identifier: Apache-2.0
// The keys every provider takes (docs/configuration.md, "Providers"): one list, read by the
// validator and the setup page alike. Its order is the one an unknown key's message lists them in.
#include "config/providerdescriptor.h"

namespace t2i {

const std::vector<SettingSpec>& commonProviderSettings()
{
    using K = SettingKind;
    static const std::vector<SettingSpec> settings = {
        { "id", K::String, true, {}, {}, {}, {},
            "a unique name within the file: 1-64 letters, digits, '.', '_' or '-'" },
        { "type", K::Choice, true, {}, {}, {}, {}, "the provider type" },
        { "base_url", K::Url, false, {}, {}, {}, {}, "the platform's address (the adapter's usual one if empty)" },
        { "api_key_env", K::EnvName, false, {}, {}, {}, {}, "the environment variable that holds the API key", true },
        { "api_key_keyring", K::String, false, {}, {}, {}, {},
            "an OS keyring entry holding the key: \"service/account\", or an account under \"t2ibench\"", true },
        { "timeout_s", K::Number, false, {}, {}, 0.0, {}, "per-request timeout (workload.timeout_s if empty)" },
        { "pricing", K::Object, false, {}, {}, {}, {},
            "{\"ref\": \"<catalog entry>\"} or an inline price (the catalog's entry for the type if empty)" },
        { "launch", K::Object, false, {}, {}, {}, {}, "a local server the run starts and stops" },
        { "poll_interval_ms", K::Integer, false, {}, {}, 10.0, 60000.0,
            "how often a queued job's status is asked (workload.poll_interval_ms if empty)" },
        { "cold_threshold_ms", K::Number, false, 250, {}, 0.0, {},
            "a first job on a new worker that waited this long counts as a cold start" },
        { "http_version", K::Choice, false, "1.1", { "1.1", "2", "2-prior-knowledge" }, {}, {},
            "the HTTP version spoken to this provider" },
        { "rate_limits", K::Object, false, {}, {}, {}, {},
            "the request budget per operation, or false for none (the platform's documented limits if empty)" },
        { "max_answer_mb", K::Integer, false, 64, {}, 1.0, 65536.0, "the largest answer body taken, in MiB" },
        { "answer_memory_mb", K::Integer, false, 128, {}, 1.0, 1048576.0,
            "memory the answer bodies arriving at once may hold, in MiB" },
        { "image_backlog_mb", K::Integer, false, 256, {}, 0.0, 1048576.0,
            "memory the images waiting for their check may hold, in MiB" },
        { "ca_file", K::Path, false, {}, {}, {}, {},
            "PEM CA certificates this provider's HTTPS server is verified against, instead of the system's" },
    };
    return settings;
}

} // namespace t2i
