// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace t2i {

// One random stream per (kind, index): job 7 draws the same numbers whatever happened before it,
// so the same seed and the same arrivals give the same behaviour however the wall clock jittered.
// The distributions are written out here because std::normal_distribution differs between
// standard libraries, and a seed should mean the same run everywhere.
class RandomStream {
public:
    enum class Kind : uint64_t { Job = 1, Worker = 2 };

    RandomStream(uint64_t seed, Kind kind, uint64_t index)
        : m_engine(mix(seed ^ mix((static_cast<uint64_t>(kind) << 56) ^ index)))
    {
    }

    static uint64_t mix(uint64_t x) // splitmix64's finaliser
    {
        x += 0x9e3779b97f4a7c15ULL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
    }

    uint64_t bits() { return m_engine(); }
    // [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    // Standard normal by Box-Muller (one of the pair is discarded: simplicity over speed).
    double normal();
    // median * exp(sigma * N(0,1)); the normal is drawn even when sigma is 0 to keep streams aligned.
    double logNormal(double median, double sigma);
    std::string alnum(int length);
    std::string uuid(); // RFC 4122 version-4 layout

private:
    std::mt19937_64 m_engine;
};

} // namespace t2i
