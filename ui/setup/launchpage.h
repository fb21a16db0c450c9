// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "setup/launchestimator.h"

#include <QFutureWatcher>
#include <QMetaType>
#include <QStringList>
#include <QWidget>

#include <nlohmann/json.hpp>

#include <optional>

class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTimer;

namespace t2i::ui {

// What the Launch button asks for: t2ibench-cli run CONFIG --provider ... --variant ...
// [--budget-usd B], run by the live page.
struct LaunchRequest {
    QString configPath;
    QStringList providerIds;
    QStringList variantIds;
    std::optional<double> budgetUsd; // none: no spending limit
};

// The dashboard's Launch page (docs/dashboard.md, "Launch"): which providers x variants of the
// saved configuration to run, what that will take before it starts (requests, duration, cost,
// each with the assumptions it rests on), a budget and the thresholds, and Launch.
class LaunchPage : public QWidget {
    Q_OBJECT
public:
    explicit LaunchPage(QWidget* parent = nullptr);
    ~LaunchPage() override;

    // The configuration as the setup page holds it; saved: the file on disk is the document
    // (a run reads the file, so unsaved changes block Launch).
    void setConfiguration(const nlohmann::json& document, const QString& path, bool saved);
    void setChecked(const QStringList& providerIds, const QStringList& variantIds);

    QStringList checkedProviders() const;
    QStringList checkedVariants() const;
    std::optional<double> budget() const; // nullopt: empty field
    const LaunchEstimate& estimate() const { return m_estimate; }
    QString launchBlockedReason() const; // "" when Launch is enabled

    QListWidget* providerList() const { return m_providers; }
    QListWidget* variantList() const { return m_variants; }
    QTableWidget* estimateTable() const { return m_table; }
    QPlainTextEdit* assumptions() const { return m_assumptions; }
    QLineEdit* budgetField() const { return m_budget; }
    QLabel* thresholdsLabel() const { return m_thresholds; }
    QPushButton* launchButton() const { return m_launch; }

signals:
    void launchRequested(const t2i::ui::LaunchRequest& request);
    void estimated(); // a new estimate is shown

private:
    void scheduleEstimate();
    void startEstimate();
    void showEstimate();
    void updateLaunch();
    void launch();

    nlohmann::json m_document;
    QString m_path;
    bool m_saved = false;
    LaunchEstimate m_estimate;
    QFutureWatcher<LaunchEstimate> m_watcher;
    bool m_again = false; // the selection changed while an estimate ran
    QTimer* m_debounce;
    QListWidget* m_providers;
    QListWidget* m_variants;
    QLineEdit* m_budget;
    QLabel* m_thresholds;
    QTableWidget* m_table;
    QLabel* m_totals;
    QPlainTextEdit* m_assumptions;
    QLabel* m_blocked;
    QPushButton* m_launch;
};

} // namespace t2i::ui

Q_DECLARE_METATYPE(t2i::ui::LaunchRequest)
