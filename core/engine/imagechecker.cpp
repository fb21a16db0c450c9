// SPDX-License-Identifier: Apache-2.0
#include "imagechecker.h"

#include "util/base64.h"
#include "util/image.h"

#include <algorithm>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace t2i {

ImageChecker::ImageChecker(std::function<void()> wake, std::size_t memoryBudgetBytes)
    : m_wake(std::move(wake))
    , m_memoryBudget(memoryBudgetBytes)
    , m_checker([this] { checkLoop(); })
    , m_spiller([this] { spillLoop(); })
{
}

ImageChecker::~ImageChecker()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_checkCv.notify_all();
    m_spillCv.notify_all();
    m_checker.join();
    m_spiller.join();
}

void ImageChecker::post(std::int64_t seq, std::vector<DeliveredImage> images, int width, int height)
{
    auto work = std::make_unique<Work>();
    for (const DeliveredImage& image : images)
        work->bytes += image.data.size();
    work->seq = seq;
    work->images = std::move(images);
    work->width = width;
    work->height = height;
    std::unique_lock lock(m_mutex);
    ++m_pending;
    m_backlog.heldBytes += work->bytes;
    m_work.push_back(std::move(work));
    m_checkCv.notify_one();
    if (m_backlog.heldBytes > m_memoryBudget / 2)
        m_spillCv.notify_one();
    // Past the budget itself the file has not kept up (a machine short of cores): the poster
    // moves jobs there itself, so that the budget holds whatever the load.
    while (m_backlog.heldBytes > m_memoryBudget && !m_file.unusable())
        if (Work* latest = latestInMemory())
            moveToFile(lock, *latest);
        else
            break;
    m_backlog.peakHeldBytes = std::max(m_backlog.peakHeldBytes, m_backlog.heldBytes);
}

// The newest job still in memory and not being checked (the checker takes the oldest): the one
// whose turn is furthest away.
ImageChecker::Work* ImageChecker::latestInMemory()
{
    for (auto it = m_work.rbegin(); it != m_work.rend(); ++it)
        if ((*it)->where == Where::Memory && !(*it)->stays && (*it)->bytes > 0)
            return it->get();
    return nullptr;
}

// Moves one job's images to the file; called with the lock held, which it lets go while writing.
void ImageChecker::moveToFile(std::unique_lock<std::mutex>& lock, Work& work)
{
    work.where = Where::Moving; // the checker waits for it if it comes to it meanwhile
    lock.unlock();
    std::vector<Spilled> spilled;
    bool written = true;
    for (const DeliveredImage& image : work.images) {
        const auto offset = m_file.append(image.data);
        if (!offset) {
            written = false;
            break;
        }
        spilled.push_back({ *offset, image.data.size(), image.base64 });
    }
    std::vector<DeliveredImage> freed;
    if (written)
        freed.swap(work.images);
    else
        for (const Spilled& part : spilled)
            m_file.release(part.offset, part.size);
    lock.lock();
    if (written) {
        work.spilled = std::move(spilled);
        work.where = Where::File;
        m_backlog.heldBytes -= work.bytes;
        ++m_backlog.spilledJobs;
        m_backlog.spilledBytes += std::int64_t(work.bytes);
        m_fileBytes += work.bytes;
        m_backlog.peakSpillFileBytes = std::max(m_backlog.peakSpillFileBytes, m_fileBytes);
    } else { // no temporary folder, a full disk: kept in memory rather than lost
        work.where = Where::Memory;
        work.stays = true;
        ++m_backlog.spillFailures;
    }
    m_checkCv.notify_all();
    lock.unlock();
    freed.clear(); // the memory goes back outside the lock
    lock.lock();
}

// In the background, from half the budget on, so that the poster seldom has to (see post()).
void ImageChecker::spillLoop()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        Work* work = nullptr;
        m_spillCv.wait(lock, [&] {
            if (m_stop)
                return true;
            if (m_backlog.heldBytes <= m_memoryBudget / 2 || m_file.unusable())
                return false;
            work = latestInMemory();
            return work != nullptr;
        });
        if (m_stop)
            return;
        moveToFile(lock, *work);
    }
}

std::vector<DeliveredImage> ImageChecker::readBack(const Work& work)
{
    std::vector<DeliveredImage> images;
    for (const Spilled& part : work.spilled) {
        DeliveredImage image { std::string(part.size, '\0'), part.base64 };
        if (!m_file.read(part.offset, image.data))
            image.data.clear(); // checked as an empty image: the verdict says so
        m_file.release(part.offset, part.size);
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

void ImageChecker::checkLoop()
{
    // Below the engine thread: when images arrive faster than one core checks them (10,000 jobs
    // finishing within a second), the checks fall behind, not the sends and polls whose timing
    // is being measured. A verdict only labels a record that is already timed.
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    std::unique_lock lock(m_mutex);
    while (true) {
        m_checkCv.wait(lock, [this] { return m_stop || (!m_work.empty() && m_work.front()->where != Where::Moving); });
        if (m_work.empty())
            return; // stopping, nothing left
        if (m_work.front()->where == Where::Moving)
            return; // stopping while the spiller writes: what is left belongs to a run that is over
        std::unique_ptr<Work> work = std::move(m_work.front());
        m_work.pop_front();
        lock.unlock();
        const bool inFile = work->where == Where::File;
        const std::size_t bytes = work->bytes;
        if (inFile)
            work->images = readBack(*work);
        Verdict verdict = check(work->seq, work->images, work->width, work->height);
        work.reset();
        lock.lock();
        (inFile ? m_fileBytes : m_backlog.heldBytes) -= bytes;
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
