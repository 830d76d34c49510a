#pragma once

// Internal: one end of Node's message channel (JSON text per line on a Unix socket), read and
// written on the thread of its owner. Latency decides this: a message handed over by another
// thread costs one more wake-up per hop, which doubles a round trip. A receiver that is busy
// simply reads later, and the peer blocks on the full socket; nothing is lost.

#include <QByteArray>
#include <QJsonValue>
#include <QObject>

#include <deque>

class QSocketNotifier;

namespace Spawnscope::Internal {

class JsonChannel : public QObject
{
    Q_OBJECT
public:
    // Takes ownership of fd (a connected, non-blocking Unix stream socket). Nothing is read
    // before start(), so the owner decides which of its events come first.
    JsonChannel(int fd, qsizetype maxMessageBytes, QObject *parent);
    void start();
    ~JsonChannel() override;

    bool isOpen() const { return m_fd >= 0 && !m_closing; }
    // Queues the message; returns the bytes still waiting to be written, or -1 when closed.
    qsizetype send(const QJsonValue &message);
    // Writes what was queued, then closes; closed() follows (never synchronously).
    void close();
    // Blocks until the queue is written or msecs pass.
    bool flush(int msecs);

Q_SIGNALS:
    void message(const QJsonValue &message);
    // Something that is not a message arrived; closed() follows.
    void failed(const QString &code, const QString &text);
    // Exactly once: the peer closed, close() finished, or failed() was emitted.
    void closed();

private:
    qsizetype queue(QByteArray bytes);
    void onReadable();
    void discardInput();
    void onWritable();
    bool writeSome();
    void handleLine(QByteArrayView line);
    void fail(const char *code, const QString &text);
    void finish();

    int m_fd;
    qsizetype m_maxMessageBytes;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_buffer;
    QByteArray m_partial;
    QByteArray m_scratch;
    std::deque<QByteArray> m_out;
    qsizetype m_offset = 0;
    qsizetype m_queued = 0;
    bool m_closing = false;
    bool m_finished = false;
};

} // namespace Spawnscope::Internal
