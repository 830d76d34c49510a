#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeView;

namespace Spawnscope {
class ChildProcess;
class MessageLogModel;
}

namespace Spawnscope::Ui {


// For a forked child: its messages both ways (the selected one pretty-printed), a box to send
// a message — JSON or the JavaScript literal a lesson writes, the JSON that will go shown as
// typed, a parse error with its column under the box — and Disconnect.
class MessagePanel : public QWidget
{
    Q_OBJECT
public:
    explicit MessagePanel(QWidget *parent = nullptr);

    // Both null: a process without a channel.
    void setProcess(MessageLogModel *log, ChildProcess *child);
    QLineEdit *input() const { return m_input; }
    QLabel *errorLabel() const { return m_error; }
    QPushButton *sendButton() const { return m_send; }
    QPushButton *disconnectButton() const { return m_disconnect; }
    QTreeView *view() const { return m_view; }
    // Sends what the box holds (JSON, or a JavaScript literal such as {n: 10}); false, with
    // the reason and its column shown, when it is neither or the channel is closed.
    bool sendInput();

private:
    QPointer<MessageLogModel> m_log;
    QPointer<ChildProcess> m_child;
    QTreeView *m_view;
    QPlainTextEdit *m_details;
    QLineEdit *m_input;
    QLabel *m_error;
    QPushButton *m_send;
    QPushButton *m_disconnect;
    void updateEnabled();
    void showWhatWillBeSent();
    void say(const QString &text, bool isError);
};

} // namespace Spawnscope::Ui
