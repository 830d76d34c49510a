#include "pipelineeditor.h"

#include "builderview.h"
#include "nodeitem.h"
#include "noteitem.h"
#include "peekview.h"
#include "pipelineoutlinemodel.h"
#include "pipelineproperties.h"
#include "quickadd.h"
#include "stageinspector.h"
#include "stagepalette.h"
#include "wireitem.h"

#include <colours.h>
#include <pipelinecommands.h>
#include <pipelinedocument.h>
#include <session.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QScrollArea>
#include <QStackedWidget>
#include <QSvgGenerator>
#include <QToolBar>
#include <QTreeView>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QScopeGuard>

namespace Spawnscope::Ui {

namespace {
constexpr int StatusShownMs = 10000;
constexpr int ProblemRole = Qt::UserRole + 1;
}

PipelineEditor::PipelineEditor(Session *session, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_document(new PipelineDocument(this))
    , m_scene(new BuilderScene(m_document, this))
    , m_view(new BuilderView(m_scene))
    , m_palette(new StagePalette)
    , m_inspector(new StageInspector(m_document))
    , m_properties(new PipelineProperties(m_document))
    , m_inspectorStack(new QStackedWidget)
    , m_outline(new PipelineOutlineModel(m_document, this))
    , m_outlineView(new QTreeView)
    , m_problems(new QListWidget)
    , m_status(new QLabel)
    , m_zoom(new QLabel)
{
    // A window of its own inside a tab: docks, no menus (the main window's menus reach it).
    setWindowFlags(Qt::Widget);
    setDockNestingEnabled(true);
    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_view, 1);
    auto *statusRow = new QHBoxLayout;
    statusRow->setContentsMargins(6, 0, 6, 2);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    // Two lines always: the canvas keeps its height as messages come and go.
    m_status->setFixedHeight(m_status->fontMetrics().lineSpacing() * 2 + 4);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_zoom);
    layout->addLayout(statusRow);
    setCentralWidget(central);
    m_statusClear.setSingleShot(true);
    m_statusClear.setInterval(StatusShownMs);
    connect(&m_statusClear, &QTimer::timeout, this, [this] { say({}, false); });
    m_problemsLater.setSingleShot(true);
    m_problemsLater.setInterval(150);
    connect(&m_problemsLater, &QTimer::timeout, this, &PipelineEditor::refreshProblems);
    m_lastLineLater.setSingleShot(true);
    m_lastLineLater.setInterval(100);
    connect(&m_lastLineLater, &QTimer::timeout, this, &PipelineEditor::updateLastLines);

    buildActions();
    buildDocks();
    connectSession();

    connect(m_scene, &BuilderScene::message, this, &PipelineEditor::say);
    connect(m_scene, &BuilderScene::quickAddRequested, this, &PipelineEditor::openQuickAdd);
    connect(m_scene, &BuilderScene::stageActivated, this, [this](int stage) {
        m_scene->selectStages({stage});
        m_inspector->setStage(stage);
        m_inspectorStack->setCurrentWidget(m_inspector);
        m_inspectorDock->show();
        m_inspectorDock->raise();
        m_inspector->focusFirstField();
    });
    connect(m_scene, &BuilderScene::fileDropped, this, &PipelineEditor::openRequested);
    connect(m_scene, &BuilderScene::contextMenuRequested, this, [this](const QPointF &at, const QPoint &screen) {
        QMenu menu(this);
        fillContextMenu(&menu, at);
        menu.exec(screen);
    });
    // A stage of the last run taken away and put back (undo, redo) shows that run again.
    connect(m_document->pipeline(), &Pipeline::stageAdded, this, [this](int stage) {
        if (const int process = m_processOf.value(stage)) {
            showStatus(process);
            m_lastLineDirty.insert(process);
            m_lastLineLater.start();
        } else if (m_runSpec.stages.contains(stage) && m_runSpec.stages[stage].isFile() && m_group) {
            m_scene->setStageStatus(stage, StageStatus{StageStatus::Kind::Succeeded, QStringLiteral("✓"), QStringLiteral("closed")}, {});
        }
    });
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &PipelineEditor::sceneSelectionChanged);
    connect(m_view, &BuilderView::zoomChanged, this, [this](double z) { m_zoom->setText(tr("%1%").arg(qRound(z * 100))); });
    m_zoom->setText(QStringLiteral("100%"));
    connect(m_palette, &StagePalette::activated, this, [this](const StageTemplate &t) {
        m_scene->addEntry(t, m_view->mapToScene(m_view->viewport()->rect().center()));
        m_view->setFocus();
    });
    connect(m_document->undoStack(), &QUndoStack::indexChanged, this, [this] {
        m_problemsLater.start();
        // A refusal is about the graph as it was: an undo or a new step makes it old news.
        if (m_statusError)
            say({}, false);
    });
    connect(m_document->undoStack(), &QUndoStack::cleanChanged, this, [this] { Q_EMIT titleChanged(title()); });
    connect(m_document, &PipelineDocument::pathChanged, this, [this] { Q_EMIT titleChanged(title()); });
    connect(m_document, &PipelineDocument::reset, this, [this] {
        refreshProblems();
        m_view->fitAll();
    });
    connect(m_properties, &PipelineProperties::copied, this, [this](const QString &line) { say(tr("Copied: %1").arg(line), false); });
    refreshProblems();
    updateActions();
    say(tr("Drag stages from the palette, double-click the canvas to add one, or paste a shell line (Ctrl+V). Drag from out or err to in to wire."), false);
}

PipelineEditor::~PipelineEditor()
{
    // Everything that reads the document goes before it, in an order where nothing is left
    // pointing at what is gone: the panels (a field losing the focus still commits to a whole
    // document), the canvas, the outline; then the document, whose undo stack says it was
    // cleared as it goes, which nothing here needs to hear. A run of a closed pipeline goes on
    // in the session (the process list still shows it).
    for (QObject *source : std::initializer_list<QObject *>{m_document->undoStack(), m_document, m_scene, m_outline})
        disconnect(source, nullptr, this, nullptr);
    delete m_quickAdd;
    const QList<QDockWidget *> docks = findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(docks);
    delete takeCentralWidget();
    delete m_outline;
    delete m_scene;
    delete m_document;
}

void PipelineEditor::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // Docks get their share once the editor has its size: the canvas keeps the most of it.
    // Once the layouts have settled (a tab is shown before its final size).
    if (std::exchange(m_firstShow, false)) {
        QTimer::singleShot(0, this, [this] {
            resizeDocks({m_stagesDock, m_inspectorDock}, {150, std::clamp(width() / 4, 260, 340)}, Qt::Horizontal);
            resizeDocks({m_inspectorDock, m_problemsDock}, {height() * 3 / 4, height() / 4}, Qt::Vertical);
            m_view->fitAll();
        });
    }
}

QuickAdd *PipelineEditor::quickAdd() const
{
    if (!m_quickAdd)
        m_quickAdd = new QuickAdd(const_cast<PipelineEditor *>(this));
    return m_quickAdd;
}

QString PipelineEditor::title() const
{
    return m_document->title() + (m_document->isModified() ? QStringLiteral(" *") : QString());
}

QString PipelineEditor::statusLine() const
{
    return m_status->text();
}

void PipelineEditor::say(const QString &text, bool error)
{
    m_statusError = error && !text.isEmpty();
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: %1").arg(Colours::errorColor(QWidget::palette()).name()) : QString());
    if (!text.isEmpty() && error)
        m_statusClear.start();
}

void PipelineEditor::buildActions()
{
    auto add = [this](Action which, const QString &text, const QList<QKeySequence> &keys = {}, const QString &tip = {}) {
        auto *a = new QAction(text, this);
        a->setShortcuts(keys);
        // The canvas's keys act where the canvas (or a panel of this editor) has the focus only.
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        if (!tip.isEmpty())
            a->setToolTip(tip);
        m_actions.insert(which, a);
        return a;
    };
    // Run, Stop and Copy carry their keys in the main window's menus (F5, Shift+F5, Ctrl+C).
    connect(add(Action::Run, tr("&Run"), {}, tr("Run the pipeline as drawn (F5)")), &QAction::triggered, this, [this] { run(); });
    connect(add(Action::Stop, tr("S&top"), {}, tr("Stop it: SIGTERM, then SIGKILL after 2 s (Shift+F5)")), &QAction::triggered, this, &PipelineEditor::stop);
    connect(add(Action::ClearResults, tr("C&lear Results"), {}, tr("Forget the last run's states and counters")), &QAction::triggered, this,
            &PipelineEditor::clearResults);
    connect(add(Action::Cut, tr("Cu&t"), {QKeySequence::Cut}), &QAction::triggered, this, [this] {
        if (copySelection())
            m_scene->deleteSelection();
    });
    connect(add(Action::Copy, tr("&Copy")), &QAction::triggered, this, &PipelineEditor::copySelection);
    connect(add(Action::Paste, tr("&Paste"), {QKeySequence::Paste}), &QAction::triggered, this, &PipelineEditor::paste);
    connect(add(Action::Duplicate, tr("D&uplicate"), {QKeySequence(Qt::CTRL | Qt::Key_D)}), &QAction::triggered, m_scene, &BuilderScene::duplicateSelection);
    connect(add(Action::Delete, tr("&Delete"), {QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)}), &QAction::triggered, m_scene,
            &BuilderScene::deleteSelection);
    connect(add(Action::DeleteAndReconnect, tr("Delete and &Reconnect"), {QKeySequence(Qt::CTRL | Qt::Key_Delete)},
                tr("Take the stage out and wire what fed it to what read it (Ctrl+Delete)")),
            &QAction::triggered, m_scene, &BuilderScene::deleteAndReconnect);
    connect(add(Action::Inspect, tr("&Settings..."), {}, tr("Its settings in the Inspector (Enter, or a double-click)")), &QAction::triggered, this, [this] {
        if (const int stage = m_scene->selectedStages().value(0))
            Q_EMIT m_scene->stageActivated(stage);
    });
    connect(add(Action::ConnectTo, tr("Co&nnect To..."), {QKeySequence(Qt::Key_C)}, tr("Wire the chosen stage's output to another stage, from the keyboard (C)")),
            &QAction::triggered, this, [this] {
                const int stage = m_scene->focusedStage() ? m_scene->focusedStage() : m_scene->selectedStages().value(0);
                if (!stage) {
                    say(tr("Choose a stage first (Tab goes from one to the next), then C to wire it"), true);
                    return;
                }
                QMenu menu(this);
                fillConnectMenu(&menu, stage);
                menu.exec(m_view->viewport()->mapToGlobal(m_view->mapFromScene(m_scene->node(stage)->portPos(Port::Stdout))));
            });
    connect(add(Action::SelectAll, tr("Select &All"), {QKeySequence::SelectAll}), &QAction::triggered, this, [this] {
        for (QGraphicsItem *item : m_scene->items()) {
            if (item->flags() & QGraphicsItem::ItemIsSelectable)
                item->setSelected(true);
        }
    });
    connect(add(Action::AddStage, tr("Add &Stage..."), {QKeySequence(Qt::Key_A)}, tr("Quick add at the pointer (A, or double-click the canvas)")),
            &QAction::triggered, this, [this] { openQuickAdd(m_view->cursorOrCentre()); });
    connect(add(Action::AddNote, tr("Add &Note"), {QKeySequence(Qt::Key_N)}), &QAction::triggered, this,
            [this] { m_scene->addNote(m_view->cursorOrCentre()); });
    connect(add(Action::LayOut, tr("&Lay Out"), {QKeySequence(Qt::CTRL | Qt::Key_L)}, tr("Lay out the selection, or everything (Ctrl+L)")),
            &QAction::triggered, this, [this] {
                if (m_scene->layOut())
                    m_view->fitAll();
            });
    connect(add(Action::FitAll, tr("&Fit All"), {QKeySequence(Qt::Key_F)}), &QAction::triggered, m_view, &BuilderView::fitAll);
    connect(add(Action::FitSelection, tr("Fit &Selection"), {QKeySequence(Qt::SHIFT | Qt::Key_F)}), &QAction::triggered, m_view, &BuilderView::fitSelection);
    connect(add(Action::ZoomIn, tr("Zoom &In"), {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)}), &QAction::triggered, this,
            [this] { m_view->zoomBy(BuilderView::ZoomStep); });
    connect(add(Action::ZoomOut, tr("Zoom &Out"), {QKeySequence::ZoomOut}), &QAction::triggered, this, [this] { m_view->zoomBy(1 / BuilderView::ZoomStep); });
    connect(add(Action::ActualSize, tr("&Actual Size"), {QKeySequence(Qt::CTRL | Qt::Key_0)}), &QAction::triggered, this,
            [this] { m_view->setZoom(1, m_view->viewport()->rect().center()); });
    QAction *snap = add(Action::SnapToGrid, tr("Snap to &Grid"));
    snap->setCheckable(true);
    snap->setChecked(m_scene->snapToGrid());
    connect(snap, &QAction::toggled, m_scene, &BuilderScene::setSnapToGrid);
    connect(add(Action::CopyShellLine, tr("Copy as S&hell Line")), &QAction::triggered, this, [this] {
        QString why;
        if (const auto line = m_document->shellLine(&why)) {
            QApplication::clipboard()->setText(*line);
            say(tr("Copied: %1").arg(*line), false);
        } else {
            say(tr("No shell line: %1").arg(why), true);
        }
    });
    connect(add(Action::ExportImage, tr("&Export Image..."), {}, tr("The canvas (or the selection) as SVG or PNG")), &QAction::triggered, this, [this] {
        const QString base = QFileInfo(m_document->title()).completeBaseName().section(QLatin1Char('.'), 0, 0);
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Image"), base + QStringLiteral(".svg"), tr("SVG (*.svg);;PNG (*.png)"));
        QString error;
        if (path.isEmpty())
            return;
        if (exportImage(path, &error))
            say(tr("Exported %1").arg(QFileInfo(path).fileName()), false);
        else
            say(tr("Could not export: %1").arg(error), true);
    });
    for (QAction *a : std::as_const(m_actions))
        QWidget::addAction(a);

    QToolBar *bar = addToolBar(tr("Pipeline"));
    bar->setObjectName(QStringLiteral("pipelineToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addAction(m_actions[Action::Run]);
    bar->addAction(m_actions[Action::Stop]);
    bar->addAction(m_actions[Action::ClearResults]);
    bar->addSeparator();
    bar->addAction(m_actions[Action::AddStage]);
    bar->addAction(m_actions[Action::AddNote]);
    bar->addAction(m_actions[Action::LayOut]);
    bar->addAction(m_actions[Action::FitAll]);
    bar->addSeparator();
    bar->addAction(m_actions[Action::CopyShellLine]);
}

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

void PipelineEditor::refreshProblems()
{
    const QList<PipelineDocument::Problem> problems = m_document->problems();
    m_problems->clear();
    QHash<int, QString> byStage;
    const QColor error = Colours::errorColor(QWidget::palette());
    for (const PipelineDocument::Problem &p : problems) {
        auto *item = new QListWidgetItem(QStringLiteral("⚠ %1").arg(p.text), m_problems);
        item->setData(ProblemRole, p.stage);
        item->setForeground(error);
        item->setToolTip(p.stage ? tr("%1\nClick to show the node").arg(p.text) : p.text);
        if (p.stage && !byStage.contains(p.stage))
            byStage.insert(p.stage, p.text);
    }
    if (problems.isEmpty())
        new QListWidgetItem(tr("✓ No problems: it can run (F5)"), m_problems);
    m_scene->setProblems(byStage);
    updateActions();
}

void PipelineEditor::updateActions()
{
    const bool canRun = !m_running && m_document->problems().isEmpty();
    QAction *run = m_actions[Action::Run];
    run->setEnabled(canRun);
    const QList<PipelineDocument::Problem> problems = canRun ? QList<PipelineDocument::Problem>{} : m_document->problems();
    run->setToolTip(m_running ? tr("It is running") : canRun ? tr("Run the pipeline as drawn (F5)") : tr("Cannot run: %1").arg(problems.value(0).text));
    m_actions[Action::Stop]->setEnabled(m_running);
    m_actions[Action::ClearResults]->setEnabled(!m_running && m_group);
    QString why;
    m_actions[Action::CopyShellLine]->setEnabled(!m_document->spec().stages.isEmpty() && m_document->shellLine(&why).has_value());
    m_actions[Action::CopyShellLine]->setToolTip(why.isEmpty() ? tr("Copy the pipeline as a line for a terminal") : tr("No shell line: %1").arg(why));
    m_inspector->setLocked(m_running);
}

bool PipelineEditor::canvasHasFocus() const
{
    return m_view->hasFocus() || m_view->viewport()->hasFocus();
}

bool PipelineEditor::copySelection()
{
    QMimeData *data = m_scene->copySelection();
    if (!data)
        return false;
    QApplication::clipboard()->setMimeData(data);
    return true;
}

bool PipelineEditor::paste()
{
    return m_scene->paste(QApplication::clipboard()->mimeData(), m_view->cursorOrCentre());
}

void PipelineEditor::openQuickAdd(const QPointF &at, const std::optional<BuilderScene::PortRef> &wiredTo)
{
    if (m_scene->isLocked()) {
        say(tr("The pipeline is running: Stop to edit (moving stays allowed)"), true);
        return;
    }
    QuickAdd *popup = quickAdd();
    disconnect(popup, &QuickAdd::chosen, this, nullptr);
    connect(popup, &QuickAdd::chosen, this, [this, at, wiredTo](const BuilderScene::Choice &choice) {
        m_scene->addChoice(choice, at, wiredTo);
        m_view->setFocus();
    });
    popup->popup(m_view->viewport()->mapToGlobal(m_view->mapFromScene(at)));
}

void PipelineEditor::fillContextMenu(QMenu *menu, const QPointF &scenePos)
{
    QGraphicsItem *item = m_scene->itemAt(scenePos);
    if (item && item->type() == NodeItem::Type) {
        const int stage = static_cast<NodeItem *>(item)->stage();
        menu->addAction(m_actions[Action::Inspect]);
        fillConnectMenu(menu->addMenu(tr("Co&nnect To")), stage);
        QAction *output = menu->addAction(tr("Show &Output"), this, [this, stage] {
            if (const int process = m_processOf.value(stage))
                Q_EMIT processSelected(process);
        });
        output->setEnabled(m_processOf.contains(stage));
        if (!m_processOf.contains(stage))
            output->setToolTip(tr("It has not run yet"));
        menu->addSeparator();
        for (Action a : {Action::Cut, Action::Copy, Action::Duplicate, Action::Delete, Action::DeleteAndReconnect})
            menu->addAction(m_actions[a]);
        return;
    }
    if (item && item->type() == WireItem::Type) {
        const EdgeId edge = static_cast<WireItem *>(item)->edge();
        const bool tapped = m_document->spec().edge(edge).value_or(Edge{}).tapped;
        QAction *tap = menu->addAction(tr("&Tap: count its lines and keep the last ones"), this, [this, edge, tapped] { m_scene->setTapped(edge, !tapped); });
        tap->setCheckable(true);
        tap->setChecked(tapped);
        tap->setEnabled(!m_running);
        if (m_running)
            tap->setToolTip(tr("Stop to edit"));
        QAction *peekAction = menu->addAction(tr("&Peek at Its Last Lines"), this, [this, edge] { peek(edge); });
        peekAction->setEnabled(tapped);
        if (!tapped)
            peekAction->setToolTip(tr("Tap it first: the window sees the bytes of a tapped wire only"));
        menu->addSeparator();
        menu->addAction(m_actions[Action::Delete]);
        return;
    }
    menu->addAction(m_actions[Action::AddStage]);
    menu->addAction(m_actions[Action::AddNote]);
    menu->addAction(m_actions[Action::Paste]);
    menu->addSeparator();
    menu->addAction(m_actions[Action::LayOut]);
    menu->addAction(m_actions[Action::FitAll]);
    menu->addAction(m_actions[Action::ExportImage]);
}

void PipelineEditor::fillConnectMenu(QMenu *menu, int stage)
{
    const PipelineSpec &spec = m_document->spec();
    const StageSpec &from = spec.stages[stage];
    QList<OutputStream> streams;
    if (from.mode != StageSpec::Mode::WriteFile)
        streams << OutputStream::Stdout;
    if (!from.isFile())
        streams << OutputStream::Stderr;
    for (OutputStream stream : streams) {
        QMenu *target = stream == OutputStream::Stdout ? menu : menu->addMenu(tr("Its &stderr"));
        if (stream == OutputStream::Stdout)
            menu->addSection(tr("%1:stdout to").arg(from.displayName()));
        for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
            if (it->mode == StageSpec::Mode::ReadFile || it.key() == stage)
                continue;
            const EdgeId edge{stage, stream, it.key()};
            const QString name = NodeItem::titleOf(*it);
            QAction *a = target->addAction(tr("%1 (stage %2)").arg(name).arg(it.key()), this, [this, edge] {
                m_scene->connectPorts({edge.from, edge.stream == OutputStream::Stderr ? Port::Stderr : Port::Stdout}, {edge.to, Port::Stdin});
            });
            if (const QString why = spec.edgeProblem(edge); !why.isEmpty()) {
                a->setEnabled(false);
                a->setToolTip(why);
            }
        }
    }
    if (menu->actions().size() <= 2)
        menu->addAction(tr("No other stage to wire it to"))->setEnabled(false);
}

PeekView *PipelineEditor::peek(const EdgeId &edge)
{
    if (PeekView *open = m_peeks.value(edge)) {
        open->raise();
        return open;
    }
    auto *view = new PeekView(edge, ConnectCommand::describe(m_document->spec(), edge), this);
    m_peeks.insert(edge, view);
    if (const FlowMeter *meter = m_scene->flow(edge))
        view->setLines(meter->stats().lastLines);
    view->show();
    return view;
}

bool PipelineEditor::load(const QString &path, QString *error)
{
    if (m_running) {
        *error = tr("it is running; stop it first");
        return false;
    }
    if (!m_document->load(path, error))
        return false;
    clearResults();
    Q_EMIT titleChanged(title());
    return true;
}

bool PipelineEditor::saveTo(const QString &path, QString *error)
{
    if (!m_document->save(path, error))
        return false;
    say(tr("Saved %1").arg(QFileInfo(path).fileName()), false);
    Q_EMIT titleChanged(title());
    return true;
}

bool PipelineEditor::exportImage(const QString &path, QString *error)
{
    QRectF area;
    const QList<QGraphicsItem *> chosen = m_scene->selectedItems();
    for (QGraphicsItem *item : chosen.isEmpty() ? m_scene->items() : chosen) {
        if (item->isVisible() && (item->type() == NodeItem::Type || item->type() == WireItem::Type || item->type() == NoteItem::Type))
            area |= item->sceneBoundingRect();
    }
    if (area.isEmpty()) {
        *error = tr("the canvas is empty");
        return false;
    }
    area.adjust(-20, -20, 20, 20);
    // Drawn as seen, without the selection's frames.
    const QSignalBlocker quiet(m_scene);
    for (QGraphicsItem *item : chosen)
        item->setSelected(false);
    // Drawn afresh, not from the screen's cache: an SVG gets text and shapes, not pictures.
    QList<QGraphicsItem *> cached;
    for (QGraphicsItem *item : m_scene->items()) {
        if (item->cacheMode() != QGraphicsItem::NoCache) {
            cached << item;
            item->setCacheMode(QGraphicsItem::NoCache);
        }
    }
    auto restore = qScopeGuard([&] {
        for (QGraphicsItem *item : chosen)
            item->setSelected(true);
        for (QGraphicsItem *item : std::as_const(cached))
            item->setCacheMode(QGraphicsItem::DeviceCoordinateCache);
    });
    const QColor background = m_scene->palette().color(QPalette::Window);
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(area.size().toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), area.size()));
        svg.setTitle(m_document->title());
        QPainter painter;
        if (!painter.begin(&svg)) {
            *error = tr("cannot write %1").arg(path);
            return false;
        }
        painter.fillRect(QRectF(QPointF(0, 0), area.size()), background);
        m_scene->render(&painter, QRectF(QPointF(0, 0), area.size()), area);
        painter.end();
        return true;
    }
    const double scale = 2; // sharp on a dense screen and in print
    QImage image((area.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(background);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    m_scene->render(&painter, QRectF(QPointF(0, 0), area.size() * scale), area);
    painter.end();
    if (!image.save(path)) {
        *error = tr("cannot write %1 (the name should end in .png or .svg)").arg(path);
        return false;
    }
    return true;
}

void PipelineEditor::sceneSelectionChanged()
{
    const QList<int> stages = m_scene->selectedStages();
    if (stages.size() == 1) {
        m_inspector->setStage(stages.first());
        m_inspectorStack->setCurrentWidget(m_inspector);
        if (const int process = m_processOf.value(stages.first()))
            Q_EMIT processSelected(process);
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
