// SPDX-License-Identifier: Apache-2.0
#include "imagechecker.h"

#include "util/image.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace t2i {

ImageChecker::ImageChecker(std::function<void()> wake)
    : m_wake(std::move(wake))
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
}

void ImageChecker::post(std::int64_t seq, std::vector<std::string> images, int width, int height)
{
    {
        std::lock_guard lock(m_mutex);
        m_work.push_back({ seq, std::move(images), width, height });
        ++m_pending;
    }
    m_cv.notify_one();
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
        Verdict verdict = check(work.seq, work.images, work.width, work.height);
        lock.lock();
        m_done.push_back(std::move(verdict));
        lock.unlock();
        m_wake();
        lock.lock();
    }
}

ImageChecker::Verdict ImageChecker::check(
    std::int64_t seq, const std::vector<std::string>& images, int width, int height)
{
    Verdict verdict;
    verdict.seq = seq;
    verdict.images = int(images.size());
    for (std::size_t i = 0; i < images.size(); ++i) {
        const ImageCheck image = checkImage(images[i]);
        const std::string which = "image " + std::to_string(i + 1);
        if (i == 0) {
            verdict.width = image.width;
            verdict.height = image.height;
            verdict.hash = sha256Hex(images[0]);
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
