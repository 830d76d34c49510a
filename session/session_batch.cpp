// Session: a batch, one job per input on the worker pool, a group of its own.
#include "session.h"

#include "outputbuffer.h"
#include "timeline.h"

#include <jobresult.h>
#include <pipelinerun.h>
#include <workerpool.h>

#include <QFileInfo>
#include <QJsonObject>

#include <memory>

namespace Spawnscope {

int Session::launchBatch(const std::shared_ptr<const LaunchRequest> &request, QString *error)
{
    const BatchSpec &batch = request->batch;
    if (batch.inputs.isEmpty() || batch.command.words().isEmpty()) {
        *error = QStringLiteral("a batch needs a command and inputs");
        return 0;
    }
    PoolOptions options;
    options.timeoutMs = request->options.timeoutMs;
    options.killSignal = request->options.killSignal;
    options.cwd = request->options.cwd;
    auto *pool = new WorkerPool(options, this);
    pool->setCommand(batch.command);
    pool->addInputs(batch.inputs);
    const int groupId = addGroup(QStringLiteral("Batch: %1").arg(request->title), GroupKind::Batch);
    groupOf(groupId)->queued = int(batch.inputs.size());
    auto ids = std::make_shared<QHash<int, int>>(); // job -> process
    // A job becomes a row when it starts.
    connect(pool, &WorkerPool::jobStarted, this, [=, this](int seq, int attempt, qint64 pid, const QString &command) {
        int id = ids->value(seq);
        if (!id) {
            ProcessInfo info;
            info.name = QFileInfo(batch.command.words().first()).fileName();
            info.command = command;
            info.mode = LaunchMode::Batch;
            id = addEntry(groupId, info, request);
            m_entries[id].pool = pool;
            m_entries[id].jobInput = batch.inputs.value(seq - 1);
            ids->insert(seq, id);
            Q_EMIT processAdded(id);
        }
        batchJobStarted(id, attempt, pid);
    });
    auto ended = [=, this](const JobResult &r) {
        if (const int id = ids->value(r.seq))
            batchJobEnded(id, r);
    };
    connect(pool, &WorkerPool::jobRetried, this, ended);
    connect(pool, &WorkerPool::jobFinished, this, ended);
    connect(pool, &WorkerPool::progressChanged, this, [=, this](const PoolProgress &p) {
        ProcessGroup *g = groupOf(groupId);
        if (g->queued != p.queued) {
            g->queued = p.queued;
            Q_EMIT groupChanged(groupId);
        }
    });
    m_groupRuns.insert(groupId, GroupRun{nullptr, pool, {}, false});
    connect(pool, &WorkerPool::finished, this, [=, this](const PoolProgress &p) {
        ProcessGroup *g = groupOf(groupId);
        g->queued = 0;
        if (p.skipped > 0)
            g->error = QStringLiteral("halted: %1 job(s) not started").arg(p.skipped);
        Q_EMIT groupChanged(groupId);
        m_groupRuns[groupId].finished = true;
        Q_EMIT groupFinished(groupId);
        pool->deleteLater();
    });
    pool->start();
    return ids->value(1);
}

void Session::batchJobStarted(int id, int attempt, qint64 pid)
{
    Entry &e = m_entries[id];
    if (pid <= 0)
        return; // it never started: its end says why
    e.spawnedAt = m_timeline->now();
    m_timeline->addEventAt(e.lane, e.spawnedAt, TraceKind::Spawn, {{QStringLiteral("pid"), double(pid)}, {QStringLiteral("attempt"), attempt}});
    update(id, [&](ProcessInfo &p) {
        p.pid = pid;
        p.state = ProcessInfo::State::Running;
        p.exitCode.reset();
        p.signal.clear();
        p.ended = QDateTime();
        if (attempt > 1)
            p.started = QDateTime::currentDateTime();
    });
}

void Session::batchJobEnded(int id, const JobResult &r)
{
    Entry &e = m_entries[id];
    const double now = m_timeline->now();
    // The pool hands a job's output over when it ends; its band spans the job's life, which
    // begins at its spawn, never before.
    const double from = e.spawnedAt >= 0 ? std::max(e.spawnedAt, now - r.runtime * 1000) : now;
    if (!r.out.isEmpty()) {
        e.output->append(OutputBuffer::Stdout, r.out);
        m_timeline->addOutputAt(e.lane, false, from, now, r.bytesOut);
    }
    if (!r.err.isEmpty()) {
        e.output->append(OutputBuffer::Stderr, r.err);
        m_timeline->addOutputAt(e.lane, true, from, now, r.bytesErr);
    }
    m_totalBytes += r.bytesOut + r.bytesErr;
    if (r.startError) {
        // As for any child that never started: error, then close with Node's negative errno.
        m_timeline->addEvent(e.lane, TraceKind::Error, {{QStringLiteral("error"), r.startError->toJson()}});
        m_timeline->addEvent(e.lane, TraceKind::Close, TimelineEvent::endFields(r.startError->errnum.value_or(-1), QString()));
        e.output->finish();
        failedToStart(id, *r.startError);
        return;
    }
    if (!r.error.isEmpty() && !r.exitCode && r.signal.isEmpty()) {
        m_timeline->addEvent(e.lane, TraceKind::Error, {{QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), r.error}}}});
    }
    if (!r.error.isEmpty())
        e.output->appendNote(r.error);
    const QJsonObject end = TimelineEvent::endFields(r.exitCode.value_or(0), r.signal);
    m_timeline->addEvent(e.lane, TraceKind::Exit, end);
    m_timeline->addEvent(e.lane, TraceKind::Close, end);
    e.output->finish();
    update(id, [&](ProcessInfo &p) {
        p.bytesOut = r.bytesOut;
        p.bytesErr = r.bytesErr;
        p.signal = r.signal;
        if (r.exitCode)
            p.exitCode = r.exitCode;
        p.error = r.error;
        p.state = !r.signal.isEmpty() ? ProcessInfo::State::Killed : ProcessInfo::State::Exited;
        p.ended = QDateTime::currentDateTime();
    });
}

} // namespace Spawnscope
