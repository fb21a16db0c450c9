// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace t2i {

// How a child is started (defaults: what the built-in emulator needs).
struct ChildOptions {
    bool stderrToStdout = false; // its stderr joins its stdout pipe, so one reader sees both
    bool signalGroup = false; // stop() signals its whole process group: a server's own children go too
    std::string workingDir; // empty: ours
};

// A helper process we start and must stop (the built-in emulator, local inference servers,
// nvidia-smi). RAII: the destructor terminates it (SIGTERM, then SIGKILL after a grace period).
class ChildProcess {
public:
    ChildProcess() = default;
    ~ChildProcess();
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Starts argv[0] (a path) with extra environment entries "NAME=value"; its stdout is a pipe
    // we can read lines from, its stdin a pipe that closes when we exit, its stderr is inherited. Returns an empty
    // optional and sets error when it cannot start.
    static std::optional<ChildProcess> start(const std::vector<std::string>& argv,
        const std::vector<std::string>& extraEnv, std::string* error, const ChildOptions& options = {});
    // The next line of its stdout, waiting at most timeout; nullopt on timeout or end of output.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout);
    // Hands the read end of its stdout to the caller, who then owns (and closes) it; readLine()
    // reads nothing afterwards. For a reader thread that must outlive stop().
    int takeStdout();
    // Whether it has exited (reaping it), without waiting; its exit status (or -signal) if so.
    std::optional<int> exited();
    // SIGTERM, wait up to grace, then SIGKILL (to its group too with signalGroup, so nothing it
    // started is left behind). Returns the exit status (or -signal).
    int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
    bool running() const { return m_pid > 0; }
    int pid() const { return m_pid; }

private:
    void closePipes();
    int m_pid = -1;
    bool m_group = false; // signal the process group (its id is m_pid)
    std::optional<int> m_status; // set once reaped
    int m_stdout = -1;
    int m_stdin = -1; // kept open for the child's life; see start()
    std::string m_buffer;
};

// The program a command names: itself when it holds a '/', else the first match on $PATH that
// is executable; empty when there is none.
std::string findExecutable(const std::string& name);

// The folder of the running executable (where the sibling programs are), from /proc/self/exe.
std::string executableDir();

} // namespace t2i
