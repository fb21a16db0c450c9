// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the adapters' canned-body tests: a job, an answer, a header, an action.
#pragma once

#include "engine/adapter.h"

#include <string>

namespace adaptertest {

inline t2i::JobState newJob()
{
    t2i::JobState job;
    job.job.prompt = "a red fox";
    job.job.seed = 45;
    job.job.variant.width = 768;
    job.job.variant.height = 512;
    job.job.variant.steps = 4;
    job.job.variant.guidance = 3.5;
    job.job.variant.images = 2;
    return job;
}

inline t2i::HttpResponse answer(int status, std::string body, t2i::HttpHeaders headers = {})
{
    t2i::HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

inline std::string headerOf(const t2i::HttpRequest& request, const std::string& name)
{
    for (const auto& [key, value] : request.headers)
        if (key == name)
            return value;
    return {};
}

inline bool isKind(const t2i::Action& a, t2i::Action::Kind kind)
{
    return a.kind == kind;
}
inline bool isError(const t2i::Action& a, t2i::ErrorClass e)
{
    return a.kind == t2i::Action::Kind::Fail && a.error == e;
}
inline bool mentions(const t2i::Action& a, const std::string& text)
{
    return a.message.find(text) != std::string::npos;
}

} // namespace adaptertest
