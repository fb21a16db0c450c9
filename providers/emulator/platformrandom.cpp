// SPDX-License-Identifier: Apache-2.0
#include "platformrandom.h"

#include <cmath>
#include <numbers>

namespace t2i {

double RandomStream::normal()
{
    const double u1 = 1.0 - uniform(); // (0, 1]: log(0) never happens
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double RandomStream::logNormal(double median, double sigma)
{
    return median * std::exp(sigma * normal());
}

std::string RandomStream::alnum(int length)
{
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    out.reserve(static_cast<size_t>(length));
    for (int i = 0; i < length; ++i)
        out.push_back(alphabet[bits() % 36]);
    return out;
}

std::string RandomStream::uuid()
{
    static constexpr char hex[] = "0123456789abcdef";
    uint64_t hi = bits();
    uint64_t lo = bits();
    hi = (hi & ~0xf000ULL) | 0x4000ULL; // version 4
    lo = (lo & ~(0xc000ULL << 48)) | (0x8000ULL << 48); // variant 10
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 32; ++i) {
        const uint64_t word = i < 16 ? hi : lo;
        const int shift = 60 - 4 * (i % 16);
        out.push_back(hex[(word >> shift) & 0xf]);
        if (i == 7 || i == 11 || i == 15 || i == 19)
            out.push_back('-');
    }
    return out;
}

} // namespace t2i
