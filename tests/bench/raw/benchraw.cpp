// The near-limit of tests/bench/run: what the same work costs with posix_spawn, socketpairs,
// poll and a read loop, and nothing else. `bench-raw WORKLOAD HELPER [COUNT]`.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// VmHWM, not getrusage: ru_maxrss survives exec and would report the launcher's peak.
void report(double value)
{
    long kb = -1;
    if (FILE *f = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f)) {
            if (std::strncmp(line, "VmHWM:", 6) == 0)
                kb = std::atol(line + 6);
        }
        std::fclose(f);
    }
    std::printf("{\"value\":%.6g,\"rss_kb\":%ld}\n", value, kb);
}

struct Child
{
    pid_t pid = -1;
    int pidfd = -1;
    int out = -1; // our ends
    int err = -1;
    int in = -1;
    int channel = -1;
    bool exited = false;
};

// Starts argv with stdin/stdout/stderr on socketpairs (and fd 3 on one if `channel`).
Child start(const std::vector<const char *> &argv, bool channel = false, bool pipeStdout = false)
{
    Child c;
    int pairs[4][2];
    const int slots = channel ? 4 : 3;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    for (int i = 0; i < slots; ++i) {
        if (i == 1 && pipeStdout)
            pipe2(pairs[i], O_CLOEXEC); // [0] read end for us, [1] write end for the child
        else
            socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pairs[i]);
        posix_spawn_file_actions_adddup2(&fa, pairs[i][1], i);
    }
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<char *> args;
    for (const char *a : argv)
        args.push_back(const_cast<char *>(a));
    args.push_back(nullptr);
    std::vector<std::string> envStore;
    std::vector<char *> env;
    for (char **e = environ; *e; ++e)
        env.push_back(*e);
    if (channel) {
        envStore = {"NODE_CHANNEL_FD=3"};
        env.push_back(envStore[0].data());
    }
    env.push_back(nullptr);
    posix_spawn(&c.pid, argv[0], &fa, &attr, args.data(), env.data());
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    for (int i = 0; i < slots; ++i)
        close(pairs[i][1]);
    c.in = pairs[0][0];
    c.out = pairs[1][0];
    c.err = pairs[2][0];
    if (channel)
        c.channel = pairs[3][0];
    c.pidfd = int(syscall(SYS_pidfd_open, c.pid, 0));
    return c;
}

// Reads stdout and stderr to their ends, calling onData for stdout, then reaps.
template<typename F>
void drain(Child &c, F onData)
{
    static char buffer[256 * 1024];
    close(c.in);
    while (c.out >= 0 || c.err >= 0) {
        pollfd fds[2];
        int n = 0;
        if (c.out >= 0)
            fds[n++] = {c.out, POLLIN, 0};
        if (c.err >= 0)
            fds[n++] = {c.err, POLLIN, 0};
        poll(fds, nfds_t(n), -1);
        for (int i = 0; i < n; ++i) {
            if (!fds[i].revents)
                continue;
            const ssize_t r = read(fds[i].fd, buffer, sizeof buffer);
            if (r > 0) {
                if (fds[i].fd == c.out)
                    onData(buffer, size_t(r));
            } else {
                (fds[i].fd == c.out ? c.out : c.err) = -1;
                close(fds[i].fd);
            }
        }
    }
    int status;
    waitpid(c.pid, &status, 0);
    close(c.pidfd);
}

double spawnSequential(long total)
{
    const double t0 = now();
    for (long i = 0; i < total; ++i) {
        Child c = start({"/bin/true"});
        drain(c, [](const char *, size_t) {});
    }
    return total / (now() - t0);
}

double spawnParallel(long total, int width)
{
    const double t0 = now();
    std::vector<Child> running;
    long started = 0, finished = 0;
    while (finished < total) {
        while (long(running.size()) < width && started < total) {
            running.push_back(start({"/bin/true"}));
            close(running.back().in);
            ++started;
        }
        std::vector<pollfd> fds;
        for (Child &c : running) {
            if (c.out >= 0)
                fds.push_back({c.out, POLLIN, 0});
            if (c.err >= 0)
                fds.push_back({c.err, POLLIN, 0});
            if (!c.exited)
                fds.push_back({c.pidfd, POLLIN, 0});
        }
        poll(fds.data(), fds.size(), -1);
        for (const pollfd &p : fds) {
            if (!p.revents)
                continue;
            for (Child &c : running) {
                if (p.fd == c.pidfd) {
                    int status;
                    waitpid(c.pid, &status, 0);
                    c.exited = true;
                } else if (p.fd == c.out || p.fd == c.err) {
                    char b[4096];
                    if (read(p.fd, b, sizeof b) <= 0) {
                        close(p.fd);
                        (p.fd == c.out ? c.out : c.err) = -1;
                    }
                }
            }
        }
        for (auto it = running.begin(); it != running.end();) {
            if (it->exited && it->out < 0 && it->err < 0) {
                close(it->pidfd);
                it = running.erase(it);
                ++finished;
            } else {
                ++it;
            }
        }
    }
    return total / (now() - t0);
}

// A line-echoing child for the ping-pong: `bench-raw echo-child` on fd 3.
int echoChild()
{
    std::string buffer;
    char b[65536];
    for (;;) {
        const ssize_t r = read(3, b, sizeof b);
        if (r <= 0)
            return 0;
        buffer.append(b, size_t(r));
        size_t nl;
        while ((nl = buffer.find('\n')) != std::string::npos) {
            (void)!write(3, buffer.data(), nl + 1);
            buffer.erase(0, nl + 1);
        }
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 2 && std::string(argv[1]) == "echo-child")
        return echoChild();
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench-raw WORKLOAD HELPER [COUNT]\n");
        return 2;
    }
    const std::string workload = argv[1];
    const char *helper = argv[2];
    const long long count = argc > 3 ? std::atoll(argv[3]) : 0;
    if (workload == "spawn-seq") {
        report(spawnSequential(count ? count : 2000));
    } else if (workload == "spawn-seq-2g") {
        const size_t size = size_t(2) << 30;
        char *ballast = static_cast<char *>(std::malloc(size));
        std::memset(ballast, 1, size);
        report(spawnSequential(count ? count : 2000));
        std::free(ballast);
    } else if (workload == "spawn-par64") {
        report(spawnParallel(count ? count : 2000, 64));
    } else if (workload == "stdout" || workload == "stdout-pipe") {
        const long long bytes = count ? count : (2LL << 30);
        const std::string n = std::to_string(bytes);
        const double t0 = now();
        long long received = 0;
        Child c = start({helper, "flood", n.c_str()}, false, workload == "stdout-pipe");
        drain(c, [&](const char *, size_t size) { received += (long long)size; });
        report(received / (now() - t0) / double(1 << 30));
    } else if (workload == "exec") {
        const long total = count ? count : 500;
        const double t0 = now();
        for (long i = 0; i < total; ++i) {
            Child c = start({"/bin/sh", "-c", "echo hi"});
            std::string out;
            drain(c, [&](const char *d, size_t size) { out.append(d, size); });
        }
        report((now() - t0) * 1000 / total);
    } else if (workload == "pingpong") {
        const long total = count ? count : 20000;
        Child c = start({argv[0], "echo-child"}, true);
        const double t0 = now();
        char b[4096];
        for (long i = 0; i < total; ++i) {
            const std::string line = "{\"i\":" + std::to_string(i) + "}\n";
            (void)!write(c.channel, line.data(), line.size());
            size_t got = 0;
            while (got < line.size()) {
                const ssize_t r = read(c.channel, b, sizeof b);
                if (r <= 0)
                    return 1;
                got += size_t(r);
            }
        }
        report((now() - t0) * 1e6 / total);
        close(c.channel);
        drain(c, [](const char *, size_t) {});
    } else if (workload == "lines") {
        const long total = count ? count : 5000000;
        const std::string n = std::to_string(total);
        long lines = 0;
        const double t0 = now();
        Child c = start({helper, "lines", n.c_str()});
        drain(c, [&](const char *d, size_t size) {
            const char *end = d + size;
            while (const char *nl = static_cast<const char *>(std::memchr(d, '\n', size_t(end - d)))) {
                ++lines;
                d = nl + 1;
            }
        });
        report(lines / (now() - t0) / 1e6);
    } else {
        std::fprintf(stderr, "no raw form of %s\n", workload.c_str());
        return 3;
    }
    return 0;
}
