// SPDX-License-Identifier: Apache-2.0
// What a job commits against a budget (core/cost/budgetpricing.h), by pricing: a time price
// its timeout (and a serverless worker's idle tail) as billed, an output price exactly what
// it asks for; and a run without a price has no budget.
#include "budgetfixtures.h"
#include "cost/budgetpricing.h"

#include <QtTest>

using namespace t2i;

class TestBudgetPricing : public QObject {
    Q_OBJECT

private slots:
    void worstCaseOfOneJob_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<double>("timeoutS");
        QTest::addColumn<double>("worstUsd");
        for (const budgetfixtures::WorstCase& c : budgetfixtures::worstCases())
            QTest::newRow(c.name) << QString(c.provider) << c.timeoutS << c.worstUsd;
    }

    void worstCaseOfOneJob()
    {
        QFETCH(QString, provider);
        QFETCH(double, timeoutS);
        QFETCH(double, worstUsd);
        std::string error;
        const auto pricing = budgetPricingOf(budgetfixtures::runWith(provider.toStdString()), timeoutS * 1000, &error);
        QVERIFY2(pricing, error.c_str());
        QVERIFY2(std::abs(pricing->jobWorstCaseUsd - worstUsd) < 1e-12,
            qPrintable(QString::number(pricing->jobWorstCaseUsd, 'g', 12) + " "
                + QString::fromStdString(pricing->worstCaseBasis)));
        QVERIFY(pricing->spentUsd);
        QCOMPARE(pricing->spentUsd({}, {}, 0), 0.0); // nothing finished, nothing kept warm: nothing spent
    }

    void aRunWithoutAPriceHasNoBudget()
    {
        std::string error;
        QVERIFY(!budgetPricingOf(budgetfixtures::runWith(budgetfixtures::unpricedProvider()), 1000, &error));
        QVERIFY2(error.find("no price for provider") != std::string::npos, error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestBudgetPricing)
#include "tst_budgetpricing.moc"
