#pragma once

#include <lesson.h>
#include <lessonrunner.h>

#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTextBrowser;

namespace Spawnscope {
class Session;
}

namespace Spawnscope::Ui {

// A lesson, step by step: its steps in a list; for the chosen one, what it shows in our own
// words, what to look at, the same code in Node.js, C++ and a shell (each copied with a click),
// and Run, which runs exactly that step in the window's session (its processes join the list,
// the output panes, the messages and the timeline like any other). Without a chosen step it is
// the lesson's start page.
class LessonPanel : public QWidget
{
    Q_OBJECT
public:
    enum class Code { Node, Cpp, Shell };

    explicit LessonPanel(Session *session, QWidget *parent = nullptr);

    const Lesson &lesson() const { return m_lesson; }
    void setLesson(const Lesson &lesson);
    // Opens a lesson file; on an error the panel says where (the file and line) in the error
    // colour, keeps the lesson it had, and returns false with the same text.
    bool openLesson(const QString &path, QString *error);
    // The step shown, by its place in the lesson; -1: the start page.
    int currentStep() const { return m_step; }
    void showStep(int index);
    bool showStep(const QString &id);

    // Runs the step shown, as Run does; false with why (said in the panel too).
    bool runStep(QString *error = nullptr);
    void stopStep();
    bool isRunning() const { return m_runner->isRunning(); }
    LessonRunner *runner() const { return m_runner; }
    // Pipeline steps go to the window's builder through this (without it they run headless).
    void setPipelineLauncher(const LessonRunner::PipelineLauncher &launch) { m_launchPipeline = launch; }
    QString code(Code which) const;
    // Puts the code of the tab in front on the clipboard, as Copy does; what was copied.
    QString copyCode();

    QListWidget *stepList() const { return m_steps; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *copyButton() const { return m_copy; }
    QTabWidget *codeTabs() const { return m_codeTabs; }
    QLabel *titleLabel() const { return m_title; }
    QLabel *statusLabel() const { return m_status; }
    QLabel *lookLabel() const { return m_look; }
    QTextBrowser *explanation() const { return m_explain; }
    // The lesson file's error, where the panel says it; hidden when there is none.
    QLabel *errorLabel() const { return m_error; }

Q_SIGNALS:
    // Once per Run that started something: its first process, for the window to show.
    void stepStarted(int firstProcess);
    // Once per Run that started, when everything it started has ended, with the step's status.
    void stepFinished(int status);
    // When the user asks for another lesson file (the window owns the file dialog).
    void openRequested();

protected:
    bool event(QEvent *event) override;

private:
    Session *m_session;
    LessonRunner *m_runner;
    LessonRunner::PipelineLauncher m_launchPipeline;
    Lesson m_lesson;
    int m_step = -1;
    int m_runningStep = -1;
    bool m_stoppedByUser = false; // the step's end came from Stop
    QLabel *m_lessonTitle;
    QLabel *m_error;
    QListWidget *m_steps;
    QLabel *m_title;
    QLabel *m_runLine;
    QPushButton *m_run;
    QPushButton *m_stop;
    QLabel *m_status;
    QLabel *m_look;
    QTextBrowser *m_explain;
    QTabWidget *m_codeTabs;
    QPushButton *m_copy;
    QList<QPlainTextEdit *> m_code;

    void fillSteps();
    void showCurrent();
    void say(const QString &text, bool error);
    void updateButtons();
    void updateFonts();
    void finished(int status);
};

} // namespace Spawnscope::Ui
