// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/adapter.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace t2i {

// Reads large answers on a thread of its own: the adapter's onResponse, for a body of
// kOffThreadAnswerBytes or more. Reading a RunPod answer that carries a 1.5 MB PNG twice as
// base64 (4 MB) means indexing, checking and copying megabytes of JSON: milliseconds on a busy
// machine, during which the engine thread would send nothing and every send that fell due would
// be late (docs/performance.md, "Open-loop send time"). The engine hands the job's state over
// with the answer and takes both back, with what the adapter said to do next; it touches neither
// meanwhile. A job that ends meanwhile (timeout, cancel) simply drops what comes back.
class AnswerReader {
public:
    // Below this a body is read on the engine thread: handing it over would cost more.
    static constexpr std::size_t kOffThreadAnswerBytes = 256 * 1024;
    // Answers waiting to be read hold at most this much: past it the engine reads the next one
    // itself, so a reader that falls behind slows the engine rather than filling the memory.
    static constexpr std::size_t kMaxWaitingBytes = 64 << 20;

    struct Read {
        std::int64_t seq = 0;
        JobState state; // as the adapter left it
        HttpResponse response; // its body gone: only the status, headers and times are kept
        Action action;
    };

    // wake is called (from the reader's thread) whenever an answer has been read.
    AnswerReader(Adapter& adapter, std::function<void()> wake);
    ~AnswerReader();
    AnswerReader(const AnswerReader&) = delete;
    AnswerReader& operator=(const AnswerReader&) = delete;

    // Takes a copy of the job's state and the response's body; false (and nothing taken) when the
    // answers waiting already hold kMaxWaitingBytes.
    bool post(std::int64_t seq, const JobState& state, HttpResponse& response);
    std::vector<Read> take();

    // adapter.onResponse, with whatever it throws turned into a failure (adapters classify every
    // answer themselves; this only catches what one missed).
    static Action read(Adapter& adapter, JobState& state, const HttpResponse& response);

private:
    void loop();
    Adapter& m_adapter;
    std::function<void()> m_wake;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Read> m_work;
    std::vector<Read> m_done;
    std::size_t m_waitingBytes = 0;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace t2i
