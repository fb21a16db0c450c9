// SPDX-License-Identifier: Apache-2.0
// Who owns a running run, and whether it is still alive: the heartbeat and the owner process.
#include "storeimpl.h"

#include <cerrno>
#include <csignal>
#include <ctime>
#include <unistd.h>

#include <array>
#include <vector>

namespace t2i {

std::int64_t unixMsNow()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string isoUtcFromUnixMs(std::int64_t unixMs)
{
    const std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
    std::tm utc {};
    gmtime_r(&seconds, &utc);
    std::array<char, 32> text {};
    const std::size_t n = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return std::string(text.data(), n);
}

namespace {
// kill(pid, 0) delivers nothing; it only asks whether the process exists. EPERM means it exists
// but belongs to someone else, which is alive all the same.
bool processGone(std::int64_t pid)
{
    if (pid <= 0)
        return false;
    return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}
} // namespace

// Marks the runs that claim to be running but whose process is gone. The UPDATE repeats the
// heartbeat it judged by, so a run whose owner proved alive meanwhile is left alone.
namespace {
// A study whose process ended on this host without finishing it (studies have no heartbeat: a
// study owned by another host stays "running" until that host opens the library).
void markStudiesInterrupted(Database& db)
{
    const std::string thisHost = hostName();
    std::vector<std::string> dead;
    {
        auto st = db.prepare("SELECT id, owner_pid FROM studies WHERE status = 'running' AND owner_host = ?1");
        st.bind(1, thisHost);
        while (st.step())
            if (const auto pid = st.optInt64(1); pid && processGone(*pid))
                dead.push_back(st.text(0));
    }
    if (dead.empty())
        return;
    Transaction tx(db);
    auto update = db.prepare("UPDATE studies SET status = 'interrupted', finished = ?1, message = 'interrupted: the "
                             "process that ran it ended without finishing it' WHERE id = ?2 AND status = 'running'");
    for (const std::string& id : dead) {
        update.reset();
        update.bind(1, isoUtcFromUnixMs(unixMsNow()));
        update.bind(2, id);
        update.run();
    }
    tx.commit();
}
} // namespace

int markInterrupted(Database& db)
{
    markStudiesInterrupted(db);
    struct Candidate {
        std::string id;
        std::optional<std::int64_t> heartbeat;
        std::string message;
    };
    std::vector<Candidate> dead;
    const std::string thisHost = hostName();
    const std::int64_t now = unixMsNow();
    const std::int64_t staleMs = std::chrono::milliseconds(Store::kStaleHeartbeat).count();
    {
        auto st = db.prepare("SELECT id, owner_pid, owner_host, heartbeat FROM runs WHERE status = 'running'");
        while (st.step()) {
            const auto pid = st.optInt64(1);
            const std::string host = st.text(2);
            const auto beat = st.optInt64(3);
            const std::string owner
                = "pid " + (pid ? std::to_string(*pid) : std::string("?")) + " on " + (host.empty() ? "?" : host);
            std::string why;
            if (pid && host == thisHost && processGone(*pid))
                why = "interrupted: the process that ran it (" + owner + ") ended without finishing it";
            else if (!beat || now - *beat > staleMs)
                why = "interrupted: no heartbeat for "
                    + (beat ? std::to_string((now - *beat) / 1000) + " s" : std::string("ever")) + " from its process ("
                    + owner + ")";
            if (!why.empty())
                dead.push_back({ st.text(0), beat, std::move(why) });
        }
    }
    if (dead.empty())
        return 0; // the common case takes no write lock

    int marked = 0;
    Transaction tx(db);
    auto update = db.prepare("UPDATE runs SET status = 'interrupted', message = ?1, finished = coalesce(finished, ?2) "
                             "WHERE id = ?3 AND status = 'running' AND heartbeat IS ?4");
    for (const Candidate& run : dead) {
        update.reset();
        update.bind(1, run.message);
        // The last proof of life is the best estimate of when it stopped.
        update.bind(2, run.heartbeat ? std::optional<std::string>(isoUtcFromUnixMs(*run.heartbeat)) : std::nullopt);
        update.bind(3, run.id);
        update.bind(4, run.heartbeat);
        update.run();
        marked += static_cast<int>(db.changes());
    }
    tx.commit();
    return marked;
}

} // namespace t2i
