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
#include <shellline.h>

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
    connect(&m_statusClear, &QTimer::timeout, this, [this] {
        if (m_statusTransient)
            say({}, false);
    });
    m_problemsLater.setSingleShot(true);
    m_problemsLater.setInterval(150);
    connect(&m_problemsLater, &QTimer::timeout, this, &PipelineEditor::refreshProblems);
    m_lastLineLater.setSingleShot(true);
    m_lastLineLater.setInterval(100);
    connect(&m_lastLineLater, &QTimer::timeout, this, &PipelineEditor::updateLastLines);

    buildActions();
    buildDocks();
    connectSession();

    connect(m_scene, &BuilderScene::message, this, &PipelineEditor::refuse);
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
        if (m_statusError && m_statusTransient)
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
    m_statusTransient = false;
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: %1").arg(Colours::errorColor(QWidget::palette()).name()) : QString());
    m_statusClear.stop();
}

void PipelineEditor::refuse(const QString &text, bool error)
{
    // A gesture's refusal or remark passes; what a run said stays until the next one.
    say(text, error);
    m_statusTransient = true;
    m_statusClear.start();
}

void PipelineEditor::buildActions()
{
    auto add = [this](Action which, const QString &text, const QList<QKeySequence> &keys = {}, const QString &tip = {}) {
        auto *a = new QAction(text, this);
        a->setShortcuts(keys);
        // The canvas's keys act where the canvas has the focus only: A, N, Delete typed in a
        // panel are that panel's.
        a->setShortcutContext(Qt::WidgetShortcut);
        m_view->addAction(a);
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
        QList<EdgeId> edges;
        for (const Edge &e : m_document->spec().edges)
            edges << e.id;
        m_scene->selectStages(m_scene->stageIds(), edges);
        const QSignalBlocker quiet(m_scene);
        for (const PipelineDocument::Note &n : m_document->notes()) {
            if (QGraphicsItem *item = m_scene->noteItem(n.id))
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
    // As on the timeline: + and - zoom, 0 is actual size (Ctrl with them scales the window's text).
    connect(add(Action::ZoomIn, tr("Zoom &In"), {QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal)}), &QAction::triggered, this,
            [this] { m_view->zoomBy(BuilderView::ZoomStep); });
    connect(add(Action::ZoomOut, tr("Zoom &Out"), {QKeySequence(Qt::Key_Minus)}), &QAction::triggered, this,
            [this] { m_view->zoomBy(1 / BuilderView::ZoomStep); });
    connect(add(Action::ActualSize, tr("&Actual Size"), {QKeySequence(Qt::Key_0)}), &QAction::triggered, this,
            [this] { m_view->setZoom(1, m_view->viewport()->rect().center()); });
    QAction *snap = add(Action::SnapToGrid, tr("Snap to &Grid"));
    snap->setCheckable(true);
    snap->setChecked(m_scene->snapToGrid());
    connect(snap, &QAction::toggled, m_scene, &BuilderScene::setSnapToGrid);
    connect(add(Action::CopyShellLine, tr("Copy as S&hell Line")), &QAction::triggered, this, [this] {
        QString why;
        if (const auto found = m_document->shellLine(&why)) {
            const QString line = ShellLine::forTerminal(*found); // a clipboard holds text only
            QApplication::clipboard()->setText(line);
            say(tr("Copied: %1").arg(line), false);
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
    m_firstProblem = problems.isEmpty() ? QString() : problems.first().text;
    updateActions();
}

void PipelineEditor::updateActions()
{
    // From the last look at the problems (refreshProblems() follows every change).
    const bool canRun = !m_running && m_firstProblem.isEmpty();
    QAction *run = m_actions[Action::Run];
    run->setEnabled(canRun);
    run->setToolTip(m_running ? tr("It is running") : canRun ? tr("Run the pipeline as drawn (F5)") : tr("Cannot run: %1").arg(m_firstProblem));
    m_actions[Action::Stop]->setEnabled(m_running);
    m_actions[Action::ClearResults]->setEnabled(!m_running && m_group);
    QString why;
    m_actions[Action::CopyShellLine]->setEnabled(!m_document->spec().stages.isEmpty() && m_document->shellLine(&why).has_value());
    m_actions[Action::CopyShellLine]->setToolTip(why.isEmpty() ? tr("Copy the pipeline as a line for a terminal") : tr("No shell line: %1").arg(why));
    if (m_inspector->isLocked() != m_running)
        m_inspector->setLocked(m_running);
    m_properties->setLocked(m_running);
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

} // namespace Spawnscope::Ui
