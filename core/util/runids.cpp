// SPDX-License-Identifier: Apache-2.0
#include "runids.h"

#include <array>
#include <chrono>
#include <ctime>
#include <random>
#include <sys/utsname.h>
#include <unistd.h>

namespace t2i {
namespace {
std::string hex(std::uint64_t value, int digits)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(std::size_t(digits), '0');
    for (int i = digits - 1; i >= 0; --i, value >>= 4)
        out[std::size_t(i)] = kHex[value & 15];
    return out;
}

template <std::size_t N> std::string utcFormat(const char (&format)[N])
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm {};
    gmtime_r(&now, &tm);
    std::array<char, 32> buffer {};
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral" // callers pass literals only (see the template)
    std::strftime(buffer.data(), buffer.size(), format, &tm);
#pragma GCC diagnostic pop
    return buffer.data();
}
} // namespace

std::string randomToken()
{
    std::random_device device;
    const std::uint64_t a = (std::uint64_t(device()) << 32) | device();
    const std::uint64_t b = (std::uint64_t(device()) << 32) | device();
    return hex(a, 16) + hex(b, 16);
}

std::string newRunId()
{
    return "r" + utcFormat("%Y%m%d-%H%M%S") + "-" + randomToken().substr(0, 6);
}

std::string isoNowUtc()
{
    return utcFormat("%Y-%m-%dT%H:%M:%SZ");
}

std::string hostName()
{
    std::array<char, 256> name {};
    gethostname(name.data(), name.size() - 1);
    return name.data();
}

std::string osDescription()
{
    utsname info {};
    uname(&info);
    return std::string(info.sysname) + " " + info.release + " " + info.machine;
}

} // namespace t2i
