// PipelineEditor: its docks (palette, inspector, outline, problems) and the selection they share
// with the canvas.
#include "pipelineeditor.h"

#include "builderview.h"
#include "noteitem.h"
#include "pipelineoutlinemodel.h"
#include "pipelineproperties.h"
#include "stageinspector.h"
#include "stagepalette.h"

#include <pipelinedocument.h>

#include <QApplication>
#include <QDockWidget>
#include <QHeaderView>
#include <QListWidget>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTreeView>

namespace Spawnscope::Ui {

void PipelineEditor::buildDocks()
{
    auto dock = [this](const QString &title, const QString &name, QWidget *widget, Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetFloatable);
        addDockWidget(area, d);
        return d;
    };
    m_palette->setMinimumWidth(130);
    m_stagesDock = dock(tr("Stages"), QStringLiteral("stagesDock"), m_palette, Qt::LeftDockWidgetArea);
    m_inspectorStack->addWidget(m_properties);
    m_inspectorStack->addWidget(m_inspector);
    // Scrolled: a form this tall must not make the window taller than a laptop's screen.
    auto *inspectorScroll = new QScrollArea;
    inspectorScroll->setWidget(m_inspectorStack);
    inspectorScroll->setWidgetResizable(true);
    inspectorScroll->setFrameShape(QFrame::NoFrame);
    inspectorScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_inspectorDock = dock(tr("Inspector"), QStringLiteral("inspectorDock"), inspectorScroll, Qt::RightDockWidgetArea);
    m_outlineView->setModel(m_outline);
    m_outlineView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_outlineView->setUniformRowHeights(true);
    m_outlineView->setAccessibleName(tr("Pipeline outline"));
    m_outlineView->header()->setStretchLastSection(true);
    m_outlineView->setColumnWidth(PipelineOutlineModel::Name, 150);
    m_outlineView->setColumnWidth(PipelineOutlineModel::State, 150);
    m_problems->setAccessibleName(tr("Problems"));
    m_problems->setWordWrap(true);
    m_problemsDock = dock(tr("Problems"), QStringLiteral("problemsDock"), m_problems, Qt::RightDockWidgetArea);
    splitDockWidget(m_inspectorDock, m_problemsDock, Qt::Vertical);
    QDockWidget *outline = dock(tr("Outline"), QStringLiteral("outlineDock"), m_outlineView, Qt::RightDockWidgetArea);
    tabifyDockWidget(m_inspectorDock, outline);
    m_inspectorDock->raise();
    connect(m_outlineView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PipelineEditor::outlineSelectionChanged);
    // New stages show their ports and wires; nothing else is re-expanded.
    connect(m_outline, &QAbstractItemModel::rowsInserted, m_outlineView, [this](const QModelIndex &parent, int first, int last) {
        for (int row = first; row <= last; ++row)
            m_outlineView->expandRecursively(m_outline->index(row, 0, parent));
    });
    connect(m_outline, &QAbstractItemModel::modelReset, m_outlineView, &QTreeView::expandAll);
    connect(m_problems, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const int stage = item->data(ProblemRole).toInt();
        if (!stage)
            return;
        m_scene->selectStages({stage});
        m_view->centreOn(stage);
        m_view->setFocus();
    });
    connect(m_problems, &QListWidget::itemClicked, m_problems, &QListWidget::itemActivated);
}

void PipelineEditor::announceSelection()
{
    const QList<int> stages = m_scene->selectedStages();
    Q_EMIT processSelected(stages.size() == 1 ? m_processOf.value(stages.first()) : 0);
}

void PipelineEditor::commitPendingEdits()
{
    if (QWidget *f = QApplication::focusWidget(); f && isAncestorOf(f) && f != m_view && f != m_view->viewport())
        f->clearFocus(); // a field commits as it loses the focus
    for (QGraphicsItem *item : m_scene->items()) {
        if (item->type() == NoteItem::Type)
            static_cast<NoteItem *>(item)->finishEditing();
    }
}

void PipelineEditor::sceneSelectionChanged()
{
    const QList<int> stages = m_scene->selectedStages();
    if (stages.size() == 1) {
        m_inspector->setStage(stages.first());
        m_inspectorStack->setCurrentWidget(m_inspector);
        announceSelection();
    } else {
        m_inspector->setStage(0);
        m_inspectorStack->setCurrentWidget(m_properties);
    }
    if (m_syncingSelection)
        return;
    m_syncingSelection = true;
    QItemSelection selection;
    for (int s : stages) {
        const QModelIndex i = m_outline->indexOfStage(s);
        selection.select(i, i.siblingAtColumn(PipelineOutlineModel::ColumnCount - 1));
    }
    for (const EdgeId &e : m_scene->selectedEdges()) {
        const QModelIndex i = m_outline->indexOfEdge(e);
        selection.select(i, i.siblingAtColumn(PipelineOutlineModel::ColumnCount - 1));
    }
    m_outlineView->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    m_syncingSelection = false;
}

void PipelineEditor::outlineSelectionChanged()
{
    if (m_syncingSelection)
        return;
    m_syncingSelection = true;
    QList<int> stages;
    QList<EdgeId> edges;
    for (const QModelIndex &i : m_outlineView->selectionModel()->selectedRows()) {
        if (const int s = m_outline->stageAt(i))
            stages << s;
        else if (const auto e = m_outline->edgeAt(i))
            edges << *e;
    }
    m_scene->selectStages(stages, edges);
    if (!stages.isEmpty())
        m_view->ensureVisible(m_scene->node(stages.first()), 40, 40);
    m_syncingSelection = false;
}

} // namespace Spawnscope::Ui
