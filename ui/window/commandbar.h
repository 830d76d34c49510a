#pragma once

#include <commandline.h>

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Spawnscope::Ui {

// The command bar: a mode (spawn, exec, execFile, fork, batch), the line, Options... and Run,
// and under them exactly what will run, or why it cannot: in the error colour, the line with a
// caret at the column at fault, and a way out.
class CommandBar : public QWidget
{
    Q_OBJECT
public:
    explicit CommandBar(QWidget *parent = nullptr);

    QComboBox *modeBox() const { return m_mode; }
    QLineEdit *lineEdit() const { return m_line; }
    QLabel *previewLabel() const { return m_preview; }
    QPushButton *forkSeveralButton() const { return m_forkSeveral; } // shown in fork mode

    LaunchMode mode() const;
    void setMode(LaunchMode mode);
    void setOptions(const LaunchOptions &options);
    // What the line means now, in the current mode and with the current options.
    CommandLine parsed() const;
    // After Enter on a line that cannot run: the caret goes to the column at fault.
    void showRefusal();
    bool isShowingError() const { return m_showingError; }
    QString plainPreview() const; // what the line under the bar says, as plain text

Q_SIGNALS:
    // Enter or Run, whatever the line holds (the window decides).
    void runRequested();
    void optionsRequested();
    // Fork N... was clicked (fork mode only).
    void forkSeveralRequested();

private:
    QComboBox *m_mode;
    QLineEdit *m_line;
    QLabel *m_preview;
    QPushButton *m_forkSeveral;
    LaunchOptions m_options;
    bool m_showingError = false;

    void refresh();
};

} // namespace Spawnscope::Ui
