// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLocale>
#include <QString>

namespace t2i::ui {

// "1 run", "3 runs", "1,200 images": English plurals without a translation catalogue (tr()'s
// %n would print "run(s)").
inline QString countText(qint64 n, const QString& singular, const QString& plural)
{
    return QLocale().toString(n) + QLatin1Char(' ') + (n == 1 ? singular : plural);
}

inline QString runsText(qint64 n)
{
    return countText(n, QStringLiteral("run"), QStringLiteral("runs"));
}

} // namespace t2i::ui
