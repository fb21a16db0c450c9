// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace t2i {

// A helper process we start and must stop (the built-in emulator, later local inference
// servers). RAII: the destructor terminates it (SIGTERM, then SIGKILL after a grace period).
class ChildProcess {
public:
    ChildProcess() = default;
    ~ChildProcess();
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Starts argv[0] (a path) with extra environment entries "NAME=value"; its stdout is a pipe
    // we can read lines from, its stdin a pipe that closes when we exit, its stderr is inherited. Returns an empty optional and sets error
    // when it cannot start.
    static std::optional<ChildProcess> start(const std::vector<std::string>& argv, const std::vector<std::string>& extraEnv,
                                             std::string* error);
    // The next line of its stdout, waiting at most timeout; nullopt on timeout or end of output.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout);
    // SIGTERM, wait up to grace, then SIGKILL. Returns the exit status (or -signal).
    int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
    bool running() const { return m_pid > 0; }
    int pid() const { return m_pid; }

private:
    int m_pid = -1;
    int m_stdout = -1;
    int m_stdin = -1; // kept open for the child's life; see start()
    std::string m_buffer;
};

// The folder of the running executable (where the sibling programs are), from /proc/self/exe.
std::string executableDir();

} // namespace t2i
