// SPDX-License-Identifier: Apache-2.0
#include "chartdata.h"

namespace t2i::charts {

const char* toString(Population p)
{
    switch (p) {
    case Population::All:
        return "all";
    case Population::Warm:
        return "warm";
    case Population::Cold:
        return "cold";
    }
    return "all";
}

const char* toString(LoadUnit unit)
{
    return unit == LoadUnit::Concurrency ? "concurrency" : "requests/s";
}

const char* stageName(TimelineSegment::Stage stage)
{
    switch (stage) {
    case TimelineSegment::ClientLag:
        return "client lag";
    case TimelineSegment::Queue:
        return "queue";
    case TimelineSegment::ColdStart:
        return "cold start";
    case TimelineSegment::Execution:
        return "execution";
    case TimelineSegment::Delivery:
        return "result delivery";
    case TimelineSegment::Download:
        return "download";
    case TimelineSegment::InFlight:
        return "in flight (no stage times)";
    case TimelineSegment::Failed:
        return "failed";
    }
    return "";
}

} // namespace t2i::charts
