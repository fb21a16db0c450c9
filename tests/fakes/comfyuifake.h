// SPDX-License-Identifier: Apache-2.0
// A fake ComfyUI server (docs/protocols.md §11): POST /prompt, GET|POST /queue,
// POST /interrupt, GET /history[/{id}], GET /view, GET /prompt, GET /system_stats, every route also
// under /api. One GPU, one prompt at a time, FIFO; history entries carry server-clock ms timestamps
// (execution_start / _success / _error / _interrupted) and extra_data.create_time, as ComfyUI does.
#pragma once

#include "fakeregistry.h"
#include "oneshotoverrides.h"
#include "singlegpuschedule.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace t2itest {

struct ComfyUIFakeOptions {
    int execMs = 300; // each prompt's execution time
    int viewDelayMs = 0; // /view answers are held this long (a slow disk or link)
    std::int64_t epochMs = 1760000000000; // the server's wall clock when the fake started
    std::size_t maxHistory = 10000; // ComfyUI's MAXIMUM_HISTORY_SIZE; 0: every entry is dropped at once
    bool reportCreateTime = true; // extra_data.create_time (ComfyUI since 2025); false: an older server
    // POST /interrupt sets a flag the sampler checks between steps: the running prompt stops this
    // much later, and only then does the next one start.
    int interruptDelayMs = 100;
};

class ComfyUIFake final : public FakePlatform {
public:
    explicit ComfyUIFake(ComfyUIFakeOptions options = {});
    FakeResponse handle(const FakeRequest& request) override;

    // What the fake reported for a finished prompt, in server-clock ms since the epoch.
    struct Reported {
        std::string promptId;
        std::int64_t createTime = 0; // extra_data.create_time
        std::int64_t startTime = 0; // execution_start.timestamp
        std::int64_t endTime = 0; // execution_success / _error / _interrupted timestamp
        std::string outcome; // "success", "error", "interrupted"
        std::vector<std::string> files; // /view file names
    };
    std::vector<Reported> reported() const; // in the order prompts finished
    std::optional<Reported> reportedFor(const std::string& promptId) const;
    // Prompts queued or running at nowMs (the FakeServer's clock): none after a clean cancel.
    int activeJobs(double nowMs) const;
    int deletedCount() const; // prompts removed from the queue by POST /queue {"delete"}
    int interruptedCount() const;

    // The next prompt submitted fails while executing (execution_error from its KSampler).
    void failNextExecution(std::string exceptionType, std::string exceptionMessage);
    // The next request whose path starts with pathPrefix gets this answer instead (500, malformed JSON...).
    void overrideNext(std::string pathPrefix, FakeResponse response);

private:
    struct Prompt {
        std::string id;
        int number = 0;
        nlohmann::json graph;
        nlohmann::json extraData;
        std::vector<std::string> outputNodes;
        std::size_t slot = 0;
        int width = 512, height = 512, batch = 1; // a graph without an empty latent saves 512x512
        std::int64_t seed = 0;
        std::string failType, failMessage;
        bool interrupted = false;
        bool deleted = false;
        bool finalized = false;
    };

    FakeResponse route(const FakeRequest& request, const std::string& path);
    FakeResponse postPrompt(const FakeRequest& request);
    FakeResponse getQueue(double now);
    FakeResponse postQueue(const FakeRequest& request);
    FakeResponse postInterrupt(const FakeRequest& request);
    FakeResponse getHistory(const std::string& id);
    FakeResponse getView(const FakeRequest& request);
    void advance(double now); // prompts whose end has passed move to the history, in end order
    nlohmann::json queueItem(const Prompt& prompt) const;
    std::int64_t epoch(double ms) const;

    ComfyUIFakeOptions m_options;
    mutable std::mutex m_mutex;
    SingleGpuSchedule m_gpu;
    std::vector<Prompt> m_prompts;
    std::vector<std::string> m_historyOrder;
    std::map<std::string, nlohmann::json> m_history;
    std::map<std::string, std::string> m_files; // /view file name -> PNG bytes
    std::vector<Reported> m_reported;
    OneShotOverrides m_overrides;
    std::string m_failType, m_failMessage;
    int m_number = 0;
    int m_fileCounter = 0;
    int m_deleted = 0;
    int m_interrupted = 0;
};

} // namespace t2itest
