// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "charts/chartdata.h"
#include "model/run.h"

#include <span>

namespace t2i::charts {

// A local server's nvidia-smi samples as one curve per GPU, ascending GPU index, each series
// thinned to at most maxPoints by keeping each bucket's maximum (docs/dashboard.md). Samples
// without a value leave a gap in that series only; no samples: no curves.
std::vector<GpuCurve> gpuCurves(std::span<const GpuSample> samples, std::size_t maxPoints = kMaxTimePoints);

} // namespace t2i::charts
