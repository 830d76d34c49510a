#include "pipelinerun_p.h"

#include "childprocess.h"
#include "osstring.h"
#include "spawnfunctions.h"

#include <QJsonArray>
#include <QProcessEnvironment>

#include <csignal>

namespace Spawnscope {

namespace {

QJsonValue codeOrNull(int code, const QString &signal)
{
    return signal.isEmpty() ? QJsonValue(code) : QJsonValue(QJsonValue::Null);
}

QJsonValue signalOrNull(const QString &signal)
{
    return signal.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(signal);
}

QString stageLabel(int id, const StageSpec &s)
{
    return QStringLiteral("stage %1 (%2)").arg(id).arg(s.displayName());
}

} // namespace

TraceLine PipelineEvent::toTrace() const
{
    TraceLine line(double(t), kind);
    line.stage = stage;
    line.addFields(fields);
    return line;
}

int StageResult::status() const
{
    if (!started)
        return startErrno == EACCES ? 126 : (startErrno ? 127 : 0);
    if (!signal.isEmpty())
        return 128 + ProcessSignal(signal).number();
    return exitCode.value_or(0);
}

int PipelineResult::statusOf(const QList<StageResult> &stages, StatusPolicy policy)
{
    switch (policy) {
    case StatusPolicy::Last:
        return stages.isEmpty() ? 0 : stages.last().status();
    case StatusPolicy::Pipefail:
        for (auto it = stages.crbegin(); it != stages.crend(); ++it) {
            if (it->status() != 0)
                return it->status();
        }
        return 0;
    case StatusPolicy::All:
        for (const StageResult &s : stages) {
            if (s.status() != 0)
                return s.status();
        }
        return 0;
    }
    return 0;
}

PipelineRun::PipelineRun(const PipelineSpec &spec, const PipelineRunOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<PipelineRunPrivate>())
{
    d->q = this;
    d->spec = spec;
    d->options = options;
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        PipelineRunPrivate::Stage stage;
        stage.result.id = it.key();
        stage.result.name = it.value().displayName();
        stage.isFile = it.value().isFile();
        d->stages.insert(it.key(), stage);
    }
    d->graceTimer.setSingleShot(true);
    connect(&d->graceTimer, &QTimer::timeout, this, [this] {
        d->graceOver = true;
        d->killedAt = d->clock.elapsed();
        d->signalGroup(SIGKILL);
        d->maybeFinish();
    });
    d->groupPoll.setInterval(20);
    connect(&d->groupPoll, &QTimer::timeout, this, [this] { d->maybeFinish(); });
    connect(&d->statsTimer, &QTimer::timeout, this, [this] { d->pushStats(); });
}

PipelineRun::~PipelineRun()
{
    if (d->running) {
        d->signalGroup(SIGKILL);
        for (auto &stage : d->stages) {
            if (stage.child) {
                QObject::disconnect(stage.child, nullptr, this, nullptr);
                stage.child->setAutoDelete(true);
                stage.child->kill(SIGKILL);
            }
        }
    }
    d->closeParentCopies();
    d->dropReadEnds();
    d->endGroup();
    if (d->relay)
        d->relay->stop();
}

void PipelineRun::start()
{
    if (d->clock.isValid())
        return;
    d->clock.start();
    d->running = true;
    QString why = d->spec.problem();
    if (why.isEmpty())
        d->startGroup(&why);
    if (why.isEmpty())
        d->wire(&why);
    if (!why.isEmpty()) {
        d->closeParentCopies();
        d->fail(why);
        QMetaObject::invokeMethod(this, [this] { d->maybeFinish(); }, Qt::QueuedConnection);
        return;
    }
    for (auto it = d->stages.cbegin(); it != d->stages.cend(); ++it) {
        if (!it->isFile) // a file node is no process: its descriptors went to its neighbours
            d->toSpawn.append(it.key());
    }
    d->spawnSlice();
}

void PipelineRunPrivate::spawnSlice()
{
    // Why slices: thousands of stages take seconds to start, and a Ctrl-C (stop(), from a
    // signal handler's notifier) or any other event must be heard meanwhile. So after a slice
    // of at least SliceStages stages and SliceMs, the start goes on from the event loop. A
    // pipeline of up to SliceStages stages is still started whole before start() returns.
    constexpr int SliceStages = 32;
    constexpr int SliceMs = 20;
    if (finished)
        return;
    QElapsedTimer slice;
    slice.start();
    int spawned = 0;
    while (nextSpawn < toSpawn.size() && !unstartedStage && !stopping) {
        if (spawned >= SliceStages && slice.elapsed() >= SliceMs) {
            QMetaObject::invokeMethod(q, [this] { spawnSlice(); }, Qt::QueuedConnection);
            return;
        }
        spawnStage(toSpawn[nextSpawn++]);
        ++spawned;
    }
    closeParentCopies();
    if (unstartedStage) {
        const int id = unstartedStage;
        fail(QStringLiteral("%1 did not start").arg(stageLabel(id, spec.stages[id])));
        return; // its error names the cause, then close; finished() follows
    }
    if (stopping)
        return; // stopped, or failed, on the way: the stages started so far are being stopped
    if (relay)
        relay->start();
    startedAll = true;
    if (statsTimer.interval() > 0)
        statsTimer.start();
    Q_EMIT q->started();
}

void PipelineRun::stop()
{
    if (!d->running || d->stopping)
        return;
    d->stopping = true;
    d->record(0, TraceKind::Stop, {{QStringLiteral("signal"), QStringLiteral("SIGTERM")},
                                          {QStringLiteral("graceMs"), d->options.stopGraceMs}});
    d->signalGroup(SIGTERM);
    d->graceTimer.start(d->options.stopGraceMs);
    d->groupPoll.start();
    d->maybeFinish();
}

bool PipelineRun::isRunning() const { return d->running; }
bool PipelineRun::isFinished() const { return d->finished; }
qint64 PipelineRun::processGroup() const { return d->group; }
const PipelineSpec &PipelineRun::spec() const { return d->spec; }
QList<PipelineEvent> PipelineRun::events() const { return d->log; }

ChildProcess *PipelineRun::stage(int id) const
{
    const auto it = d->stages.constFind(id);
    return it == d->stages.cend() ? nullptr : it->child.data();
}

PipelineResult PipelineRun::result() const
{
    if (d->finished)
        return d->finalResult;
    PipelineResult r;
    r.policy = d->spec.policy;
    for (const auto &stage : d->stages)
        r.stages.append(stage.result);
    r.status = PipelineResult::statusOf(r.stages, r.policy);
    r.error = d->failure;
    r.stopped = d->stopping;
    r.durationMs = d->clock.isValid() ? d->clock.elapsed() : 0;
    return r;
}

EdgeStats PipelineRun::edgeStats(const EdgeId &edge) const
{
    return d->statsOf(edge);
}

void PipelineRun::setStatsInterval(int ms)
{
    d->statsTimer.setInterval(qMax(0, ms));
    if (ms <= 0)
        d->statsTimer.stop();
    else if (d->running && d->startedAll)
        d->statsTimer.start();
}

int PipelineRun::statsInterval() const
{
    return d->statsTimer.isActive() || d->statsTimer.interval() > 0 ? d->statsTimer.interval() : 0;
}

EdgeStats PipelineRunPrivate::statsOf(const EdgeId &edge)
{
    EdgeStats stats;
    const auto it = edges.find(edge);
    if (it == edges.end())
        return stats;
    EdgeState &state = *it;
    bool waiting = false;
    if (!state.relayed) {
        if (running) {
            directStats(edge, state, &stats);
        } else {
            const auto writer = stages.constFind(edge.from);
            if (writer != stages.cend() && writer->child && writer->child->bytesWrittenAtExit() >= 0)
                state.bytes = std::max<qint64>(0, writer->child->bytesWrittenAtExit() - writer->toParent);
            stats.bytes = directBytesKnown(edge) ? state.bytes : -1;
            stats.capacity = state.capacity;
        }
        waiting = stats.writerBlocked;
    } else {
        stats.relayed = true;
        stats.bytesExact = true;
        const auto &c = relay->counters(state.link);
        stats.bytes = c.bytes.load(std::memory_order_relaxed);
        stats.lines = c.lines.load(std::memory_order_relaxed);
        stats.queued = running ? c.queued.load(std::memory_order_relaxed) : 0;
        stats.capacity = Internal::Relay::SinkCapacity;
        waiting = running && c.blocked.load(std::memory_order_relaxed);
        const auto edgeSpec = spec.edge(edge);
        if (edgeSpec && edgeSpec->tapped) {
            QByteArrayList lines = relay->tail(state.link).split('\n');
            lines.removeLast(); // after the last newline: unfinished
            if (!lines.isEmpty() && lines.size() > options.tapLines)
                lines = lines.mid(lines.size() - options.tapLines);
            stats.lastLines = lines;
        }
    }
    // Blocked shows after 250 ms of waiting and clears 250 ms after it stopped: no flicker.
    const qint64 now = clock.isValid() ? clock.elapsed() : 0;
    if (waiting) {
        state.drainedSince = -1;
        if (state.fullSince < 0)
            state.fullSince = now;
        if (now - state.fullSince >= 250)
            state.blocked = true;
    } else {
        state.fullSince = -1;
        if (state.blocked) {
            if (state.drainedSince < 0)
                state.drainedSince = now;
            if (now - state.drainedSince >= 250 || !running) {
                state.blocked = false;
                state.drainedSince = -1;
            }
        }
    }
    stats.writerBlocked = state.blocked;
    return stats;
}

void PipelineRunPrivate::pushStats()
{
    QHash<EdgeId, EdgeStats> all;
    all.reserve(edges.size());
    for (auto it = edges.cbegin(); it != edges.cend(); ++it)
        all.insert(it.key(), statsOf(it.key()));
    if (all == lastStats)
        return;
    lastStats = all;
    Q_EMIT q->statsChanged(all);
}

void PipelineRunPrivate::record(int stage, TraceKind kind, const QJsonObject &fields)
{
    PipelineEvent e{clock.elapsed(), stage, kind, fields};
    log.append(e);
    Q_EMIT q->event(e);
}

void PipelineRunPrivate::fail(const QString &why)
{
    if (!failure.isEmpty())
        return;
    failure = why;
    record(0, TraceKind::Error, {{QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), why}}}});
    if (!stopping) {
        stopping = true;
        signalGroup(SIGTERM);
        graceTimer.start(options.stopGraceMs);
        groupPoll.start();
    }
}

void PipelineRunPrivate::spawnStage(int id)
{
    Stage &stage = stages[id];
    const StageSpec &s = spec.stages[id];
    QString pipeError;
    if (!makePipes(id, &pipeError)) {
        fail(pipeError);
        return;
    }
    StdioList stdio;
    for (int i = 0; i < 3; ++i)
        stdio.append(stage.fds[i] >= 0 ? StdioMode::fromFd(stage.fds[i]) : stage.modes[i]);
    std::optional<QProcessEnvironment> env;
    if (!s.env.isEmpty()) {
        env = OsString::systemEnvironment();
        for (auto it = s.env.cbegin(); it != s.env.cend(); ++it)
            env->insert(it.key(), it.value());
    }

    auto common = [&](auto &o) {
        o.cwd = s.cwd;
        o.env = env;
        o.timeout = s.timeout;
        o.killSignal = s.killSignal;
        o.processGroup = group;
        o.killWithParent = options.killWithParent;
    };
    ChildProcess *child = nullptr;
    if (s.mode == StageSpec::Mode::Fork) {
        ForkOptions o;
        common(o);
        o.stdio = StdioList{stdio[0], stdio[1], stdio[2], StdioMode::Ipc};
        child = fork(s.program, s.args, o, q);
    } else {
        SpawnOptions o;
        common(o);
        o.stdio = stdio;
        o.shell = s.shell;
        if (s.mode == StageSpec::Mode::Exec) {
            if (o.shell.isEmpty())
                o.shell = QStringLiteral("/bin/sh");
            child = spawn(s.command, {}, o, q);
        } else {
            child = spawn(s.program, s.args, o, q);
        }
    }
    child->setAutoDelete(false);
    stage.child = child;
    ++openChildren;
    handedPipes(id); // the child has its ends, or never will

    QObject::connect(child, &ChildProcess::spawned, q, [this, id, child] {
        record(id, TraceKind::Spawn, {{QStringLiteral("pid"), double(child->pid())}});
    });
    QObject::connect(child, &ChildProcess::stdoutData, q, [this, id](const QByteArray &data) {
        stages[id].toParent += data.size();
        record(id, TraceKind::Stdout, {{QStringLiteral("data"), QString::fromUtf8(data)}});
        Q_EMIT q->output(id, OutputStream::Stdout, data);
    });
    QObject::connect(child, &ChildProcess::stderrData, q, [this, id](const QByteArray &data) {
        // A merged stderr (`2>&1`) that reaches the parent is part of its stdout.
        stages[id].toParent += data.size();
        const bool merged = spec.stages[id].mergeStderr;
        record(id, merged ? TraceKind::Stdout : TraceKind::Stderr, {{QStringLiteral("data"), QString::fromUtf8(data)}});
        Q_EMIT q->output(id, merged ? OutputStream::Stdout : OutputStream::Stderr, data);
    });
    QObject::connect(child, &ChildProcess::message, q, [this, id](const QJsonValue &m) {
        record(id, TraceKind::Message, {{QStringLiteral("message"), m}});
    });
    QObject::connect(child, &ChildProcess::disconnected, q, [this, id] {
        record(id, TraceKind::Disconnect, {});
    });
    QObject::connect(child, &ChildProcess::errorOccurred, q, [this, id, child](const ProcessError &e) {
        record(id, TraceKind::Error, {{QStringLiteral("error"), e.toJson()}});
        Stage &st = stages[id];
        if (st.result.error.isEmpty())
            st.result.error = e.message;
        if (child->pid() <= 0) {
            st.result.startErrno = e.errnum ? -*e.errnum : EINVAL;
            failure = QStringLiteral("%1 did not start: %2").arg(stageLabel(id, spec.stages[id]), e.message);
        }
    });
    QObject::connect(child, &ChildProcess::exited, q, [this, id](int code, const QString &signal) {
        stages[id].exited = true;
        dropReadEnd(id); // what still writes to it must see EPIPE, as in a shell
        record(id, TraceKind::Exit, {{QStringLiteral("code"), codeOrNull(code, signal)}, {QStringLiteral("signal"), signalOrNull(signal)}});
        Stage &st = stages[id];
        if (signal.isEmpty())
            st.result.exitCode = code;
        st.result.signal = signal;
    });
    QObject::connect(child, &ChildProcess::closed, q, [this, id](int code, const QString &signal) {
        record(id, TraceKind::Close, {{QStringLiteral("code"), codeOrNull(code, signal)}, {QStringLiteral("signal"), signalOrNull(signal)}});
        stageClosed(id);
    });

    if (child->pid() > 0) {
        stage.result.started = true;
        stage.result.pid = child->pid();
    } else {
        stage.result.startErrno = EINVAL; // refined by its error event
        unstartedStage = id;
    }
}

void PipelineRunPrivate::stageClosed(int id)
{
    Stage &stage = stages[id];
    stage.closed = true;
    --openChildren;
    if (!stage.result.started)
        stage.result.exitCode.reset();
    maybeFinish();
}

void PipelineRunPrivate::maybeFinish()
{
    // Stages that ended at once must not end a run whose later stages are still to start.
    if (finished || !running || openChildren > 0 || (!startedAll && !stopping))
        return;
    // After a stop, grandchildren in the group must be gone too. Killed ones may take a moment
    // to be reaped by whoever inherited them; a reaper that never comes is not waited for.
    if (stopping && !groupGone() && (!graceOver || clock.elapsed() - killedAt < 1000))
        return;
    graceTimer.stop();
    groupPoll.stop();
    closeParentCopies(); // pipes made for stages a stop kept from starting
    endGroup();
    if (relay)
        relay->stop();
    running = false;
    // The last counts, frozen: what every edge carried in the end.
    if (statsTimer.interval() > 0 && startedAll)
        pushStats();
    statsTimer.stop();
    dropReadEnds();
    finished = true;
    finalResult = q->result();
    finalResult.policy = spec.policy;
    finalResult.stages.clear();
    for (const Stage &stage : stages) {
        if (!stage.isFile)
            finalResult.stages.append(stage.result);
    }
    finalResult.status = PipelineResult::statusOf(finalResult.stages, spec.policy);
    finalResult.error = failure;
    finalResult.stopped = stopping && failure.isEmpty();
    if (!failure.isEmpty()) {
        for (const StageResult &s : finalResult.stages) {
            if (s.startErrno) {
                finalResult.status = s.status();
                break;
            }
        }
        if (finalResult.status == 0)
            finalResult.status = 1;
    }
    finalResult.durationMs = clock.elapsed();
    for (Stage &stage : stages) {
        if (stage.child)
            stage.child->deleteLater();
    }
    Q_EMIT q->finished(finalResult);
}

} // namespace Spawnscope
