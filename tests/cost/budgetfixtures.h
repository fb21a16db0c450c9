// SPDX-License-Identifier: Apache-2.0
// Fixtures for tst_budgetpricing (raw strings stay out of Q_OBJECT files: Qt 6.4's moc).
#pragma once

#include "model/run.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace budgetfixtures {

struct WorstCase {
    const char* name;
    const char* provider; // the stored provider configuration
    double timeoutS;
    double worstUsd;
};

inline std::vector<WorstCase> worstCases()
{
    return {
        // RunPod's default idle timeout is 5 s: 2 s + 5 s billed 7 s at $0.001.
        { "a serverless worker per second: its timeout and the idle tail after it",
            R"({"id": "r", "type": "runpod", "pricing": {"per_second": 0.001}})", 2, 0.007 },
        { "the idle tail as configured, rounded up as billed",
            R"({"id": "r", "type": "runpod", "pricing": {"per_second": 0.001, "idle_timeout_s": 0.5}})", 2.2, 0.003 },
        // An instance bills its time whatever the jobs do: a job adds at most its timeout.
        { "a dedicated instance per hour: its timeout",
            R"({"id": "s", "type": "sagemaker", "pricing": {"per_hour": 3.6}})", 2, 0.002 },
        { "per image: exactly what a job asks for (2 images)",
            R"({"id": "o", "type": "openai", "model": "dall-e-3", "pricing": {"per_image": 0.04}})", 60, 0.08 },
        { "per megapixel: 1024x1024 x 2 images", R"({"id": "p", "type": "runpod", "pricing": {"per_megapixel": 0.02}})",
            60, 0.04194304 },
    };
}

inline const char* unpricedProvider()
{
    return R"({"id": "box", "type": "http", "url": "http://127.0.0.1:9/gen"})";
}

// A stored run of that provider with a 1024x1024 variant of two images.
inline t2i::RunInfo runWith(const std::string& provider)
{
    t2i::RunInfo run;
    const nlohmann::json p = nlohmann::json::parse(provider);
    run.providerId = p["id"];
    run.providerType = p["type"];
    run.configJson = nlohmann::json {
        { "provider", p },
        { "variant",
            { { "id", "v" }, { "model", "m" }, { "width", 1024 }, { "height", 1024 }, { "steps", 30 },
                { "images", 2 } } }
    }.dump();
    run.environmentJson = "{}";
    return run;
}

} // namespace budgetfixtures
