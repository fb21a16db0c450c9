// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QListWidget>

namespace t2i::ui {

// The navigation column: one entry per page, an icon beside its label. Entries whose
// page has nothing to show yet are disabled rather than hidden, so the layout never jumps.
class Sidebar : public QListWidget {
    Q_OBJECT
public:
    explicit Sidebar(QWidget* parent = nullptr);
    int addPage(const QIcon& icon, const QString& label, const QString& toolTip);
    void setPageEnabled(int page, bool enabled);

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyStyle();
};

} // namespace t2i::ui
