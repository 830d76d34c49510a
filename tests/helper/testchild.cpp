// The tests' child program: one binary with a mode per behaviour, so no test depends on which
// system tools a machine has. `spawnscope-testchild MODE [ARGS...]`.

#include <parentchannel.h>

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

void writeAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            std::exit(3);
        }
        data += n;
        size -= size_t(n);
    }
}

void writeText(int fd, const std::string &text)
{
    writeAll(fd, text.data(), text.size());
}

int echo()
{
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(0, buffer, sizeof buffer);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return 1;
        }
        writeAll(1, buffer, size_t(n));
    }
}

// Writes `total` bytes whose value at offset i is i % 251, so a reader can check order and loss.
int flood(long long total, int fd)
{
    static char block[251 * 1024];
    for (size_t i = 0; i < sizeof block; ++i)
        block[i] = char(i % 251);
    long long written = 0;
    while (written < total) {
        const long long chunk = std::min<long long>(total - written, sizeof block);
        writeAll(fd, block, size_t(chunk));
        written += chunk;
    }
    return 0;
}

// Serves one HTTP GET on 127.0.0.1 (its port printed first, on a line) with a body of `total`
// bytes of flood's pattern, written as fast as the reader lets it: a server in the test's own
// process would wait for the test and never outrun the client.
int httpFlood(long long total)
{
    ::signal(SIGPIPE, SIG_IGN);
    const int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (server < 0 || ::bind(server, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(server, 1) != 0
        || ::getsockname(server, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return 1;
    writeText(1, std::to_string(ntohs(address.sin_port)) + "\n");
    const int client = ::accept(server, nullptr, nullptr);
    if (client < 0)
        return 1;
    std::string request;
    char buffer[4096];
    ssize_t n;
    while (request.find("\r\n\r\n") == std::string::npos && (n = ::read(client, buffer, sizeof buffer)) > 0)
        request.append(buffer, size_t(n));
    writeText(client, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(total) + "\r\n\r\n");
    flood(total, client);
    ::close(client);
    return 0;
}

// Line filters for pipelines: `prefix P` writes each line of stdin with P before it, `head N`
// copies N lines and exits, `count` prints "BYTES LINES" of stdin, `verify` checks stdin is
// flood's pattern and prints "BYTES ok" or "bad at OFFSET".
int filter(const std::string &mode, const char *arg)
{
    FILE *in = ::fdopen(0, "rb");
    if (mode == "prefix" || mode == "head") {
        long long limit = mode == "head" ? std::atoll(arg) : -1;
        char *line = nullptr;
        size_t capacity = 0;
        ssize_t n;
        while (limit != 0 && (n = ::getline(&line, &capacity, in)) > 0) {
            if (mode == "prefix")
                writeText(1, arg);
            writeAll(1, line, size_t(n));
            if (limit > 0)
                --limit;
        }
        std::free(line);
        return 0;
    }
    static char buffer[1 << 16];
    long long bytes = 0;
    long long lines = 0;
    ssize_t n;
    while ((n = ::read(0, buffer, sizeof buffer)) > 0) {
        for (ssize_t i = 0; i < n; ++i) {
            if (mode == "verify" && buffer[i] != char((bytes + i) % 251)) {
                writeText(1, "bad at " + std::to_string(bytes + i) + "\n");
                return 1;
            }
            lines += buffer[i] == '\n';
        }
        bytes += n;
    }
    writeText(1, mode == "verify" ? std::to_string(bytes) + " ok\n"
                                  : std::to_string(bytes) + " " + std::to_string(lines) + "\n");
    return 0;
}

// This program's own path: exec'd through /proc/self/exe, a process would be named "exe".
std::string selfPath()
{
    char path[4096];
    const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    return n > 0 ? std::string(path, size_t(n)) : std::string("/proc/self/exe");
}

// Starts `count` chains of `depth` descendants, each a copy of this program killed with its
// parent (so that killing the top kills them all), the last of each waiting for stdin to end;
// waits for them.
int tree(int count, int depth)
{
    const pid_t self = ::getpid();
    const std::string below = std::to_string(depth - 1);
    const std::string program = selfPath();
    for (int i = 0; i < count; ++i) {
        if (::fork() == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != self)
                ::_exit(1); // the parent died before the line above
            if (depth > 1)
                ::execl(program.c_str(), "spawnscope-testchild", "tree", "1", below.c_str(), static_cast<char *>(nullptr));
            else
                ::execl(program.c_str(), "spawnscope-testchild", "wait-stdin", static_cast<char *>(nullptr));
            ::_exit(127);
        }
    }
    while (::wait(nullptr) > 0 || errno == EINTR) {
    }
    return 0;
}

std::string jsonArgs(int argc, char **argv)
{
    QJsonArray array;
    for (int i = 0; i < argc; ++i)
        array.append(QString::fromLocal8Bit(argv[i]));
    return QJsonDocument(array).toJson(QJsonDocument::Compact).toStdString() + "\n";
}

std::string openFds()
{
    std::string out;
    DIR *dir = ::opendir("/proc/self/fd");
    const int own = ::dirfd(dir);
    while (dirent *entry = ::readdir(dir)) {
        if (entry->d_name[0] == '.' || std::atoi(entry->d_name) == own)
            continue;
        out += entry->d_name;
        out += ' ';
    }
    ::closedir(dir);
    return out + "\n";
}

int ipc(int argc, char **argv, const std::string &mode)
{
    QCoreApplication app(argc, argv);
    Spawnscope::ParentChannel channel;
    if (!channel.isConnected()) {
        writeText(2, "no channel\n");
        return 4;
    }
    long long count = 0;
    QObject::connect(&channel, &Spawnscope::ParentChannel::disconnected, &app, [] { QCoreApplication::exit(0); });
    QObject::connect(&channel, &Spawnscope::ParentChannel::errorOccurred, &app,
                     [](const Spawnscope::ProcessError &e) {
                         writeText(2, e.codeName().toStdString() + ": " + e.message.toStdString() + "\n");
                     });
    QObject::connect(&channel, &Spawnscope::ParentChannel::message, &app, [&](const QJsonValue &m) {
        const QJsonObject o = m.toObject();
        const QString cmd = o.value(QLatin1String("cmd")).toString();
        if (cmd == QLatin1String("exit")) {
            channel.flush();
            std::exit(o.value(QLatin1String("code")).toInt());
        }
        if (cmd == QLatin1String("disconnect")) {
            channel.disconnectChannel();
            return;
        }
        if (mode == "ipc-worker") {
            // A worker of the batch protocol: `good` answers each job, `no-id` leaves the id out,
            // `not-object` answers with a string.
            const std::string how = argc > 2 ? argv[2] : "good";
            QJsonObject answer{{QStringLiteral("ok"), true},
                               {QStringLiteral("result"), QJsonObject{{QStringLiteral("input"), o.value(QLatin1String("input"))},
                                                                      {QStringLiteral("op"), o.value(QLatin1String("op"))}}}};
            if (how != "no-id")
                answer.insert(QStringLiteral("id"), o.value(QLatin1String("id")));
            channel.send(how == "not-object" ? QJsonValue(QStringLiteral("done")) : QJsonValue(answer));
            return;
        }
        if (mode == "ipc-count") {
            if (o.value(QLatin1String("done")).toBool())
                channel.send(QJsonObject{{QStringLiteral("count"), double(count)}});
            else
                ++count;
            return;
        }
        channel.send(m);
    });
    if (mode == "ipc-send") {
        for (int i = 2; i < argc; ++i) {
            const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + argv[i] + "]");
            channel.send(doc.array().at(0));
        }
        channel.flush();
        return 0;
    }
    if (mode == "ipc-burst") {
        // N messages, PAUSE_US apart: a steady stream of events for the timeline benchmark.
        const int n = argc > 2 ? std::atoi(argv[2]) : 100;
        const useconds_t pause = useconds_t(argc > 3 ? std::atoi(argv[3]) : 0);
        for (int i = 0; i < n; ++i) {
            channel.send(QJsonObject{{QStringLiteral("i"), i}});
            channel.flush();
            if (pause)
                ::usleep(pause);
        }
        return 0;
    }
    if (mode == "ipc-hello")
        channel.send(QJsonObject{{QStringLiteral("hello"), QStringLiteral("from C++")},
                                 {QStringLiteral("pid"), double(::getpid())}});
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        writeText(2, "usage: spawnscope-testchild MODE [ARGS...]\n");
        return 2;
    }
    const std::string mode = argv[1];
    const char *arg = argc > 2 ? argv[2] : "";
    if (mode == "echo")
        return echo();
    if (mode == "lines") {
        // Fast enough that a reader, not this writer, is what a benchmark measures.
        const long long n = std::atoll(arg);
        const std::string text = std::string(argc > 3 ? argv[3] : "line") + " ";
        static char out[1 << 16];
        size_t used = 0;
        char digits[24];
        for (long long i = 1; i <= n; ++i) {
            int d = 0;
            for (long long v = i; v > 0; v /= 10)
                digits[d++] = char('0' + v % 10);
            if (used + text.size() + size_t(d) + 1 > sizeof out) {
                writeAll(1, out, used);
                used = 0;
            }
            std::memcpy(out + used, text.data(), text.size());
            used += text.size();
            while (d > 0)
                out[used++] = digits[--d];
            out[used++] = '\n';
        }
        writeAll(1, out, used);
        return 0;
    }
    if (mode == "pipe-size") { // the capacity of the pipe on descriptor N (default 1)
        writeText(2, std::to_string(::fcntl(argc > 2 ? std::atoi(arg) : 1, F_GETPIPE_SZ)) + "\n");
        return 0;
    }
    if (mode == "lines-then-sleep") {
        std::string out;
        for (long long i = 1; i <= std::atoll(arg); ++i)
            out += "line " + std::to_string(i) + "\n";
        writeText(argc > 4 ? std::atoi(argv[4]) : 1, out);
        ::usleep(useconds_t(std::atoll(argc > 3 ? argv[3] : "0") * 1000));
        return 0;
    }
    if (mode == "out") {
        writeText(1, arg);
        return 0;
    }
    if (mode == "stderr") {
        writeText(2, arg);
        return argc > 3 ? std::atoi(argv[3]) : 0;
    }
    if (mode == "both") {
        writeText(1, "to stdout\n");
        writeText(2, "to stderr\n");
        return 0;
    }
    if (mode == "exit")
        return std::atoi(arg);
    if (mode == "crash") {
        std::signal(SIGSEGV, SIG_DFL);
        ::raise(SIGSEGV);
        return 1;
    }
    if (mode == "signal-self") {
        ::raise(std::atoi(arg));
        return 1;
    }
    if (mode == "sleep") {
        ::usleep(useconds_t(std::atoll(arg) * 1000));
        return 0;
    }
    if (mode == "ignore-term") {
        std::signal(SIGTERM, SIG_IGN);
        writeText(1, "ready\n");
        ::usleep(useconds_t(std::atoll(arg) * 1000));
        return 0;
    }
    if (mode == "spawn-grandchild") {
        // The grandchild keeps stdout open for MS milliseconds after this process exits.
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::usleep(useconds_t(std::atoll(arg) * 1000));
            writeText(1, "grandchild\n");
            ::_exit(0);
        }
        writeText(1, "child\n");
        return 0;
    }
    if (mode == "prefix" || mode == "head" || mode == "count" || mode == "verify")
        return filter(mode, arg);
    if (mode == "wait-stdin") {
        char buffer[4096];
        while (::read(0, buffer, sizeof buffer) > 0 || errno == EINTR) {
        }
        return 0;
    }
    if (mode == "tree") // N chains of DEPTH descendants; they end once stdin ends
        return tree(std::atoi(arg), argc > 3 ? std::atoi(argv[3]) : 1);
    if (mode == "orphans") {
        // N children sleeping MS that outlive this process, which exits at a line on stdin.
        const std::string program = selfPath();
        for (int i = 0; i < std::atoi(arg); ++i) {
            if (::fork() == 0) {
                const int null = ::open("/dev/null", O_RDONLY);
                ::dup2(null, 0);
                ::execl(program.c_str(), "spawnscope-testchild", "sleep", argc > 3 ? argv[3] : "60000", static_cast<char *>(nullptr));
                ::_exit(127);
            }
        }
        char c;
        while (::read(0, &c, 1) > 0 && c != '\n') {
        }
        return 0;
    }
    if (mode == "zombie") {
        // A child that ends at once and is never reaped by this process, which ends with stdin.
        if (::fork() == 0)
            ::_exit(0);
        char buffer[4096];
        while (::read(0, buffer, sizeof buffer) > 0 || errno == EINTR) {
        }
        return 0;
    }
    if (mode == "wait-for") {
        // Writes TEXT, then waits until FILE exists: a job that runs until a test lets it end.
        writeText(1, std::string(argc > 3 ? argv[3] : "waiting") + "\n");
        while (::access(arg, F_OK) != 0)
            ::usleep(10000);
        return 0;
    }
    if (mode == "job") {
        // One batch job per SPEC: "fail" fails, "once=FILE" fails the first time only,
        // "gate=FILE" waits for FILE, anything else succeeds; each says what it is first.
        const std::string spec = arg;
        writeText(1, "job " + spec + "\n");
        if (spec == "fail") {
            writeText(2, "job failed\n");
            return 3;
        }
        if (spec.rfind("once=", 0) == 0) {
            const std::string file = spec.substr(5);
            if (::access(file.c_str(), F_OK) == 0)
                return 0;
            ::close(::open(file.c_str(), O_WRONLY | O_CREAT, 0644));
            writeText(2, "first attempt fails\n");
            return 1;
        }
        if (spec.rfind("gate=", 0) == 0) {
            while (::access(spec.c_str() + 5, F_OK) != 0)
                ::usleep(10000);
        }
        return 0;
    }
    if (mode == "fail-once") {
        // Fails the first time it runs for FILE, succeeds after: a job worth retrying.
        if (::access(arg, F_OK) == 0)
            return 0;
        ::close(::open(arg, O_WRONLY | O_CREAT, 0644));
        writeText(2, "first attempt fails\n");
        return 1;
    }
    if (mode == "family") {
        // A grandchild that ignores SIGTERM, in the same process group, both sleeping MS.
        if (::fork() == 0) {
            std::signal(SIGTERM, SIG_IGN);
            ::usleep(useconds_t(std::atoll(arg) * 1000));
            ::_exit(0);
        }
        writeText(1, "ready\n");
        ::usleep(useconds_t(std::atoll(arg) * 1000));
        return 0;
    }
    if (mode == "nofile" && argc > 3) {
        // As `ulimit -n N; exec PROGRAM...`, without a shell.
        rlimit limit{};
        ::getrlimit(RLIMIT_NOFILE, &limit);
        limit.rlim_cur = rlim_t(std::atoll(arg));
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::execv(argv[3], argv + 3);
        return 127;
    }
    if (mode == "http-flood")
        return httpFlood(std::atoll(arg));
    if (mode == "flood")
        return flood(std::atoll(arg), argc > 3 ? std::atoi(argv[3]) : 1);
    if (mode == "args") {
        writeText(1, jsonArgs(argc, argv));
        return 0;
    }
    if (mode == "args-hex") { // every argument's bytes, hex, one a line: argv[0] first
        std::string out;
        for (int i = 0; i < argc; ++i)
            out += QByteArray(argv[i]).toHex().toStdString() + "\n";
        writeText(1, out);
        return 0;
    }
    if (mode == "env-hex") { // the bytes of a variable's value, hex
        const char *value = ::getenv(arg);
        writeText(1, value ? QByteArray(value).toHex().toStdString() + "\n" : std::string("(unset)\n"));
        return 0;
    }
    if (mode == "cwd-hex") { // the bytes of the working directory, hex
        char buffer[4096];
        writeText(1, ::getcwd(buffer, sizeof buffer) ? QByteArray(buffer).toHex().toStdString() + "\n" : std::string("?\n"));
        return 0;
    }
    if (mode == "env") {
        const char *value = ::getenv(arg);
        writeText(1, value ? std::string(value) + "\n" : std::string("(unset)\n"));
        return 0;
    }
    if (mode == "cwd") {
        writeText(1, QDir::currentPath().toStdString() + "\n");
        return 0;
    }
    if (mode == "fds") {
        writeText(1, openFds());
        return 0;
    }
    if (mode == "fds-echo") { // its open descriptors on stderr, then a filter that copies stdin
        writeText(2, openFds());
        return echo();
    }
    if (mode == "ids") {
        writeText(1, std::to_string(::getuid()) + " " + std::to_string(::getgid()) + "\n");
        return 0;
    }
    if (mode == "in-terminal" && argc > 2) {
        // PROGRAM ARGS... run as a terminal's foreground job, as from an interactive shell: in
        // a new session whose controlling terminal is a pseudo-terminal; its output is relayed
        // to stdout, and its exit status is this one's.
        const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0)
            return 125;
        const std::string slaveName = ::ptsname(master);
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::setsid();
            const int slave = ::open(slaveName.c_str(), O_RDWR);
            if (slave < 0 || ::ioctl(slave, TIOCSCTTY, 0) != 0)
                ::_exit(125);
            for (int fd = 0; fd <= 2; ++fd)
                ::dup2(slave, fd);
            ::execv(argv[2], argv + 2);
            ::_exit(127);
        }
        char buffer[4096];
        ssize_t n;
        while ((n = ::read(master, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
            if (n > 0)
                writeAll(1, buffer, size_t(n));
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (mode == "session") {
        writeText(1, std::to_string(::getsid(0) == ::getpid()) + " " + std::to_string(::getpgrp() == ::getpid()) + "\n");
        return 0;
    }
    if (mode == "sigstate") {
        // Whether SIGPIPE is ignored and whether anything is blocked: children must start clean.
        struct sigaction sa{};
        ::sigaction(SIGPIPE, nullptr, &sa);
        sigset_t blocked;
        ::sigprocmask(SIG_SETMASK, nullptr, &blocked);
        int count = 0;
        for (int s = 1; s < NSIG; ++s)
            count += sigismember(&blocked, s) == 1;
        writeText(1, std::string(sa.sa_handler == SIG_IGN ? "ignored" : "default") + " " + std::to_string(count) + "\n");
        return 0;
    }
    if (mode == "write-fd") {
        writeText(std::atoi(arg), argc > 3 ? argv[3] : "");
        return 0;
    }
    if (mode == "ipc-raw") {
        const char *fdText = ::getenv("NODE_CHANNEL_FD");
        if (!fdText)
            return 4;
        writeText(std::atoi(fdText), arg);
        ::usleep(200 * 1000);
        return 0;
    }
    if (mode == "ipc-echo-blocking") {
        // Echoes the channel's bytes with blocking writes, as a child busy in sendmsg would.
        const char *fdText = ::getenv("NODE_CHANNEL_FD");
        if (!fdText)
            return 4;
        const int fd = std::atoi(fdText);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return 0;
            for (ssize_t done = 0; done < n;) {
                const ssize_t w = ::send(fd, buffer + done, size_t(n - done), MSG_NOSIGNAL);
                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0)
                    return 0;
                done += w;
            }
        }
    }
    if (mode.rfind("ipc-", 0) == 0)
        return ipc(argc, argv, mode);
    writeText(2, "unknown mode " + mode + "\n");
    return 2;
}
