// SPDX-License-Identifier: Apache-2.0
#pragma once

// Per-run chart data beyond the distributions: stage stacks, scaling curves with their knee,
// cost stacks and the cost / p95 Pareto front.

#include "charts/chartdata.h"
#include "cost/runcost.h"
#include "model/runcolumns.h"

#include <span>

namespace t2i::charts {

StageStack stageStack(const RunColumns& columns);

// The knee rule (docs/dashboard.md), the earliest level that either
//   - throughput: no higher level ever achieves kKneeMinGainPerDoubling more throughput per
//     doubling of offered load than this level (T_j < T_i (1 + g)^log2(o_j / o_i) for all j > i), or
//   - latency: is the last before the first level whose p95 exceeds kKneeMaxP95Ratio times the
//     p95 at the lightest load (or whose requests all failed).
// No such level: no knee (the curve scaled over the whole tested range).
inline constexpr double kKneeMinGainPerDoubling = 0.10;
inline constexpr double kKneeMaxP95Ratio = 2.0;

LoadUnit loadUnitOf(const std::string& stepKind); // closed and burst: concurrency; open loops: requests/s
bool onScalingCurve(const LevelPoint& level); // cold probes and warm-up are not load levels
// The unit most of the runs' load levels are measured in.
LoadUnit dominantLoadUnit(std::span<const RunSummary* const> runs);
ScalingCurve scalingCurve(const RunSummary& summary, LoadUnit unit);
void markKnee(ScalingCurve& curve);

CostStack costStack(const CostBreakdown& cost);
// Runs no other run beats on both cost per 1,000 images and p95 (lower is better on both),
// ascending p95. Runs without a cost or without a successful request take no part.
std::vector<std::size_t> paretoFront(std::span<const RunChartData> runs);

} // namespace t2i::charts
