#pragma once

#include <launchrequest.h>

#include <QDialog>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace Spawnscope::Ui {

// Fork N...: several children of one module at once, each sent its own first message (one a
// line, JSON or a JavaScript literal), in a group of their own that a right click reaches as one.
class ForkDialog : public QDialog
{
    Q_OBJECT
public:
    ForkDialog(const QString &line, const LaunchOptions &options, QWidget *parent = nullptr);

    // The request for what the dialog holds; nullopt with why (the line at fault).
    std::optional<LaunchRequest> request(QString *error) const;
    // The same from plain values: `line` as fork mode reads it, one child per message line
    // (blank lines skipped).
    static std::optional<LaunchRequest> requestFor(const QString &line, const QString &messages, bool disconnectWhenAnswered,
                                                   const LaunchOptions &options, QString *error);

    QLineEdit *moduleLine() const { return m_line; }
    QSpinBox *countBox() const { return m_count; }
    QPlainTextEdit *messagesEdit() const { return m_messages; }
    QCheckBox *disconnectBox() const { return m_disconnect; }
    QLabel *problemLabel() const { return m_problem; }

    void accept() override;

private:
    LaunchOptions m_options;
    QLineEdit *m_line;
    QSpinBox *m_count;
    QPlainTextEdit *m_messages;
    QCheckBox *m_disconnect;
    QLabel *m_problem;
    bool m_messagesEdited = false;

    void fillMessages(int count);
    void check();
};

} // namespace Spawnscope::Ui
