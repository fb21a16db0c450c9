// SPDX-License-Identifier: Apache-2.0
#include "childprocess.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <string_view>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>

extern char** environ;

namespace t2i {

ChildProcess::~ChildProcess()
{
    stop();
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1))
    , m_group(other.m_group)
    , m_status(std::exchange(other.m_status, std::nullopt))
    , m_stdout(std::exchange(other.m_stdout, -1))
    , m_stdin(std::exchange(other.m_stdin, -1))
    , m_buffer(std::move(other.m_buffer))
{
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept
{
    if (this != &other) {
        stop();
        m_pid = std::exchange(other.m_pid, -1);
        m_group = other.m_group;
        m_status = std::exchange(other.m_status, std::nullopt);
        m_stdout = std::exchange(other.m_stdout, -1);
        m_stdin = std::exchange(other.m_stdin, -1);
        m_buffer = std::move(other.m_buffer);
    }
    return *this;
}

std::optional<ChildProcess> ChildProcess::start(const std::vector<std::string>& argv,
    const std::vector<std::string>& extraEnv, std::string* error, const ChildOptions& options)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        *error = std::string("pipe: ") + std::strerror(errno);
        return std::nullopt;
    }
    // Its stdin is a pipe only we hold open: when we die, even by kill -9, it reads end of file
    // and can stop itself instead of living on as an orphan.
    int input[2];
    if (pipe2(input, O_CLOEXEC) != 0) {
        *error = std::string("pipe: ") + std::strerror(errno);
        close(fds[0]);
        close(fds[1]);
        return std::nullopt;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    if (options.stderrToStdout)
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    if (!options.workingDir.empty())
        posix_spawn_file_actions_addchdir_np(&actions, options.workingDir.c_str());
    posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO);

    std::vector<std::string> env;
    for (char** e = environ; *e; ++e)
        env.emplace_back(*e);
    env.insert(env.end(), extraEnv.begin(), extraEnv.end());
    std::vector<char*> envp, args;
    for (auto& e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> argvCopy = argv;
    for (auto& a : argvCopy)
        args.push_back(a.data());
    args.push_back(nullptr);

    // Its own process group, so a terminal's Ctrl-C reaches only us and we stop it in order
    // (its final words, like the emulator's ledger, get written); default signal handling and
    // an empty mask, whatever this process blocked.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &actions, &attributes, args.data(), envp.data());
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    close(input[0]);
    if (rc != 0) {
        close(fds[0]);
        close(input[1]);
        *error = "cannot start " + argv[0] + ": " + std::strerror(rc);
        return std::nullopt;
    }
    ChildProcess child;
    child.m_pid = pid;
    child.m_group = options.signalGroup;
    child.m_stdout = fds[0];
    child.m_stdin = input[1];
    return child;
}

std::optional<std::string> ChildProcess::readLine(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (const auto newline = m_buffer.find('\n'); newline != std::string::npos) {
            std::string line = m_buffer.substr(0, newline);
            m_buffer.erase(0, newline + 1);
            return line;
        }
        const auto left
            = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || m_stdout < 0)
            return std::nullopt;
        pollfd pfd { m_stdout, POLLIN, 0 };
        if (::poll(&pfd, 1, int(left.count())) <= 0)
            continue;
        char chunk[4096];
        const ssize_t n = ::read(m_stdout, chunk, sizeof chunk);
        if (n <= 0)
            return std::nullopt;
        m_buffer.append(chunk, std::size_t(n));
    }
}

int ChildProcess::takeStdout()
{
    m_buffer.clear();
    return std::exchange(m_stdout, -1);
}

std::optional<int> ChildProcess::exited()
{
    if (m_pid <= 0 || m_status)
        return m_status;
    int status = 0;
    if (waitpid(m_pid, &status, WNOHANG) == m_pid)
        m_status = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    return m_status;
}

void ChildProcess::closePipes()
{
    if (m_stdout >= 0)
        close(m_stdout);
    if (m_stdin >= 0)
        close(m_stdin);
    m_stdout = m_stdin = -1;
}

namespace {

// Whether a process group still has a member that is not a zombie. kill(-group, 0) counts
// zombies too, and an orphaned zombie waits for whoever adopts it (in a container, a PID 1 that
// may never reap), so the members are read from /proc.
bool groupHasLiveMembers(int group)
{
    if (::kill(-group, 0) != 0)
        return false;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        std::getline(in, stat);
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        const auto close = stat.rfind(')');
        if (close == std::string::npos)
            continue;
        std::istringstream fields(stat.substr(close + 1));
        char state = 0;
        long parent = 0, pgrp = 0;
        if (fields >> state >> parent >> pgrp && pgrp == group && state != 'Z' && state != 'X')
            return true;
    }
    return false;
}

} // namespace

int ChildProcess::stop(std::chrono::milliseconds grace)
{
    if (m_pid <= 0)
        return 0;
    // Its process group has its pid as id (see start()); a group outlives its leader while any
    // member lives, so a server's workers are found even after the server itself exited.
    const auto signal = [this](int number) { ::kill(m_group ? -m_pid : m_pid, number); };
    const auto groupAlive = [this] { return m_group && groupHasLiveMembers(m_pid); };
    const auto deadline = std::chrono::steady_clock::now() + grace;
    if (!exited() || groupAlive()) {
        signal(SIGTERM);
        while ((!exited() || groupAlive()) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!m_status) {
        signal(SIGKILL);
        int status = 0;
        waitpid(m_pid, &status, 0);
        m_status = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }
    if (m_group && ::kill(-m_pid, 0) == 0)
        ::kill(-m_pid, SIGKILL); // stragglers; harmless to zombies
    const int result = *m_status;
    m_pid = -1;
    m_status.reset();
    closePipes();
    return result;
}

std::string findExecutable(const std::string& name)
{
    if (name.empty() || name.find('/') != std::string::npos)
        return name;
    const char* path = std::getenv("PATH");
    std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (true) {
        const auto colon = dirs.find(':');
        const std::string dir(dirs.substr(0, colon));
        const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate))
            return candidate;
        if (colon == std::string_view::npos)
            return {};
        dirs.remove_prefix(colon + 1);
    }
}

std::string executableDir()
{
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(".") : self.parent_path().string();
}

} // namespace t2i
