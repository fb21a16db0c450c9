// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by the config test suites: the spec's example document and small helpers.

#include "config/config.h"
#include "registry/registry.h"

#include <QByteArray>
#include <QFile>
#include <QString>

#include <string>

namespace t2i::test {

// docs/configuration.md's example, verbatim.
inline const char* specExample()
{
    return R"json({
  "version": 1,
  "name": "quickstart",
  "providers": [
    {"id": "steady",    "type": "emulated", "profile": "steady"},
    {"id": "my-runpod", "type": "runpod", "endpoint_id": "abc123",
     "base_url": "https://api.runpod.ai/v2", "api_key_env": "RUNPOD_API_KEY",
     "mode": "run", "pricing": {"ref": "runpod.flex.A100-80GB"}}
  ],
  "variants": [
    {"id": "sdxl-fp16", "model": "sdxl-base-1.0", "precision": "fp16",
     "width": 1024, "height": 1024, "steps": 30, "guidance": 7.5, "images": 1}
  ],
  "prompts": {"set": "default", "seed": 42},
  "workload": {
    "timeout_s": 300,
    "poll_interval_ms": 250,
    "warmup_requests": 2,
    "steps": [
      {"kind": "cold_probe", "idle_s": 10, "repeat": 2},
      {"kind": "closed", "concurrency": [1, 2, 4, 8], "duration_s": 10},
      {"kind": "constant", "rate": 4, "duration_s": 10},
      {"kind": "poisson", "rate": 4, "requests": 40},
      {"kind": "ramp", "from": 1, "to": 8, "duration_s": 10},
      {"kind": "burst", "requests": 32}
    ]
  }
})json";
}

inline nlohmann::json specDocument()
{
    return nlohmann::json::parse(specExample());
}

inline bool writeFile(const QString& path, const std::string& text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(text.data(), qint64(text.size())) == qint64(text.size());
}

// Every error of a result, one a line, for failure messages.
inline QByteArray describeErrors(const ConfigResult& result)
{
    QByteArray out;
    for (const ConfigError& e : result.errors)
        out += "\n  " + QByteArray::fromStdString(e.format());
    return out.isEmpty() ? QByteArray("(no errors)") : out;
}

} // namespace t2i::test
