// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.h"
#include "util/childprocess.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace t2i {

// A provider's `launch` (docs/configuration.md): the local inference server a run starts first.
struct LaunchSettings {
    std::vector<std::string> command; // argv; argv[0] found on $PATH, or relative to workingDir
    std::string readyUrl; // GET until it answers HTTP 200
    std::vector<std::pair<std::string, std::string>> readyHeaders; // sent with each readiness GET
    double readyTimeoutS = 600;
    std::string workingDir; // where it runs: the configuration's folder
    std::string logPath; // its stdout and stderr, redacted, appended here
    std::vector<std::string> secrets; // replaced by "***" in the log
    std::chrono::milliseconds stopGrace { 10000 }; // SIGTERM, then SIGKILL after this
    std::chrono::milliseconds readyPollInterval { 50 }; // resolution of the start -> ready time

    // From provider.launch: relative program paths resolve against configDir, "{{api_key}}" in
    // launch.ready_headers becomes apiKey (in memory only), and apiKey is redacted from the log.
    static LaunchSettings fromConfig(const ProviderConfig& provider, const std::string& configDir,
        const std::string& logPath, const std::string& apiKey);
};

// Where a launched server's output goes: "<db folder>/<db name>-logs/<run id>-<provider id>.log",
// next to the run library, so the run and its server's words are found together.
std::string launchLogPath(const std::string& dbPath, const std::string& runId, const std::string& providerId);
// Whether a provider's server runs on this machine (it is launched, or its base_url is a loopback
// address, or it is a local server type at its default address): its GPUs are then sampled.
bool runsOnThisMachine(const ProviderConfig& provider);

// One launched server: started in its own process group (a terminal's Ctrl-C reaches only
// t2ibench, which stops it in order), its stdin a pipe that closes when t2ibench dies, its
// output copied line by line, secrets redacted, into a log file and never to the terminal.
// The destructor stops it (and everything it started), whatever path the run took.
class LocalServer {
public:
    using Clock = std::chrono::steady_clock;

    // Starts the command; nullptr and *error (naming the command) when it cannot start.
    static std::unique_ptr<LocalServer> start(const LaunchSettings& settings, std::string* error);
    ~LocalServer();
    LocalServer(const LocalServer&) = delete;
    LocalServer& operator=(const LocalServer&) = delete;

    // Polls readyUrl until HTTP 200. False with *error when the timeout passes (naming the URL
    // and the timeout), the server exits first, or cancelled becomes true (*error empty then).
    bool waitUntilReady(const std::atomic<bool>& cancelled, std::string* error);
    // SIGTERM to its process group, SIGKILL after the grace period; closes the log. Idempotent;
    // returns its exit status (or -signal).
    int stop();

    int pid() const { return m_pid; } // as started, also after stop()
    Clock::time_point startedAt() const { return m_startedAt; }
    std::optional<Clock::time_point> readyAt() const { return m_readyAt; }
    const LaunchSettings& settings() const { return m_settings; }
    std::optional<int> exitStatus() const { return m_exitStatus; }

private:
    explicit LocalServer(LaunchSettings settings);
    void copyOutput(int fd); // the log thread

    LaunchSettings m_settings;
    ChildProcess m_process;
    int m_pid = -1;
    Clock::time_point m_startedAt;
    std::optional<Clock::time_point> m_readyAt;
    std::optional<int> m_exitStatus;
    std::thread m_logThread;
    std::atomic<bool> m_stopping { false }; // tells the log thread to drain and end
    bool m_stopped = false;
};

// One readiness probe: the HTTP status a GET of url answered, or 0 with *error (libcurl's words).
int httpGetStatus(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::milliseconds timeout, std::string* error);

} // namespace t2i
