// SPDX-License-Identifier: Apache-2.0
#include "study/deploycommand.h"

#include "engine/benchmarkrunner.h"
#include "util/childprocess.h"

#include <csignal>
#include <poll.h>
#include <thread>
#include <unistd.h>

namespace t2i {

RedactedTail::RedactedTail(std::vector<std::string> secrets, std::size_t limit)
    : m_secrets(std::move(secrets))
    , m_limit(limit)
{
    std::erase_if(m_secrets, [](const std::string& s) { return s.empty(); });
}

void RedactedTail::append(const char* data, std::size_t size)
{
    m_pending.append(data, size);
    for (auto newline = m_pending.find('\n'); newline != std::string::npos; newline = m_pending.find('\n')) {
        keepLine(m_pending.substr(0, newline + 1));
        m_pending.erase(0, newline + 1);
    }
    // A line that never ends: redacted as it stands (a secret cut by the chunk's end stays whole
    // at the end, to be redacted once it is complete), then only its end kept.
    if (m_pending.size() > 2 * m_limit) {
        for (const std::string& secret : m_secrets)
            m_pending = redact(std::move(m_pending), secret);
        m_pending.erase(0, m_pending.size() > m_limit ? m_pending.size() - m_limit : 0);
        m_tail.clear();
        m_cut = true;
    }
}

void RedactedTail::keepLine(std::string line)
{
    for (const std::string& secret : m_secrets)
        line = redact(std::move(line), secret);
    m_tail += line;
    if (m_tail.size() <= m_limit)
        return;
    // Drop the oldest whole lines; the redaction happened before, so a cut never shows part of a secret.
    std::size_t from = m_tail.size() - m_limit;
    if (const auto newline = m_tail.find('\n', from - 1); newline != std::string::npos && newline + 1 < m_tail.size())
        from = newline + 1;
    m_tail.erase(0, from);
    m_cut = true;
}

std::string RedactedTail::finish()
{
    if (!m_pending.empty()) {
        std::string last = std::move(m_pending);
        m_pending.clear();
        keepLine(std::move(last));
    }
    return (m_cut ? std::string("[earlier output left out]\n") : std::string()) + m_tail;
}

DeployCommandOutcome runDeployCommand(const std::string& command, const std::string& workingDir,
    std::chrono::milliseconds timeout, const std::function<bool()>& cancelled, const std::vector<std::string>& secrets,
    std::size_t outputLimit)
{
    using Clock = std::chrono::steady_clock;
    DeployCommandOutcome outcome;
    RedactedTail tail(secrets, outputLimit);
    ChildOptions options;
    options.stderrToStdout = true;
    options.workingDir = workingDir;
    // Not signalGroup: stopping the finished command must not stop what it deployed in the background.
    const auto started = Clock::now();
    std::string error;
    auto child = ChildProcess::start({ "/bin/sh", "-c", command }, {}, &error, options);
    if (!child) {
        outcome.error = error;
        return outcome;
    }
    const int output = child->takeStdout();
    bool outputOpen = true;
    const auto readSome = [&](int waitMs) {
        pollfd pfd { output, POLLIN, 0 };
        if (!outputOpen || ::poll(&pfd, 1, waitMs) <= 0)
            return false;
        char chunk[4096];
        const ssize_t n = ::read(output, chunk, sizeof chunk);
        if (n <= 0) {
            outputOpen = false; // end of output: everything that held it open has closed it
            return false;
        }
        tail.append(chunk, std::size_t(n));
        return true;
    };
    while (true) {
        if (const auto status = child->exited()) {
            outcome.exitStatus = status;
            break;
        }
        if (const bool stop = cancelled(); stop || Clock::now() - started >= timeout) {
            outcome.cancelled = stop;
            outcome.timedOut = !stop;
            ::kill(-child->pid(), SIGKILL); // its process group: the shell and all it started
            child->stop(std::chrono::milliseconds(0));
            break;
        }
        if (outputOpen) {
            readSome(100);
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    outcome.durationS = std::chrono::duration<double>(Clock::now() - started).count();
    // What it wrote just before it ended; not what its background children go on writing.
    for (int chunks = 0; chunks < 64 && readSome(0); ++chunks) { }
    ::close(output);
    outcome.outputTail = tail.finish();
    return outcome;
}

} // namespace t2i
