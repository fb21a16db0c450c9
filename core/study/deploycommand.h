// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace t2i {

// What the deploy study's command did.
struct DeployCommandOutcome {
    std::optional<int> exitStatus; // its exit status, or -signal; nullopt when it did not end by itself
    double durationS = 0; // from its start to its exit (or to the timeout / the cancel)
    bool timedOut = false; // killed (with its process group) when the timeout passed
    bool cancelled = false; // killed because the study was cancelled
    std::string error; // it could not start: why
    std::string outputTail; // its stdout and stderr together: the last lines, redacted, bounded
};

inline constexpr std::size_t kDeployOutputLimit = 64 * 1024;

// Runs `/bin/sh -c command` in workingDir with our environment, its stderr joined to its stdout,
// until it exits, timeout passes or cancelled() says so (then its process group is killed,
// so a hung `terraform apply` goes with its children). Output is kept line by line, each line
// redacted of every secret before it is kept, and only the last outputLimit bytes of it.
// What it leaves running in the background (the deployment itself) is left alone; its output
// after the command's exit is not read.
DeployCommandOutcome runDeployCommand(const std::string& command, const std::string& workingDir,
    std::chrono::milliseconds timeout, const std::function<bool()>& cancelled, const std::vector<std::string>& secrets,
    std::size_t outputLimit = kDeployOutputLimit);

// The kept tail: whole lines appended, the oldest dropped past the limit. A single line longer
// than the limit keeps its end, cut where no secret's remainder can survive.
class RedactedTail {
public:
    RedactedTail(std::vector<std::string> secrets, std::size_t limit);
    void append(const char* data, std::size_t size); // raw output, in any chunks
    std::string finish(); // the tail, the last partial line included
private:
    void keepLine(std::string line);
    std::vector<std::string> m_secrets;
    std::size_t m_limit;
    std::size_t m_longestSecret = 0;
    std::string m_pending; // the line being read
    std::string m_tail;
    bool m_cut = false; // something was dropped: the tail starts with a marker
};

} // namespace t2i
