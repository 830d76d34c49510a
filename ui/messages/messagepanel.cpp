#include <colours.h>
#include "messagepanel.h"

#include "messagelogmodel.h"

#include <childprocess.h>

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
    m_input->setPlaceholderText(tr("A JSON message for the child, e.g. {\"cmd\": \"start\"}"));
    m_input->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    row->addWidget(m_input, 1);
    row->addWidget(m_send);
    row->addWidget(m_disconnect);
    layout->addLayout(row);
    m_error->setStyleSheet(QStringLiteral("color: %1;").arg(Colours::errorColor(palette()).name()));
    m_error->hide();
    layout->addWidget(m_error);

    connect(m_input, &QLineEdit::returnPressed, this, &MessagePanel::sendInput);
    connect(m_send, &QPushButton::clicked, this, &MessagePanel::sendInput);
    connect(m_input, &QLineEdit::textChanged, m_error, &QLabel::hide);
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
    m_input->setPlaceholderText(open ? tr("A JSON message for the child, e.g. {\"cmd\": \"start\"}")
                                     : m_log ? tr("The channel is closed") : tr("Only forked processes have a message channel"));
}

bool MessagePanel::sendInput()
{
    const QByteArray text = m_input->text().trimmed().toUtf8();
    auto fail = [this](const QString &why) {
        m_error->setText(why);
        m_error->show();
        return false;
    };
    if (!m_child || !m_child->connected())
        return fail(tr("The channel is closed."));
    if (text.isEmpty())
        return fail(tr("Type a JSON value to send."));
    // Any JSON value, scalars too: parsed as the only element of an array.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text + "]", &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return fail(tr("Not JSON (at character %1): %2").arg(qMax(1, error.offset)).arg(error.errorString()));
    const QJsonValue message = doc.array().first();
    if (!m_child->send(message))
        return fail(tr("Could not send: the channel is closed."));
    if (m_log)
        m_log->add(MessageLogModel::ToChild, message);
    m_error->hide();
    m_input->clear();
    return true;
}

} // namespace Spawnscope::Ui
