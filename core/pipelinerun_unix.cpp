#include "pipelinerun_p.h"
#include "osstring.h"
#include "processerror.h"

#include <QDir>
#include <QFile>
#include <QSet>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace Spawnscope {

namespace {

// A kernel pipe, as the shell makes: a socketpair would hand a writer whose reader quit with
// unread data ECONNRESET instead of SIGPIPE. Its capacity is the system's, as a shell's pipes,
// unless the pipeline asks for another: a larger one halves the context switches between writer
// and reader, but lets a writer finish where a shell's would die of SIGPIPE.
// Node's code first, as its errors put it, so that EMFILE can be searched for and acted on.
QString systemError(int err)
{
    return QStringLiteral("%1 (%2)").arg(ProcessError::errnoName(err), QString::fromLocal8Bit(std::strerror(err)));
}

bool edgePair(int *writer, int *reader, int capacity, QString *error, const QString &who)
{
    int p[2];
    if (::pipe2(p, O_CLOEXEC) < 0) {
        *error = QStringLiteral("%1: cannot make a pipe: %2").arg(who, systemError(errno));
        return false;
    }
    if (capacity > 0 && ::fcntl(p[1], F_SETPIPE_SZ, capacity) < 0) {
        const int err = errno;
        QFile limit(QStringLiteral("/proc/sys/fs/pipe-max-size"));
        const QByteArray most = limit.open(QIODevice::ReadOnly) ? limit.readAll().trimmed() : QByteArray("?");
        *error = QStringLiteral("%1: pipe capacity %2: %3 (this system allows at most %4 bytes)")
                     .arg(who).arg(capacity).arg(systemError(err), QString::fromLatin1(most));
        ::close(p[0]);
        ::close(p[1]);
        return false;
    }
    *writer = p[1];
    *reader = p[0];
    return true;
}

QString resolved(const QString &path, const QString &cwd)
{
    return cwd.isEmpty() ? path : QDir(cwd).absoluteFilePath(path);
}

int openFor(const QString &path, int flags, QString *error, const QString &who)
{
    const int fd = OsString::open(path, flags); // by its bytes: a name need not be UTF-8
    if (fd < 0)
        *error = QStringLiteral("%1 cannot open %2: %3").arg(who, OsString::readable(path), systemError(errno));
    return fd;
}

} // namespace

namespace {

// Edges that must go through the relay: a tapped one, an output feeding several inputs, an input
// fed by several stages; and every edge sharing an output or an input with one of those, since
// a descriptor is either a kernel pipe end or the relay's. Linear: edges are joined into groups
// by the outputs and inputs they share, and a group is relayed as a whole.
QSet<EdgeId> relayedEdges(const PipelineSpec &spec)
{
    const qsizetype n = spec.edges.size();
    QList<qsizetype> parent(n);
    for (qsizetype i = 0; i < n; ++i)
        parent[i] = i;
    auto find = [&parent](qsizetype i) {
        while (parent[i] != i)
            i = parent[i] = parent[parent[i]];
        return i;
    };
    QHash<QPair<int, int>, qsizetype> byOutput; // (stage, stream) -> an edge
    QHash<int, qsizetype> byInput;              // stage -> an edge
    QHash<QPair<int, int>, int> outputFanOut;
    QHash<int, QSet<int>> inputSources;
    for (qsizetype i = 0; i < n; ++i) {
        const EdgeId &e = spec.edges[i].id;
        const QPair<int, int> out{e.from, int(e.stream)};
        ++outputFanOut[out];
        inputSources[e.to].insert(e.from);
        for (qsizetype other : {byOutput.value(out, -1), byInput.value(e.to, -1)}) {
            if (other >= 0)
                parent[find(i)] = find(other);
        }
        byOutput.insert(out, i);
        byInput.insert(e.to, i);
    }
    QSet<qsizetype> relayedGroups;
    for (qsizetype i = 0; i < n; ++i) {
        const Edge &e = spec.edges[i];
        if (e.tapped || outputFanOut.value({e.id.from, int(e.id.stream)}) > 1 || inputSources.value(e.id.to).size() > 1)
            relayedGroups.insert(find(i));
    }
    QSet<EdgeId> relayed;
    for (qsizetype i = 0; i < n; ++i) {
        if (relayedGroups.contains(find(i)))
            relayed.insert(spec.edges[i].id);
    }
    return relayed;
}

} // namespace

bool PipelineRunPrivate::wire(QString *error)
{
    const QSet<EdgeId> relayed = relayedEdges(spec);
    QHash<int, QList<Edge>> in;                   // stage -> edges into it
    QHash<QPair<int, int>, QList<Edge>> out;      // (stage, stream) -> edges out of it
    for (const Edge &e : spec.edges) {
        in[e.id.to].append(e);
        out[{e.id.from, int(e.id.stream)}].append(e);
    }
    auto keep = [this](int fd) {
        parentCopies.append(fd);
        return fd;
    };
    auto ensureRelay = [this] {
        if (!relay)
            relay = std::make_unique<Internal::Relay>();
    };
    auto who = [this](int id) { return QStringLiteral("stage %1 (%2)").arg(id).arg(spec.stages[id].displayName()); };
    auto openFile = [&](int id, const QString &path, int flags) {
        const int fd = openFor(resolved(path, spec.stages[id].cwd), flags, error, who(id));
        return fd < 0 ? -1 : keep(fd);
    };
    auto duplicateFailed = [&](int id) {
        *error = QStringLiteral("%1: cannot duplicate a descriptor: %2").arg(who(id), systemError(errno));
        return false;
    };
    auto writeFlags = [](const FileRedirect &r) { return O_WRONLY | O_CREAT | (r.append ? O_APPEND : O_TRUNC); };
    QHash<int, int> relaySinkOf; // stage -> relay sink
    int firstProcess = 0;        // the stage that may read the parent's stdin
    for (auto it = stages.cbegin(); it != stages.cend() && !firstProcess; ++it)
        firstProcess = it->isFile ? 0 : it.key();

    // Inputs: what each stage's stdin is, and what a file sink receives through.
    for (auto it = stages.begin(); it != stages.end(); ++it) {
        const int id = it.key();
        Stage &stage = it.value();
        const StageSpec &s = spec.stages[id];
        if (s.mode == StageSpec::Mode::ReadFile)
            continue;
        const QList<Edge> edgesIn = in.value(id);
        const bool sink = s.mode == StageSpec::Mode::WriteFile;
        if (!sink && !s.stdinFile.isEmpty()) {
            if ((stage.fds[0] = openFile(id, s.stdinFile, O_RDONLY)) < 0)
                return false;
        } else if (edgesIn.isEmpty()) {
            if (!sink)
                stage.modes[0] = id == firstProcess ? options.firstStdin : StdioMode(StdioMode::Ignore);
        } else if (relayed.contains(edgesIn.first().id)) {
            int childEnd = -1, relayEnd = -1;
            if (sink) {
                if ((childEnd = openFile(id, s.stdoutFile.path, writeFlags(s.stdoutFile))) < 0)
                    return false;
                relayEnd = ::fcntl(childEnd, F_DUPFD_CLOEXEC, 3); // the relay owns its own
                if (relayEnd < 0)
                    return duplicateFailed(id);
            } else {
                if (!edgePair(&relayEnd, &childEnd, spec.pipeCapacity, error, who(id)))
                    return false;
                stage.fds[0] = keep(childEnd);
            }
            ensureRelay();
            relaySinkOf.insert(id, relay->addSink(relayEnd));
        } else {
            // One stage feeds this one directly: a kernel pipe, or the file itself.
            const int from = edgesIn.first().id.from;
            int writer = -1;
            if (spec.stages[from].mode == StageSpec::Mode::ReadFile) {
                if ((stage.fds[0] = openFile(from, spec.stages[from].stdinFile, O_RDONLY)) < 0)
                    return false;
            } else if (sink) {
                if ((writer = openFile(id, s.stdoutFile.path, writeFlags(s.stdoutFile))) < 0)
                    return false;
            } else {
                // Made as the first of its two stages starts (makePipes()).
                const Edge &e = edgesIn.first();
                stage.pipes[0] = int(pipes.size());
                stages[e.id.from].pipes[int(e.id.stream)] = int(pipes.size());
                pipes.append(DirectPipe{e.id});
            }
            for (const Edge &e : edgesIn) {
                if (writer >= 0)
                    stages[e.id.from].fds[int(e.id.stream)] = writer;
                edges.insert(e.id, EdgeState{});
            }
        }
    }

    // Outputs: what is not a direct edge goes to the relay, a file, or the parent.
    for (auto it = stages.begin(); it != stages.end(); ++it) {
        const int id = it.key();
        Stage &stage = it.value();
        const StageSpec &s = spec.stages[id];
        if (s.mode == StageSpec::Mode::WriteFile)
            continue;
        const bool source = s.mode == StageSpec::Mode::ReadFile;
        for (int fd = 1; fd <= 2; ++fd) {
            if (fd == 2 && (s.mergeStderr || source))
                break;
            if (stage.fds[fd] >= 0 || stage.pipes[fd] >= 0 || (source && out.value({id, fd}).isEmpty()))
                continue; // a direct edge, or a file nobody reads
            const QList<Edge> edgesOut = out.value({id, fd});
            const FileRedirect &file = fd == 1 ? s.stdoutFile : s.stderrFile;
            if (!edgesOut.isEmpty() && relayed.contains(edgesOut.first().id)) {
                int childEnd = -1, relayEnd = -1;
                if (source) {
                    if ((childEnd = openFile(id, s.stdinFile, O_RDONLY)) < 0)
                        return false;
                    relayEnd = ::fcntl(childEnd, F_DUPFD_CLOEXEC, 3);
                    if (relayEnd < 0)
                        return duplicateFailed(id);
                } else {
                    if (!edgePair(&childEnd, &relayEnd, spec.pipeCapacity, error, who(id)))
                        return false;
                    stage.fds[fd] = keep(childEnd);
                }
                ensureRelay();
                const int relaySource = relay->addSource(relayEnd);
                for (const Edge &e : edgesOut) {
                    const int link = relay->link(relaySource, relaySinkOf.value(e.id.to));
                    if (e.tapped)
                        relay->keepTail(link, 256 * qMax(1, options.tapLines));
                    edges.insert(e.id, EdgeState{true, link});
                }
            } else if (file.isSet() && !source) {
                if ((stage.fds[fd] = openFile(id, file.path, writeFlags(file))) < 0)
                    return false;
            } else if (!source) {
                stage.modes[fd] = options.freeOutput;
            }
        }
        if (s.mergeStderr) {
            stage.fds[2] = stage.fds[1];
            stage.pipes[2] = stage.pipes[1];
            stage.modes[2] = stage.modes[1];
        }
    }
    return true;
}

bool PipelineRunPrivate::startGroup(QString *error)
{
    // The group needs a leader that outlives every stage: a stage that ends at once would take
    // the group's id with it before the next stage could join.
    anchor = std::make_unique<Internal::GroupGuard>();
    if (!anchor->isActive()) {
        const int forkError = errno;
        anchor.reset();
        *error = QStringLiteral("cannot start the run's process group: %1").arg(systemError(forkError));
        return false;
    }
    group = anchor->pid();
    // Then what the stages start themselves goes with them should this process be killed.
    if (options.killWithParent)
        anchor->add(pid_t(group));
    return true;
}

void PipelineRunPrivate::signalGroup(int sig)
{
    if (group > 0)
        ::kill(-pid_t(group), sig);
}

bool PipelineRunPrivate::groupGone()
{
    if (group <= 0 || (::kill(-pid_t(group), 0) < 0 && errno == ESRCH))
        return true;
    return !Internal::groupHasLiveMember(pid_t(group), pid_t(group));
}

void PipelineRunPrivate::endGroup()
{
    // The run is over: whatever a stage left running in the background is the stage's doing,
    // as it would be under a shell, and is not killed now.
    if (anchor) {
        anchor->remove(pid_t(group));
        anchor.reset();
    }
}

void PipelineRunPrivate::closeParentCopies()
{
    QSet<int> closed;
    for (int fd : std::as_const(parentCopies)) {
        if (!closed.contains(fd))
            ::close(fd);
        closed.insert(fd);
    }
    parentCopies.clear();
    // Pipes whose other stage never started (the run stopped or failed on the way).
    for (DirectPipe &p : pipes) {
        for (int *end : {&p.writer, &p.reader}) {
            if (*end >= 0)
                ::close(*end);
            *end = -1;
        }
    }
}

bool PipelineRunPrivate::makePipes(int id, QString *error)
{
    Stage &stage = stages[id];
    for (int slot = 0; slot < 3; ++slot) {
        if (stage.pipes[slot] < 0)
            continue;
        DirectPipe &p = pipes[stage.pipes[slot]];
        if (!p.made) {
            const QString who = QStringLiteral("stage %1 (%2)").arg(id).arg(spec.stages[id].displayName());
            if (!edgePair(&p.writer, &p.reader, spec.pipeCapacity, error, who))
                return false;
            p.made = true;
            EdgeState &state = edges[p.edge];
            state.capacity = qMax(0, ::fcntl(p.reader, F_GETPIPE_SZ));
            struct stat st{};
            if (::fstat(p.reader, &st) == 0)
                state.pipeInode = quint64(st.st_ino);
        }
        stage.fds[slot] = slot == 0 ? p.reader : p.writer;
    }
    return true;
}

void PipelineRunPrivate::handedPipes(int id)
{
    Stage &stage = stages[id];
    for (int slot = 0; slot < 3; ++slot) {
        if (stage.pipes[slot] < 0)
            continue;
        DirectPipe &p = pipes[stage.pipes[slot]];
        int &end = slot == 0 ? p.reader : p.writer; // stdout and a merged stderr share the writer
        if (end >= 0)
            ::close(end);
        end = -1;
        stage.fds[slot] = -1;
    }
}

int PipelineRunPrivate::readEndOf(const EdgeId &edge, const EdgeState &state)
{
    const auto known = readEnds.constFind(edge.to);
    if (known != readEnds.cend())
        return *known;
    const auto reader = stages.constFind(edge.to);
    if (reader == stages.cend() || !reader->child || reader->closed || reader->exited || reader->result.pid <= 0 || !state.pipeInode)
        return -1;
    // The reading stage's stdin, opened anew: the same pipe, as long as the stage still has it
    // there (a shell may have put something else on its descriptor 0).
    const QByteArray path = QByteArrayLiteral("/proc/") + QByteArray::number(reader->result.pid) + QByteArrayLiteral("/fd/0");
    const int fd = ::open(path.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st{};
    if (::fstat(fd, &st) != 0 || quint64(st.st_ino) != state.pipeInode || !S_ISFIFO(st.st_mode)) {
        ::close(fd);
        return -1;
    }
    readEnds.insert(edge.to, fd);
    return fd;
}

void PipelineRunPrivate::dropReadEnd(int stage)
{
    const auto it = readEnds.find(stage);
    if (it == readEnds.end())
        return;
    if (*it >= 0)
        ::close(*it);
    readEnds.erase(it);
}

void PipelineRunPrivate::dropReadEnds()
{
    for (int fd : std::as_const(readEnds)) {
        if (fd >= 0)
            ::close(fd);
    }
    readEnds.clear();
}

namespace {

// What a process has written in all, from /proc/PID/io; -1 when it cannot be read.
qint64 writtenBy(pid_t pid)
{
    QFile io(QStringLiteral("/proc/%1/io").arg(pid));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("wchar:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}

// Asleep in write(2) or writev(2) on descriptor `fd`.
bool writingTo(pid_t pid, int fd)
{
    QFile syscallFile(QStringLiteral("/proc/%1/syscall").arg(pid));
    if (!syscallFile.open(QIODevice::ReadOnly))
        return false;
    const QList<QByteArray> parts = syscallFile.readAll().split(' ');
    if (parts.size() < 2)
        return false;
    const long nr = parts[0].toLong();
    const long arg = parts[1].toLong(nullptr, 16);
    return (nr == SYS_write || nr == SYS_writev || nr == SYS_sendto || nr == SYS_sendmsg) && arg == fd;
}

} // namespace

bool PipelineRunPrivate::directBytesKnown(const EdgeId &edge) const
{
    // A shell's children write for it without adding to its total: nothing to go by.
    return spec.stages[edge.from].mode != StageSpec::Mode::Exec;
}

void PipelineRunPrivate::directStats(const EdgeId &edge, EdgeState &state, EdgeStats *stats)
{
    stats->capacity = state.capacity;
    if (const int read = readEndOf(edge, state); read >= 0) {
        int queued = 0;
        if (::ioctl(read, FIONREAD, &queued) == 0)
            stats->queued = queued;
    }
    const auto writer = stages.constFind(edge.from);
    const bool writerLive = writer != stages.cend() && writer->child && !writer->closed && writer->result.pid > 0;
    // What the writer wrote in all, less what the parent read from its other pipes.
    if (writerLive) {
        const qint64 written = writtenBy(pid_t(writer->result.pid));
        if (written >= 0)
            state.bytes = std::max<qint64>(0, written - writer->toParent);
    } else if (writer != stages.cend() && writer->child && writer->child->bytesWrittenAtExit() >= 0) {
        state.bytes = std::max<qint64>(0, writer->child->bytesWrittenAtExit() - writer->toParent);
    }
    stats->bytes = directBytesKnown(edge) ? state.bytes : -1;
    // Only a nearly full pipe can hold its writer back: the writer's state is read then.
    const bool full = state.capacity > 0 && stats->queued >= state.capacity - 4096;
    stats->writerBlocked = full && writerLive && writingTo(pid_t(writer->result.pid), int(edge.stream));
}

} // namespace Spawnscope
