// SPDX-License-Identifier: Apache-2.0
#include "answerreader.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace t2i {

AnswerReader::AnswerReader(Adapter& adapter, std::function<void()> wake)
    : m_adapter(adapter)
    , m_wake(std::move(wake))
    , m_thread([this] { loop(); })
{
}

AnswerReader::~AnswerReader()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

bool AnswerReader::post(std::int64_t seq, const JobState& state, HttpResponse& response)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_waitingBytes + response.body.size() > kMaxWaitingBytes && !m_work.empty())
            return false;
        m_waitingBytes += response.body.size();
        m_work.push_back({ seq, state, std::move(response), {} });
    }
    m_cv.notify_one();
    return true;
}

std::vector<AnswerReader::Read> AnswerReader::take()
{
    std::lock_guard lock(m_mutex);
    std::vector<Read> done;
    done.swap(m_done);
    return done;
}

Action AnswerReader::read(Adapter& adapter, JobState& state, const HttpResponse& response)
{
    try {
        return adapter.onResponse(state, response);
    } catch (const std::exception& e) {
        return Action::fail(ErrorClass::ServerError, "could not read the platform's answer: " + exceptionText(e));
    }
}

void AnswerReader::loop()
{
    // A little below the engine thread, which sends on time while answers are read.
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
    std::unique_lock lock(m_mutex);
    while (true) {
        m_cv.wait(lock, [this] { return m_stop || !m_work.empty(); });
        if (m_stop)
            return; // what is left belongs to a run that is over
        Read work = std::move(m_work.front());
        m_work.pop_front();
        lock.unlock();
        work.action = read(m_adapter, work.state, work.response);
        const std::size_t bytes = work.response.body.size();
        // The body is freed here too, not on the engine thread.
        work.response.body = std::string();
        lock.lock();
        m_waitingBytes -= bytes;
        m_done.push_back(std::move(work));
        lock.unlock();
        m_wake();
        lock.lock();
    }
}

} // namespace t2i
