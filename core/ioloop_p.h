#pragma once

// Internal: the library's one I/O thread. It reads and writes every child's pipes, notices exits through pidfds, and hands what happened to each owner's thread in
// batches. Nothing here is public API.

#include <QByteArray>
#include <QMutex>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include <sys/types.h>

namespace Spawnscope::Internal {

// Reads up to this size are copied out of the I/O thread's buffers, and merged with their
// neighbours, so a slow trickle does not pin large buffers.
inline constexpr qsizetype kSmallChunk = 16 * 1024;

struct IoEvent
{
    enum Kind : quint8 {
        Data,          // slot, data
        Eof,           // slot: the stream ended (or was closed on request)
        WriteError,    // slot, value = errno
        Exited,        // value = wait status
        WriteDrained,  // slot: everything queued has been written
    };
    IoEvent(Kind kind, int slot = -1, int value = 0) : kind(kind), slot(slot), value(value) {}

    Kind kind;
    int slot = -1;
    int value = 0;
    QByteArray data;
};

// What one ChildProcess shares with the I/O thread.
class IoClient
{
public:
    explicit IoClient(QObject *receiver);
    ~IoClient();

    static int eventType();

    // Owner's thread.
    // Takes the events so far. *resume says that reading was paused for the backlog and the
    // owner must call IoLoop::resume().
    std::vector<IoEvent> take(bool *resume);
    void detach();
    // Queues bytes for a writable slot and returns how many are queued in all, or -1 once the
    // slot is closed or ended. *kick says the loop must be told (IoLoop::kick).
    qsizetype write(int slot, QByteArray data, bool *kick);
    bool endWrite(int slot); // returns whether to kick
    qsizetype queuedBytes(int slot);

    // Set before the client is handed to the loop, then read-only (pidfd is closed here last).
    pid_t pid = -1;
    int pidfd = -1;
    qsizetype highWater = 2 * 1024 * 1024;
    // What the child wrote in all (wchar of /proc/PID/io), read just before it is reaped; -1
    // until then or when it cannot be read. Written by the I/O thread before the exit event.
    std::atomic<qint64> writtenAtExit{-1};
    // Set by the I/O thread once the child is reaped.
    std::atomic<bool> reaped{false};

    // I/O thread.
    void stage(IoEvent &&event);
    void deliver();
    // Whether the undelivered backlog is over the high-water mark; if so, marks the client paused.
    bool tryPause();

    struct WriteQueue
    {
        std::vector<QByteArray> chunks;
        qsizetype bytes = 0;
        bool ended = false;
        bool closed = false;
        bool kickPending = false; // the loop will look at this queue again without a kick
        int fd = -1;              // set while the loop has the stream; written to directly when idle
    };
    // Moves queued chunks out; returns whether the writer was asked to end.
    bool drainWrites(int slot, std::vector<QByteArray> &into);
    void wrote(int slot, qsizetype bytes);
    void closeWrites(int slot);
    void setWriteFd(int slot, int fd);

private:
    QMutex m_mutex;
    QPointer<QObject> m_receiver;
    std::vector<IoEvent> m_events;
    bool m_notified = false;
    std::map<int, WriteQueue> m_writes;
    qsizetype m_pending = 0;
    bool m_paused = false;
    std::vector<IoEvent> m_staged; // I/O thread only
    qsizetype m_stagedBytes = 0;   // I/O thread only
};

class IoLoop
{
public:
    static IoLoop &instance();

    enum class Role { Reader, Writer };

    // Each takes ownership of fd (closed by the loop when the stream ends). They register
    // directly, from the caller's thread.
    void watch(const std::shared_ptr<IoClient> &client, int slot, int fd, Role role);
    void watchExit(const std::shared_ptr<IoClient> &client);
    // New bytes were queued with IoClient::write.
    void kick(const std::shared_ptr<IoClient> &client, int slot);
    // Closes the slot now: a reader reports Eof (Node's stream.destroy()), a writer drops
    // what it had not written yet.
    void closeSlot(const std::shared_ptr<IoClient> &client, int slot);
    // The owner drained its backlog; paused readers may go on.
    void resume(const std::shared_ptr<IoClient> &client);
    // The owner is gone: close its streams, but still reap its child.
    void release(const std::shared_ptr<IoClient> &client);

    ~IoLoop();

private:
    IoLoop();
    void post(std::function<void()> command);
    void run();

    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace Spawnscope::Internal
