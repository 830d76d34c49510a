#include "launcher_p.h"

#include "osstring.h"
#include "threadhandoff_p.h"

#include <QMutex>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <vector>

#include <dlfcn.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <sys/mman.h>
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

// Where a child's descriptors wait while it starts: a few slots low in this process's table,
// kept for the purpose, each holding /dev/null between starts.
//
// Why: a child made by fork() or posix_spawn() gets a copy of this process's whole table, and
// execve() then closes every descriptor of it one by one; both cost the more, at every start,
// the more descriptors this process holds (a pidfd per child, a long pipeline's pipes). At ten
// thousand stages that made a pipeline's start quadratic: seconds per thousand stages. Here the
// child shares the table (CLONE_FILES) only long enough to take a private copy of what lies
// below the highest slot (close_range with CLOSE_RANGE_UNSHARE copies no more), so a start
// costs the same whatever this process holds.
class StagingSlots
{
public:
    QMutex mutex; // one start at a time uses the slots

    // At least `count` slots; false (and *error) when the system has no descriptor to spare.
    bool reserve(int count, int *error)
    {
        if (m_null < 0) {
            const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
            // Above the standard streams: a child inheriting 0, 1 or 2 must not find a slot there.
            m_null = null < 0 ? -1 : ::fcntl(null, F_DUPFD_CLOEXEC, 3);
            if (null >= 0)
                ::close(null);
            if (m_null < 0) {
                *error = errno;
                return false;
            }
        }
        // As many as the usual child needs (three streams and a message channel) at once, so
        // that the slots do not grow in sight of the caller; more only for more streams.
        while (int(m_slots.size()) < std::max(count, 4)) {
            const int fd = ::fcntl(m_null, F_DUPFD_CLOEXEC, 3);
            if (fd < 0) {
                *error = errno;
                return false;
            }
            m_slots.push_back(fd);
            m_limit = std::max(m_limit, fd + 1);
        }
        // The slots were made where the table had room then; a child copies everything below
        // the highest. Once a lower number is free, the highest moves there.
        const int lower = ::fcntl(m_null, F_DUPFD_CLOEXEC, 3);
        const auto highest = std::max_element(m_slots.begin(), m_slots.end());
        if (lower >= 0 && lower < *highest) {
            ::close(*highest);
            *highest = lower;
            m_limit = *std::max_element(m_slots.begin(), m_slots.end()) + 1;
        } else if (lower >= 0) {
            ::close(lower);
        }
        return true;
    }
    int slot(int i) const { return m_slots[size_t(i)]; }
    int limit() const { return m_limit; } // one above the highest slot
    // Back to /dev/null: no slot may keep a child's pipe open after its start.
    void release(int i) { ::dup3(m_null, m_slots[size_t(i)], O_CLOEXEC); }

private:
    std::vector<int> m_slots;
    int m_null = -1;
    int m_limit = 0;
};

StagingSlots &stagingSlots()
{
    static StagingSlots instance;
    return instance;
}

constexpr size_t kChildStackBytes = 64 * 1024;
constexpr unsigned long kAllSignals = ~0UL;
constexpr unsigned long kNoSignals = 0;
#ifndef CLOSE_RANGE_UNSHARE
constexpr unsigned kCloseRangeUnshare = 1U << 1;
#else
constexpr unsigned kCloseRangeUnshare = CLOSE_RANGE_UNSHARE;
#endif

// What the child needs, all of it made ready by the parent: the child shares the parent's
// memory (CLONE_VM) and may only make system calls (no allocation, no lock, no glibc state).
struct ChildArgs
{
    const char *path = nullptr;
    char **argv = nullptr;
    char **scriptArgv = nullptr;
    char **envp = nullptr;
    const int *staged = nullptr; // per slot: where its descriptor waits, or -1 for none
    int *moved = nullptr;        // per slot: where the child takes it from
    int slotCount = 0;
    int copyBelow = 0;           // the child copies the table below this
    const char *cwd = nullptr;
    bool detached = false;
    bool killWithParent = false;
    pid_t parent = -1;
    bool setGroup = false;
    pid_t group = 0;
    bool setUid = false;
    uid_t uid = 0;
    bool setGid = false;
    gid_t gid = 0;
    volatile int error = 0; // the errno that stopped the child, read once it is gone
};

// Nothing in the child may touch a sanitizer's state: it runs on the parent's memory and would
// leave frames entered and never left, or shadow poisoned on a stack that is unmapped after.
#define SPAWNSCOPE_CHILD_CODE __attribute__((no_sanitize("address", "thread", "undefined")))

[[noreturn]] SPAWNSCOPE_CHILD_CODE void childFailed(ChildArgs *a, int error)
{
    a->error = error;
    ::syscall(SYS_exit_group, 127);
    __builtin_unreachable();
}

using CloneFunction = int (*)(int (*)(void *), void *, int, void *, ...);

// ThreadSanitizer takes any clone() for a fork and then refuses new threads in this process;
// under it the C library's own clone is called, as nothing of the child here concerns it.
CloneFunction cloneFunction()
{
#ifdef SPAWNSCOPE_TSAN
    static const CloneFunction libcClone = [] {
        void *libc = ::dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
        return libc ? reinterpret_cast<CloneFunction>(::dlsym(libc, "clone")) : nullptr;
    }();
    if (libcClone)
        return libcClone;
#endif
    return &::clone;
}

SPAWNSCOPE_CHILD_CODE int childMain(void *arg)
{
    auto *a = static_cast<ChildArgs *>(arg);
    // First of all a table of its own, before anything could change the parent's.
    if (::syscall(SYS_close_range, unsigned(a->copyBelow), ~0U, kCloseRangeUnshare) < 0
        && ::syscall(SYS_unshare, CLONE_FILES) < 0)
        childFailed(a, errno);
    // Every disposition back to the default (the parent's handlers must not run here, on its
    // memory); signals stay blocked, as the parent blocked them, until execve.
    struct
    {
        void (*handler)(int) = SIG_DFL;
        unsigned long flags = 0;
        void (*restorer)() = nullptr;
        unsigned long mask = 0;
    } dfl;
    for (int sig = 1; sig <= 64; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP)
            ::syscall(SYS_rt_sigaction, sig, &dfl, nullptr, sizeof(unsigned long));
    }
    if (a->detached && ::syscall(SYS_setsid) < 0)
        childFailed(a, errno);
    if (a->killWithParent) {
        if (::syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
            childFailed(a, errno);
        // The parent may have died before prctl(); nothing would tell us then.
        if (::syscall(SYS_getppid) != a->parent)
            ::syscall(SYS_kill, ::syscall(SYS_getpid), SIGKILL);
    }
    if (a->setGroup && ::syscall(SYS_setpgid, 0, a->group) < 0)
        childFailed(a, errno);
    // Each slot's descriptor into place: one that waits among the target numbers first moves
    // above them, so that no move overwrites a descriptor still to be moved.
    for (int i = 0; i < a->slotCount; ++i) {
        a->moved[i] = a->staged[i];
        if (a->staged[i] >= 0 && a->staged[i] < a->slotCount
            && (a->moved[i] = int(::syscall(SYS_fcntl, a->staged[i], F_DUPFD_CLOEXEC, a->slotCount))) < 0)
            childFailed(a, errno);
    }
    for (int i = 0; i < a->slotCount; ++i) {
        if (a->moved[i] >= 0) {
            if (::syscall(SYS_dup3, a->moved[i], i, 0) < 0)
                childFailed(a, errno);
        } else {
            ::syscall(SYS_close, i); // nothing there, as in the parent
        }
    }
    // What the copy held besides: the parent's low descriptors, the slots, the moved ones.
    ::syscall(SYS_close_range, unsigned(a->slotCount), ~0U, 0U);
    if (a->cwd && ::syscall(SYS_chdir, a->cwd) < 0)
        childFailed(a, errno);
    if (a->setGid || a->setUid) {
        if (::syscall(SYS_setgroups, 0, nullptr) < 0 && errno != EPERM)
            childFailed(a, errno);
    }
    if (a->setGid && ::syscall(SYS_setgid, a->gid) < 0)
        childFailed(a, errno);
    if (a->setUid && ::syscall(SYS_setuid, a->uid) < 0)
        childFailed(a, errno);
    ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &kNoSignals, nullptr, sizeof kNoSignals);
    ::syscall(SYS_execve, a->path, a->argv, a->envp);
    if (errno == ENOEXEC)
        ::syscall(SYS_execve, kShell, a->scriptArgv, a->envp);
    childFailed(a, errno);
}

// Starts the child as posix_spawn() does (CLONE_VM | CLONE_VFORK: nothing of this process's
// memory is copied, this thread waits until the child has called execve), sharing the
// descriptor table too: see StagingSlots.
pid_t spawnChild(const QByteArray &path, char **argv, char **scriptArgv, char **envp, const std::vector<int> &childFds,
                 const QByteArray &cwd, const LaunchSpec &spec, int *error)
{
    StagingSlots &staging = stagingSlots();
    QMutexLocker lock(&staging.mutex);
    const int slotCount = int(childFds.size());
    if (!staging.reserve(slotCount, error))
        return -1;
    std::vector<int> staged(size_t(slotCount), -1);
    std::vector<int> moved(size_t(slotCount), -1);
    auto releaseSlots = [&] {
        for (int i = 0; i < slotCount; ++i) {
            if (staged[size_t(i)] >= 0)
                staging.release(i);
        }
    };
    for (int i = 0; i < slotCount; ++i) {
        if (childFds[size_t(i)] < 0)
            continue;
        if (::dup3(childFds[size_t(i)], staging.slot(i), O_CLOEXEC) < 0) {
            *error = errno;
            releaseSlots();
            return -1;
        }
        staged[size_t(i)] = staging.slot(i);
    }

    ChildArgs a;
    a.path = path.constData();
    a.argv = argv;
    a.scriptArgv = scriptArgv;
    a.envp = envp;
    a.staged = staged.data();
    a.moved = moved.data();
    a.slotCount = slotCount;
    a.copyBelow = staging.limit();
    a.cwd = cwd.isEmpty() ? nullptr : cwd.constData();
    a.detached = spec.detached;
    a.killWithParent = spec.killWithParent;
    a.parent = ::getpid();
    a.setGroup = spec.processGroup.has_value();
    a.group = spec.processGroup.value_or(0);
    a.setUid = spec.uid.has_value();
    a.uid = spec.uid.value_or(0);
    a.setGid = spec.gid.has_value();
    a.gid = spec.gid.value_or(0);

    void *stack = ::mmap(nullptr, kChildStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        *error = errno;
        releaseSlots();
        return -1;
    }
    // No handler of this process may run in the child, on this process's memory: every
    // signal stays blocked until the child has put the dispositions back.
    unsigned long previous = 0;
    ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &kAllSignals, &previous, sizeof previous);
    const pid_t pid = cloneFunction()(childMain, static_cast<char *>(stack) + kChildStackBytes,
                                      CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, &a);
    const int cloneError = errno;
    ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &previous, nullptr, sizeof previous);
    ::munmap(stack, kChildStackBytes);
    releaseSlots();
    lock.unlock();
    if (pid < 0) {
        *error = cloneError;
        return -1;
    }
    if (a.error != 0) {
        int status;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        *error = a.error;
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
            const int copy = ::fcntl(source, F_DUPFD_CLOEXEC, 0);
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

    int err = 0;
    const pid_t pid = spawnChild(program, argvp, scriptArgvp, envp, childFds, cwd, spec, &err);
    if (pid < 0)
        return fail(err);

    result.pid = pid;
    result.pidfd = openPidfd(pid);
    for (int fd : result.parentFds) {
        if (fd >= 0)
            owned.forget(fd);
    }
    return result;
}

} // namespace Spawnscope::Internal
