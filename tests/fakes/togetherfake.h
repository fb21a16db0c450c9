// SPDX-License-Identifier: Apache-2.0
// Together AI's images API as docs/protocols.md §8 describes it: one synchronous
// POST /v1/images/generations, Bearer auth, data[] of b64_json or url items (the URLs served by
// the fake itself), OpenAI-shaped errors, 429 with retry-after and x-ratelimit-* headers.
#pragma once

#include "fakeregistry.h"

#include <deque>
#include <map>
#include <mutex>
#include <optional>

namespace t2itest {

class TogetherFake final : public FakePlatform {
public:
    // What the next generation requests do instead of succeeding, one per request, in order.
    enum class Failure {
        RateLimited, // 429 with retry-after (s) and x-ratelimit-* headers
        ServerError, // 500 with an OpenAI-shaped error body
        MalformedJson, // 200 with a body cut short
        ContentFiltered, // 400 with error.code "content_policy_violation" (the code is [UNCONFIRMED])
        WrongSize, // 200 with an image of half the asked width
        SlowDownload, // the image URL answers after slowDownloadMs
    };
    struct Options {
        std::string apiKey = "tg-fake-key";
        int execMs = 40; // each generation is held this long
        int retryAfterS = 1;
        int slowDownloadMs = 5000;
        // Together documents no timing in the answer; a deployment that sends one is modelled by
        // this opt-in field: {"timings": {"inference": <execMs / 1000>}}.
        bool reportTimings = false;
    };

    TogetherFake();
    explicit TogetherFake(Options options);
    FakeResponse handle(const FakeRequest& request) override;

    void failNext(Failure failure, int times = 1);
    int generations() const; // POSTs answered 200
    // The last generation request's body, as sent.
    std::string lastBody() const;

private:
    FakeResponse generate(const FakeRequest& request);
    FakeResponse download(const FakeRequest& request);

    Options m_options;
    mutable std::mutex m_mutex;
    std::deque<Failure> m_failures;
    std::map<std::string, std::pair<std::string, int>> m_files; // path -> (PNG, delay)
    int m_generations = 0;
    int m_nextId = 1;
    std::string m_lastBody;
};

} // namespace t2itest
