// SPDX-License-Identifier: Apache-2.0
#pragma once

// What an adapter is made with, beside the Adapter interface (engine/adapter.h): providers
// include this, not the runner that uses them.

#include "config/config.h"
#include "engine/adapter.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace t2i {

// Where an adapter sends its requests and with which key (the key lives only in memory).
struct AdapterContext {
    // A constructor, not an aggregate: { baseUrl, apiKey, pollIntervalMs } keeps working as
    // members are added.
    AdapterContext(std::string base = {}, std::string key = {}, int pollMs = 250)
        : baseUrl(std::move(base))
        , apiKey(std::move(key))
        , pollIntervalMs(pollMs)
    {
    }
    std::string baseUrl;
    std::string apiKey;
    int pollIntervalMs = 250;
    // The provider's other "<name>_env" keys (e.g. SageMaker's secret_key_env) -> the value of the
    // variable each names: memory only, redacted from messages like apiKey.
    std::map<std::string, std::string> secrets;
};

using AdapterFactory = std::function<std::unique_ptr<Adapter>(const ProviderConfig&, const AdapterContext&)>;

} // namespace t2i
