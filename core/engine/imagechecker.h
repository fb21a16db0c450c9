// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"
#include "engine/spillfile.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace t2i {

// Checks delivered images (base64 decode, image decode, size, SHA-256) on a thread of its own.
// Inflating a 1024x1024 PNG takes several milliseconds and decoding its base64 most of one; on
// the engine thread that would delay the next intended send and show up as client lag, so the
// engine hands images over as they came and collects the verdicts.
//
// Images arrive faster than one core checks them when thousands of jobs finish together, so the
// images waiting for their check are held in memory only up to a budget: from half of it on, a
// thread of its own moves the latest arrivals to an unnamed temporary file
// (core/engine/spillfile.h), and the checker reads them back when their turn comes. Should that
// thread fall behind, post() moves jobs itself rather than pass the budget. A run with 10,000
// large images finishing at once thus holds a bounded amount of memory, and every image is still
// checked whole (docs/performance.md).
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

    // wake is called (from the checker's thread) whenever a verdict is ready. memoryBudgetBytes:
    // what the images waiting for a check may hold in memory before they go to the temporary file.
    explicit ImageChecker(std::function<void()> wake, std::size_t memoryBudgetBytes = std::size_t(256) << 20);
    ~ImageChecker();
    ImageChecker(const ImageChecker&) = delete;
    ImageChecker& operator=(const ImageChecker&) = delete;

    void post(std::int64_t seq, std::vector<DeliveredImage> images, int width, int height);
    std::vector<Verdict> take();
    std::size_t pending() const; // posted, verdict not yet taken

    struct Backlog {
        std::size_t heldBytes = 0; // in memory now
        std::size_t peakHeldBytes = 0;
        std::int64_t spilledJobs = 0; // jobs whose images waited in the temporary file
        std::int64_t spilledBytes = 0;
        std::size_t peakSpillFileBytes = 0; // the most the file held at once
        std::int64_t spillFailures = 0; // jobs the file could not take: their images stayed in memory
    };
    Backlog backlog() const;

    // The check itself, for one job's images against the size that was asked for.
    static Verdict check(std::int64_t seq, const std::vector<DeliveredImage>& images, int width, int height);

private:
    struct Spilled {
        std::uint64_t offset = 0;
        std::size_t size = 0;
        bool base64 = false;
    };
    enum class Where { Memory, Moving, File };
    struct Work {
        std::int64_t seq = 0;
        std::vector<DeliveredImage> images; // empty once in the file
        std::vector<Spilled> spilled;
        std::size_t bytes = 0;
        int width = 0, height = 0;
        Where where = Where::Memory;
        bool stays = false; // could not be written to the file: not tried again
    };
    void checkLoop();
    void spillLoop();
    void moveToFile(std::unique_lock<std::mutex>& lock, Work& work);
    Work* latestInMemory(); // with m_mutex held
    std::vector<DeliveredImage> readBack(const Work& work);
    std::function<void()> m_wake;
    std::size_t m_memoryBudget;
    mutable std::mutex m_mutex;
    std::condition_variable m_checkCv;
    std::condition_variable m_spillCv;
    std::deque<std::unique_ptr<Work>> m_work; // oldest first
    std::vector<Verdict> m_done;
    std::size_t m_pending = 0;
    Backlog m_backlog;
    SpillFile m_file; // appended to by the spilling thread only
    std::size_t m_fileBytes = 0; // in the file and not yet read back
    bool m_stop = false;
    std::thread m_checker;
    std::thread m_spiller;
};

} // namespace t2i
