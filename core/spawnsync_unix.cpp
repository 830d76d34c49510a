#include "spawnfunctions.h"

#include "launcher_p.h"
#include "nodeerrors_p.h"

#include <QElapsedTimer>

#include <cerrno>
#include <cstdio>

#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace Spawnscope {

namespace {

struct SyncRun
{
    QString file;
    QStringList argv; // argv[0] included
    QString spawnfile;
};

SyncResult runSync(const SyncRun &run, const SyncOptions &options)
{
    SyncResult result;
    auto fail = [&](const ProcessError &error) {
        result.error = error;
        return result;
    };
    if (!options.killSignal.isValid())
        return fail(Internal::NodeErrors::unknownSignal(options.killSignal.given()));
    if (options.timeout < 0)
        return fail(Internal::NodeErrors::outOfRange(QStringLiteral("timeout"), options.timeout));
    if (options.maxBuffer < 0)
        return fail(Internal::NodeErrors::outOfRange(QStringLiteral("maxBuffer"), options.maxBuffer));
    if (run.file.isEmpty())
        return fail(Internal::NodeErrors::emptyFile());

    Internal::LaunchSpec spec;
    spec.file = run.spawnfile;
    spec.argv = run.argv;
    spec.cwd = options.cwd;
    spec.env = options.env;
    spec.uid = options.uid;
    spec.gid = options.gid;
    StdioList stdio = options.stdio.value_or(StdioList{StdioMode::Pipe, StdioMode::Pipe, StdioMode::Pipe});
    while (stdio.size() < 3)
        stdio.append(StdioMode::Pipe);
    for (const StdioMode &mode : stdio) {
        if (mode.kind == StdioMode::Ipc)
            return fail(ProcessError::nodeError(QStringLiteral("ERR_IPC_SYNC_FORK"),
                                                QStringLiteral("IPC cannot be used with synchronous forks")));
        spec.stdio.append(Internal::launchSlot(mode));
    }

    const Internal::Launched launched = Internal::launch(spec);
    const QString syscall = QStringLiteral("spawnSync ") + run.spawnfile;
    auto systemError = [&](int err) {
        ProcessError error = ProcessError::fromErrno(err, syscall);
        error.path = run.spawnfile;
        error.spawnargs = run.argv.mid(1);
        return error;
    };
    if (launched.error)
        return fail(systemError(launched.error));

    result.pid = launched.pid;
    result.hasOutput = true;
    int inFd = launched.parentFds.value(0, -1);
    int outFds[2] = {launched.parentFds.value(1, -1), launched.parentFds.value(2, -1)};
    for (int i = 3; i < launched.parentFds.size(); ++i) {
        if (launched.parentFds[i] >= 0)
            ::close(launched.parentFds[i]);
    }
    QByteArray *buffers[2] = {&result.standardOutput, &result.standardError};
    qsizetype inOffset = 0;
    if (inFd >= 0 && options.input.isEmpty()) {
        ::close(inFd);
        inFd = -1;
    }

    bool exited = false;
    int status = 0;
    bool killedForLimit = false;
    QElapsedTimer clock;
    clock.start();
    QByteArray chunk(64 * 1024, Qt::Uninitialized);

    auto killChild = [&] {
        if (!exited && !killedForLimit) {
            killedForLimit = true;
            ::kill(launched.pid, options.killSignal.number());
        }
    };
    auto tryReap = [&] {
        if (exited)
            return;
        pid_t r;
        while ((r = ::waitpid(launched.pid, &status, WNOHANG)) < 0 && errno == EINTR) {
        }
        if (r == launched.pid || r < 0)
            exited = true;
    };

    while (!exited || outFds[0] >= 0 || outFds[1] >= 0) {
        pollfd fds[4];
        int kinds[4];
        int count = 0;
        if (inFd >= 0) {
            fds[count] = {inFd, POLLOUT, 0};
            kinds[count++] = 0;
        }
        for (int i = 0; i < 2; ++i) {
            if (outFds[i] >= 0) {
                fds[count] = {outFds[i], POLLIN, 0};
                kinds[count++] = 1 + i;
            }
        }
        if (!exited && launched.pidfd >= 0) {
            fds[count] = {launched.pidfd, POLLIN, 0};
            kinds[count++] = 3;
        }
        int wait = -1;
        if (!exited && launched.pidfd < 0)
            wait = 10;
        if (options.timeout > 0 && !killedForLimit && !exited) {
            const qint64 left = options.timeout - clock.elapsed();
            if (left <= 0) {
                killChild();
                result.error = systemError(ETIMEDOUT);
                continue;
            }
            wait = wait < 0 ? int(left) : qMin(wait, int(left));
        }
        const int n = ::poll(fds, nfds_t(count), wait);
        if (n < 0 && errno != EINTR)
            break;
        if (launched.pidfd < 0)
            tryReap();
        for (int i = 0; i < count && n > 0; ++i) {
            if (!fds[i].revents)
                continue;
            if (kinds[i] == 0) {
                const ssize_t w = ::send(inFd, options.input.constData() + inOffset,
                                         size_t(options.input.size() - inOffset), MSG_NOSIGNAL | MSG_DONTWAIT);
                if (w > 0)
                    inOffset += w;
                if ((w < 0 && errno != EAGAIN && errno != EINTR) || inOffset >= options.input.size()) {
                    ::close(inFd);
                    inFd = -1;
                }
            } else if (kinds[i] == 3) {
                tryReap();
            } else {
                const int stream = kinds[i] - 1;
                const ssize_t r = ::read(outFds[stream], chunk.data(), size_t(chunk.size()));
                if (r > 0) {
                    buffers[stream]->append(chunk.constData(), r);
                    if (options.maxBuffer > 0 && buffers[stream]->size() > options.maxBuffer && !killedForLimit) {
                        // As libuv: kill, and read no further (what was read is kept whole).
                        killChild();
                        result.error = systemError(ENOBUFS);
                        for (int &fd : outFds) {
                            if (fd >= 0) {
                                ::close(fd);
                                fd = -1;
                            }
                        }
                        break;
                    }
                } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                    ::close(outFds[stream]);
                    outFds[stream] = -1;
                }
            }
        }
        // After our own kill, a grandchild holding the pipes must not keep us waiting.
        if (exited && killedForLimit) {
            for (int &fd : outFds) {
                if (fd >= 0) {
                    ::close(fd);
                    fd = -1;
                }
            }
        }
    }
    if (inFd >= 0)
        ::close(inFd);
    if (launched.pidfd >= 0)
        ::close(launched.pidfd);
    if (WIFSIGNALED(status))
        result.signal = ProcessSignal::nameOf(WTERMSIG(status));
    else
        result.status = WEXITSTATUS(status);
    return result;
}

void echoStderr(const SyncResult &result, const SyncOptions &options)
{
    if (options.stdio || result.standardError.isEmpty())
        return;
    ::fwrite(result.standardError.constData(), 1, size_t(result.standardError.size()), stderr);
    ::fflush(stderr);
}

// Node's checkExecSyncError: the thrown error carries the whole result.
void checkExecSyncError(SyncResult &result, const QString &cmd)
{
    if (result.error) {
        result.error->status = result.status ? QJsonValue(*result.status) : QJsonValue(QJsonValue::Null);
        result.error->signal = result.signal.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(result.signal);
        return;
    }
    if (result.status && *result.status == 0)
        return;
    ProcessError error;
    error.message = QStringLiteral("Command failed: ") + cmd;
    if (!result.standardError.isEmpty())
        error.message += QLatin1Char('\n') + QString::fromUtf8(result.standardError);
    error.status = result.status ? QJsonValue(*result.status) : QJsonValue(QJsonValue::Null);
    error.signal = result.signal.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(result.signal);
    result.error = error;
}

SyncRun makeRun(const QString &file, const QStringList &args, const QString &shell, const QString &argv0)
{
    const Internal::CommandLine command = Internal::commandLine(file, args, shell, argv0);
    return SyncRun{file, command.argv, command.spawnfile};
}

} // namespace

SyncResult spawnSync(const QString &file, const QStringList &args, const SyncOptions &options)
{
    return runSync(makeRun(file, args, options.shell, options.argv0), options);
}

SyncResult execSync(const QString &command, const SyncOptions &options)
{
    const QString shell = options.shell.isEmpty() ? QStringLiteral("/bin/sh") : options.shell;
    SyncResult result = runSync(makeRun(command, {}, shell, options.argv0), options);
    echoStderr(result, options);
    checkExecSyncError(result, command);
    return result;
}

SyncResult execFileSync(const QString &file, const QStringList &args, const SyncOptions &options)
{
    SyncResult result = runSync(makeRun(file, args, options.shell, options.argv0), options);
    echoStderr(result, options);
    const QString cmd = QStringList(QStringList{options.argv0.isEmpty() ? file : options.argv0} + args).join(QLatin1Char(' '));
    checkExecSyncError(result, cmd);
    return result;
}

} // namespace Spawnscope
