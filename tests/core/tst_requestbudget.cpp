// SPDX-License-Identifier: Apache-2.0
// The platform's request budget as the client spends it (docs/measurement.md, "The request budget").
#include "engine/requestbudget.h"

#include <QtTest>

#include <cmath>

using namespace t2i;

namespace {
// How many requests of `operation` go between fromMs and toMs when one is tried every stepMs.
int sentBetween(RequestBudget& budget, const char* operation, double fromMs, double toMs, double stepMs, bool paced)
{
    int sent = 0;
    for (double t = fromMs; t < toMs; t += stepMs)
        sent += budget.tryAcquire(operation, t, paced) ? 1 : 0;
    return sent;
}
} // namespace

class TestRequestBudget : public QObject {
    Q_OBJECT
private slots:
    void aWindowNeverHoldsMoreThanItsLimit()
    {
        RequestBudget budget({ { "run", 100, 10000, 0 } });
        QCOMPARE(sentBetween(budget, "run", 0, 1000, 1, false), 100); // a burst may spend it all at once
        QVERIFY(!budget.tryAcquire("run", 10000)); // counted 5% longer than the window: transit jitter
        QCOMPARE(budget.availableAtMs("run", 10000), 10500.0);
        QVERIFY(budget.tryAcquire("run", 10500));
    }

    void pacedRequestsAreSpreadOverTheWindow()
    {
        RequestBudget budget({ { "status", 2000, 10000, 0 } });
        // Asked as fast as possible for one second, the budget lets through about its rate
        // (2000 / 10.5 s) plus the small burst it allows, not the whole window's 2000.
        const int sent = sentBetween(budget, "status", 0, 1000, 0.1, true);
        QVERIFY2(sent >= 190 && sent <= 215, qPrintable(QString::number(sent)));
        // Over a long stretch no 10 s window ever holds more than 2000.
        RequestBudget steady({ { "status", 2000, 10000, 0 } });
        std::vector<double> times;
        for (double t = 0; t < 60000; t += 1)
            if (steady.tryAcquire("status", t, true))
                times.push_back(t);
        std::size_t first = 0;
        for (std::size_t i = 0; i < times.size(); ++i) {
            while (times[i] - times[first] >= 10000)
                ++first;
            QVERIFY(i - first + 1 <= 2000);
        }
        QVERIFY(times.size() > 11000); // and it spends nearly all of it: 60 s x 2000/10.5 s = 11,428
    }

    void concurrentSlotsAreHeldUntilReleased()
    {
        RequestBudget budget({ { "runsync", 0, 10000, 2 } });
        QVERIFY(budget.tryAcquire("runsync", 0));
        QVERIFY(budget.tryAcquire("runsync", 0));
        QVERIFY(!budget.tryAcquire("runsync", 0));
        QVERIFY(std::isinf(budget.availableAtMs("runsync", 0)));
        budget.release("runsync");
        QVERIFY(budget.tryAcquire("runsync", 1));
    }

    void unknownAndUntaggedOperationsAreUnlimited()
    {
        RequestBudget budget({ { "run", 1, 10000, 0 } });
        QCOMPARE(sentBetween(budget, "", 0, 100, 1, true), 100);
        QCOMPARE(sentBetween(budget, "health", 0, 100, 1, true), 100);
        QVERIFY(!budget.currentLimit("health"));
    }

    void a429HalvesTheBudgetAndHoldsForRetryAfter()
    {
        RequestBudget budget({ { "status", 2000, 10000, 0 } });
        QVERIFY(budget.tryAcquire("status", 0));
        budget.throttled("status", 10, 3000.0);
        QCOMPARE(*budget.currentLimit("status"), 1000);
        QVERIFY(!budget.tryAcquire("status", 2999));
        QCOMPARE(budget.availableAtMs("status", 100), 3010.0);
        QVERIFY(budget.tryAcquire("status", 3010));
        // 429s that arrive together (answers to polls sent together) halve it once.
        budget.throttled("status", 3020, std::nullopt);
        budget.throttled("status", 3030, std::nullopt);
        QCOMPARE(*budget.currentLimit("status"), 500);
        // Each window without a 429 gives back a tenth of the documented budget.
        QVERIFY(budget.tryAcquire("status", 3030 + 10000 + 1));
        QCOMPARE(*budget.currentLimit("status"), 700);
    }

    void aThrottledUndocumentedOperationLearnsABudget()
    {
        RequestBudget budget;
        QCOMPARE(sentBetween(budget, "status", 0, 1000, 10, true), 100); // unlimited: all 100 go
        budget.throttled("status", 1000, std::nullopt);
        QCOMPARE(*budget.currentLimit("status"), 50); // half of what went in the last window
        QVERIFY(sentBetween(budget, "status", 1000, 2000, 1, true) <= 50);
    }
};

QTEST_APPLESS_MAIN(TestRequestBudget)
#include "tst_requestbudget.moc"
