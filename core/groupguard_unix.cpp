#include "groupguard_p.h"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
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
    struct sigaction dfl{};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP)
            ::sigaction(sig, &dfl, nullptr);
    }
    // A group of its own: Ctrl-C at the terminal is for the pool's process, which stops its
    // jobs itself; the guard must stay until that process is gone.
    ::setpgid(0, 0);
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
    for (;;) {
        const ssize_t n = ::read(s, buffer + have, sizeof buffer - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; // the pool's process is gone (or let the guard go)
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
    for (size_t i = 0; i < count; ++i)
        ::kill(-groups[i], SIGKILL);
    ::_exit(0);
}

} // namespace

GroupGuard::GroupGuard()
{
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return;
    // No handler of this process may run in the guard before it has put them back.
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(sv[0]);
        guardMain(sv[1]);
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    ::close(sv[1]);
    if (pid < 0) {
        ::close(sv[0]);
        return;
    }
    m_pid = pid;
    m_socket = sv[0];
}

GroupGuard::~GroupGuard()
{
    if (m_socket >= 0)
        ::close(m_socket);
    if (m_pid > 0) {
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
    if (m_socket < 0)
        return;
    const int32_t value = record;
    ssize_t n;
    while ((n = ::send(m_socket, &value, sizeof value, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
    }
    if (n != sizeof value) {
        // The guard is gone (or the socket broken): no use telling it more.
        ::close(m_socket);
        m_socket = -1;
    }
}

} // namespace Spawnscope::Internal
