#include "relay_p.h"

#include "logging_p.h"

#include <QList>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <csignal>

#include <pthread.h>
#include <unistd.h>

namespace Spawnscope::Internal {

namespace {
constexpr qsizetype ReadSize = 256 * 1024;
constexpr qsizetype HighWater = Relay::SinkCapacity; // a sink holding more pauses its sources
constexpr qsizetype LowWater = 256 * 1024;

qint64 countLines(const char *p, qsizetype n)
{
    qint64 lines = 0;
    const char *end = p + n;
    while ((p = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p))))) {
        ++lines;
        ++p;
    }
    return lines;
}
} // namespace

struct Relay::State
{
    struct Link
    {
        int source = -1;
        int sink = -1;
        QByteArray partial; // fan-in: the unfinished line of this source
        int tailBytes = 0;
        QByteArray tail;
        LinkCounters counters;
    };
    struct Source
    {
        int fd = -1;
        QList<int> links;
        bool paused = false;
        bool regular = false; // a file: always readable, never in epoll (which refuses files)
    };
    struct Sink
    {
        int fd = -1;
        QList<int> links;
        std::deque<QByteArray> queue;
        qsizetype headOffset = 0;
        qsizetype queued = 0;
        int openSources = 0;
        bool watchingOut = false;
        bool regular = false; // a file: written at once, never in epoll
    };

    std::deque<Link> links; // deque: counters are atomics and must not move
    QList<Source> sources;
    QList<Sink> sinks;
    mutable std::mutex tailMutex;
    int epfd = -1;
    int wakeFd = -1;
    std::thread thread;
    QByteArray buffer;

    bool interleaved(const Sink &s) const { return s.links.size() > 1; }

    void watch(int fd, quint32 events, quint64 tag, int op)
    {
        epoll_event ev{};
        ev.events = events;
        ev.data.u64 = tag;
        ::epoll_ctl(epfd, op, fd, &ev);
    }
    static quint64 sourceTag(int i) { return quint64(i) << 1; }
    static quint64 sinkTag(int i) { return (quint64(i) << 1) | 1; }

    void closeSource(int i)
    {
        Source &s = sources[i];
        if (s.fd < 0)
            return;
        if (!s.paused && !s.regular)
            ::epoll_ctl(epfd, EPOLL_CTL_DEL, s.fd, nullptr);
        ::close(s.fd);
        s.fd = -1;
        for (int l : s.links) {
            Link &link = links[size_t(l)];
            Sink &sink = sinks[link.sink];
            if (sink.fd >= 0 && !link.partial.isEmpty()) {
                enqueue(link.sink, link.partial);
                link.partial.clear();
            }
            --sink.openSources;
            flush(link.sink);
        }
    }

    void closeSink(int i)
    {
        Sink &s = sinks[i];
        if (s.fd < 0)
            return;
        if (s.watchingOut)
            ::epoll_ctl(epfd, EPOLL_CTL_DEL, s.fd, nullptr);
        s.watchingOut = false;
        ::close(s.fd);
        s.fd = -1;
        s.queue.clear();
        s.queued = 0;
        for (int l : s.links)
            links[size_t(l)].counters.blocked = false;
    }

    void enqueue(int sinkIndex, const QByteArray &data)
    {
        Sink &s = sinks[sinkIndex];
        s.queue.push_back(data);
        s.queued += data.size();
    }

    // Writes what the sink holds; closes it when it is drained and nothing more can come.
    void flush(int i)
    {
        Sink &s = sinks[i];
        if (s.fd < 0)
            return;
        while (!s.queue.empty()) {
            const QByteArray &head = s.queue.front();
            const ssize_t n = ::write(s.fd, head.constData() + s.headOffset, size_t(head.size() - s.headOffset));
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN)
                    break;
                if (errno == EPIPE)
                    consumePipeSignal();
                sinkGone(i);
                return;
            }
            s.headOffset += n;
            s.queued -= n;
            if (s.headOffset == head.size()) {
                s.queue.pop_front();
                s.headOffset = 0;
            }
        }
        // Registered only while it holds data: epoll reports a hang-up even for no events.
        const bool wantOut = !s.queue.empty() && !s.regular;
        if (wantOut != s.watchingOut) {
            if (wantOut)
                watch(s.fd, EPOLLOUT, sinkTag(i), EPOLL_CTL_ADD);
            else
                ::epoll_ctl(epfd, EPOLL_CTL_DEL, s.fd, nullptr);
            s.watchingOut = wantOut;
        }
        const bool full = s.queued > HighWater;
        for (int l : s.links) {
            links[size_t(l)].counters.queued.store(s.queued, std::memory_order_relaxed);
            if (full)
                links[size_t(l)].counters.blocked = true;
        }
        if (full) {
            for (int l : s.links)
                pause(links[size_t(l)].source, true);
        } else if (s.queued <= LowWater) {
            for (int l : s.links) {
                links[size_t(l)].counters.blocked = false;
                maybeResume(links[size_t(l)].source);
            }
        }
        if (s.queue.empty() && s.openSources == 0)
            closeSink(i);
    }

    // The reader went away: what was meant for it is dropped, and every source that fed it is
    // closed, so that its writer sees EPIPE as in a shell; a fanned-out source ends for all its
    // readers, as `tee` does when one of its outputs goes (the others read to the end of what
    // was already relayed). Otherwise `yes` fanned out to `head` and a file never stops.
    void sinkGone(int i)
    {
        qCDebug(lcPipeline, "relay: the reader of sink %d went away; its sources are closed", i);
        closeSink(i);
        for (int l : sinks[i].links)
            closeSource(links[size_t(l)].source);
    }

    void pause(int src, bool on)
    {
        Source &s = sources[src];
        if (s.fd < 0 || s.paused == on)
            return;
        s.paused = on;
        if (s.regular)
            return; // read when unpaused, by the loop
        if (on)
            ::epoll_ctl(epfd, EPOLL_CTL_DEL, s.fd, nullptr);
        else
            watch(s.fd, EPOLLIN, sourceTag(src), EPOLL_CTL_ADD);
    }

    void maybeResume(int src)
    {
        for (int l : sources[src].links) {
            const Sink &sink = sinks[links[size_t(l)].sink];
            if (sink.fd >= 0 && sink.queued > HighWater)
                return;
        }
        pause(src, false);
    }

    void readSource(int i)
    {
        Source &s = sources[i];
        if (s.fd < 0)
            return;
        const ssize_t n = ::read(s.fd, buffer.data(), size_t(buffer.size()));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            return;
        if (n <= 0) {
            closeSource(i);
            return;
        }
        const qint64 lineCount = countLines(buffer.constData(), n);
        QByteArray chunk; // made only when some sink must keep the bytes
        auto shared = [&] {
            if (chunk.isNull())
                chunk = QByteArray(buffer.constData(), n);
            return chunk;
        };
        for (int l : s.links) {
            Link &link = links[size_t(l)];
            Sink &sink = sinks[link.sink];
            if (sink.fd < 0)
                continue;
            link.counters.bytes.fetch_add(n, std::memory_order_relaxed);
            link.counters.lines.fetch_add(lineCount, std::memory_order_relaxed);
            if (link.tailBytes > 0) {
                std::lock_guard lock(tailMutex);
                const qsizetype keep = qMin<qsizetype>(n, link.tailBytes);
                link.tail.append(buffer.constData() + n - keep, keep);
                if (link.tail.size() > link.tailBytes)
                    link.tail.remove(0, link.tail.size() - link.tailBytes);
            }
            if (interleaved(sink)) {
                const QByteArray data = shared();
                const qsizetype lastNewline = data.lastIndexOf('\n');
                if (lastNewline < 0) {
                    link.partial.append(data);
                    continue;
                }
                enqueue(link.sink, link.partial + data.left(lastNewline + 1));
                link.partial = data.mid(lastNewline + 1);
            } else if (sink.queue.empty()) {
                // The common case: straight from the read buffer; only what the sink cannot
                // take now is copied.
                const ssize_t w = writeSome(sink.fd, buffer.constData(), n);
                if (w < 0) {
                    sinkGone(link.sink);
                    continue;
                }
                if (w < n)
                    enqueue(link.sink, QByteArray(buffer.constData() + w, n - w));
            } else {
                enqueue(link.sink, shared());
            }
            flush(link.sink);
        }
    }

    // Bytes written, 0 when the sink is full, -1 when its reader is gone.
    static ssize_t writeSome(int fd, const char *data, qsizetype size)
    {
        while (true) {
            const ssize_t w = ::write(fd, data, size_t(size));
            if (w >= 0)
                return w;
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return 0;
            if (errno == EPIPE)
                consumePipeSignal();
            return -1;
        }
    }

    static void consumePipeSignal()
    {
        // The SIGPIPE this thread just got, blocked, must never reach anyone.
        sigset_t pipeSignal;
        sigemptyset(&pipeSignal);
        sigaddset(&pipeSignal, SIGPIPE);
        const timespec zero{0, 0};
        ::sigtimedwait(&pipeSignal, nullptr, &zero);
    }

    void run()
    {
        // A reader that quit must show as EPIPE here, never as a SIGPIPE killing the parent.
        sigset_t pipeSignal;
        sigemptyset(&pipeSignal);
        sigaddset(&pipeSignal, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nullptr);
        epoll_event events[32];
        while (true) {
            bool open = false;
            for (const Source &s : sources)
                open = open || s.fd >= 0;
            for (const Sink &s : sinks)
                open = open || s.fd >= 0;
            if (!open)
                return;
            // A file source is always ready: while one may be read, epoll only looks in passing.
            bool fileReady = false;
            for (const Source &s : sources)
                fileReady = fileReady || (s.regular && s.fd >= 0 && !s.paused);
            const int n = ::epoll_wait(epfd, events, 32, fileReady ? 0 : -1);
            for (int k = 0; k < n; ++k) {
                const quint64 tag = events[k].data.u64;
                if (tag == ~quint64(0))
                    return;
                const int index = int(tag >> 1);
                if (tag & 1) {
                    flush(index); // a dead reader shows as EPIPE
                } else {
                    readSource(index);
                }
            }
            for (int i = 0; i < sources.size(); ++i) {
                if (sources[i].regular && sources[i].fd >= 0 && !sources[i].paused)
                    readSource(i);
            }
        }
    }
};

Relay::Relay()
    : d(std::make_unique<State>())
{
}

Relay::~Relay()
{
    stop();
}

void Relay::stop()
{
    if (d->thread.joinable()) {
        const quint64 one = 1;
        [[maybe_unused]] ssize_t w = ::write(d->wakeFd, &one, sizeof one);
        d->thread.join();
    }
    for (auto &s : d->sources) {
        if (s.fd >= 0)
            ::close(s.fd);
        s.fd = -1;
    }
    for (auto &s : d->sinks) {
        if (s.fd >= 0)
            ::close(s.fd);
        s.fd = -1;
    }
    if (d->epfd >= 0)
        ::close(d->epfd);
    if (d->wakeFd >= 0)
        ::close(d->wakeFd);
    d->epfd = d->wakeFd = -1;
}

int Relay::addSource(int fd)
{
    d->sources.append(State::Source{fd, {}, false});
    return int(d->sources.size() - 1);
}

int Relay::addSink(int fd)
{
    d->sinks.append(State::Sink{});
    d->sinks.last().fd = fd;
    return int(d->sinks.size() - 1);
}

int Relay::link(int source, int sink)
{
    d->links.emplace_back();
    const int index = int(d->links.size() - 1);
    d->links.back().source = source;
    d->links.back().sink = sink;
    d->sources[source].links.append(index);
    d->sinks[sink].links.append(index);
    ++d->sinks[sink].openSources;
    return index;
}

void Relay::keepTail(int link, int bytes)
{
    d->links[size_t(link)].tailBytes = bytes;
}

void Relay::start()
{
    d->buffer.resize(ReadSize);
    d->epfd = ::epoll_create1(EPOLL_CLOEXEC);
    d->wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    d->watch(d->wakeFd, EPOLLIN, ~quint64(0), EPOLL_CTL_ADD);
    auto isRegular = [](int fd) {
        struct stat st{};
        return ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    };
    for (int i = 0; i < d->sources.size(); ++i) {
        d->sources[i].regular = isRegular(d->sources[i].fd);
        if (d->sources[i].regular)
            continue;
        ::fcntl(d->sources[i].fd, F_SETFL, ::fcntl(d->sources[i].fd, F_GETFL) | O_NONBLOCK);
        d->watch(d->sources[i].fd, EPOLLIN, State::sourceTag(i), EPOLL_CTL_ADD);
    }
    for (int i = 0; i < d->sinks.size(); ++i) {
        d->sinks[i].regular = isRegular(d->sinks[i].fd);
        if (!d->sinks[i].regular)
            ::fcntl(d->sinks[i].fd, F_SETFL, ::fcntl(d->sinks[i].fd, F_GETFL) | O_NONBLOCK);
    }
    d->thread = std::thread([this] { d->run(); });
}

const Relay::LinkCounters &Relay::counters(int link) const
{
    return d->links[size_t(link)].counters;
}

QByteArray Relay::tail(int link) const
{
    std::lock_guard lock(d->tailMutex);
    return d->links[size_t(link)].tail;
}

} // namespace Spawnscope::Internal
