// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a provider type is configured with, said once (docs/providers.md): each provider type
// describes its own settings in providers/<type>/, the registry collects the descriptors, and the
// config validator, the dashboard's setup page and the docs check read them. core/ names no
// provider type: it only knows this shape.

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace t2i {

namespace configcheck {
class Checker;
}

// How a setting's value is written in the config file, and so how a form edits it.
enum class SettingKind {
    String, // a non-empty string
    Integer, // a whole number within [min, max]
    Number, // a number within [min, max]
    Boolean,
    Choice, // one of `allowed`
    Url, // an http(s) URL
    EnvName, // the name of an environment variable ([A-Z_][A-Z0-9_]*), never its value
    Path, // a file path, relative to the config's folder
    Object, // a JSON object (headers, a body template, ...): edited as JSON text
    List, // a JSON array: edited as JSON text
};

struct SettingSpec {
    std::string key = {};
    SettingKind kind = SettingKind::String;
    bool required = false;
    nlohmann::json defaultValue = nullptr; // null: none written (the adapter's own default applies)
    std::vector<std::string> allowed = {}; // Choice
    std::optional<double> min = std::nullopt, max = std::nullopt; // Integer, Number
    std::string help = {}; // one line, shown beside the field and in docs/providers.md
    // Names where a secret is kept (an environment variable or a keyring entry): the setup page
    // offers the keyring for it. A config never holds a secret's value.
    bool secret = false;
    // How the validator words a wrong value of this key (Integer, Number, String, Path, Boolean,
    // List); empty: the kind's usual words. Kept per key so that moving a rule here from a
    // hand-written check did not change what users read.
    std::string message = {};
    bool minExclusive = false; // Number: min itself is refused ("must be a positive number")
    // The value's rule depends on other keys or is more than its kind (emulated's mode follows its
    // protocol; http's url may be a path): the type's validate hook checks it, the generic check
    // of its kind does not. `required` is still checked generically. For a common key: the
    // validator's own rule for it checks it (pricing, launch, rate_limits, ca_file, id, type).
    bool checkedByHook = false;
};

struct ProviderDescriptor {
    std::string type; // "runpod", as written in a config's "type"
    std::string title; // "RunPod Serverless"
    std::string summary; // one line: what it benchmarks
    std::vector<SettingSpec> settings; // its own keys, beyond commonProviderSettings()
    // The rules beyond each key's own (one of several keys, keys that depend on another, formats
    // of ids): reported through the checker, with the path of the provider ("providers[2]").
    std::function<void(configcheck::Checker&, const nlohmann::json& provider, const std::string& path)> validate;
    // The platform's documented limits, as a config's rate_limits object (null: none known).
    nlohmann::json defaultRateLimits;
    std::string billingUnit; // what its price counts: "second", "image", "megapixel", "hour", "none"
    // Common keys this type cannot do without (openai_compatible's base_url: a compatible server
    // has no default address), each with the hint a missing one is reported with (its help).
    std::vector<SettingSpec> requiredCommon;
    // The provider key that keeps this many workers always warm, where t2ibench can set it
    // ("min_workers" for emulated); empty where it cannot, and then minWorkersRefusal says why
    // (the prewarm study's min_workers strategy is refused with it).
    std::string minWorkersSetting;
    std::string minWorkersRefusal;
};

// The keys every provider takes (id, type, base_url, api_key_env, timeout_s, pricing, ...).
const std::vector<SettingSpec>& commonProviderSettings();

// The provider types a program knows, in the order they are listed to users.
using ProviderCatalog = std::vector<const ProviderDescriptor*>;

} // namespace t2i
