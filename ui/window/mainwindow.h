#pragma once

#include <launchoptions.h>

#include <QFont>
#include <QHash>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QTimer>

#include <functional>

class QAction;
class QActionGroup;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QStringListModel;
class QTabWidget;
class QTreeView;
class QUndoGroup;

namespace Spawnscope {
class Session;
struct LaunchRequest;
}

namespace Spawnscope::Ui {

class BatchDashboard;
class CommandBar;
class PipelineEditor;
class FindBar;
class LessonPanel;
class MessagePanel;
class OutputPane;
class ProcessListModel;
class TimelinePanel;

// The window: a command bar, the session's process list, and live output of the selected
// process (merged or stdout and stderr side by side), with a line to type into its stdin; its
// messages, and the timeline of the whole session in a dock.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // The window's actions, by name: menus, shortcuts, context menus and other panels (the
    // builder's undo stack joins undoGroup()) all reach them here.
    enum class Action {
        NewPipeline, OpenPipeline, SavePipeline, SavePipelineAs, ClosePipeline, RunPipeline, StopPipeline,
        SaveOutput, Quit,
        Undo, Redo, Copy, Find, FindNext, FindPrevious, FilterProcesses, ClearOutput,
        SideBySide, WrapLines, Timestamps, Scrollback, ShowTimeline, ShowBatchDashboard,
        LaunchOptions, FocusCommandBar, ForkSeveral, RunAgain, Restart, Stop, Continue, Kill,
        Lessons, OpenLesson, TextBigger, TextSmaller, TextReset,
        About,
    };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    Session *session() const { return m_session; }
    QAction *action(Action which) const { return m_actions.value(which); }
    QUndoGroup *undoGroup() const { return m_undoGroup; }
    // View > Appearance's entries: System, Light, Dark.
    QAction *appearanceAction(int mode) const;
    CommandBar *commandBar() const { return m_commandBar; }
    QLineEdit *commandLine() const;
    QComboBox *modeBox() const;
    QLabel *previewLabel() const;
    QLineEdit *filterLine() const { return m_filter; }
    QTreeView *processView() const { return m_view; }
    ProcessListModel *processModel() const { return m_model; }
    OutputPane *mergedPane() const { return m_merged; }
    OutputPane *stdoutPane() const { return m_stdout; }
    OutputPane *stderrPane() const { return m_stderr; }
    QLineEdit *stdinLine() const { return m_stdin; }
    // Whose output the panes show: the process, its state, and where a pipeline stage's stdout
    // went instead when it was wired on.
    QLabel *outputTitle() const { return m_outputTitle; }
    QPushButton *closeStdinButton() const { return m_closeStdin; }
    FindBar *findBar() const { return m_find; }
    MessagePanel *messagePanel() const { return m_messages; }
    TimelinePanel *timelinePanel() const { return m_timeline; }
    // A batch's dashboard, in a dock beside the timeline's: shown as a batch starts, and
    // following the batch whose job is selected.
    BatchDashboard *batchDashboard() const { return m_batch; }
    QDockWidget *batchDock() const { return m_batchDock; }
    QTabWidget *tabs() const { return m_tabs; }
    QWidget *outputTab() const { return m_outputTab; }
    OutputPane *visiblePane() const;
    int selectedProcess() const;
    void selectProcess(int process);
    // Runs what the command bar holds, as Enter does; the new process's id, or 0 when the line
    // cannot run (the bar says why and the caret goes to the column at fault).
    int runCommandBar();
    // Opens the options dialog; true when the user accepted new options.
    bool editOptions();
    const LaunchOptions &launchOptions() const { return m_options; }
    void setLaunchOptions(const LaunchOptions &options);
    bool sideBySide() const;
    void setSideBySide(bool on);
    QString statusText() const;
    // Launches the process's request again, as it was started; a failure is said in the status bar.
    void runAgain(int process);
    // Stops a live process as Stop does and runs it again once it has ended.
    void restart(int process);
    // The process's context menu, as a right click opens it (for tests: not shown).
    void fillProcessMenu(class QMenu *menu, int process);
    // A group row's menu (a message, a disconnect, a signal to all of it), and the menu of a
    // multiple selection of processes.
    void fillGroupMenu(QMenu *menu, int group);
    void fillSelectionMenu(QMenu *menu, const QList<int> &processes);
    QList<int> selectedProcesses() const;
    // A message (JSON or a JavaScript literal) to each process with an open channel: how many
    // it reached, or -1 with where the text is wrong.
    int sendMessageTo(const QList<int> &processes, const QString &text, QString *error);
    // Fork N...: the dialog, then the group it starts.
    void forkSeveral();

    // The left side's tabs: the process list, then one per pipeline being built.
    QTabWidget *workspace() const { return m_workspace; }
    QList<PipelineEditor *> pipelineEditors() const;
    // The pipeline tab in front, or nullptr when the process list is.
    PipelineEditor *currentEditor() const;
    // A new empty pipeline in a tab of its own, in front.
    PipelineEditor *newPipeline();
    // Opens a pipeline file in a tab (the one it is in already, or an untouched empty one);
    // nullptr with the reason (the field at fault) when it cannot be read: nothing changes then.
    PipelineEditor *openPipeline(const QString &path, QString *error);
    // Saves, asking where for an untitled one (`askPath` false: fails instead).
    bool savePipeline(PipelineEditor *editor, bool askPath, QString *error);
    bool savePipelineAs(PipelineEditor *editor, const QString &path, QString *error);
    // Closes a pipeline tab; unsaved work is asked about first. False when the user kept it.
    bool closePipeline(PipelineEditor *editor);
    QStringList recentPipelines() const;

    // Help > Lessons: the lesson panel in its dock (shown by itself on the first run).
    LessonPanel *lessonPanel() const { return m_lessons; }
    QDockWidget *lessonDock() const { return m_lessonDock; }
    // File > Open Lesson without the dialog: false with the reason, also said in the panel.
    bool openLesson(const QString &path, QString *error);
    // Every text of the window, scaled for a projector (Ctrl+= / Ctrl+- / Ctrl+0); remembered.
    double textScale() const { return m_textScale; }
    void setTextScale(double scale);
    // What to do with unsaved work before a close: Save, Discard or Cancel. A dialog by
    // default; tests answer for the user.
    using SaveQuestion = std::function<QMessageBox::StandardButton(PipelineEditor *)>;
    void setSaveQuestion(const SaveQuestion &ask) { m_askSave = ask; }

Q_SIGNALS:
    // After the launch options were changed (once per accepted dialog).
    void optionsChanged();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    Session *m_session;
    ProcessListModel *m_model;
    LaunchOptions m_options;
    QActionGroup *m_looks = nullptr;
    QHash<Action, QAction *> m_actions;
    QUndoGroup *m_undoGroup;
    CommandBar *m_commandBar;
    QLineEdit *m_filter;
    QTreeView *m_view;
    QSortFilterProxyModel *m_proxy;
    QStackedWidget *m_panes;
    OutputPane *m_merged;
    OutputPane *m_stdout;
    OutputPane *m_stderr;
    QLineEdit *m_stdin;
    QLabel *m_outputTitle;
    QPushButton *m_closeStdin;
    FindBar *m_find;
    MessagePanel *m_messages;
    TimelinePanel *m_timeline;
    QDockWidget *m_timelineDock;
    LessonPanel *m_lessons = nullptr;
    QDockWidget *m_lessonDock = nullptr;
    QPointer<PipelineEditor> m_lessonPipeline; // where pipeline steps run, reused while open
    double m_textScale = 1.0;
    QFont m_baseFont; // the application's font before any scaling
    BatchDashboard *m_batch = nullptr;
    QDockWidget *m_batchDock = nullptr;
    QTabWidget *m_tabs;
    QTabWidget *m_workspace;
    QMenu *m_pipelineMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QList<QPointer<QAction>> m_canvasEdits; // the front pipeline's edits, in the Edit menu while it is open
    SaveQuestion m_askSave;
    QList<int> m_listSizes;    // the splitter with the process list in front
    QList<int> m_builderSizes; // and with a pipeline
    bool m_builderInFront = false;
    int m_untitledCount = 0;
    QWidget *m_outputTab;
    QSplitter *m_splitter;
    QLabel *m_status;
    QStringList m_history;
    QString m_lastGroupMessage;
    QStringListModel *m_historyModel;
    QTimer m_saveLater;
    bool m_closing = false;
    bool m_firstShow = true;
    qint64 m_lastBytes = 0; // all output so far, for the rate
    double m_rate = 0;      // bytes per second, over the last second
    QTimer m_rateTimer;

    QAction *addAction(Action which, const QString &text, const QKeySequence &shortcut = {});
    void buildActions();
    void buildLessons();
    void scaleText(int steps);
    int launchLessonPipeline(const LaunchRequest &request, QString *error);
    void buildMenus();
    void showProcess(int process);
    void updateStdin();
    void updateOutputTitle();
    void updateProcessActions();
    void updateStatus();
    void processMenu(const QPoint &at);
    void askMessageFor(const QList<int> &processes);
    void saveOutput();
    void showMoment(int process, double t);
    void chooseScrollback();
    void remember(const QString &line);
    void restoreSettings();
    void saveSettings() const;
    void buildPipelineActions();
    void buildBatchDock();
    void followBatchOf(int process);
    void workspaceChanged();
    void updateTitle();
    void rememberPipeline(const QString &path);
    void fillPipelineMenu();
    void fillRecentMenu();
    // Asks about every unsaved pipeline (saving those the user wants saved); false when the user
    // keeps the window open. Nothing is closed here.
    bool settleUnsaved();
    QMessageBox::StandardButton askSave(PipelineEditor *editor);
};

} // namespace Spawnscope::Ui
