// SPDX-License-Identifier: Apache-2.0
// A RunPod-speaking platform (docs/protocols.md §1) that answers garbage to some jobs: the odd
// answers of issue 10 ("status": null, an id that is a number, an HTML page, a truncated or
// invalid-UTF-8 body, a COMPLETED job without an image, timings of the wrong type) and, on
// /health, "workers": [] and worse. Job n (in arrival order) gets answer kind n % kinds().size();
// a job of kind "ok" or "odd timings" completes with a real PNG of the size it asked for.
// The CLI's end-to-end check that no answer ends a run (tests/integration/tst_garbageserver.cpp);
// `t2i-fake --protocol garbage` serves it too.
#pragma once

#include "fakeregistry.h"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace t2itest {

class GarbageFake final : public FakePlatform {
public:
    // The kinds in the order jobs get them.
    static const std::vector<std::string>& kinds();

    FakeResponse handle(const FakeRequest& request) override;
    int healthAnswers() const;

private:
    struct Job {
        std::string kind;
        int width = 512;
        int height = 512;
        int polls = 0;
    };
    FakeResponse run(const FakeRequest& request);
    FakeResponse status(const std::string& id);
    FakeResponse health();

    mutable std::mutex m_mutex;
    std::map<std::string, Job> m_jobs;
    int m_next = 0;
    int m_health = 0;
};

} // namespace t2itest
