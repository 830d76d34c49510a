#include "groupguard_p.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <ctime>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace Spawnscope::Internal {

namespace {

// The guard itself, forked from a threaded process: system calls only (no malloc, no locks).
// It reads 32-bit records, a group's id to add or its negation to remove, until the other end
// of the socket closes.
[[noreturn]] void guardMain(int socket)
{
    struct sigaction ignore{};
    ignore.sa_handler = SIG_IGN;
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP)
            ::sigaction(sig, &ignore, nullptr);
    }
    // A group of its own: Ctrl-C at the terminal is for the process it guards, which stops its
    // children itself; and a group that others can join (see the header).
    ::setpgid(0, 0);
    const pid_t self = ::getpid();
    const int s = ::fcntl(socket, F_DUPFD_CLOEXEC, 3);
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (s < 0 || null < 0)
        ::_exit(1);
    for (int fd = 0; fd <= 2; ++fd)
        ::dup2(null, fd);
    // Nothing of the parent's may stay open here: a pipe end kept would hold a reader waiting.
    if (s > 3)
        ::syscall(SYS_close_range, 3u, unsigned(s - 1), 0u);
    ::syscall(SYS_close_range, unsigned(s + 1), ~0u, 0u);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);

    size_t capacity = 4096 / sizeof(pid_t);
    size_t count = 0;
    void *memory = ::mmap(nullptr, capacity * sizeof(pid_t), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        ::_exit(1);
    auto *groups = static_cast<pid_t *>(memory);
    unsigned char buffer[4096];
    size_t have = 0;
    timespec swept{};
    ::clock_gettime(CLOCK_MONOTONIC, &swept);
    for (;;) {
        pollfd ready{s, POLLIN, 0};
        const int polled = ::poll(&ready, 1, 1000);
        // Once a second, groups of which no process is left are forgotten (see the header).
        timespec now{};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - swept.tv_sec >= 1) {
            swept = now;
            for (size_t i = 0; i < count;) {
                if (groups[i] != self && ::kill(-groups[i], 0) < 0 && errno == ESRCH)
                    groups[i] = groups[--count];
                else
                    ++i;
            }
        }
        if (polled <= 0)
            continue; // EINTR, or nothing came
        const ssize_t n = ::read(s, buffer + have, sizeof buffer - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; // the process it guards is gone (or let the guard go)
        have += size_t(n);
        size_t used = 0;
        for (; have - used >= sizeof(int32_t); used += sizeof(int32_t)) {
            int32_t record;
            std::memcpy(&record, buffer + used, sizeof record);
            if (record > 0) {
                if (count == capacity) {
                    void *grown = ::mremap(groups, capacity * sizeof(pid_t), 2 * capacity * sizeof(pid_t), MREMAP_MAYMOVE);
                    if (grown == MAP_FAILED)
                        continue; // that group goes unguarded, as without a guard
                    groups = static_cast<pid_t *>(grown);
                    capacity *= 2;
                }
                groups[count++] = pid_t(record);
            } else if (record < 0) {
                for (size_t i = 0; i < count; ++i) {
                    if (groups[i] == pid_t(-record)) {
                        groups[i] = groups[--count];
                        break;
                    }
                }
            }
        }
        std::memmove(buffer, buffer + used, have - used);
        have -= used;
    }
    bool guardsItsOwn = false;
    for (size_t i = 0; i < count; ++i) {
        if (groups[i] == self)
            guardsItsOwn = true;
        else
            ::kill(-groups[i], SIGKILL);
    }
    if (guardsItsOwn)
        ::kill(-self, SIGKILL); // the guard with them: last
    ::_exit(0);
}

} // namespace

GroupGuard::GroupGuard(Reaping reaping)
{
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return;
    // No handler of this process may run in the guard before it has put them back.
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(sv[0]);
        // Not this process's child: forked once more, the guard goes to init (or a subreaper).
        if (reaping == Reaping::ByInit && ::fork() != 0)
            ::_exit(0);
        guardMain(sv[1]);
    }
    const int forkError = errno;
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    ::close(sv[1]);
    if (pid < 0) {
        ::close(sv[0]);
        errno = forkError;
        return;
    }
    if (reaping == Reaping::ByInit) {
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        pid = -1;
    } else {
        ::setpgid(pid, pid); // also here: a child joining the group must not race the guard's own
    }
    m_pid = pid;
    m_socket = sv[0];
}

GroupGuard &GroupGuard::shared()
{
    // Left to the end of the process on purpose: its socket closes then, and the guard does
    // its work.
    static GroupGuard *guard = new GroupGuard(Reaping::ByInit);
    return *guard;
}

GroupGuard::~GroupGuard()
{
    if (const int socket = m_socket.exchange(-1); socket >= 0)
        ::close(socket);
    if (m_pid > 0) {
        ::kill(m_pid, SIGCONT); // a stopped guard (its group was stopped) could not see the end
        while (::waitpid(m_pid, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
}

void GroupGuard::add(pid_t group)
{
    if (group > 0)
        send(int(group));
}

void GroupGuard::remove(pid_t group)
{
    if (group > 0)
        send(-int(group));
}

void GroupGuard::send(int record)
{
    const int socket = m_socket.load();
    if (socket < 0 || m_broken)
        return;
    // A record of 4 bytes goes into a stream socket whole, whichever thread sends it.
    const int32_t value = record;
    ssize_t n;
    while ((n = ::send(socket, &value, sizeof value, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
    }
    if (n != sizeof value) {
        // The guard is gone (or the socket broken): no use telling it more. The descriptor stays
        // open until the destructor: another thread may be about to send on it, and a number
        // closed here could meanwhile name some other file.
        ::shutdown(socket, SHUT_RDWR);
        m_broken = true;
    }
}

bool groupHasLiveMember(pid_t group, pid_t except)
{
    // A killed grandchild stays a zombie until whoever inherited it reaps it, and some init
    // processes never do; only members that still run count.
    QDir proc(QStringLiteral("/proc"));
    const QStringList entries = proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const int pid = entry.toInt(&isPid);
        if (!isPid || pid == except)
            continue;
        QFile stat(proc.filePath(entry + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        const qsizetype close = text.lastIndexOf(')');
        if (close < 0)
            continue;
        const QList<QByteArray> fields = text.mid(close + 2).split(' '); // state ppid pgrp ...
        if (fields.size() > 2 && fields[2].toInt() == group && fields[0] != "Z" && fields[0] != "X")
            return true;
    }
    return false;
}

} // namespace Spawnscope::Internal
