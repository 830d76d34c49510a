#pragma once

#include "builderscene.h"

#include <pipelinespec.h>

#include <QElapsedTimer>
#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QSet>
#include <QTimer>

class QAction;
class QDockWidget;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;
class QTreeView;

namespace Spawnscope {
class PipelineDocument;
class Session;
}

namespace Spawnscope::Ui {

class BuilderView;
class PipelineOutlineModel;
class PeekView;
class PipelineProperties;
class QuickAdd;
class StageInspector;
class StagePalette;

// One pipeline being built and run: the canvas in the middle, the palette on the left, the
// inspector, outline and problems on the right, a status line under the canvas where refusals
// are said. Run starts the drawn graph through the session (real pipes, the relay only where
// the graph needs it) and shows each stage's state and each wire's flow until the next Run or
// Clear Results; while it runs the topology is locked.
class PipelineEditor : public QMainWindow
{
    Q_OBJECT
public:
    enum class Action {
        Run, Stop, ClearResults,
        Cut, Copy, Paste, Duplicate, Delete, DeleteAndReconnect, SelectAll, Inspect, ConnectTo,
        AddStage, AddNote, LayOut, FitAll, FitSelection, ZoomIn, ZoomOut, ActualSize, SnapToGrid,
        CopyShellLine, ExportImage,
    };

    PipelineEditor(Session *session, QWidget *parent = nullptr);
    ~PipelineEditor() override;

    PipelineDocument *document() const { return m_document; }
    BuilderScene *scene() const { return m_scene; }
    BuilderView *view() const { return m_view; }
    StagePalette *stagePalette() const { return m_palette; }
    StageInspector *inspector() const { return m_inspector; }
    PipelineProperties *properties() const { return m_properties; }
    PipelineOutlineModel *outlineModel() const { return m_outline; }
    QTreeView *outlineView() const { return m_outlineView; }
    QListWidget *problemList() const { return m_problems; }
    QuickAdd *quickAdd() const;
    QAction *action(Action which) const { return m_actions.value(which); }
    // What the tab says: the file's name, with * while unsaved.
    QString title() const;
    QString statusLine() const;
    bool statusIsError() const { return m_statusError; }

    // Starts the graph as drawn; false with the reason (a problem, a refusal) said in the status
    // line and in `error`.
    bool run(QString *error = nullptr);
    void stop();
    bool isRunning() const { return m_running; }
    int runGroup() const { return m_group; }
    // The session's process for a stage of the last run, or 0.
    int processOfStage(int stage) const { return m_processOf.value(stage); }
    void clearResults();

    bool load(const QString &path, QString *error);
    bool saveTo(const QString &path, QString *error);
    // The canvas (the selection's part when there is one, with its labels) as .svg or .png.
    bool exportImage(const QString &path, QString *error);
    bool canvasHasFocus() const;
    bool copySelection();
    bool paste();
    // Opens quick-add at a scene point (a wire dropped there arrives wired to what it is).
    void openQuickAdd(const QPointF &at, const std::optional<BuilderScene::PortRef> &wiredTo = std::nullopt);
    // What the status line under the canvas says: it stays until something else is said.
    void say(const QString &text, bool error);
    // A gesture's refusal or remark: it goes after ten seconds, or when the graph changes.
    void refuse(const QString &text, bool error);
    // Commits what is being typed in a panel or a note (a close or a save must not lose it).
    void commitPendingEdits();
    // Says which process the chosen node ran as (processSelected), 0 when it has not run or
    // when not one node is chosen: the Output pane follows the canvas in front.
    void announceSelection();
    // The menu a right click at a scene point opens (for tests: not shown): the node's, the
    // wire's, or the canvas's.
    void fillContextMenu(QMenu *menu, const QPointF &scenePos);
    // The stages a stage's stdout (and stderr) may be wired to, as menu entries; those the
    // core refuses are there, off, with the reason. For keyboard users (C).
    void fillConnectMenu(QMenu *menu, int stage);
    // Opens (or brings up) the live view of a tapped wire's last lines.
    PeekView *peek(const EdgeId &edge);
    void refreshProblems();

Q_SIGNALS:
    // After the title (file name, unsaved marker) changed.
    void titleChanged(const QString &title);
    // When a run starts and when it has ended (once each).
    void runningChanged(bool running);
    // A node was chosen (clicked, picked in the outline, Tab...), or the editor came to the
    // front: the process it ran as, whose output and lane are wanted; 0 when it has not run.
    // Once per choice.
    void processSelected(int process);
    // A pipeline file was dropped on the canvas.
    void openRequested(const QString &path);

protected:
    void showEvent(QShowEvent *event) override;

private:
    static constexpr int ProblemRole = Qt::UserRole + 1; // a Problems row's stage

    Session *m_session;
    PipelineDocument *m_document;
    BuilderScene *m_scene;
    BuilderView *m_view;
    StagePalette *m_palette;
    StageInspector *m_inspector;
    PipelineProperties *m_properties;
    QStackedWidget *m_inspectorStack;
    QDockWidget *m_stagesDock = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    QDockWidget *m_problemsDock = nullptr;
    bool m_firstShow = true;
    PipelineOutlineModel *m_outline;
    QTreeView *m_outlineView;
    QListWidget *m_problems;
    QLabel *m_status;
    QLabel *m_zoom;
    mutable QuickAdd *m_quickAdd = nullptr;
    QHash<Action, QAction *> m_actions;
    bool m_statusError = false;
    bool m_statusTransient = false;
    QString m_firstProblem;
    QTimer m_flowTick;
    QTimer m_statusClear;
    QTimer m_problemsLater;
    bool m_syncingSelection = false;

    bool m_running = false;
    int m_group = 0;
    PipelineSpec m_runSpec;
    QHash<int, int> m_processOf; // stage -> process, of the last run
    QHash<int, int> m_stageOf;   // process -> stage
    QSet<int> m_lastLineDirty;
    QTimer m_lastLineLater;
    QElapsedTimer m_clock;
    QHash<EdgeId, QPointer<PeekView>> m_peeks;

    void buildActions();
    void buildDocks();
    void connectSession();
    void sceneSelectionChanged();
    void outlineSelectionChanged();
    void showStatus(int process);
    void updateLastLines();
    void updateActions();
    void runEnded();
    void sayRunning();
    void ageFlow();
    QString failures() const;
};

} // namespace Spawnscope::Ui
