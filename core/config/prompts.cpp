// SPDX-License-Identifier: Apache-2.0
// Prompt sets, and which prompt and seed each request gets.
#include "config/config.h"
#include "util/resources.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace t2i {

namespace {

namespace fs = std::filesystem;

std::string trim(std::string_view s)
{
    const auto notSpace = [](char c) { return !std::isspace(static_cast<unsigned char>(c)); };
    const auto begin = std::find_if(s.begin(), s.end(), notSpace);
    const auto end = std::find_if(s.rbegin(), s.rend(), notSpace).base();
    return begin < end ? std::string(begin, end) : std::string();
}

std::vector<std::string> splitTabs(const std::string& line)
{
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
        const std::size_t tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos)
            return fields;
        start = tab + 1;
    }
}

std::optional<std::vector<std::string>> fail(std::string* error, std::string message)
{
    if (error)
        *error = std::move(message);
    return std::nullopt;
}

std::optional<std::vector<std::string>> readPromptFile(const std::string& path, std::string* error)
{
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(error, path + ": cannot read the prompts: " + std::strerror(errno ? errno : ENOENT));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(std::move(line));
    }
    if (!lines.empty() && lines.front().rfind("\xEF\xBB\xBF", 0) == 0)
        lines.front().erase(0, 3); // a UTF-8 byte-order mark, as some editors write

    std::vector<std::string> prompts;
    if (fs::path(path).extension() == ".tsv") {
        // PartiPrompts and its kin: a header row, the prompt in the column named "Prompt".
        if (lines.empty())
            return fail(error, path + ": empty; a TSV needs a header row with a \"Prompt\" column");
        const std::vector<std::string> header = splitTabs(lines.front());
        const auto column = std::find_if(header.begin(), header.end(), [](const std::string& h) {
            std::string name = trim(h);
            std::transform(
                name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
            return name == "prompt";
        });
        if (column == header.end())
            return fail(error, path + ": the header row has no \"Prompt\" column");
        const std::size_t index = std::size_t(column - header.begin());
        for (std::size_t i = 1; i < lines.size(); ++i) {
            if (trim(lines[i]).empty())
                continue;
            const std::vector<std::string> fields = splitTabs(lines[i]);
            if (index < fields.size())
                if (std::string prompt = trim(fields[index]); !prompt.empty())
                    prompts.push_back(std::move(prompt));
        }
    } else {
        for (const std::string& line : lines) {
            std::string prompt = trim(line);
            if (!prompt.empty() && prompt.front() != '#')
                prompts.push_back(std::move(prompt));
        }
    }
    if (prompts.empty())
        return fail(error, path + ": holds no prompt");
    return prompts;
}

constexpr std::uint64_t splitmix64(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// The seeded permutation of one pass through the set (Fisher-Yates driven by splitmix64). A
// scheduler asks for consecutive requests, so the last permutation is kept per thread: each pass
// costs O(count) once, every other call O(1), and the function stays free of shared state.
const std::vector<std::uint32_t>& permutation(std::uint64_t count, std::uint64_t key)
{
    struct Cache {
        std::uint64_t count = 0;
        std::uint64_t key = 0;
        std::vector<std::uint32_t> order;
    };
    thread_local Cache cache;
    if (cache.count != count || cache.key != key || cache.order.size() != count) {
        cache.count = count;
        cache.key = key;
        cache.order.resize(count);
        for (std::uint64_t i = 0; i < count; ++i)
            cache.order[i] = std::uint32_t(i);
        std::uint64_t state = key;
        for (std::uint64_t i = count - 1; i > 0; --i) {
            state = splitmix64(state);
            std::swap(cache.order[i], cache.order[state % (i + 1)]); // bias below 2^-32 for any real set
        }
    }
    return cache.order;
}

} // namespace

std::vector<std::string> availablePromptSets()
{
    std::vector<std::string> sets;
    std::error_code ec;
    const fs::path dir = fs::path(resourceDir()) / "prompts";
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        if ((p.extension() == ".txt" || p.extension() == ".tsv") && p.stem().string().rfind("LICENSE", 0) != 0
            && it->is_regular_file(ec))
            sets.push_back(p.stem().string());
    }
    std::sort(sets.begin(), sets.end());
    sets.erase(std::unique(sets.begin(), sets.end()), sets.end());
    return sets;
}

std::optional<std::vector<std::string>> loadPrompts(
    const PromptConfig& prompts, const std::string& configDir, std::string* error)
{
    try {
        if (!prompts.file.empty()) {
            fs::path path(prompts.file);
            if (path.is_relative())
                path = fs::path(configDir.empty() ? "." : configDir) / path;
            return readPromptFile(path.lexically_normal().string(), error);
        }
        if (prompts.set.empty() || prompts.set.find('/') != std::string::npos
            || prompts.set.find("..") != std::string::npos || prompts.set.rfind("LICENSE", 0) == 0)
            return fail(error, "prompts: give a set name (e.g. \"default\") or a file");
        for (const char* extension : { ".txt", ".tsv" })
            if (auto path = findResource("prompts/" + prompts.set + extension))
                return readPromptFile(*path, error);
        std::string known;
        for (const std::string& s : availablePromptSets())
            known += (known.empty() ? "" : ", ") + s;
        return fail(error,
            "unknown prompt set \"" + prompts.set + "\" in " + resourceDir()
                + "/prompts (available: " + (known.empty() ? "none" : known) + ")");
    } catch (const std::exception& e) {
        return fail(error, std::string("cannot read the prompts: ") + e.what());
    }
}

std::int64_t seedFor(const PromptConfig& prompts, std::int64_t seq)
{
    switch (prompts.seedPolicy) {
    case SeedPolicy::Fixed:
        return prompts.seed;
    case SeedPolicy::Increment:
        return prompts.seed + seq;
    case SeedPolicy::Random:
        // 4294967294 is the largest seed the strictest API (Stability) takes.
        return std::int64_t(splitmix64(splitmix64(std::uint64_t(prompts.seed)) ^ std::uint64_t(seq)) % 4294967295ull);
    }
    return prompts.seed;
}

int promptIndexFor(const PromptConfig& prompts, std::int64_t seq, std::size_t count)
{
    if (count == 0)
        return -1;
    const std::uint64_t n = count;
    // Warm-up and retries may use negative sequence numbers; they still map into the set.
    const std::uint64_t s = seq >= 0 ? std::uint64_t(seq) : std::uint64_t(-(seq + 1));
    if (prompts.order != "shuffle")
        return int(s % n);
    const std::uint64_t pass = s / n;
    const std::uint64_t key = splitmix64(std::uint64_t(prompts.seed) ^ splitmix64(pass));
    return int(permutation(n, key)[s % n]);
}

} // namespace t2i
