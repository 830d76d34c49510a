#include "ioloop_p.h"

#include "logging_p.h"

#include <QCoreApplication>
#include <QEvent>
#include <QMutexLocker>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <unordered_map>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

namespace Spawnscope::Internal {

namespace {

constexpr qsizetype kReadSize = 256 * 1024;
// How much one stream may read per wake-up before the others get their turn.
constexpr qsizetype kReadBudget = 4 * 1024 * 1024;
constexpr int kMaxIov = 64;
// Read buffers are recycled once their receiver dropped them: fresh memory for every read
// costs a page fault per 4 KiB, which halves throughput.
constexpr size_t kPoolSize = 32;

// Whether the receiver has let go of a recycled buffer. QByteArray::isDetached() reads the count
// relaxed, which orders nothing; the acquire here pairs with the release of the receiver's drop
// (on its own thread), so its last read of the bytes happens before our next read() into them.
bool handedBack(QByteArray &buffer)
{
    const QArrayData *d = buffer.data_ptr().d_ptr();
    return d && d->ref_.loadAcquire() == 1;
}

} // namespace

struct IoLoop::Impl
{
    struct Watch
    {
        enum Type { Wake, Stream, Exit } type;
    };

    struct Stream : Watch
    {
        std::shared_ptr<IoClient> client;
        int fd = -1;
        int slot = -1;
        Role role = Role::Reader;
        bool reading = false;
        bool writing = false;
        bool paused = false;
        bool registered = false;
        bool dead = false;
        uint32_t mask = 0;
        std::vector<QByteArray> out;
        size_t outIndex = 0;
        qsizetype outOffset = 0;
    };

    struct ExitWatch : Watch
    {
        std::shared_ptr<IoClient> client;
        bool dead = false;
    };

    int epfd = -1;
    int wakefd = -1;
    // Held by the I/O thread while it handles a wake-up, and by an owner registering a new
    // child, which so needs no wake-up of the I/O thread while that child is starting.
    QMutex tableMutex;
    Watch wakeWatch{Watch::Wake};
    std::thread thread;
    QMutex commandMutex;
    std::vector<std::function<void()>> commands;
    bool stopping = false;
    std::unordered_map<IoClient *, std::vector<Stream *>> streams;
    std::vector<std::unique_ptr<Stream>> ownedStreams;
    std::vector<std::unique_ptr<ExitWatch>> exits;
    std::vector<std::shared_ptr<IoClient>> polledExits; // kernels without pidfd
    std::vector<std::shared_ptr<IoClient>> touched;
    std::vector<std::unique_ptr<Stream>> graveyard;
    std::vector<std::unique_ptr<ExitWatch>> exitGraveyard;
    std::vector<QByteArray> pool;

    // A buffer of kReadSize that nobody else holds; the first free one, so the few that
    // circulate stay warm in the cache.
    QByteArray &acquireBuffer()
    {
        for (QByteArray &buffer : pool) {
            if (handedBack(buffer)) {
                buffer.resize(kReadSize);
                return buffer;
            }
        }
        if (pool.size() >= kPoolSize) {
            // Receivers keep these; let them go and start afresh.
            std::erase_if(pool, [](QByteArray &b) { return !handedBack(b); });
        }
        pool.emplace_back(kReadSize, Qt::Uninitialized);
        return pool.back();
    }

    void stage(const std::shared_ptr<IoClient> &client, IoEvent &&event)
    {
        bool first = true;
        for (const auto &c : touched) {
            if (c == client) {
                first = false;
                break;
            }
        }
        if (first)
            touched.push_back(client);
        client->stage(std::move(event));
    }

    void arm(Stream *s, uint32_t mask)
    {
        if (s->registered && s->mask == mask)
            return;
        epoll_event ev{};
        ev.events = mask;
        ev.data.ptr = static_cast<Watch *>(s);
        if (!s->registered) {
            if (mask == 0)
                return;
            if (epoll_ctl(epfd, EPOLL_CTL_ADD, s->fd, &ev) < 0)
                qCWarning(lcIo, "epoll_ctl ADD fd %d: %s", s->fd, std::strerror(errno));
            s->registered = true;
        } else if (mask == 0 && !s->reading) {
            // A write-only stream with nothing to write leaves epoll, or a hung-up peer would
            // report EPOLLHUP on every wait.
            epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, nullptr);
            s->registered = false;
        } else if (epoll_ctl(epfd, EPOLL_CTL_MOD, s->fd, &ev) < 0) {
            qCWarning(lcIo, "epoll_ctl MOD fd %d: %s", s->fd, std::strerror(errno));
        }
        s->mask = mask;
    }

    uint32_t wantedMask(const Stream *s) const
    {
        uint32_t mask = 0;
        if (s->reading && !s->paused)
            mask |= EPOLLIN;
        if (s->writing && s->outIndex < s->out.size())
            mask |= EPOLLOUT;
        return mask;
    }

    Stream *find(IoClient *client, int slot)
    {
        auto it = streams.find(client);
        if (it == streams.end())
            return nullptr;
        for (Stream *s : it->second) {
            if (s->slot == slot && !s->dead)
                return s;
        }
        return nullptr;
    }

    void closeStream(Stream *s)
    {
        if (s->dead)
            return;
        s->dead = true;
        if (s->registered)
            epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, nullptr);
        if (s->role != Role::Reader)
            s->client->closeWrites(s->slot); // first: the owner may be writing to it directly
        ::close(s->fd);
        auto &list = streams[s->client.get()];
        std::erase(list, s);
        if (list.empty())
            streams.erase(s->client.get());
        for (auto it = ownedStreams.begin(); it != ownedStreams.end(); ++it) {
            if (it->get() == s) {
                graveyard.push_back(std::move(*it));
                ownedStreams.erase(it);
                break;
            }
        }
    }

    void endReader(Stream *s)
    {
        stage(s->client, IoEvent{IoEvent::Eof, s->slot});
        closeStream(s);
    }

    void readSome(Stream *s)
    {
        qsizetype budget = kReadBudget;
        while (budget > 0 && !s->dead) {
            if (s->client->tryPause()) {
                s->paused = true;
                arm(s, wantedMask(s));
                return;
            }
            QByteArray &buffer = acquireBuffer();
            const ssize_t n = ::read(s->fd, buffer.data(), size_t(kReadSize));
            if (n > 0) {
                budget -= n;
                IoEvent event{IoEvent::Data, s->slot};
                if (n <= kSmallChunk) {
                    event.data = QByteArray(buffer.constData(), n);
                } else {
                    buffer.resize(n);
                    event.data = buffer; // shared; back in the pool once the receiver drops it
                }
                stage(s->client, std::move(event));
                if (n < kReadSize / 2)
                    return; // drained for now; the next wait says when there is more
                continue;
            }
            if (n == 0) {
                endReader(s);
                return;
            }
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            endReader(s); // ECONNRESET and the like: the stream is over
            return;
        }
    }

    // Writes what the owner queued until done or the peer is full.
    void pump(Stream *s)
    {
        if (s->dead || !s->writing)
            return;
        bool ended = false;
        for (;;) {
            if (s->outIndex >= s->out.size()) {
                s->out.clear();
                s->outIndex = 0;
                s->outOffset = 0;
                ended = s->client->drainWrites(s->slot, s->out);
                if (s->out.empty())
                    break;
            }
            iovec iov[kMaxIov];
            int count = 0;
            for (size_t i = s->outIndex; i < s->out.size() && count < kMaxIov; ++i, ++count) {
                const QByteArray &chunk = s->out[i];
                const qsizetype skip = (i == s->outIndex) ? s->outOffset : 0;
                iov[count].iov_base = const_cast<char *>(chunk.constData() + skip);
                iov[count].iov_len = size_t(chunk.size() - skip);
            }
            msghdr msg{};
            msg.msg_iov = iov;
            msg.msg_iovlen = size_t(count);
            ssize_t n = ::sendmsg(s->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && errno == ENOTSOCK)
                n = ::writev(s->fd, iov, count);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) {
                    arm(s, wantedMask(s));
                    return;
                }
                stage(s->client, IoEvent{IoEvent::WriteError, s->slot, errno});
                closeStream(s);
                return;
            }
            qsizetype left = n;
            qsizetype accounted = 0;
            while (left > 0 && s->outIndex < s->out.size()) {
                const qsizetype avail = s->out[s->outIndex].size() - s->outOffset;
                if (left >= avail) {
                    left -= avail;
                    accounted += avail;
                    s->out[s->outIndex] = QByteArray();
                    ++s->outIndex;
                    s->outOffset = 0;
                } else {
                    s->outOffset += left;
                    accounted += left;
                    left = 0;
                }
            }
            s->client->wrote(s->slot, accounted);
        }
        if (ended) {
            stage(s->client, IoEvent{IoEvent::WriteDrained, s->slot});
            closeStream(s);
            return;
        }
        arm(s, wantedMask(s));
    }

    void onStream(Stream *s, uint32_t events)
    {
        if (s->dead)
            return;
        if (s->reading && !s->paused && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            readSome(s);
        if (!s->dead && s->writing && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
            pump(s);
    }

    // A pipeline reports what a writer that ended before it was sampled wrote in all: read
    // while the exited child is still a zombie (WNOWAIT), before waitpid() reaps it.
    static void beforeReaping(IoClient *client)
    {
        siginfo_t info{};
        if (::waitid(P_PID, id_t(client->pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid != client->pid)
            return;
        char path[64];
        std::snprintf(path, sizeof path, "/proc/%d/io", int(client->pid));
        const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return;
        char buffer[512];
        const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
        ::close(fd);
        if (n <= 0)
            return;
        buffer[n] = 0;
        if (const char *wchar = std::strstr(buffer, "wchar:"))
            client->writtenAtExit.store(std::strtoll(wchar + 6, nullptr, 10));
    }

    void reap(const std::shared_ptr<IoClient> &client, int status)
    {
        stage(client, IoEvent{IoEvent::Exited, -1, status});
        // Node destroys stdin when the child exits; doing it here spares the owner a command.
        auto it = streams.find(client.get());
        if (it == streams.end())
            return;
        const std::vector<Stream *> list = it->second;
        for (Stream *s : list) {
            if (s->role == Role::Writer)
                closeStream(s);
        }
    }

    void onExit(ExitWatch *w)
    {
        if (w->dead)
            return;
        int status = 0;
        beforeReaping(w->client.get());
        const pid_t r = ::waitpid(w->client->pid, &status, WNOHANG);
        if (r == 0)
            return;
        if (r < 0 && errno == EINTR)
            return;
        w->client->reaped.store(true);
        // ECHILD: somebody else reaped it (SIGCHLD set to SIG_IGN); all we know is that it ended.
        w->dead = true;
        epoll_ctl(epfd, EPOLL_CTL_DEL, w->client->pidfd, nullptr);
        reap(w->client, r < 0 ? 0 : status);
        for (auto it = exits.begin(); it != exits.end(); ++it) {
            if (it->get() == w) {
                exitGraveyard.push_back(std::move(*it));
                exits.erase(it);
                break;
            }
        }
    }

    void pollExits()
    {
        for (auto it = polledExits.begin(); it != polledExits.end();) {
            int status = 0;
            beforeReaping(it->get());
            const pid_t r = ::waitpid((*it)->pid, &status, WNOHANG);
            if (r == 0 || (r < 0 && errno == EINTR)) {
                ++it;
                continue;
            }
            (*it)->reaped.store(true);
            reap(*it, r < 0 ? 0 : status);
            it = polledExits.erase(it);
        }
    }

    void runCommands()
    {
        uint64_t value;
        while (::read(wakefd, &value, sizeof value) < 0 && errno == EINTR) {
        }
        std::vector<std::function<void()>> batch;
        {
            QMutexLocker lock(&commandMutex);
            batch.swap(commands);
        }
        for (auto &command : batch)
            command();
    }

    void dispatch(epoll_event *events, int n)
    {
        for (int i = 0; i < n; ++i) {
            Watch *w = static_cast<Watch *>(events[i].data.ptr);
            switch (w->type) {
            case Watch::Wake:
                runCommands();
                break;
            case Watch::Stream:
                onStream(static_cast<Stream *>(w), events[i].events);
                break;
            case Watch::Exit:
                onExit(static_cast<ExitWatch *>(w));
                break;
            }
        }
    }

    void loop()
    {
        epoll_event events[64];
        while (!stopping) {
            int timeout = -1;
            {
                // Owners add to it under the lock (then wake us), as a child starts.
                QMutexLocker lock(&tableMutex);
                timeout = polledExits.empty() ? -1 : 10;
            }
            int n = epoll_wait(epfd, events, 64, timeout);
            QMutexLocker lock(&tableMutex);
            // A child's exit makes its pidfd and every pipe ready at nearly the same moment:
            // one more look before delivering lets the owner wake once instead of three times.
            for (int round = 0; n > 0 && round < 2; ++round) {
                dispatch(events, n);
                if (touched.empty())
                    break;
                n = epoll_wait(epfd, events, 64, 0);
            }
            if (!polledExits.empty())
                pollExits();
            for (auto &client : touched)
                client->deliver();
            touched.clear();
            graveyard.clear();
            exitGraveyard.clear();
        }
    }
};

IoLoop &IoLoop::instance()
{
    static IoLoop loop;
    return loop;
}

IoLoop::IoLoop() : d(std::make_unique<Impl>())
{
    d->epfd = epoll_create1(EPOLL_CLOEXEC);
    d->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &d->wakeWatch;
    epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->wakefd, &ev);
    d->thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "spawnscope-io");
        d->loop();
    });
}

IoLoop::~IoLoop()
{
    post([this] { d->stopping = true; });
    if (d->thread.joinable())
        d->thread.join();
    for (auto &s : d->ownedStreams)
        ::close(s->fd);
    ::close(d->wakefd);
    ::close(d->epfd);
}

void IoLoop::post(std::function<void()> command)
{
    bool wake;
    {
        QMutexLocker lock(&d->commandMutex);
        wake = d->commands.empty();
        d->commands.push_back(std::move(command));
    }
    if (wake) {
        const uint64_t one = 1;
        while (::write(d->wakefd, &one, sizeof one) < 0 && errno == EINTR) {
        }
    }
}

void IoLoop::watch(const std::shared_ptr<IoClient> &client, int slot, int fd, Role role)
{
    QMutexLocker lock(&d->tableMutex);
    auto s = std::make_unique<Impl::Stream>();
    s->type = Impl::Watch::Stream;
    s->client = client;
    s->fd = fd;
    s->slot = slot;
    s->role = role;
    s->reading = role == Role::Reader;
    s->writing = role == Role::Writer;
    Impl::Stream *raw = s.get();
    d->ownedStreams.push_back(std::move(s));
    d->streams[client.get()].push_back(raw);
    if (raw->writing) {
        client->setWriteFd(slot, fd);
        if (client->queuedBytes(slot) > 0)
            kick(client, slot);
    } else {
        d->arm(raw, d->wantedMask(raw));
    }
}

void IoLoop::watchExit(const std::shared_ptr<IoClient> &client)
{
    QMutexLocker lock(&d->tableMutex);
    if (client->pidfd < 0) {
        d->polledExits.push_back(client);
        post([] {}); // the loop must learn that it now has to poll
        return;
    }
    auto w = std::make_unique<Impl::ExitWatch>();
    w->type = Impl::Watch::Exit;
    w->client = client;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = static_cast<Impl::Watch *>(w.get());
    epoll_ctl(d->epfd, EPOLL_CTL_ADD, client->pidfd, &ev);
    d->exits.push_back(std::move(w));
}

void IoLoop::kick(const std::shared_ptr<IoClient> &client, int slot)
{
    post([this, client, slot] {
        if (Impl::Stream *s = d->find(client.get(), slot))
            d->pump(s);
    });
}

void IoLoop::closeSlot(const std::shared_ptr<IoClient> &client, int slot)
{
    post([this, client, slot] {
        Impl::Stream *s = d->find(client.get(), slot);
        if (!s)
            return;
        if (s->role == Role::Reader)
            d->endReader(s);
        else if (s->role == Role::Writer)
            d->closeStream(s);
    });
}

void IoLoop::resume(const std::shared_ptr<IoClient> &client)
{
    post([this, client] {
        auto it = d->streams.find(client.get());
        if (it == d->streams.end())
            return;
        for (Impl::Stream *s : it->second) {
            if (s->paused) {
                s->paused = false;
                d->arm(s, d->wantedMask(s));
            }
        }
    });
}

void IoLoop::release(const std::shared_ptr<IoClient> &client)
{
    post([this, client] {
        auto it = d->streams.find(client.get());
        if (it == d->streams.end())
            return;
        const std::vector<Impl::Stream *> list = it->second;
        for (Impl::Stream *s : list)
            d->closeStream(s);
    });
}

} // namespace Spawnscope::Internal
