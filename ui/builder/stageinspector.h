#pragma once

#include <stagespec.h>

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace Spawnscope {
class PipelineDocument;
}

namespace Spawnscope::Ui {

// One stage's settings: what it runs (a program and its arguments as a list, with the quoting
// shown; or a shell command), its directory, environment, files for its streams, timeout and
// kill signal; a file node's path. Checked as typed, in the error colour under the form; each
// finished edit is one undo step ("Edit grep"), and an edit the model refuses changes nothing
// and says why.
class StageInspector : public QWidget
{
    Q_OBJECT
public:
    explicit StageInspector(PipelineDocument *document, QWidget *parent = nullptr);
    // The stage shown; 0 for none.
    void setStage(int stage);
    int stage() const { return m_stage; }
    // While the pipeline runs its settings cannot change (the node says what runs).
    void setLocked(bool locked);
    bool isLocked() const { return m_locked; }

    // The form as it stands; nullopt with the reason when it cannot be a stage (a bad
    // environment line, a timeout with no unit...).
    std::optional<StageSpec> formSpec(QString *why) const;
    // Commits the form as an EditStageCommand; false with the reason shown when refused.
    bool apply();
    QString problemText() const;
    void focusFirstField();

    QComboBox *kindBox() const { return m_kind; }
    QLineEdit *programEdit() const { return m_program; }
    QListWidget *argumentList() const { return m_args; }
    QLineEdit *commandEdit() const { return m_command; }
    QLineEdit *cwdEdit() const { return m_cwd; }
    QPlainTextEdit *environmentEdit() const { return m_env; }
    QLineEdit *pathEdit() const { return m_path; }
    QLabel *quotedLabel() const { return m_quoted; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    // After an edit was committed (once per undo step pushed).
    void applied(int stage);

private:
    PipelineDocument *m_document;
    int m_stage = 0;
    bool m_loading = false;
    bool m_locked = false;
    QLabel *m_heading;
    QComboBox *m_kind;
    QLineEdit *m_name;
    QLineEdit *m_program;
    QListWidget *m_args;
    QPushButton *m_addArg;
    QPushButton *m_removeArg;
    QPushButton *m_argUp;
    QPushButton *m_argDown;
    QLabel *m_quoted;
    QLineEdit *m_command;
    QLineEdit *m_path;
    QCheckBox *m_append;
    QLineEdit *m_cwd;
    QPlainTextEdit *m_env;
    QLineEdit *m_stdin;
    QLineEdit *m_stdout;
    QCheckBox *m_stdoutAppend;
    QLineEdit *m_stderr;
    QCheckBox *m_stderrAppend;
    QCheckBox *m_merge;
    QSpinBox *m_timeout;
    QComboBox *m_signal;
    QLabel *m_problem;
    QList<QWidget *> m_processRows; // shown for a process, hidden for a file node
    QList<QWidget *> m_argRows;
    QList<QWidget *> m_commandRows;
    QList<QWidget *> m_fileRows;
    QList<QWidget *> m_nameRows;

    void load();
    void showRows(StageSpec::Mode mode);
    void check();
    void argumentsEdited();
};

} // namespace Spawnscope::Ui
