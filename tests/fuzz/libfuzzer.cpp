// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry (clang, -DT2I_LIBFUZZER=ON): the input's first byte picks the adapter setup (or
// the configuration loader), the rest drives the same structure-aware harness as the ctest, so
// libFuzzer's coverage feedback steers which answers and mutations are tried.
#include "answerfuzzer.h"
#include "configfuzzer.h"

#include <cstdio>
#include <cstdlib>

using namespace t2ifuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const auto& all = setups();
    const std::size_t which = data[0] % (all.size() + 1);
    Entropy entropy(data + 1, size - 1);
    Stats stats;
    if (which == all.size()) {
        // The configuration loader: a seed and its mutations, from the same bytes.
        const std::uint64_t seed = entropy.next();
        if (const auto finding = fuzzOneConfig(seed, stats)) {
            std::fprintf(stderr, "%s\n", finding->describe().c_str());
            std::abort();
        }
        return 0;
    }
    if (const auto finding = fuzzOneJob(all[which], entropy, stats)) {
        std::fprintf(stderr, "%s\n", finding->describe().c_str());
        std::abort();
    }
    return 0;
}
