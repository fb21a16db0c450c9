// SPDX-License-Identifier: Apache-2.0
#include "studies/studyview.h"

#include "charts/studycharts.h"

#include <QChartView>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

namespace t2i::ui {
namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

QLabel* sectionTitle(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

// A read-only table sized to its rows, so the page scrolls as one and no table scrolls inside it.
QTableWidget* newTable(QWidget* parent)
{
    auto* table = new QTableWidget(parent);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table->setWordWrap(false);
    return table;
}

void fillTable(QTableWidget* table, const QStringList& header, const QList<QStringList>& rows)
{
    table->clear();
    table->setColumnCount(static_cast<int>(header.size()));
    table->setRowCount(static_cast<int>(rows.size()));
    table->setHorizontalHeaderLabels(header);
    for (qsizetype r = 0; r < rows.size(); ++r)
        for (qsizetype c = 0; c < header.size(); ++c)
            table->setItem(static_cast<int>(r), static_cast<int>(c), new QTableWidgetItem(rows[r].value(c)));
    table->resizeColumnsToContents();
    int height = table->horizontalHeader()->sizeHint().height() + 2 * table->frameWidth();
    for (int r = 0; r < table->rowCount(); ++r)
        height += table->rowHeight(r);
    table->setFixedHeight(height + 2);
    int width = 2 * table->frameWidth();
    for (int c = 0; c < table->columnCount(); ++c)
        width += table->columnWidth(c);
    table->setFixedWidth(width + 2);
}

} // namespace

StudyView::StudyView(QWidget* parent)
    : QWidget(parent)
    , m_heading(new QLabel(this))
    , m_meta(new QLabel(this))
    , m_answer(new QLabel(this))
    , m_message(new QLabel(this))
    , m_findings(newTable(this))
    , m_tablesBox(new QWidget(this))
    , m_tablesLayout(new QVBoxLayout(m_tablesBox))
    , m_chartsBox(new QWidget(this))
    , m_chartsLayout(new QGridLayout(m_chartsBox))
    , m_notes(new QLabel(this))
    , m_runs(newTable(this))
{
    QFont heading = m_heading->font();
    heading.setPointSizeF(heading.pointSizeF() * 1.3);
    heading.setBold(true);
    m_heading->setFont(heading);
    m_meta->setForegroundRole(QPalette::PlaceholderText);
    m_meta->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont answer = m_answer->font();
    answer.setPointSizeF(answer.pointSizeF() * 1.5);
    m_answer->setFont(answer);
    m_answer->setWordWrap(true);
    m_answer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #c94a4a"));
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tablesLayout->setContentsMargins(0, 0, 0, 0);
    m_chartsLayout->setContentsMargins(0, 0, 0, 0);
    m_runs->setToolTip(tr("Double-click a run to open it on the Run page"));
    connect(m_runs, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (const QTableWidgetItem* item = m_runs->item(row, 0))
            emit openRunRequested(item->data(Qt::UserRole).toString());
    });

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->addWidget(m_heading);
    layout->addWidget(m_meta);
    layout->addWidget(m_answer);
    layout->addWidget(m_message);
    // The findings and the study's tables side by side, each as wide as its columns.
    auto* findings = new QWidget(content);
    auto* findingsLayout = new QVBoxLayout(findings);
    findingsLayout->setContentsMargins(0, 0, 0, 0);
    findingsLayout->addWidget(sectionTitle(tr("Findings"), findings));
    findingsLayout->addWidget(m_findings);
    findingsLayout->addStretch(1);
    auto* tablesRow = new QHBoxLayout;
    tablesRow->addWidget(findings, 0, Qt::AlignTop);
    tablesRow->addSpacing(16);
    tablesRow->addWidget(m_tablesBox, 0, Qt::AlignTop);
    tablesRow->addStretch(1);
    layout->addLayout(tablesRow);
    layout->addWidget(m_chartsBox);
    layout->addWidget(sectionTitle(tr("Notes"), content));
    layout->addWidget(m_notes);
    layout->addWidget(sectionTitle(tr("Runs"), content));
    layout->addWidget(m_runs);
    layout->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    clear();
}

void StudyView::clearResult()
{
    // The previous study's titles, tables and charts go (each chart view owns its chart).
    m_tables.clear();
    m_charts.clear();
    for (QLayout* layout : { static_cast<QLayout*>(m_tablesLayout), static_cast<QLayout*>(m_chartsLayout) })
        while (QLayoutItem* item = layout->takeAt(0)) {
            delete item->widget();
            delete item;
        }
}

void StudyView::clear()
{
    m_studyId.clear();
    clearResult();
    m_heading->setText(tr("No study selected"));
    m_meta->clear();
    m_answer->clear();
    m_message->hide();
    fillTable(m_findings, { tr("Finding"), tr("Value") }, {});
    m_notes->clear();
    fillTable(m_runs, { tr("Run"), tr("Role") }, {});
}

void StudyView::showStudy(const StudyRow& study)
{
    clear();
    m_studyId = study.id;
    m_heading->setText(QStringLiteral("%1 — %2 / %3").arg(study.title, study.provider, study.variant));
    m_meta->setText(
        tr("%1 · %2 · created %3%4 · configuration %5")
            .arg(study.id, study.status, study.createdIso,
                study.finishedIso.isEmpty() ? QString() : tr(", ended %1").arg(study.finishedIso), study.configName));
    QString problem = study.message;
    if (!study.resultError.isEmpty())
        problem += (problem.isEmpty() ? QString() : QStringLiteral("\n")) + study.resultError;
    if (!study.result && problem.isEmpty())
        problem = study.status == QLatin1String("running") ? tr("Still running: no result yet.")
                                                           : tr("This study ended without a result.");
    m_message->setText(problem);
    m_message->setVisible(!problem.isEmpty());

    QList<QStringList> runs;
    for (const StudyRunRow& run : study.runs)
        runs.append({ run.runId, run.role });
    fillTable(m_runs, { tr("Run"), tr("Role") }, runs);
    for (int r = 0; r < m_runs->rowCount(); ++r)
        m_runs->item(r, 0)->setData(Qt::UserRole, study.runs[r].runId);
    if (!study.result)
        return;

    const StudyResult& result = *study.result;
    m_answer->setText(qs(result.answer));
    QList<QStringList> findings;
    for (const StudyFinding& finding : result.findings)
        findings.append({ qs(finding.label), qs(finding.text) });
    fillTable(m_findings, { tr("Finding"), tr("Value (95% interval)") }, findings);
    for (const StudyTable& table : result.tables) {
        m_tablesLayout->addWidget(sectionTitle(qs(table.title), m_tablesBox));
        auto* widget = newTable(m_tablesBox);
        QStringList header;
        for (const std::string& column : table.columns)
            header.append(qs(column));
        QList<QStringList> rows;
        for (const auto& row : table.rows) {
            QStringList cells;
            for (const std::string& cell : row)
                cells.append(qs(cell));
            rows.append(cells);
        }
        fillTable(widget, header, rows);
        m_tablesLayout->addWidget(widget);
        m_tables.push_back(widget);
    }
    ChartPalette palette;
    palette.dark = this->palette().color(QPalette::Window).lightness() < 128;
    // Charts two to a row, so a study's charts read side by side.
    for (const StudyChart& chart : result.charts) {
        auto* view = new QChartView(buildStudyChart(chart, palette), m_chartsBox);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(340);
        const auto index = static_cast<int>(m_charts.size());
        m_chartsLayout->addWidget(view, index / 2, index % 2);
        m_charts.push_back(view);
    }
    QStringList notes;
    for (const std::string& note : result.notes)
        notes.append(QStringLiteral("• ") + qs(note));
    m_notes->setText(notes.isEmpty() ? tr("None.") : notes.join(QLatin1Char('\n')));
}

} // namespace t2i::ui
