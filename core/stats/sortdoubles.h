// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

namespace t2i {

// Sorts doubles ascending, as std::sort would (the same values in the same order; NaN is not
// allowed). Large inputs use an LSD radix sort on the IEEE-754 bits, about 3x faster than
// std::sort for a million latencies: the statistics of a 1,000,000-request run sort six such
// columns before its charts can be drawn (docs/performance.md).
void sortDoubles(std::vector<double>& values);

} // namespace t2i
