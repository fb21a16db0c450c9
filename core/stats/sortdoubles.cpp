// SPDX-License-Identifier: Apache-2.0
#include "sortdoubles.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <utility>

namespace t2i {
namespace {

constexpr std::size_t kRadixFrom = 4096; // below this, std::sort wins
constexpr int kDigitBits = 11;
constexpr int kPasses = (64 + kDigitBits - 1) / kDigitBits; // 6
constexpr std::size_t kBuckets = std::size_t { 1 } << kDigitBits;

// Maps a double's bits to an unsigned key that orders as the double does: negative numbers
// have every bit flipped (larger magnitude, smaller key), positive ones only the sign bit.
std::uint64_t orderedKey(double v)
{
    const auto bits = std::bit_cast<std::uint64_t>(v);
    return (bits & (std::uint64_t { 1 } << 63)) ? ~bits : bits | (std::uint64_t { 1 } << 63);
}

double fromOrderedKey(std::uint64_t key)
{
    return std::bit_cast<double>((key & (std::uint64_t { 1 } << 63)) ? key & ~(std::uint64_t { 1 } << 63) : ~key);
}

} // namespace

void sortDoubles(std::vector<double>& values)
{
    const std::size_t n = values.size();
    if (n < kRadixFrom) {
        std::sort(values.begin(), values.end());
        return;
    }
    std::vector<std::uint64_t> keys(n);
    std::vector<std::uint64_t> scratch(n);
    std::array<std::array<std::size_t, kBuckets>, kPasses> counts {};
    for (std::size_t i = 0; i < n; ++i) {
        keys[i] = orderedKey(values[i]);
        for (int p = 0; p < kPasses; ++p)
            ++counts[p][(keys[i] >> (p * kDigitBits)) & (kBuckets - 1)];
    }
    for (int p = 0; p < kPasses; ++p) {
        auto& count = counts[p];
        // A digit every key shares (the high bits of latencies of one magnitude) moves nothing.
        if (std::any_of(count.begin(), count.end(), [n](std::size_t c) { return c == n; }))
            continue;
        std::size_t offset = 0;
        for (std::size_t& c : count)
            offset += std::exchange(c, offset);
        const int shift = p * kDigitBits;
        for (const std::uint64_t key : keys)
            scratch[count[(key >> shift) & (kBuckets - 1)]++] = key;
        keys.swap(scratch);
    }
    for (std::size_t i = 0; i < n; ++i)
        values[i] = fromOrderedKey(keys[i]);
}

} // namespace t2i
