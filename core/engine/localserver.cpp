// SPDX-License-Identifier: Apache-2.0
#include "localserver.h"

#include "engine/benchmarkrunner.h"
#include "util/runids.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <unistd.h>

namespace t2i {
namespace {

std::string seconds(double s)
{
    std::ostringstream out;
    out << s << " s";
    return out.str();
}

std::string redactAll(std::string text, const std::vector<std::string>& secrets)
{
    for (const std::string& secret : secrets)
        text = redact(std::move(text), secret);
    return text;
}

std::size_t discardBody(char*, std::size_t size, std::size_t count, void*)
{
    return size * count;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to)
{
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

} // namespace

LaunchSettings LaunchSettings::fromConfig(
    const ProviderConfig& provider, const std::string& configDir, const std::string& logPath, const std::string& apiKey)
{
    const nlohmann::json launch = provider.settings.value("launch", nlohmann::json::object());
    LaunchSettings settings;
    for (const auto& arg : launch.value("command", nlohmann::json::array()))
        settings.command.push_back(arg.get<std::string>());
    settings.readyUrl = launch.value("ready_url", std::string());
    const nlohmann::json headers = launch.value("ready_headers", nlohmann::json::object());
    for (const auto& [name, value] : headers.items())
        settings.readyHeaders.emplace_back(name, replaceAll(value.get<std::string>(), "{{api_key}}", apiKey));
    settings.readyTimeoutS = launch.value("ready_timeout_s", settings.readyTimeoutS);
    settings.workingDir = configDir.empty() ? std::string() : std::filesystem::absolute(configDir).string();
    settings.logPath = logPath;
    if (!apiKey.empty())
        settings.secrets.push_back(apiKey);
    return settings;
}

std::string launchLogPath(const std::string& dbPath, const std::string& runId, const std::string& providerId)
{
    const std::filesystem::path db = std::filesystem::absolute(dbPath);
    return (db.parent_path() / (db.stem().string() + "-logs") / (runId + "-" + providerId + ".log")).string();
}

bool runsOnThisMachine(const ProviderConfig& provider)
{
    if (provider.settings.contains("launch"))
        return true;
    if (provider.baseUrl.empty())
        return provider.type == "comfyui" || provider.type == "a1111" || provider.type == "sdcpp";
    // scheme://host[:port]/...: the host, without brackets for IPv6.
    const auto schemeEnd = provider.baseUrl.find("://");
    std::string host = provider.baseUrl.substr(schemeEnd == std::string::npos ? 0 : schemeEnd + 3);
    host = host.substr(0, host.find('/'));
    if (const auto at = host.rfind('@'); at != std::string::npos)
        host = host.substr(at + 1); // user:password@
    if (host.starts_with('['))
        host = host.substr(1, host.find(']') - 1);
    else
        host = host.substr(0, host.find(':'));
    return host == "localhost" || host == "::1" || host.starts_with("127.");
}

int httpGetStatus(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::milliseconds timeout, std::string* error)
{
    CURL* curl = curl_easy_init();
    if (!curl) {
        *error = "libcurl could not start a transfer";
        return 0;
    }
    curl_slist* list = nullptr;
    for (const auto& [name, value] : headers)
        list = curl_slist_append(list, (name + ": " + value).c_str());
    char message[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discardBody);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(std::max<std::int64_t>(1, timeout.count())));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, message);
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    else
        *error = message[0] ? message : curl_easy_strerror(rc);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return int(status);
}

LocalServer::LocalServer(LaunchSettings settings)
    : m_settings(std::move(settings))
{
}

LocalServer::~LocalServer()
{
    stop();
}

std::unique_ptr<LocalServer> LocalServer::start(const LaunchSettings& settings, std::string* error)
{
    if (settings.command.empty()) {
        *error = "launch.command is empty";
        return nullptr;
    }
    std::vector<std::string> argv = settings.command;
    namespace fs = std::filesystem;
    if (argv[0].find('/') != std::string::npos) {
        if (fs::path(argv[0]).is_relative() && !settings.workingDir.empty())
            argv[0] = (fs::path(settings.workingDir) / argv[0]).lexically_normal().string();
    } else if (const std::string found = findExecutable(argv[0]); !found.empty()) {
        argv[0] = found;
    } else {
        *error = "launch.command: \"" + argv[0] + "\" is not a program on $PATH";
        return nullptr;
    }

    std::error_code ec;
    fs::create_directories(fs::path(settings.logPath).parent_path(), ec);
    auto server = std::unique_ptr<LocalServer>(new LocalServer(settings));
    {
        std::ofstream log(settings.logPath, std::ios::app);
        if (!log) {
            *error = "launch: cannot write the server's log " + settings.logPath + ": " + std::strerror(errno);
            return nullptr;
        }
        std::string line = "# t2ibench " + isoNowUtc() + ": starting";
        for (const std::string& arg : argv)
            line += " " + arg;
        log << redactAll(line, settings.secrets) << '\n';
    }
    ChildOptions options;
    options.stderrToStdout = true;
    options.signalGroup = true;
    options.workingDir = settings.workingDir;
    server->m_startedAt = Clock::now();
    auto process = ChildProcess::start(argv, {}, error, options);
    if (!process) {
        *error = "launch: " + *error;
        return nullptr;
    }
    server->m_process = std::move(*process);
    server->m_pid = server->m_process.pid();
    server->m_logThread
        = std::thread([raw = server.get(), fd = server->m_process.takeStdout()] { raw->copyOutput(fd); });
    return server;
}

void LocalServer::copyOutput(int fd)
{
    std::ofstream log(m_settings.logPath, std::ios::app);
    std::string pending;
    const auto writeLine = [&](std::string line) {
        log << redactAll(std::move(line), m_settings.secrets) << '\n';
        log.flush();
    };
    // After stop() a server's escaped children may still hold the pipe open: give its last words
    // this long, then let go.
    std::optional<Clock::time_point> drainUntil;
    while (true) {
        if (m_stopping && !drainUntil)
            drainUntil = Clock::now() + std::chrono::seconds(1);
        if (drainUntil && Clock::now() >= *drainUntil)
            break;
        pollfd pfd { fd, POLLIN, 0 };
        if (::poll(&pfd, 1, 100) <= 0)
            continue;
        char chunk[8192];
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0)
            break; // every writer is gone
        pending.append(chunk, std::size_t(n));
        for (auto newline = pending.find('\n'); newline != std::string::npos; newline = pending.find('\n')) {
            writeLine(pending.substr(0, newline));
            pending.erase(0, newline + 1);
        }
        if (pending.size() > 65536) { // a server that never ends its lines
            writeLine(std::move(pending));
            pending.clear();
        }
    }
    if (!pending.empty())
        writeLine(std::move(pending));
    ::close(fd);
}

bool LocalServer::waitUntilReady(const std::atomic<bool>& cancelled, std::string* error)
{
    const auto deadline = m_startedAt
        + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(m_settings.readyTimeoutS));
    std::string last = "no answer yet";
    while (true) {
        if (cancelled) {
            error->clear();
            return false;
        }
        if (const auto status = m_process.exited()) {
            *error = "launch: the local server (" + m_settings.command.front() + ") exited with status "
                + std::to_string(*status) + " before " + m_settings.readyUrl + " answered HTTP 200; its output is in "
                + m_settings.logPath;
            stop();
            return false;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            *error = "launch: " + m_settings.readyUrl + " did not answer HTTP 200 within "
                + seconds(m_settings.readyTimeoutS) + " (launch.ready_timeout_s; last: " + last
                + "); the server was stopped; its output is in " + m_settings.logPath;
            stop();
            return false;
        }
        std::string probeError;
        const int status = httpGetStatus(
            m_settings.readyUrl, m_settings.readyHeaders, std::min(left, std::chrono::milliseconds(2000)), &probeError);
        if (status == 200) {
            m_readyAt = Clock::now();
            return true;
        }
        last = status ? "HTTP " + std::to_string(status) : probeError;
        std::this_thread::sleep_for(std::min(m_settings.readyPollInterval,
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())
                + std::chrono::milliseconds(1)));
    }
}

int LocalServer::stop()
{
    if (m_stopped)
        return m_exitStatus.value_or(0);
    m_stopped = true;
    if (m_process.running())
        m_exitStatus = m_process.stop(m_settings.stopGrace);
    m_stopping = true;
    if (m_logThread.joinable())
        m_logThread.join();
    if (m_pid > 0) {
        std::ofstream log(m_settings.logPath, std::ios::app);
        log << "# t2ibench " << isoNowUtc() << ": stopped, exit status " << m_exitStatus.value_or(0) << '\n';
    }
    return m_exitStatus.value_or(0);
}

} // namespace t2i
