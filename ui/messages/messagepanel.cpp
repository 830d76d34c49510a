#include <colours.h>
#include "messagepanel.h"

#include "messagelogmodel.h"

#include <childprocess.h>
#include <jsliteral.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

MessagePanel::MessagePanel(QWidget *parent)
    : QWidget(parent)
    , m_view(new QTreeView)
    , m_details(new QPlainTextEdit)
    , m_input(new QLineEdit)
    , m_error(new QLabel)
    , m_send(new QPushButton(tr("Send")))
    , m_disconnect(new QPushButton(tr("Disconnect")))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *split = new QSplitter(Qt::Vertical);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(tr("Select a message to see it whole"));
    split->addWidget(m_view);
    split->addWidget(m_details);
    layout->addWidget(split, 1);
    auto *row = new QHBoxLayout;
    m_input->setPlaceholderText(tr("A message for the child, e.g. {n: 10} or {\"cmd\": \"start\"}"));
    m_input->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    row->addWidget(m_input, 1);
    row->addWidget(m_send);
    row->addWidget(m_disconnect);
    layout->addLayout(row);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);

    connect(m_input, &QLineEdit::returnPressed, this, &MessagePanel::sendInput);
    connect(m_send, &QPushButton::clicked, this, &MessagePanel::sendInput);
    connect(m_input, &QLineEdit::textChanged, this, &MessagePanel::showWhatWillBeSent);
    connect(m_disconnect, &QPushButton::clicked, this, [this] {
        if (m_child)
            m_child->disconnectChannel();
    });
    setProcess(nullptr, nullptr);
}

void MessagePanel::setProcess(MessageLogModel *log, ChildProcess *child)
{
    if (m_child)
        disconnect(m_child, nullptr, this, nullptr);
    m_log = log;
    m_child = child;
    m_view->setModel(log);
    m_details->clear();
    if (log) {
        m_view->header()->setSectionResizeMode(MessageLogModel::Message, QHeaderView::Stretch);
        m_view->header()->setStretchLastSection(true);
        connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &index) {
            m_details->setPlainText(index.data(MessageLogModel::JsonRole).toString());
        });
        connect(log, &QAbstractItemModel::rowsInserted, m_view, &QTreeView::scrollToBottom);
    }
    if (child)
        connect(child, &ChildProcess::disconnected, this, &MessagePanel::updateEnabled);
    updateEnabled();
}

void MessagePanel::updateEnabled()
{
    const bool open = m_child && m_child->connected();
    m_send->setEnabled(open);
    m_disconnect->setEnabled(open);
    m_input->setEnabled(open);
    m_input->setPlaceholderText(open ? tr("A message for the child, e.g. {n: 10} or {\"cmd\": \"start\"}")
                                     : m_log ? tr("The channel is closed") : tr("Only forked processes have a message channel"));
}

void MessagePanel::say(const QString &text, bool isError)
{
    m_error->setText(text);
    m_error->setStyleSheet(QStringLiteral("color: %1;").arg(isError ? Colours::errorColor(palette()).name()
                                                                    : palette().color(QPalette::PlaceholderText).name()));
    m_error->setVisible(!text.isEmpty());
}

void MessagePanel::showWhatWillBeSent()
{
    const QString text = m_input->text().trimmed();
    JsLiteral::Error error;
    const auto value = text.isEmpty() ? std::nullopt : JsLiteral::parse(text, &error);
    // As typed: what goes over the channel; errors wait for Enter, not every keystroke.
    say(value ? tr("sends %1").arg(JsLiteral::toJson(*value)) : QString(), false);
}

bool MessagePanel::sendInput()
{
    const QString text = m_input->text().trimmed();
    if (!m_child || !m_child->connected()) {
        say(tr("The channel is closed."), true);
        return false;
    }
    if (text.isEmpty()) {
        say(tr("Type a message: JSON or a JavaScript literal, e.g. {n: 10}"), true);
        return false;
    }
    JsLiteral::Error error;
    const auto message = JsLiteral::parse(text, &error);
    if (!message) {
        say(tr("Not a message (column %1: %2). Messages are JSON, e.g. {\"n\": 10}, or the JavaScript form {n: 10}.")
                .arg(error.position + 1)
                .arg(error.message),
            true);
        m_input->setCursorPosition(error.position + int(m_input->text().indexOf(text)));
        return false;
    }
    if (!m_child->send(*message)) {
        say(tr("Could not send: the channel is closed."), true);
        return false;
    }
    if (m_log)
        m_log->add(MessageLogModel::ToChild, *message);
    m_input->clear();
    say(QString(), false);
    return true;
}

} // namespace Spawnscope::Ui
