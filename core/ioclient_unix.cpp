#include "ioloop_p.h"
#include "threadhandoff_p.h"

#include <QCoreApplication>
#include <QEvent>
#include <QMutexLocker>

#include <cerrno>

#include <sys/socket.h>
#include <unistd.h>

namespace Spawnscope::Internal {

namespace {
// Small chunks of one stream that arrive in one wake-up are merged up to this size.
constexpr qsizetype kMergeLimit = 64 * 1024;
} // namespace

IoClient::IoClient(QObject *receiver) : m_receiver(receiver) {}

IoClient::~IoClient()
{
    if (pidfd >= 0)
        ::close(pidfd);
}

int IoClient::eventType()
{
    static const int type = QEvent::registerEventType();
    return type;
}

std::vector<IoEvent> IoClient::take(bool *resume)
{
    std::vector<IoEvent> events;
    QMutexLocker lock(&m_mutex);
    events.swap(m_events);
    m_notified = false;
    m_pending = 0;
    *resume = m_paused;
    m_paused = false;
    return events;
}

bool IoClient::tryPause()
{
    QMutexLocker lock(&m_mutex);
    if (m_pending + m_stagedBytes < highWater)
        return false;
    m_paused = true;
    return true;
}

void IoClient::detach()
{
    QMutexLocker lock(&m_mutex);
    m_receiver = nullptr;
    m_events.clear();
    for (auto &[slot, queue] : m_writes)
        queue.closed = true;
}

qsizetype IoClient::write(int slot, QByteArray data, bool *kick)
{
    QMutexLocker lock(&m_mutex);
    WriteQueue &queue = m_writes[slot];
    *kick = false;
    if (queue.closed || queue.ended)
        return -1;
    if (queue.fd >= 0 && !queue.kickPending && queue.chunks.empty()) {
        // Nothing is in flight: write from this thread and spare the I/O thread a wake-up
        // (half the latency of a message round trip). The loop closes the descriptor only
        // after taking this lock, so it is valid here.
        const ssize_t n = ::send(queue.fd, data.constData(), size_t(data.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n == data.size())
            return queue.bytes;
        if (n > 0)
            data.remove(0, n);
        // Anything else (EAGAIN, EPIPE) goes through the loop, which waits or reports it.
    }
    queue.bytes += data.size();
    queue.chunks.push_back(std::move(data));
    *kick = !queue.kickPending;
    queue.kickPending = true;
    return queue.bytes;
}

bool IoClient::endWrite(int slot)
{
    QMutexLocker lock(&m_mutex);
    WriteQueue &queue = m_writes[slot];
    queue.ended = true;
    const bool kick = !queue.kickPending;
    queue.kickPending = true;
    return kick;
}

qsizetype IoClient::queuedBytes(int slot)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_writes.find(slot);
    return it == m_writes.end() ? 0 : it->second.bytes;
}

bool IoClient::drainWrites(int slot, std::vector<QByteArray> &into)
{
    QMutexLocker lock(&m_mutex);
    WriteQueue &queue = m_writes[slot];
    if (queue.chunks.empty())
        queue.kickPending = false;
    for (auto &chunk : queue.chunks)
        into.push_back(std::move(chunk));
    queue.chunks.clear();
    return queue.ended;
}

void IoClient::wrote(int slot, qsizetype bytes)
{
    QMutexLocker lock(&m_mutex);
    WriteQueue &queue = m_writes[slot];
    queue.bytes -= bytes;
}

void IoClient::setWriteFd(int slot, int fd)
{
    QMutexLocker lock(&m_mutex);
    m_writes[slot].fd = fd;
}

void IoClient::closeWrites(int slot)
{
    QMutexLocker lock(&m_mutex);
    WriteQueue &queue = m_writes[slot];
    queue.fd = -1;
    queue.closed = true;
    queue.chunks.clear();
    queue.bytes = 0;
}

void IoClient::stage(IoEvent &&event)
{
    if (event.kind == IoEvent::Data) {
        m_stagedBytes += event.data.size();
        if (!m_staged.empty()) {
            IoEvent &last = m_staged.back();
            if (last.kind == IoEvent::Data && last.slot == event.slot && event.data.size() < kSmallChunk
                && last.data.size() + event.data.size() <= kMergeLimit) {
                last.data.append(event.data);
                return;
            }
        }
    }
    m_staged.push_back(std::move(event));
}

void IoClient::deliver()
{
    if (m_staged.empty())
        return;
    {
        QMutexLocker lock(&m_mutex);
        if (m_receiver) {
            if (m_events.empty()) {
                m_events.swap(m_staged);
            } else {
                for (auto &event : m_staged)
                    m_events.push_back(std::move(event));
            }
            m_pending += m_stagedBytes;
            if (!m_notified) {
                m_notified = true;
                // Posted under the lock: detach() takes it too, so the receiver is alive here.
                auto *posted = new QEvent(QEvent::Type(eventType()));
                handOver(posted);
                QCoreApplication::postEvent(m_receiver.data(), posted);
            }
        }
    }
    m_staged.clear();
    m_stagedBytes = 0;
}

} // namespace Spawnscope::Internal
