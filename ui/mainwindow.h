#pragma once

#include <QMainWindow>
#include <QTimer>

class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QStringListModel;
class QStackedWidget;
class QTreeView;

namespace Spawnscope::Ui {

class FindBar;
class MessagePanel;
class OutputPane;
class Session;
class TimelinePanel;

// The window: a command bar, the session's process list, and live output of the selected
// process (merged or stdout and stderr side by side), with a line to type into its stdin.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    Session *session() const { return m_session; }
    QLineEdit *commandLine() const { return m_command; }
    QLineEdit *filterLine() const { return m_filter; }
    QComboBox *modeBox() const { return m_mode; }
    QTreeView *processView() const { return m_view; }
    QLabel *previewLabel() const { return m_preview; }
    OutputPane *mergedPane() const { return m_merged; }
    OutputPane *stdoutPane() const { return m_stdout; }
    OutputPane *stderrPane() const { return m_stderr; }
    QLineEdit *stdinLine() const { return m_stdin; }
    FindBar *findBar() const { return m_find; }
    MessagePanel *messagePanel() const { return m_messages; }
    TimelinePanel *timelinePanel() const { return m_timeline; }
    class QTabWidget *tabs() const { return m_tabs; }
    OutputPane *visiblePane() const;
    int selectedProcess() const;
    void selectProcess(int process);
    // Runs what the command bar holds, as Enter does; the new process's id or 0.
    int runCommandBar();
    // Opens the options dialog; true when the user accepted new options.
    bool editOptions();
    bool sideBySide() const;
    QString statusText() const;
    // Stops a live process as Stop does and runs its line again once it has ended.
    void restart(int process);
    // Launches the process's line again, as it was started; a failure is said in the status bar.
    void runAgain(int process);
    void setSideBySide(bool on);

Q_SIGNALS:
    // After the launch options were changed (once per accepted dialog).
    void optionsChanged();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    Session *m_session;
    QComboBox *m_mode;
    QLineEdit *m_command;
    QLabel *m_preview;
    QLineEdit *m_filter;
    QTreeView *m_view;
    QSortFilterProxyModel *m_proxy;
    QStackedWidget *m_panes;
    OutputPane *m_merged;
    OutputPane *m_stdout;
    OutputPane *m_stderr;
    QLineEdit *m_stdin;
    FindBar *m_find;
    MessagePanel *m_messages;
    TimelinePanel *m_timeline;
    class QTabWidget *m_tabs;
    QSplitter *m_splitter;
    QLabel *m_status;
    QStringList m_history;
    QStringListModel *m_historyModel;
    QTimer m_saveLater;
    bool m_closing = false;
    bool m_firstShow = true;
    qint64 m_lastBytes = 0;   // all output so far, for the rate
    double m_rate = 0;        // bytes per second, over the last second
    QTimer m_rateTimer;

    void buildMenus();
    void showProcess(int process);
    void updateStatus();
    void processMenu(const QPoint &at);
    void saveOutput();
    void showMoment(int process, double t);
    void chooseScrollback();
    void remember(const QString &line);
    void restoreSettings();
    void saveSettings() const;
};

} // namespace Spawnscope::Ui
