// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace t2i {

// An unnamed temporary file in $TMPDIR (else /tmp) that data waits in: nobody else can open it,
// and the system frees it when it is closed, even after a crash. Any thread appends, reads back
// a stretch and releases it, which gives its blocks back to the file system, so the file takes
// only what still waits.
class SpillFile {
public:
    SpillFile() = default;
    ~SpillFile();
    SpillFile(const SpillFile&) = delete;
    SpillFile& operator=(const SpillFile&) = delete;

    // Where data went; nullopt when it could not be written (no temporary folder, a full disk).
    // Opens the file on first use.
    std::optional<std::uint64_t> append(std::string_view data);
    // Reads into.size() bytes from offset; false on a short read.
    bool read(std::uint64_t offset, std::string& into) const;
    void release(std::uint64_t offset, std::size_t size) const;
    // The file could not be opened: appending again will not help.
    bool unusable() const;

private:
    mutable std::mutex m_mutex; // guards the three below; writing and reading go without it
    int m_fd = -1;
    bool m_unusable = false;
    std::uint64_t m_end = 0;
};

} // namespace t2i
