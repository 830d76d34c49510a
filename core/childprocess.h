#pragma once

#include "processerror.h"
#include "processsignal.h"

#include <QByteArray>
#include <QJsonValue>
#include <QObject>
#include <QStringList>

#include <csignal>
#include <memory>
#include <optional>

namespace Spawnscope {

class ChildProcessPrivate;

// One child process, as Node's ChildProcess. Made by spawn(), exec(), execFile() and fork().
//
// Events come in Node's order: spawned() (or errorOccurred() when it could not start) first,
// closed() last and exactly once, exited() before closed(); data and messages come between
// them in the order the child produced them. Signals are emitted on the thread the object
// lives in; data is read on the library's I/O thread and arrives in batches, and a receiver
// that falls behind makes the child block on its pipe rather than lose a byte.
//
// Unless setAutoDelete(false) is called, the object deletes itself (deleteLater) after
// closed(), like a KJob. Destroying it while the child still runs kills the child with
// SIGKILL unless it was started detached; the child is reaped either way.
class ChildProcess : public QObject
{
    Q_OBJECT
public:
    ~ChildProcess() override;

    // 0 until the child started, and when it could not be started.
    qint64 pid() const;
    // All the child wrote, to every descriptor (wchar of /proc/PID/io), as it exited; -1 before
    // its exit or where the system does not say. A pipeline counts a direct pipe's bytes by it
    // when its writer ended between two samples.
    qint64 bytesWrittenAtExit() const;
    // Set once the child exited normally; -errno when it never started (Node's -2 for ENOENT).
    std::optional<int> exitCode() const;
    // The signal that ended the child ("SIGTERM"), empty otherwise.
    QString signalCode() const;
    // Whether kill() has delivered a signal (kill(0) included, as in Node).
    bool killed() const;
    // Whether the message channel is open.
    bool connected() const;
    bool isRunning() const;
    QString spawnfile() const;
    QStringList spawnargs() const;

    // Writes to the child's stdin when it is a pipe; false when stdin is not a pipe or was
    // ended. A failed write (the child closed it) is reported by stdinError().
    bool write(const QByteArray &data);
    // Writes `data`, then closes stdin once everything queued has been written.
    void end(const QByteArray &data = QByteArray());
    // Sends a signal; returns whether it was delivered. False once the child has exited or
    // never started. An unknown signal is reported by errorOccurred() (ERR_UNKNOWN_SIGNAL).
    bool kill(const ProcessSignal &signal = SIGTERM);
    // Not Node's. For a child that leads a process group of its own (SpawnOptions::processGroup
    // 0, or detached): sends the signal to the whole group, what the child started included,
    // for as long as any process of the group runs, even after the child itself has exited.
    // False when it leads no group or none of the group runs. An unknown signal is reported as
    // by kill().
    bool killGroup(const ProcessSignal &signal);
    // Not Node's: whether a process of the group the child leads still runs (zombies do not
    // count); false when it leads none.
    bool groupRunning() const;

    // Not Node's. Starts now the small process that kills, should this process die, the group
    // of each running child spawned with killWithParent and processGroup 0. Otherwise it starts
    // at the first such spawn, as a fork that keeps a copy of each page this process changes
    // afterwards: called early in main(), while the process is small, it costs little.
    static void startGroupGuard();

    // Sends a message on the channel. Returns false when the channel is closed (then
    // errorOccurred() reports ERR_IPC_CHANNEL_CLOSED) or when more than 128 KiB wait to be
    // written (the message is queued all the same, as in Node).
    bool send(const QJsonValue &message);
    // Node's disconnect(): closes the channel once what was sent before has been written.
    // connected() is false at once; disconnected() follows.
    void disconnectChannel();

    void setAutoDelete(bool autoDelete);
    bool autoDelete() const;

Q_SIGNALS:
    // Exactly once, first, when the child started; never when it could not start.
    void spawned();
    // For each batch of the child's stdout, after spawned() and before closed().
    void stdoutData(const QByteArray &chunk);
    // Likewise for stderr.
    void stderrData(const QByteArray &chunk);
    // Likewise for extra 'pipe' descriptors (3 and up).
    void streamData(int fd, const QByteArray &chunk);
    // For each message from the child, in order, after spawned() and before closed().
    void message(const QJsonValue &message);
    // At most once: the channel closed (either side disconnected, or the child ended).
    void disconnected();
    // The child could not be started (then closed() follows with code -errno), a signal or
    // message could not be sent, the channel carried something that is not a message, or the
    // operation was aborted. May fire more than once.
    void errorOccurred(const Spawnscope::ProcessError &error);
    // Writing to stdin failed (Node's stdin 'error', e.g. EPIPE). At most once.
    void stdinError(const Spawnscope::ProcessError &error);
    // Exactly once when the child ended: its exit code, or -1 and the signal's name. Never for
    // a child that did not start.
    void exited(int code, const QString &signal);
    // Exactly once, last: after exited() and after stdout, stderr, extra pipes and the
    // channel all ended (a grandchild holding stdout open delays it, as in Node). For a child
    // that never started, right after errorOccurred(), with code -errno.
    void closed(int code, const QString &signal);

protected:
    bool event(QEvent *event) override;

private:
    explicit ChildProcess(QObject *parent);
    friend class ChildProcessPrivate;
    std::unique_ptr<ChildProcessPrivate> d;
};

} // namespace Spawnscope
