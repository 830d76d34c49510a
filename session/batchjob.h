#pragma once

#include <jobresult.h>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace Spawnscope {

// How an attempt at a batch job went, as the dashboard colours it.
enum class AttemptOutcome {
    Running,
    Ok,
    Failed,   // ended by itself with a non-zero status, or could not start
    TimedOut, // killed by the batch's timeout
    Killed,   // ended by a signal that no timeout sent (a stop, a crash)
};

struct BatchAttempt
{
    int number = 1;
    int slot = -1;       // the pool's lane it ran in
    qint64 startMs = 0;  // since the batch started
    qint64 endMs = -1;   // since the batch started; -1 while it runs
    AttemptOutcome outcome = AttemptOutcome::Running;

    bool isRunning() const { return outcome == AttemptOutcome::Running; }
    qint64 runtimeMs(qint64 nowMs) const { return (endMs >= 0 ? endMs : nowMs) - startMs; }
};

// One job of a batch, with every attempt at it; the last attempt is the one that counts.
struct BatchJob
{
    int seq = 0;      // the pool's number, from 1, in input order
    int process = 0;  // the session's process for it
    QString input;
    QList<BatchAttempt> attempts;
    std::optional<int> exitCode; // of the last attempt that ended
    QString signal;
    QString error;
    qint64 bytesOut = 0; // of the current (or last) attempt, counted as it arrives
    qint64 bytesErr = 0;

    const BatchAttempt *last() const { return attempts.isEmpty() ? nullptr : &attempts.last(); }
    int slot() const { return attempts.isEmpty() ? -1 : attempts.last().slot; }
    bool isRunning() const { return !attempts.isEmpty() && attempts.last().isRunning(); }
    AttemptOutcome outcome() const { return attempts.isEmpty() ? AttemptOutcome::Failed : attempts.last().outcome; }
    static AttemptOutcome outcomeOf(const JobResult &result);
};

// Everything the session knows of one batch: its jobs in the order they first started (or
// failed without starting) and the pool's last progress.
struct BatchState
{
    int concurrency = 1;
    QList<BatchJob> jobs;
    QHash<int, int> rowOfSeq;
    PoolProgress progress;
    QElapsedTimer clock; // started with the batch
    qint64 endedMs = -1; // when the batch finished, -1 while it runs
    bool halting = false; // a halt was asked for: no job starts any more

    qint64 nowMs() const { return endedMs >= 0 ? endedMs : (clock.isValid() ? clock.elapsed() : 0); }
    bool isFinished() const { return endedMs >= 0; }
    // What is left at the pace so far, from now; -1 until a job has ended, 0 once finished.
    qint64 etaMs() const
    {
        const int ended = progress.done + progress.failed;
        if (isFinished())
            return 0;
        if (ended == 0)
            return -1;
        return nowMs() * (progress.queued + progress.running) / ended;
    }
    const BatchJob *job(int seq) const
    {
        const auto it = rowOfSeq.constFind(seq);
        return it == rowOfSeq.cend() ? nullptr : &jobs.at(*it);
    }
};

} // namespace Spawnscope
