// SPDX-License-Identifier: Apache-2.0
#include "library/librarypage.h"

#include "common/icons.h"
#include "common/text.h"
#include "library/runlibrary.h"
#include "library/runnotesdialog.h"
#include "library/runsfilterproxy.h"
#include "library/runstablemodel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace t2i::ui {
namespace {

QToolButton* toolButton(QAction* action, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(true);
    return button;
}

} // namespace

LibraryPage::LibraryPage(RunLibrary* library, QWidget* parent)
    : QWidget(parent)
    , m_library(library)
    , m_proxy(new RunsFilterProxy(this))
    , m_search(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_hint(new QLabel(this))
    , m_table(new QTableView(this))
    , m_empty(new QLabel(this))
    , m_stack(new QStackedWidget(this))
{
    m_proxy->setSourceModel(library->model());

    auto* title = new QLabel(tr("Runs"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);
    m_count->setForegroundRole(QPalette::PlaceholderText);

    m_search->setPlaceholderText(tr("Search   e.g. steady  provider:fast  p95>4  tags:baseline"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(
        lineIcon(IconKind::Search, palette().color(QPalette::PlaceholderText)), QLineEdit::LeadingPosition);
    m_search->setMinimumWidth(380);
    m_search->setToolTip(tr("Every word must match. A plain word matches any column (and the run id and notes);\n"
                            "column:text matches one column; p50, p95, errors, cost and requests also take\n"
                            "< <= > >= = with a number in the column's unit. Quotes keep spaces in a word."));
    connect(m_search, &QLineEdit::textChanged, m_proxy, &RunsFilterProxy::setQuery);

    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunsTableModel::Date, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 12);
    QHeaderView* header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->setSectionsMovable(true);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    // Widths from typical contents (and the header with its sort arrow), not from the first
    // rows, so the layout does not change as a library grows.
    const QFontMetrics metrics(m_table->font());
    const std::pair<int, QString> samples[] = { { RunsTableModel::Name,
                                                    QStringLiteral("quickstart/cheap-saturating/sdxl-fp16") },
        { RunsTableModel::Provider, QStringLiteral("cheap-saturating") },
        { RunsTableModel::Variant, QStringLiteral("sdxl-fp16-lcm") },
        { RunsTableModel::Date, QStringLiteral("2026-11-28 21:02") },
        { RunsTableModel::Status, QStringLiteral("interrupted") },
        { RunsTableModel::Requests, QStringLiteral("Requests") }, { RunsTableModel::P50, QStringLiteral("p50 (s)") },
        { RunsTableModel::P95, QStringLiteral("p95 (s)") }, { RunsTableModel::ErrorRate, QStringLiteral("100.0 %") },
        { RunsTableModel::CostPer1000, QStringLiteral("$ / 1k images") } };
    for (const auto& [column, sample] : samples)
        m_table->setColumnWidth(
            column, metrics.horizontalAdvance(sample) + (column == RunsTableModel::Status ? 44 : 30));
    // Tags take what is left; a small minimum keeps the table free of a horizontal scroll bar.
    header->setMinimumSectionSize(metrics.horizontalAdvance(QStringLiteral("Tags")) + 24);
    m_table->setColumnWidth(RunsTableModel::Tags, header->minimumSectionSize());
    connect(m_table, &QTableView::doubleClicked, this,
        [this](const QModelIndex& index) { emit openRunRequested(index.data(RunsTableModel::RunIdRole).toString()); });
    connect(m_table, &QWidget::customContextMenuRequested, this, &LibraryPage::showContextMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LibraryPage::updateActions);

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_empty);

    m_hint->setForegroundRole(QPalette::PlaceholderText);

    buildActions();
    auto* top = new QHBoxLayout;
    top->setSpacing(8);
    top->addWidget(title);
    top->addWidget(m_count, 0, Qt::AlignBottom);
    top->addStretch(1);
    top->addWidget(m_search);
    auto* actions = new QHBoxLayout;
    actions->setSpacing(2);
    auto* compareButton = new QPushButton(m_compare->icon(), m_compare->text(), this);
    compareButton->setDefault(true);
    connect(compareButton, &QPushButton::clicked, m_compare, &QAction::trigger);
    connect(m_compare, &QAction::changed, compareButton, [this, compareButton] {
        compareButton->setEnabled(m_compare->isEnabled());
        compareButton->setText(m_compare->text());
    });
    compareButton->setObjectName(QStringLiteral("compareButton"));
    actions->addWidget(compareButton);
    actions->addSpacing(8);
    for (QAction* action : { m_open, m_notes, m_delete })
        actions->addWidget(toolButton(action, this));
    actions->addSpacing(12);
    actions->addWidget(m_hint);
    actions->addStretch(1);
    actions->addWidget(toolButton(m_refresh, this));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 8);
    layout->setSpacing(10);
    layout->addLayout(top);
    layout->addLayout(actions);
    layout->addWidget(m_stack, 1);

    auto* model = library->model();
    connect(model, &QAbstractItemModel::modelReset, this, &LibraryPage::updateSummary);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &LibraryPage::updateSummary);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &LibraryPage::updateSummary);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &LibraryPage::updateSummary);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &LibraryPage::updateSummary);
    connect(library, &RunLibrary::listed, this, &LibraryPage::updateSummary);
    updateSummary();
    updateActions();
}

void LibraryPage::buildActions()
{
    const QColor ink = palette().color(QPalette::WindowText);
    m_compare = new QAction(lineIcon(IconKind::Compare, ink), tr("Compare"), this);
    m_compare->setShortcut(Qt::CTRL | Qt::Key_K);
    m_compare->setToolTip(tr("Lay the selected runs side by side (select 2 to 8)"));
    m_open = new QAction(lineIcon(IconKind::RunDetail, ink), tr("Open"), this);
    m_open->setShortcuts({ Qt::Key_Return, Qt::Key_Enter });
    m_notes = new QAction(lineIcon(IconKind::Notes, ink), tr("Tags && notes…"), this);
    m_delete = new QAction(lineIcon(IconKind::Delete, ink), tr("Delete…"), this);
    m_delete->setShortcut(QKeySequence::Delete);
    m_refresh = new QAction(lineIcon(IconKind::Refresh, ink), tr("Refresh"), this);
    m_refresh->setShortcut(QKeySequence::Refresh);
    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_search, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    for (QAction* action : { m_compare, m_open, m_notes, m_delete, m_refresh, find }) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    // Return in the search field moves to the table rather than opening a run.
    m_open->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(m_open);
    connect(m_compare, &QAction::triggered, this, &LibraryPage::compareSelected);
    connect(m_open, &QAction::triggered, this, &LibraryPage::openSelected);
    connect(m_notes, &QAction::triggered, this, &LibraryPage::editNotesOfSelected);
    connect(m_delete, &QAction::triggered, this, &LibraryPage::deleteSelected);
    connect(m_refresh, &QAction::triggered, m_library, &RunLibrary::reload);
}

QStringList LibraryPage::selectedRunIds() const
{
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QStringList ids;
    for (const QModelIndex& index : rows)
        ids.append(index.data(RunsTableModel::RunIdRole).toString());
    return ids;
}

void LibraryPage::selectRuns(const QStringList& runIds)
{
    QItemSelection selection;
    const auto* model = m_library->model();
    for (const QString& id : runIds) {
        const int sourceRow = model->rowOf(id);
        if (sourceRow < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(model->index(sourceRow, 0));
        if (index.isValid())
            selection.select(index, index);
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QByteArray LibraryPage::saveHeaderState() const
{
    return m_table->horizontalHeader()->saveState();
}

void LibraryPage::restoreHeaderState(const QByteArray& state)
{
    if (!state.isEmpty())
        m_table->horizontalHeader()->restoreState(state);
}

void LibraryPage::updateActions()
{
    const QStringList ids = selectedRunIds();
    const auto n = ids.size();
    const bool canCompare = n >= kMinCompare && n <= kMaxCompare;
    m_compare->setEnabled(canCompare);
    m_compare->setText(canCompare ? tr("Compare %1 runs").arg(n) : tr("Compare"));
    m_open->setEnabled(n == 1);
    m_notes->setEnabled(n == 1);
    bool anyRunning = false;
    for (const QString& id : ids) {
        const int row = m_library->model()->rowOf(id);
        anyRunning = anyRunning || (row >= 0 && !m_library->model()->run(row).isFinal());
    }
    m_delete->setEnabled(n > 0 && !anyRunning);
    m_delete->setToolTip(
        anyRunning ? tr("A run that is still running cannot be deleted") : tr("Delete the selected runs"));
    if (n == 0)
        m_hint->setText(tr("Select 2 to 8 runs to compare them; double-click a run to open it."));
    else if (n > kMaxCompare)
        m_hint->setText(tr("%1 selected: at most %2 runs can be compared at once.").arg(n).arg(kMaxCompare));
    else
        m_hint->setText(tr("%1 selected").arg(runsText(n)));
}

void LibraryPage::updateSummary()
{
    const int total = m_library->model()->rowCount();
    const int shown = m_proxy->rowCount();
    m_count->setText(total == shown ? runsText(total) : tr("%1 of %2 runs").arg(shown).arg(total));
    if (total == 0 && !m_library->isLoading()) {
        const QString db = m_library->databasePath();
        m_empty->setText(tr("No runs in %1 yet.\n\nRun a benchmark to fill it, for example:\n"
                            "t2ibench-cli run examples/quickstart.json --db %1")
                             .arg(db));
        m_stack->setCurrentWidget(m_empty);
    } else {
        m_stack->setCurrentWidget(m_table);
    }
    updateActions();
}

void LibraryPage::compareSelected()
{
    const QStringList ids = selectedRunIds();
    if (ids.size() >= kMinCompare && ids.size() <= kMaxCompare)
        emit compareRequested(ids);
}

void LibraryPage::openSelected()
{
    const QStringList ids = selectedRunIds();
    if (ids.size() == 1)
        emit openRunRequested(ids.front());
}

void LibraryPage::editNotesOfSelected()
{
    const QStringList ids = selectedRunIds();
    if (ids.size() != 1)
        return;
    const int row = m_library->model()->rowOf(ids.front());
    if (row < 0)
        return;
    const RunRow& run = m_library->model()->run(row);
    RunNotesDialog dialog(run.name, run.tags, run.notes, this);
    if (dialog.exec() == QDialog::Accepted)
        m_library->setNotes(run.id, dialog.tags(), dialog.notes());
}

void LibraryPage::deleteSelected()
{
    const QStringList ids = selectedRunIds();
    if (ids.isEmpty() || !m_delete->isEnabled())
        return;
    QStringList names;
    for (const QString& id : ids) {
        const int row = m_library->model()->rowOf(id);
        names.append(row >= 0 ? m_library->model()->run(row).name + QStringLiteral("  (") + id + QLatin1Char(')') : id);
    }
    QMessageBox box(QMessageBox::Warning, tr("Delete runs"),
        tr("Delete %1 from the library?").arg(runsText(ids.size())), QMessageBox::Cancel, this);
    box.setInformativeText(tr("Their requests and worker samples are removed from %1. This cannot be undone.")
                               .arg(m_library->databasePath()));
    box.setDetailedText(names.join(QLatin1Char('\n')));
    QPushButton* remove = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == remove)
        m_library->deleteRuns(ids);
}

void LibraryPage::showContextMenu(const QPoint& position)
{
    if (!m_table->indexAt(position).isValid())
        return;
    QMenu menu(this);
    menu.addAction(m_open);
    menu.addAction(m_compare);
    menu.addSeparator();
    menu.addAction(m_notes);
    menu.addAction(m_delete);
    menu.exec(m_table->viewport()->mapToGlobal(position));
}

} // namespace t2i::ui
