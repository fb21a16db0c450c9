// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <csignal>
#include <cstdio>
#include <functional>
#include <pthread.h>
#include <thread>

namespace t2i::cli {

// Ctrl-C and SIGTERM cancel the run or study (its in-flight jobs are cancelled on the platform and what
// finished is kept). The signals are blocked in every thread and taken by one waiting thread.
class SignalWatcher {
public:
    explicit SignalWatcher(std::function<void()> cancel)
    {
        sigset_t set = signalSet();
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        m_thread = std::thread([this, cancel = std::move(cancel), set] {
            int signal = 0;
            while (sigwait(&set, &signal) == 0) {
                if (signal == SIGUSR1)
                    return; // our own wake-up: the run is over
                m_cancelled = true;
                std::fprintf(stderr, "\ncancelling: stopping the schedule and cancelling in-flight jobs...\n");
                cancel();
            }
        });
    }
    ~SignalWatcher()
    {
        pthread_kill(m_thread.native_handle(), SIGUSR1);
        m_thread.join();
    }
    bool cancelled() const { return m_cancelled; }

private:
    static sigset_t signalSet()
    {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGUSR1);
        return set;
    }
    std::thread m_thread;
    std::atomic<bool> m_cancelled { false };
};

} // namespace t2i::cli
