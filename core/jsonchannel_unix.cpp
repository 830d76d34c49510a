#include "jsonchannel_p.h"

#include "logging_p.h"

#include "ipccodec_p.h"

#include <QDeadlineTimer>
#include <QPointer>
#include <QSocketNotifier>

#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace Spawnscope::Internal {

namespace {
constexpr qsizetype kReadSize = 256 * 1024;
// Per readiness notification, so one chatty peer cannot starve the owner's event loop.
constexpr qsizetype kReadBudget = 4 * 1024 * 1024;
} // namespace

JsonChannel::JsonChannel(int fd, qsizetype maxMessageBytes, QObject *parent)
    : QObject(parent), m_fd(fd), m_maxMessageBytes(maxMessageBytes)
{
    m_readNotifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    m_readNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &JsonChannel::onReadable);
    m_writeNotifier = new QSocketNotifier(fd, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &JsonChannel::onWritable);
}

JsonChannel::~JsonChannel()
{
    // The notifiers must let go of the descriptor before it is closed.
    delete m_readNotifier;
    delete m_writeNotifier;
    if (m_fd >= 0)
        ::close(m_fd);
}

void JsonChannel::start()
{
    if (!m_finished)
        m_readNotifier->setEnabled(true);
}

qsizetype JsonChannel::send(const QJsonValue &message)
{
    if (!isOpen())
        return -1;
    return queue(IpcCodec::encode(message));
}

qsizetype JsonChannel::queue(QByteArray bytes)
{
    if (m_out.empty()) {
        const ssize_t n = ::send(m_fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n == bytes.size())
            return 0;
        if (n > 0)
            bytes.remove(0, n);
        else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return 0; // the peer is gone; reading will see the end of the channel
    }
    m_queued += bytes.size();
    m_out.push_back(std::move(bytes));
    m_writeNotifier->setEnabled(true);
    return m_queued;
}

bool JsonChannel::writeSome()
{
    while (!m_out.empty()) {
        iovec iov[64];
        int count = 0;
        for (auto it = m_out.begin(); it != m_out.end() && count < 64; ++it, ++count) {
            const qsizetype skip = count == 0 ? m_offset : 0;
            iov[count].iov_base = const_cast<char *>(it->constData() + skip);
            iov[count].iov_len = size_t(it->size() - skip);
        }
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = size_t(count);
        ssize_t n = ::sendmsg(m_fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return true;
            m_out.clear();
            m_queued = 0;
            return false;
        }
        m_queued -= n;
        while (n > 0) {
            const qsizetype left = m_out.front().size() - m_offset;
            if (n >= left) {
                n -= left;
                m_out.pop_front();
                m_offset = 0;
            } else {
                m_offset += n;
                n = 0;
            }
        }
    }
    return true;
}

void JsonChannel::onWritable()
{
    const bool ok = writeSome();
    if (m_out.empty() || !ok) {
        m_writeNotifier->setEnabled(false);
        if (m_closing || !ok)
            finish();
    }
}

void JsonChannel::close()
{
    if (m_closing || m_finished)
        return;
    m_closing = true;
    // Reading goes on (and drops what comes) until the queue is written: a peer that echoes
    // while we write would otherwise block on its full socket, stop reading, and block us too.
    if (m_out.empty())
        QMetaObject::invokeMethod(this, &JsonChannel::finish, Qt::QueuedConnection);
}

bool JsonChannel::flush(int msecs)
{
    QDeadlineTimer deadline(msecs);
    while (!m_out.empty() && m_fd >= 0) {
        pollfd p{m_fd, POLLOUT, 0};
        const int wait = int(qMin<qint64>(deadline.remainingTime(), INT_MAX));
        if (deadline.hasExpired() || ::poll(&p, 1, wait) == 0)
            return false;
        if (!writeSome())
            break;
    }
    return true;
}

void JsonChannel::onReadable()
{
    QPointer<JsonChannel> guard(this);
    if (m_buffer.size() != kReadSize)
        m_buffer = QByteArray(kReadSize, Qt::Uninitialized);
    char *buffer = m_buffer.data();
    if (m_closing) {
        discardInput();
        return;
    }
    qsizetype budget = kReadBudget;
    while (budget > 0 && guard && !m_finished && !m_closing) {
        const ssize_t n = ::read(m_fd, buffer, size_t(kReadSize));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            finish(); // EOF (or a reset): the peer disconnected or ended
            return;
        }
        budget -= n;
        const char *p = buffer;
        const char *end = buffer + n;
        while (p < end && guard && !m_finished && !m_closing) {
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
            const qsizetype length = (nl ? nl : end) - p;
            if (m_partial.size() + length > m_maxMessageBytes) {
                fail("ERR_IPC_MESSAGE_TOO_LARGE",
                     QStringLiteral("A message on the channel is larger than %1 bytes").arg(m_maxMessageBytes));
                return;
            }
            if (!nl) {
                m_partial.append(p, length);
                break;
            }
            if (m_partial.isEmpty()) {
                handleLine(QByteArrayView(p, length));
            } else {
                m_partial.append(p, length);
                handleLine(m_partial);
                // Keep the capacity for the next long message, within reason.
                if (m_partial.capacity() > 8 * 1024 * 1024)
                    m_partial = QByteArray();
                else
                    m_partial.resize(0);
            }
            p = nl + 1;
        }
        if (n < kReadSize)
            return;
    }
}

void JsonChannel::discardInput()
{
    m_partial = QByteArray();
    for (qsizetype budget = kReadBudget; budget > 0 && !m_finished;) {
        const ssize_t n = ::read(m_fd, m_buffer.data(), size_t(kReadSize));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            finish();
            return;
        }
        budget -= n;
    }
}

void JsonChannel::handleLine(QByteArrayView line)
{
    QJsonValue value;
    QString error;
    if (!IpcCodec::decode(line, &value, &error, &m_scratch)) {
        fail("ERR_IPC_INVALID_JSON", error);
        return;
    }
    QString cmd;
    if (IpcCodec::isInternal(value, &cmd)) {
        // Handles travel as SCM_RIGHTS, which plain reads discard; Node's own answer to a
        // handle that arrived without its descriptor is a NACK, and the sender keeps it.
        if (cmd == QLatin1String("NODE_HANDLE") && isOpen())
            queue(QByteArrayLiteral("{\"cmd\":\"NODE_HANDLE_NACK\"}\n"));
        return;
    }
    Q_EMIT message(value);
}

void JsonChannel::fail(const char *code, const QString &text)
{
    qCInfo(lcIpc, "fd %d: %s: %s; the channel is closed", m_fd, code, qPrintable(text));
    m_readNotifier->setEnabled(false);
    QPointer<JsonChannel> guard(this);
    Q_EMIT failed(QString::fromLatin1(code), text);
    if (guard)
        finish();
}

void JsonChannel::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_closing = true;
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    m_fd = -1;
    m_out.clear();
    m_queued = 0;
    Q_EMIT closed();
}

} // namespace Spawnscope::Internal
