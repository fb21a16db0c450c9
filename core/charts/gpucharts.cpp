// SPDX-License-Identifier: Apache-2.0
#include "charts/gpucharts.h"

#include "charts/timecharts.h"

#include <algorithm>
#include <map>

namespace t2i::charts {

std::vector<GpuCurve> gpuCurves(std::span<const GpuSample> samples, std::size_t maxPoints)
{
    std::map<int, GpuCurve> byGpu;
    double endS = 0;
    for (const GpuSample& s : samples) {
        GpuCurve& curve = byGpu[s.gpu];
        curve.gpu = s.gpu;
        const double t = s.tMs / 1000.0;
        endS = std::max(endS, t);
        if (s.utilizationPct)
            curve.utilizationPct.push_back({ t, *s.utilizationPct });
        if (s.memoryUsedMiB)
            curve.memoryUsedMiB.push_back({ t, *s.memoryUsedMiB });
        if (s.memoryTotalMiB)
            curve.memoryTotalMiB = std::max(curve.memoryTotalMiB, *s.memoryTotalMiB);
    }
    std::vector<GpuCurve> curves;
    for (auto& [gpu, curve] : byGpu) {
        // The store returns them by time; sorted again so that thinning may rely on it.
        for (auto* series : { &curve.utilizationPct, &curve.memoryUsedMiB }) {
            std::stable_sort(series->begin(), series->end(), [](const XY& a, const XY& b) { return a.x < b.x; });
            *series = thinStepMax(*series, endS, maxPoints);
        }
        curves.push_back(std::move(curve));
    }
    return curves;
}

} // namespace t2i::charts
