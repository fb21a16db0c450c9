// SPDX-License-Identifier: Apache-2.0
#include "imagechecker.h"

#include "util/base64.h"
#include "util/image.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace t2i {

ImageChecker::ImageChecker(std::function<void()> wake, std::size_t memoryBudgetBytes)
    : m_wake(std::move(wake))
    , m_memoryBudget(memoryBudgetBytes)
    , m_thread([this] { loop(); })
{
}

ImageChecker::~ImageChecker()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    m_thread.join();
    if (m_spillFd >= 0)
        close(m_spillFd);
}

namespace {

// An unnamed file in the temporary folder ($TMPDIR, else /tmp): nobody else can open it, and
// the system frees it when it is closed, even after a crash.
int openSpillFile()
{
    const char* dir = std::getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    const int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    std::string path = std::string(dir) + "/t2ibench-images-XXXXXX"; // a file system without O_TMPFILE
    const int named = mkostemp(path.data(), O_CLOEXEC);
    if (named >= 0)
        unlink(path.c_str());
    return named;
}

bool writeAll(int fd, const std::string& data, std::uint64_t offset)
{
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = pwrite(fd, data.data() + done, data.size() - done, off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += std::size_t(n);
    }
    return true;
}

bool readAll(int fd, std::string& data, std::uint64_t offset)
{
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = pread(fd, data.data() + done, data.size() - done, off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += std::size_t(n);
    }
    return true;
}

} // namespace

void ImageChecker::post(std::int64_t seq, std::vector<DeliveredImage> images, int width, int height)
{
    std::size_t bytes = 0;
    for (const DeliveredImage& image : images)
        bytes += image.data.size();
    Work work { seq, std::move(images), {}, bytes, width, height };
    std::uint64_t offset = 0;
    {
        std::lock_guard lock(m_mutex);
        ++m_pending;
        if (m_backlog.heldBytes + bytes <= m_memoryBudget || bytes == 0) {
            m_backlog.heldBytes += bytes;
            m_backlog.peakHeldBytes = std::max(m_backlog.peakHeldBytes, m_backlog.heldBytes);
            m_work.push_back(std::move(work));
            m_cv.notify_one();
            return;
        }
        offset = m_spillEnd;
        m_spillEnd += bytes;
    }
    // Over the budget: the images wait in the file. Written outside the lock (the checker keeps
    // checking meanwhile); only this thread writes, each job to its own stretch of the file.
    if (m_spillFd < 0)
        m_spillFd = openSpillFile();
    bool written = m_spillFd >= 0;
    for (const DeliveredImage& image : work.images) {
        if (!written)
            break;
        written = writeAll(m_spillFd, image.data, offset);
        work.spilled.push_back({ offset, image.data.size(), image.base64 });
        offset += image.data.size();
    }
    std::lock_guard lock(m_mutex);
    if (written) {
        work.images.clear();
        work.images.shrink_to_fit();
        work.heldBytes = 0;
        ++m_backlog.spilledJobs;
        m_backlog.spilledBytes += std::int64_t(bytes);
        m_spillFileBytes += bytes;
        m_backlog.peakSpillFileBytes = std::max(m_backlog.peakSpillFileBytes, m_spillFileBytes);
    } else { // a full disk, no temporary folder: kept in memory rather than lost
        work.spilled.clear();
        ++m_backlog.spillFailures;
        m_backlog.heldBytes += bytes;
        m_backlog.peakHeldBytes = std::max(m_backlog.peakHeldBytes, m_backlog.heldBytes);
    }
    m_work.push_back(std::move(work));
    m_cv.notify_one();
}

std::vector<DeliveredImage> ImageChecker::readBack(const std::vector<Spilled>& spilled)
{
    std::vector<DeliveredImage> images;
    for (const Spilled& part : spilled) {
        DeliveredImage image { std::string(part.size, '\0'), part.base64 };
        if (!readAll(m_spillFd, image.data, part.offset))
            image.data.clear(); // checked as an empty image: the verdict says it was lost
        // The file keeps only what still waits: its read stretch goes back to the file system.
        fallocate(m_spillFd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off_t(part.offset), off_t(part.size));
        images.push_back(std::move(image));
    }
    return images;
}

std::vector<ImageChecker::Verdict> ImageChecker::take()
{
    std::lock_guard lock(m_mutex);
    std::vector<Verdict> done;
    done.swap(m_done);
    m_pending -= done.size();
    return done;
}

std::size_t ImageChecker::pending() const
{
    std::lock_guard lock(m_mutex);
    return m_pending;
}

ImageChecker::Backlog ImageChecker::backlog() const
{
    std::lock_guard lock(m_mutex);
    return m_backlog;
}

void ImageChecker::loop()
{
    // Below the engine thread: when images arrive faster than one core checks them (10,000 jobs
    // finishing within a second), the checks fall behind, not the sends and polls whose timing
    // is being measured. A verdict only labels a record that is already timed.
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    std::unique_lock lock(m_mutex);
    while (true) {
        m_cv.wait(lock, [this] { return m_stop || !m_work.empty(); });
        if (m_work.empty())
            return; // stopping, nothing left
        Work work = std::move(m_work.front());
        m_work.pop_front();
        lock.unlock();
        std::size_t spilledBytes = 0;
        if (!work.spilled.empty()) {
            work.images = readBack(work.spilled);
            for (const Spilled& part : work.spilled)
                spilledBytes += part.size;
        }
        Verdict verdict = check(work.seq, work.images, work.width, work.height);
        work.images.clear();
        lock.lock();
        m_backlog.heldBytes -= work.heldBytes;
        m_spillFileBytes -= spilledBytes;
        m_done.push_back(std::move(verdict));
        lock.unlock();
        m_wake();
        lock.lock();
    }
}

ImageChecker::Verdict ImageChecker::check(
    std::int64_t seq, const std::vector<DeliveredImage>& images, int width, int height)
{
    Verdict verdict;
    verdict.seq = seq;
    verdict.images = int(images.size());
    for (std::size_t i = 0; i < images.size(); ++i) {
        const std::string which = "image " + std::to_string(i + 1);
        std::string_view bytes = images[i].data;
        std::optional<std::string> decoded;
        if (images[i].base64) {
            decoded = base64Decode(bytes);
            if (!decoded) {
                verdict.problem = which + ": its base64 text does not decode";
                return verdict;
            }
            bytes = *decoded;
        }
        const ImageCheck image = checkImage(bytes);
        if (i == 0) {
            verdict.width = image.width;
            verdict.height = image.height;
            verdict.hash = sha256Hex(bytes);
        }
        if (!image.valid) {
            verdict.problem = which + ": " + image.problem;
            return verdict;
        }
        if (image.width != width || image.height != height) {
            verdict.problem = which + " is " + std::to_string(image.width) + "x" + std::to_string(image.height)
                + ", asked for " + std::to_string(width) + "x" + std::to_string(height);
            return verdict;
        }
    }
    verdict.ok = !images.empty();
    if (images.empty())
        verdict.problem = "no image delivered";
    return verdict;
}

} // namespace t2i
