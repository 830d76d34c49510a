#include "childprocess_p.h"

#include "abortsignal.h"
#include "groupguard_p.h"
#include "launcher_p.h"
#include "nodeerrors_p.h"
#include "threadhandoff_p.h"

#include <QEvent>

#include <cerrno>
#include <csignal>

#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace Spawnscope {

using Internal::IoEvent;
using Internal::IoLoop;

namespace {

constexpr qsizetype kSendHighWater = 128 * 1024; // Node's writeQueueSize limit for send()

bool sendSignal(int pidfd, qint64 pid, int signal)
{
#ifdef SYS_pidfd_send_signal
    if (pidfd >= 0)
        return ::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) == 0;
#endif
    return ::kill(pid_t(pid), signal) == 0;
}

std::optional<ProcessError> validate(const QString &file, const SpawnOptions &options)
{
    if (file.isEmpty())
        return Internal::NodeErrors::emptyFile();
    if (!options.killSignal.isValid())
        return Internal::NodeErrors::unknownSignal(options.killSignal.given());
    if (options.timeout < 0)
        return Internal::NodeErrors::outOfRange(QStringLiteral("timeout"), options.timeout);
    int channels = 0;
    for (const StdioMode &mode : options.stdio) {
        if (mode.kind == StdioMode::Ipc)
            ++channels;
        if (mode.kind == StdioMode::Fd && mode.fd < 0)
            return ProcessError::nodeError(QStringLiteral("ERR_INVALID_ARG_VALUE"),
                                           QStringLiteral("The argument 'stdio' is invalid. Received %1")
                                               .arg(mode.fd),
                                           QStringLiteral("TypeError"));
    }
    if (channels > 1)
        return ProcessError::nodeError(QStringLiteral("ERR_IPC_ONE_PIPE"),
                                       QStringLiteral("Child process can have only one IPC pipe"));
    if (options.serialization != QLatin1String("json"))
        return ProcessError::nodeError(
            QStringLiteral("ERR_INVALID_ARG_VALUE"),
            QStringLiteral("The property 'options.serialization' must be 'json'. Received '%1'")
                .arg(options.serialization),
            QStringLiteral("TypeError"));
    if (options.maxMessageBytes <= 0)
        return Internal::NodeErrors::outOfRange(QStringLiteral("maxMessageBytes"), options.maxMessageBytes);
    return std::nullopt;
}

} // namespace

void ChildProcessPrivate::start(const QString &file, const QStringList &args, const SpawnOptions &options)
{
    killSignal = options.killSignal;
    detached = options.detached;
    const Internal::CommandLine command = Internal::commandLine(file, args, options.shell, options.argv0);
    spawnfile = command.spawnfile;
    spawnargs = command.argv;

    if (auto invalid = validate(file, options)) {
        reject(*invalid, -EINVAL);
        return;
    }
    for (const StdioMode &mode : options.stdio)
        wantsChannel = wantsChannel || mode.kind == StdioMode::Ipc;

    Internal::LaunchSpec spec;
    spec.file = spawnfile;
    spec.argv = spawnargs;
    spec.cwd = options.cwd;
    spec.env = options.env;
    spec.detached = options.detached;
    spec.killWithParent = options.killWithParent && !options.detached;
    if (options.processGroup)
        spec.processGroup = pid_t(*options.processGroup);
    spec.uid = options.uid;
    spec.gid = options.gid;
    StdioList stdio = options.stdio;
    while (stdio.size() < 3)
        stdio.append(StdioMode::Pipe);
    for (int i = 0; i < stdio.size(); ++i) {
        if (stdio[i].kind == StdioMode::Ipc)
            spec.extraEnv = {QStringLiteral("NODE_CHANNEL_FD=%1").arg(i),
                             QStringLiteral("NODE_CHANNEL_SERIALIZATION_MODE=json")};
        spec.stdio.append(Internal::launchSlot(stdio[i]));
    }

    const Internal::Launched launched = Internal::launch(spec);
    if (launched.error) {
        ProcessError error = ProcessError::fromErrno(launched.error, QStringLiteral("spawn ") + spawnfile);
        error.path = spawnfile;
        error.spawnargs = spawnargs.mid(1);
        reject(error, -launched.error);
        return;
    }

    pid = launched.pid;
    leadsGroup = spec.detached || spec.processGroup == pid_t(0);
    // Posted before the I/O thread learns of the child, so spawned() is handled before
    // anything it reports, however fast the child ends.
    QMetaObject::invokeMethod(
        q,
        [this] {
            QPointer<ChildProcess> guard(q);
            Q_EMIT q->spawned();
            if (guard && channel)
                channel->start(); // messages only after spawned()
        },
        Qt::QueuedConnection);
    client = std::make_shared<Internal::IoClient>(q);
    client->pid = launched.pid;
    client->pidfd = launched.pidfd;
    // A group of its own, led by the child: what the child starts stays in it, and the guard
    // kills it should this process die first (killWithParent itself reaches the child only).
    if (spec.killWithParent && spec.processGroup == pid_t(0))
        Internal::GroupGuard::shared().add(pid_t(pid));
    IoLoop &loop = IoLoop::instance();
    for (int i = 0; i < launched.parentFds.size(); ++i) {
        const int fd = launched.parentFds[i];
        if (fd < 0)
            continue;
        if (stdio[i].kind == StdioMode::Ipc) {
            connected = true;
            ++openStreams;
            channel = new Internal::JsonChannel(fd, options.maxMessageBytes, q);
            QObject::connect(channel, &Internal::JsonChannel::message, q, &ChildProcess::message);
            QObject::connect(channel, &Internal::JsonChannel::failed, q, [this](const QString &code, const QString &text) {
                emitError(ProcessError::nodeError(code, text));
            });
            QObject::connect(channel, &Internal::JsonChannel::closed, q, [this] {
                connected = false;
                --openStreams;
                QPointer<ChildProcess> guard(q);
                Q_EMIT q->disconnected();
                if (guard)
                    maybeClose();
            });
        } else if (i == 0) {
            stdinSlot = 0;
            stdinOpen = true;
            loop.watch(client, i, fd, IoLoop::Role::Writer);
        } else {
            ++openStreams;
            loop.watch(client, i, fd, IoLoop::Role::Reader);
        }
    }
    loop.watchExit(client);

    if (options.timeout > 0) {
        timeoutTimer = new QTimer(q);
        timeoutTimer->setSingleShot(true);
        QObject::connect(timeoutTimer, &QTimer::timeout, q, [this] {
            if (!exited)
                q->kill(killSignal);
        });
        timeoutTimer->start(options.timeout);
    }
    if (AbortSignal *abort = options.signal.data()) {
        if (abort->isAborted())
            QMetaObject::invokeMethod(q, [this] { onAbort(); }, Qt::QueuedConnection);
        else
            QObject::connect(abort, &AbortSignal::aborted, q, [this] { onAbort(); });
    }
}

void ChildProcessPrivate::onAbort()
{
    if (exited)
        return;
    if (q->kill(killSignal))
        emitError(ProcessError::abortError());
}

void ChildProcessPrivate::emitError(ProcessError error)
{
    if (execCmd)
        error.cmd = execCmd;
    Q_EMIT q->errorOccurred(error);
}

void ChildProcessPrivate::emitErrorLater(const ProcessError &error)
{
    QMetaObject::invokeMethod(q, [this, error] { emitError(error); }, Qt::QueuedConnection);
}

void ChildProcessPrivate::reject(const ProcessError &error, int code)
{
    exitCode = code;
    QMetaObject::invokeMethod(
        q,
        [this, error, code] {
            QPointer<ChildProcess> guard(q);
            emitError(error);
            if (guard && wantsChannel && !closeEmitted)
                Q_EMIT q->disconnected(); // Node closes the channel it had prepared
            if (!guard || closeEmitted)
                return;
            closeEmitted = true;
            Q_EMIT q->closed(code, QString());
            if (guard && autoDelete)
                q->deleteLater();
        },
        Qt::QueuedConnection);
}

void ChildProcessPrivate::destroyOutput()
{
    if (!client)
        return;
    IoLoop::instance().closeSlot(client, 1);
    IoLoop::instance().closeSlot(client, 2);
}

void ChildProcessPrivate::processIo()
{
    if (!client)
        return;
    bool resume = false;
    std::vector<IoEvent> events = client->take(&resume);
    if (resume)
        IoLoop::instance().resume(client);
    QPointer<ChildProcess> guard(q);
    for (IoEvent &event : events) {
        switch (event.kind) {
        case IoEvent::Data:
            if (event.slot == 1)
                Q_EMIT q->stdoutData(event.data);
            else if (event.slot == 2)
                Q_EMIT q->stderrData(event.data);
            else
                Q_EMIT q->streamData(event.slot, event.data);
            break;
        case IoEvent::Eof:
            --openStreams;
            break;
        case IoEvent::WriteError:
            stdinOpen = false;
            Q_EMIT q->stdinError(ProcessError::fromErrno(event.value, QStringLiteral("write")));
            break;
        case IoEvent::WriteDrained:
            stdinOpen = false;
            break;
        case IoEvent::Exited:
            handleExit(event.value);
            break;
        }
        if (!guard)
            return;
        maybeClose();
        if (!guard || closeEmitted)
            return;
    }
}

void ChildProcessPrivate::handleExit(int status)
{
    exited = true;
    if (timeoutTimer)
        timeoutTimer->stop();
    stdinOpen = false; // the I/O thread closed it on reaping, as Node destroys stdin at exit
    if (WIFSIGNALED(status)) {
        signalCode = ProcessSignal::nameOf(WTERMSIG(status));
        Q_EMIT q->exited(-1, signalCode);
    } else {
        exitCode = WEXITSTATUS(status);
        Q_EMIT q->exited(*exitCode, QString());
    }
}

void ChildProcessPrivate::maybeClose()
{
    if (closeEmitted || !exited || openStreams > 0)
        return;
    closeEmitted = true;
    QPointer<ChildProcess> guard(q);
    Q_EMIT q->closed(exitCode.value_or(-1), signalCode);
    if (guard && autoDelete)
        q->deleteLater();
}

ChildProcess::ChildProcess(QObject *parent) : QObject(parent), d(std::make_unique<ChildProcessPrivate>(this)) {}

ChildProcess::~ChildProcess()
{
    if (d->client) {
        if (!d->exited && !d->detached)
            sendSignal(d->client->pidfd, d->pid, SIGKILL);
        d->client->detach();
        // After closed() every stream has ended and the child is reaped: nothing to release.
        if (!d->closeEmitted)
            IoLoop::instance().release(d->client);
    }
}

qint64 ChildProcess::pid() const { return d->pid; }
qint64 ChildProcess::bytesWrittenAtExit() const { return d->client ? d->client->writtenAtExit.load() : -1; }
std::optional<int> ChildProcess::exitCode() const { return d->exitCode; }
QString ChildProcess::signalCode() const { return d->signalCode; }
bool ChildProcess::killed() const { return d->killed; }
bool ChildProcess::connected() const { return d->connected; }
bool ChildProcess::isRunning() const { return d->pid > 0 && !d->exited; }
QString ChildProcess::spawnfile() const { return d->spawnfile; }
QStringList ChildProcess::spawnargs() const { return d->spawnargs; }
void ChildProcess::setAutoDelete(bool autoDelete) { d->autoDelete = autoDelete; }
bool ChildProcess::autoDelete() const { return d->autoDelete; }

bool ChildProcess::write(const QByteArray &data)
{
    if (!d->client || !d->stdinOpen)
        return false;
    bool kick = false;
    if (d->client->write(d->stdinSlot, data, &kick) < 0)
        return false;
    if (kick)
        IoLoop::instance().kick(d->client, d->stdinSlot);
    return true;
}

void ChildProcess::end(const QByteArray &data)
{
    if (!d->client || !d->stdinOpen)
        return;
    if (!data.isEmpty())
        write(data);
    if (d->client->endWrite(d->stdinSlot))
        IoLoop::instance().kick(d->client, d->stdinSlot);
}

bool ChildProcess::kill(const ProcessSignal &signal)
{
    if (!signal.isValid()) {
        d->emitErrorLater(Internal::NodeErrors::unknownSignal(signal.given()));
        return false;
    }
    if (!d->client || d->exited)
        return false;
    if (sendSignal(d->client->pidfd, d->pid, signal.number())) {
        d->killed = true;
        return true;
    }
    if (errno != ESRCH) {
        d->emitErrorLater(ProcessError::fromErrno(errno, QStringLiteral("kill")));
    }
    return false;
}

bool ChildProcess::killGroup(const ProcessSignal &signal)
{
    if (!signal.isValid()) {
        d->emitErrorLater(Internal::NodeErrors::unknownSignal(signal.given()));
        return false;
    }
    // While the leader is not reaped, or some member runs, the group's id can name no other
    // group: the kernel hands out no pid that is still a group's id.
    if (!groupRunning())
        return false;
    if (::kill(-pid_t(d->pid), signal.number()) == 0) {
        if (!d->exited)
            d->killed = true; // the child was signalled too, as by kill()
        return true;
    }
    if (errno != ESRCH)
        d->emitErrorLater(ProcessError::fromErrno(errno, QStringLiteral("kill")));
    return false;
}

void ChildProcess::startGroupGuard()
{
    Internal::GroupGuard::shared();
}

bool ChildProcess::groupRunning() const
{
    if (!d->leadsGroup || d->pid <= 0 || !d->client)
        return false;
    if (!d->client->reaped.load())
        return true;
    // The cheap answer first: a group of which no process is left, zombie or not.
    if (::kill(-pid_t(d->pid), 0) < 0 && errno == ESRCH)
        return false;
    return Internal::groupHasLiveMember(pid_t(d->pid));
}

bool ChildProcess::send(const QJsonValue &message)
{
    auto fail = [this](const ProcessError &error) {
        d->emitErrorLater(error);
        return false;
    };
    if (message.isUndefined())
        return fail(Internal::NodeErrors::missingMessage());
    if (!d->connected)
        return fail(Internal::NodeErrors::channelClosed());
    const qsizetype queued = d->channel->send(message);
    if (queued < 0)
        return fail(Internal::NodeErrors::channelClosed());
    return queued < kSendHighWater;
}

void ChildProcess::disconnectChannel()
{
    if (!d->connected) {
        d->emitError(Internal::NodeErrors::alreadyDisconnected());
        return;
    }
    d->connected = false;
    d->channel->close();
}

bool ChildProcess::event(QEvent *event)
{
    Internal::takeOver(event);
    if (event->type() == Internal::IoClient::eventType()) {
        d->processIo();
        return true;
    }
    return QObject::event(event);
}

} // namespace Spawnscope
