// SPDX-License-Identifier: Apache-2.0
#pragma once

// Compares two nlohmann::json values and prints both as JSON when they differ. (QCOMPARE cannot
// take them: json converts implicitly to too many of the types QTest has overloads for.)

#include <QTest>

#include <nlohmann/json.hpp>

#define T2I_COMPARE_JSON(actual, expected)                                                                             \
    do {                                                                                                               \
        const nlohmann::json actualValue_ = (actual);                                                                  \
        const nlohmann::json expectedValue_ = (expected);                                                              \
        QVERIFY2(actualValue_ == expectedValue_,                                                                       \
            (std::string(#actual) + " is " + actualValue_.dump() + ", expected " + expectedValue_.dump()).c_str());    \
    } while (false)
