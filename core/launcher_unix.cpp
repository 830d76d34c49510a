#include "launcher_p.h"

#include "osstring.h"

#include <cerrno>
#include <csignal>
#include <vector>

#include <fcntl.h>
#include <grp.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace Spawnscope::Internal {

namespace {

constexpr const char kDefaultPath[] = "/usr/bin:/bin";
// execvp's rule, which Node follows through libuv: an executable file the kernel cannot run
// (no `#!` line) is a script for the standard shell.
constexpr const char kShell[] = "/bin/sh";

int openPidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
    return int(::syscall(SYS_pidfd_open, pid, 0));
#else
    Q_UNUSED(pid);
    errno = ENOSYS;
    return -1;
#endif
}

// Holds the descriptors of one launch and closes whatever was not handed on.
struct FdSet
{
    std::vector<int> fds;
    ~FdSet()
    {
        for (int fd : fds)
            ::close(fd);
    }
    int add(int fd)
    {
        fds.push_back(fd);
        return fd;
    }
    void forget(int fd) { std::erase(fds, fd); }
};

// The dup2 sequence must not overwrite a source before it is used: move sources above
// every target slot.
int aboveSlots(int fd, int slotCount, FdSet &owned)
{
    if (fd >= slotCount)
        return fd;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, slotCount);
    if (moved < 0)
        return -1;
    owned.forget(fd);
    ::close(fd);
    return owned.add(moved);
}

struct CStrings
{
    std::vector<QByteArray> storage;
    std::vector<char *> pointers;
    char **data()
    {
        pointers.clear();
        for (auto &s : storage)
            pointers.push_back(s.data());
        pointers.push_back(nullptr);
        return pointers.data();
    }
};

[[noreturn]] void failInChild(int errpipe)
{
    const int err = errno;
    while (::write(errpipe, &err, sizeof err) < 0 && errno == EINTR) {
    }
    ::_exit(127);
}

// posix_spawn cannot change credentials; this path forks, and only uses async-signal-safe calls
// in the child.
pid_t forkExec(const QByteArray &path, char **argv, char **scriptArgv, char **envp, const std::vector<int> &childFds,
               const QByteArray &cwd, const LaunchSpec &spec, int *error)
{
    int errpipe[2];
    if (::pipe2(errpipe, O_CLOEXEC) < 0) {
        *error = errno;
        return -1;
    }
    if (errpipe[1] < int(childFds.size())) {
        // The child's dup2 sequence must not overwrite the pipe that reports its failure.
        const int moved = ::fcntl(errpipe[1], F_DUPFD_CLOEXEC, int(childFds.size()));
        ::close(errpipe[1]);
        errpipe[1] = moved;
    }
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        *error = errno;
        ::close(errpipe[0]);
        ::close(errpipe[1]);
        return -1;
    }
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        struct sigaction dfl{};
        dfl.sa_handler = SIG_DFL;
        for (int sig = 1; sig < NSIG; ++sig) {
            if (sig != SIGKILL && sig != SIGSTOP)
                ::sigaction(sig, &dfl, nullptr);
        }
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        if (spec.detached && ::setsid() < 0)
            failInChild(errpipe[1]);
        if (spec.killWithParent) {
            if (::prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
                failInChild(errpipe[1]);
            // The parent may have died between fork() and prctl(); nothing would tell us then.
            if (::getppid() != parent)
                ::raise(SIGKILL);
        }
        if (spec.processGroup && ::setpgid(0, *spec.processGroup) < 0)
            failInChild(errpipe[1]);
        for (size_t i = 0; i < childFds.size(); ++i) {
            if (childFds[i] >= 0 && ::dup2(childFds[i], int(i)) < 0)
                failInChild(errpipe[1]);
        }
        if (!cwd.isEmpty() && ::chdir(cwd.constData()) < 0)
            failInChild(errpipe[1]);
        if (spec.gid || spec.uid) {
            if (::setgroups(0, nullptr) < 0 && errno != EPERM)
                failInChild(errpipe[1]);
        }
        if (spec.gid && ::setgid(*spec.gid) < 0)
            failInChild(errpipe[1]);
        if (spec.uid && ::setuid(*spec.uid) < 0)
            failInChild(errpipe[1]);
        // Everything but the error pipe, which must outlive a failing execve.
        const int errFd = errpipe[1];
        const unsigned first = unsigned(childFds.size());
        if (unsigned(errFd) > first)
            ::syscall(SYS_close_range, first, unsigned(errFd - 1), 0); // errFd >= first, see above
        ::syscall(SYS_close_range, unsigned(errFd + 1), ~0U, 0);
        ::execve(path.constData(), argv, envp);
        if (errno == ENOEXEC)
            ::execve(kShell, scriptArgv, envp);
        failInChild(errpipe[1]);
    }
    ::close(errpipe[1]);
    int childError = 0;
    ssize_t n;
    while ((n = ::read(errpipe[0], &childError, sizeof childError)) < 0 && errno == EINTR) {
    }
    ::close(errpipe[0]);
    if (n == sizeof childError) {
        int status;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        *error = childError;
        return -1;
    }
    return pid;
}

} // namespace

CommandLine commandLine(const QString &file, const QStringList &args, const QString &shell, const QString &argv0)
{
    CommandLine command;
    if (!shell.isEmpty()) {
        command.spawnfile = shell;
        command.argv = {shell, QStringLiteral("-c"), QStringList(QStringList{file} + args).join(QLatin1Char(' '))};
    } else {
        command.spawnfile = file;
        command.argv = QStringList{file} + args;
    }
    if (!argv0.isEmpty())
        command.argv[0] = argv0;
    return command;
}

LaunchSlot launchSlot(const StdioMode &mode)
{
    switch (mode.kind) {
    case StdioMode::Pipe:
        return {LaunchSlot::Pipe};
    case StdioMode::Ignore:
        return {LaunchSlot::Ignore};
    case StdioMode::Inherit:
        return {LaunchSlot::Inherit};
    case StdioMode::Ipc:
        return {LaunchSlot::Channel};
    case StdioMode::Fd:
        return {LaunchSlot::Fd, mode.fd};
    }
    return {};
}

QByteArray resolveProgram(const QString &file, const QByteArray &pathVariable, int *error)
{
    *error = 0;
    const QByteArray name = OsString::encode(file);
    if (name.isEmpty()) {
        *error = ENOENT;
        return {};
    }
    if (name.contains('/'))
        return name;
    // execvp's search: the first executable file wins; EACCES only when nothing else was found.
    bool sawAccess = false;
    for (QByteArray dir : pathVariable.split(':')) {
        if (dir.isEmpty())
            dir = ".";
        const QByteArray candidate = dir + '/' + name;
        if (::access(candidate.constData(), X_OK) == 0)
            return candidate;
        if (errno == EACCES)
            sawAccess = true;
    }
    *error = sawAccess ? EACCES : ENOENT;
    return {};
}

Launched launch(const LaunchSpec &spec)
{
    Launched result;
    const int slotCount = int(spec.stdio.size());
    result.parentFds = QList<int>(slotCount, -1);
    FdSet owned;
    std::vector<int> childFds(size_t(slotCount), -1);

    auto fail = [&](int err) {
        result.error = err;
        result.parentFds = QList<int>(slotCount, -1);
        return result; // `owned` closes every descriptor made so far
    };

    int devNull = -1;
    for (int i = 0; i < slotCount; ++i) {
        const LaunchSlot &slot = spec.stdio[i];
        switch (slot.kind) {
        case LaunchSlot::Pipe:
        case LaunchSlot::Channel: {
            int sv[2];
            if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                return fail(errno);
            owned.add(sv[0]);
            owned.add(sv[1]);
            ::fcntl(sv[0], F_SETFL, ::fcntl(sv[0], F_GETFL) | O_NONBLOCK);
            result.parentFds[i] = sv[0];
            childFds[size_t(i)] = sv[1];
            break;
        }
        case LaunchSlot::Ignore:
            if (devNull < 0) {
                devNull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
                if (devNull < 0)
                    return fail(errno);
                owned.add(devNull);
            }
            childFds[size_t(i)] = devNull;
            break;
        case LaunchSlot::Inherit:
        case LaunchSlot::Fd: {
            const int source = slot.kind == LaunchSlot::Inherit ? i : slot.fd;
            const int copy = ::fcntl(source, F_DUPFD_CLOEXEC, slotCount);
            if (copy < 0) {
                if (slot.kind == LaunchSlot::Inherit)
                    break; // the parent has nothing there; neither will the child
                return fail(errno);
            }
            childFds[size_t(i)] = owned.add(copy);
            break;
        }
        }
    }
    for (int i = 0; i < slotCount; ++i) {
        int &fd = childFds[size_t(i)];
        if (fd < 0)
            continue;
        if (fd == devNull) {
            fd = devNull = aboveSlots(devNull, slotCount, owned);
        } else {
            fd = aboveSlots(fd, slotCount, owned);
        }
        if (fd < 0)
            return fail(errno);
    }
    // Ignore slots that shared /dev/null before it moved.
    for (int i = 0; i < slotCount; ++i) {
        if (spec.stdio[i].kind == LaunchSlot::Ignore)
            childFds[size_t(i)] = devNull;
    }

    QByteArray pathVariable;
    CStrings env;
    char **envp = environ;
    if (spec.env || !spec.extraEnv.isEmpty()) {
        // Names, values and paths are bytes, which need not be UTF-8: encoded as they were decoded.
        const QProcessEnvironment source = spec.env ? *spec.env : OsString::systemEnvironment();
        for (const QString &entry : source.toStringList()) {
            const QString key = entry.section(QLatin1Char('='), 0, 0);
            // With a channel, Node's cluster variable would make a Node child a cluster worker.
            bool replaced = !spec.extraEnv.isEmpty() && key == QLatin1String("NODE_UNIQUE_ID");
            for (const QString &extra : spec.extraEnv) {
                if (extra.section(QLatin1Char('='), 0, 0) == key)
                    replaced = true;
            }
            if (!replaced)
                env.storage.push_back(OsString::encode(entry));
        }
        for (const QString &extra : spec.extraEnv)
            env.storage.push_back(OsString::encode(extra));
        envp = env.data();
        if (source.contains(QStringLiteral("PATH")))
            pathVariable = OsString::encode(source.value(QStringLiteral("PATH")));
        else
            pathVariable = kDefaultPath;
    } else {
        const char *path = ::getenv("PATH");
        pathVariable = path ? QByteArray(path) : QByteArray(kDefaultPath);
    }

    int resolveError = 0;
    const QByteArray program = resolveProgram(spec.file, pathVariable, &resolveError);
    if (resolveError)
        return fail(resolveError);

    CStrings argv;
    for (const QString &arg : spec.argv)
        argv.storage.push_back(OsString::encode(arg));
    char **argvp = argv.data();
    CStrings scriptArgv;
    scriptArgv.storage.push_back(QByteArray(kShell));
    scriptArgv.storage.push_back(program);
    for (qsizetype i = 1; i < spec.argv.size(); ++i)
        scriptArgv.storage.push_back(OsString::encode(spec.argv[i]));
    char **scriptArgvp = scriptArgv.data();
    const QByteArray cwd = OsString::encode(spec.cwd);

    pid_t pid = -1;
    // posix_spawn() cannot ask for a death signal; the plain fork() path can.
    if (spec.uid || spec.gid || spec.killWithParent) {
        int err = 0;
        pid = forkExec(program, argvp, scriptArgvp, envp, childFds, cwd, spec, &err);
        if (pid < 0)
            return fail(err);
    } else {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        for (int i = 0; i < slotCount; ++i) {
            if (childFds[size_t(i)] >= 0)
                posix_spawn_file_actions_adddup2(&actions, childFds[size_t(i)], i);
        }
        if (!cwd.isEmpty())
            posix_spawn_file_actions_addchdir_np(&actions, cwd.constData());
        // Descriptors some other code opened without O_CLOEXEC stay out of the child too.
        posix_spawn_file_actions_addclosefrom_np(&actions, slotCount);

        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        sigset_t none;
        sigemptyset(&none);
        sigset_t all;
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &all);
        short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
        if (spec.detached)
            flags |= POSIX_SPAWN_SETSID;
        if (spec.processGroup) {
            posix_spawnattr_setpgroup(&attr, *spec.processGroup);
            flags |= POSIX_SPAWN_SETPGROUP;
        }
        posix_spawnattr_setflags(&attr, flags);
        int err = ::posix_spawn(&pid, program.constData(), &actions, &attr, argvp, envp);
        if (err == ENOEXEC)
            err = ::posix_spawn(&pid, kShell, &actions, &attr, scriptArgvp, envp);
        posix_spawnattr_destroy(&attr);
        posix_spawn_file_actions_destroy(&actions);
        if (err != 0)
            return fail(err);
    }

    result.pid = pid;
    result.pidfd = openPidfd(pid);
    for (int fd : result.parentFds) {
        if (fd >= 0)
            owned.forget(fd);
    }
    return result;
}

} // namespace Spawnscope::Internal
