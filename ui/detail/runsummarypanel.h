// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

class QGridLayout;

namespace t2i {
struct RunReport;
}

namespace t2i::ui {

// A run's summary as a few labelled groups of numbers (latency with 95% confidence intervals,
// outcome, cold vs warm, stages, cost). Cold and warm are always shown apart.
class RunSummaryPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunSummaryPanel(QWidget* parent = nullptr);
    void showSummary(const RunReport& report);
    void clear();
    QString valueText(const QString& label) const; // for tests: the value shown beside a label
    QString warningText() const; // for tests: the measurement warnings shown, "" when none
    QString thresholdText() const; // for tests: the thresholds' verdict shown, "" when none were set

private:
    struct Item {
        QString label;
        QString value;
        QString toolTip;
    };
    void addGroup(int column, const QString& title, const QList<Item>& items);

    QGridLayout* m_grid;
};

} // namespace t2i::ui
