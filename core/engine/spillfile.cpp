// SPDX-License-Identifier: Apache-2.0
#include "spillfile.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <linux/falloc.h>
#include <unistd.h>

namespace t2i {
namespace {

int openUnnamed()
{
    const char* dir = std::getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    const int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    std::string path = std::string(dir) + "/t2ibench-spill-XXXXXX"; // a file system without O_TMPFILE
    const int named = mkostemp(path.data(), O_CLOEXEC);
    if (named >= 0)
        unlink(path.c_str());
    return named;
}

} // namespace

SpillFile::~SpillFile()
{
    if (m_fd >= 0)
        close(m_fd);
}

bool SpillFile::unusable() const
{
    std::lock_guard lock(m_mutex);
    return m_unusable;
}

std::optional<std::uint64_t> SpillFile::append(std::string_view data)
{
    int fd = -1;
    std::uint64_t offset = 0;
    {
        std::lock_guard lock(m_mutex);
        if (m_fd < 0 && !m_unusable) {
            m_fd = openUnnamed();
            m_unusable = m_fd < 0;
        }
        fd = m_fd;
        offset = m_end;
        m_end += data.size(); // this stretch is ours, written or not
    }
    if (fd < 0)
        return std::nullopt;
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = pwrite(fd, data.data() + done, data.size() - done, off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            release(offset, done);
            return std::nullopt;
        }
        done += std::size_t(n);
    }
    return offset;
}

bool SpillFile::read(std::uint64_t offset, std::string& into) const
{
    int fd = -1;
    {
        std::lock_guard lock(m_mutex);
        fd = m_fd;
    }
    std::size_t done = 0;
    while (done < into.size()) {
        const ssize_t n = pread(fd, into.data() + done, into.size() - done, off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += std::size_t(n);
    }
    return true;
}

void SpillFile::release(std::uint64_t offset, std::size_t size) const
{
    int fd = -1;
    {
        std::lock_guard lock(m_mutex);
        fd = m_fd;
    }
    if (fd >= 0 && size > 0)
        fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off_t(offset), off_t(size));
}

} // namespace t2i
