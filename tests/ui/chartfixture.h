// SPDX-License-Identifier: Apache-2.0
#pragma once

// A comparison of the fixture library's three runs (uifixture.h), loaded through the same path
// as the dashboard and the CLI (core/charts loadComparison), for the chart, export and report
// suites.

#include "charts/comparisonload.h"
#include "uifixture.h"

#include <QStringList>

#include <memory>

namespace t2i::test {

struct FixtureComparison {
    FixtureDatabase db;
    std::vector<FixtureRun> runs = FixtureDatabase::threeRuns();
    std::shared_ptr<const charts::ComparisonData> data;

    explicit FixtureComparison(std::size_t count = 3)
    {
        runs.resize(count);
        std::vector<std::string> ids;
        for (const FixtureRun& run : runs) {
            db.add(run);
            ids.push_back(run.id);
        }
        data = std::make_shared<const charts::ComparisonData>(charts::loadComparison(db.path().toStdString(), ids));
    }
    QStringList ids() const
    {
        QStringList out;
        for (const FixtureRun& run : runs)
            out << QString::fromStdString(run.id);
        return out;
    }
};

} // namespace t2i::test
