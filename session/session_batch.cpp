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

AttemptOutcome BatchJob::outcomeOf(const JobResult &r)
{
    if (r.timedOut)
        return AttemptOutcome::TimedOut;
    if (!r.signal.isEmpty())
        return AttemptOutcome::Killed;
    return r.ok() ? AttemptOutcome::Ok : AttemptOutcome::Failed;
}

int Session::launchBatch(const std::shared_ptr<const LaunchRequest> &request, QString *error)
{
    const BatchSpec &batch = request->batch;
    if (batch.inputs.isEmpty() || batch.command.words().isEmpty()) {
        *error = QStringLiteral("a batch needs a command and inputs");
        return 0;
    }
    PoolOptions options;
    options.jobs = batch.jobs;
    options.killWithParent = true;
    options.retries = batch.retries;
    options.halt = batch.halt;
    options.timeoutMs = request->options.timeoutMs;
    options.killSignal = request->options.killSignal;
    options.cwd = request->options.cwd;
    auto *pool = new WorkerPool(options, this);
    pool->setCommand(batch.command);
    pool->addInputs(batch.inputs);
    const int groupId = addGroup(QStringLiteral("Batch: %1").arg(request->title), GroupKind::Batch);
    groupOf(groupId)->queued = int(batch.inputs.size());
    BatchState &state = m_batches[groupId];
    state.concurrency = pool->concurrency();
    state.progress = pool->progress();
    state.clock.start();
    auto ids = std::make_shared<QHash<int, int>>(); // job -> process
    // A job's row, made when it first starts or ends without starting.
    auto jobRow = [=, this](int seq) -> BatchJob & {
        BatchState &s = m_batches[groupId];
        auto it = s.rowOfSeq.constFind(seq);
        if (it == s.rowOfSeq.cend()) {
            BatchJob job;
            job.seq = seq;
            job.input = batch.inputs.value(seq - 1);
            it = s.rowOfSeq.insert(seq, int(s.jobs.size()));
            s.jobs.append(job);
        }
        return s.jobs[*it];
    };
    // A job becomes a process when it starts.
    connect(pool, &WorkerPool::jobStarted, this, [=, this](int seq, int attempt, qint64 pid, const QString &command, int slot) {
        int id = ids->value(seq);
        if (!id) {
            ProcessInfo info;
            info.name = QFileInfo(batch.command.words().first()).fileName();
            info.command = command;
            info.mode = LaunchMode::Batch;
            id = addEntry(groupId, info, request);
            m_entries[id].pool = pool;
            m_entries[id].jobInput = batch.inputs.value(seq - 1);
            m_entries[id].jobSeq = seq;
            ids->insert(seq, id);
            Q_EMIT processAdded(id);
        }
        BatchJob &job = jobRow(seq);
        job.process = id;
        job.bytesOut = job.bytesErr = 0;
        job.attempts.append(BatchAttempt{attempt, slot, m_batches[groupId].nowMs(), -1, AttemptOutcome::Running});
        Q_EMIT batchJobChanged(groupId, seq);
        batchJobStarted(id, attempt, pid, slot);
    });
    connect(pool, &WorkerPool::jobOutput, this, [=, this](int seq, OutputStream stream, const QByteArray &chunk) {
        if (const int id = ids->value(seq)) {
            BatchJob &job = jobRow(seq);
            (stream == OutputStream::Stderr ? job.bytesErr : job.bytesOut) += chunk.size();
            batchJobOutput(id, stream, chunk);
        }
    });
    auto ended = [=, this](const JobResult &r) {
        BatchJob &job = jobRow(r.seq);
        const qint64 now = m_batches[groupId].nowMs();
        if (job.attempts.isEmpty() || job.attempts.last().number != r.attempt || !job.isRunning())
            job.attempts.append(BatchAttempt{r.attempt, r.slot, now, -1, AttemptOutcome::Running}); // it never started
        BatchAttempt &a = job.attempts.last();
        a.endMs = now;
        a.outcome = BatchJob::outcomeOf(r);
        job.exitCode = r.exitCode;
        job.signal = r.signal;
        job.error = r.error;
        job.bytesOut = r.bytesOut;
        job.bytesErr = r.bytesErr;
        Q_EMIT batchJobChanged(groupId, r.seq);
        if (const int id = ids->value(r.seq))
            batchJobEnded(id, r);
    };
    connect(pool, &WorkerPool::jobRetried, this, ended);
    connect(pool, &WorkerPool::jobFinished, this, ended);
    connect(pool, &WorkerPool::progressChanged, this, [=, this](const PoolProgress &p) {
        BatchState &s = m_batches[groupId];
        s.progress = p;
        s.halting = s.halting || p.skipped > 0;
        Q_EMIT batchProgressChanged(groupId);
        ProcessGroup *g = groupOf(groupId);
        if (g->queued != p.queued) {
            g->queued = p.queued;
            Q_EMIT groupChanged(groupId);
        }
    });
    m_groupRuns.insert(groupId, GroupRun{nullptr, pool, {}, false});
    connect(pool, &WorkerPool::finished, this, [=, this](const PoolProgress &p) {
        BatchState &s = m_batches[groupId];
        s.progress = p;
        s.endedMs = s.clock.elapsed();
        Q_EMIT batchProgressChanged(groupId);
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

void Session::batchJobStarted(int id, int attempt, qint64 pid, int slot)
{
    Entry &e = m_entries[id];
    if (pid <= 0)
        return; // it never started: its end says why
    e.spawnedAt = m_timeline->now();
    m_timeline->addEventAt(e.lane, e.spawnedAt, TraceKind::Spawn,
                           {{QStringLiteral("pid"), double(pid)}, {QStringLiteral("attempt"), attempt}, {QStringLiteral("slot"), slot}});
    update(id, [&](ProcessInfo &p) {
        p.pid = pid;
        p.state = ProcessInfo::State::Running;
        p.exitCode.reset();
        p.signal.clear();
        p.ended = QDateTime();
        p.bytesOut = 0; // the counts are the attempt's, as the job log's
        p.bytesErr = 0;
        if (attempt > 1)
            p.started = QDateTime::currentDateTime();
    });
}

void Session::batchJobOutput(int id, OutputStream stream, const QByteArray &chunk)
{
    Entry &e = m_entries[id];
    const bool err = stream == OutputStream::Stderr;
    e.output->append(err ? OutputBuffer::Stderr : OutputBuffer::Stdout, chunk);
    countBytes(id, err, chunk.size());
    m_timeline->addOutput(e.lane, err, chunk.size());
}

void Session::batchJobEnded(int id, const JobResult &r)
{
    Entry &e = m_entries[id];
    // Its output came as it was written (batchJobOutput()); the result's copy is not shown again.
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
