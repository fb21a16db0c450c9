// SPDX-License-Identifier: Apache-2.0
#include "app/comparepage.h"

#include "compare/comparisonview.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace t2i::ui {

ComparePage::ComparePage(QWidget* parent)
    : QWidget(parent)
    , m_view(new ComparisonView(this))
    , m_title(new QLabel(tr("Compare"), this))
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    connect(m_view, &ComparisonView::errorOccurred, this, &ComparePage::errorOccurred);

    m_empty->setText(tr("Select 2 to 8 runs in the runs library and press Compare."));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_view);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 8);
    layout->setSpacing(10);
    layout->addWidget(m_title);
    layout->addWidget(m_stack, 1);
}

void ComparePage::setDatabase(const QString& dbPath)
{
    m_view->setDatabase(dbPath);
    m_runIds.clear();
    m_stack->setCurrentWidget(m_empty);
}

void ComparePage::showRuns(const QStringList& runIds)
{
    m_runIds = runIds;
    m_stack->setCurrentWidget(runIds.isEmpty() ? static_cast<QWidget*>(m_empty) : m_view);
    m_view->showRuns(runIds);
}

void ComparePage::exportReport()
{
    QSettings settings;
    const QString folder = settings
                               .value(QStringLiteral("export/folder"),
                                   QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                               .toString();
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, tr("Export report"),
        folder + QStringLiteral("/t2ibench-report.pdf"), tr("PDF report (*.pdf);;HTML report (*.html)"), &filter);
    if (path.isEmpty())
        return;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("pdf") && suffix != QLatin1String("html"))
        path += filter.contains(QLatin1String("html")) ? QStringLiteral(".html") : QStringLiteral(".pdf");
    settings.setValue(QStringLiteral("export/folder"), QFileInfo(path).absolutePath());
    QString error;
    exportReportTo(path, &error);
}

bool ComparePage::exportReportTo(const QString& path, QString* error)
{
    QString why;
    if (!m_view->exportReport(path, &why)) {
        const QString message = tr("Could not write the report %1: %2").arg(path, why);
        if (error)
            *error = message;
        emit errorOccurred(message);
        return false;
    }
    emit reportWritten(path);
    return true;
}

} // namespace t2i::ui
