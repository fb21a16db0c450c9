// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace t2i {

// Checks delivered images (decode, size, SHA-256) on a thread of its own. Inflating a 1024x1024
// PNG takes several milliseconds; on the engine thread that would delay the next intended send
// and show up as client lag, so the engine hands images over and collects the verdicts.
class ImageChecker {
public:
    struct Verdict {
        std::int64_t seq = 0;
        bool ok = false;
        std::string problem; // why not ok
        int width = 0; // of the first image
        int height = 0;
        std::string hash; // SHA-256 of the first image
        int images = 0;
    };

    // wake is called (from the checker's thread) whenever a verdict is ready.
    explicit ImageChecker(std::function<void()> wake);
    ~ImageChecker();
    ImageChecker(const ImageChecker&) = delete;
    ImageChecker& operator=(const ImageChecker&) = delete;

    void post(std::int64_t seq, std::vector<std::string> images, int width, int height);
    std::vector<Verdict> take();
    std::size_t pending() const; // posted, verdict not yet taken

    // The check itself, for one job's images against the size that was asked for.
    static Verdict check(std::int64_t seq, const std::vector<std::string>& images, int width, int height);

private:
    struct Work {
        std::int64_t seq;
        std::vector<std::string> images;
        int width, height;
    };
    void loop();
    std::function<void()> m_wake;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Work> m_work;
    std::vector<Verdict> m_done;
    std::size_t m_pending = 0;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace t2i
