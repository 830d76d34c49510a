#pragma once

#include "jobresult.h"
#include "jobtemplate.h"
#include "pipelinespec.h"
#include "pooloptions.h"

#include <QObject>

#include <memory>

namespace Spawnscope {

// Runs many jobs with at most `jobs` children at once, in one of two ways:
// - a command template: one process per job (setCommand);
// - forked workers: `jobs` long-lived children with a message channel, each sent
//   {"id": seq, "input": input[, "op": op]} and answering {"id": seq, "ok": bool, ...}
//   (setWorker; docs/worker-protocol.md); a worker that dies, times out or answers out of
//   protocol is replaced, and that job's attempt fails at once.
class WorkerPool : public QObject
{
    Q_OBJECT
public:
    explicit WorkerPool(const PoolOptions &options = {}, QObject *parent = nullptr);
    // Still running: every child is killed (SIGKILL) and none is left behind.
    ~WorkerPool() override;

    void setCommand(const JobTemplate &command);
    // An empty `op` leaves "op" out of the jobs (a worker of one trade needs none).
    void setWorker(const QString &program, const QStringList &args, const QString &op = {});
    // Queues jobs, numbered on from the last one; allowed while running.
    void addInputs(const QStringList &inputs);

    void start();
    // Stops as the Now halt does: nothing more starts, running jobs get the kill signal and,
    // after stopGraceMs, SIGKILL.
    void stop();
    // Halts as the Soon halt does: nothing more starts (queued jobs and retries are skipped),
    // running jobs end on their own.
    void halt();

    bool isRunning() const;
    // The most jobs at once, as asked (PoolOptions::jobs, or the number of cores).
    int concurrency() const;
    // The most jobs (or forked workers) at once for now: concurrency(), unless the system ran
    // short of descriptors or processes (concurrencyLowered()) and the pool has not yet climbed
    // all the way back (concurrencyRaised()).
    int currentConcurrency() const;
    PoolProgress progress() const;

Q_SIGNALS:
    // Once per attempt, when its child (or its worker's message) has been started. `slot` is the
    // lane it runs in, from 0 to concurrency() - 1: no two running jobs share one, and a job
    // run by a forked worker has that worker's.
    void jobStarted(int seq, int attempt, qint64 pid, const QString &command, int slot);
    // Each chunk a running job writes, as it is read (once per read, however small), in order,
    // and all of it: the result's `out` and `err` keep only maxOutputBytes. Every chunk of an
    // attempt comes after its jobStarted() and before its jobRetried() or jobFinished().
    void jobOutput(int seq, Spawnscope::OutputStream stream, const QByteArray &chunk);
    // Once per failed attempt that will be tried again; `failed` is that attempt.
    void jobRetried(const Spawnscope::JobResult &failed);
    // Exactly once per job that ran, with its last attempt.
    void jobFinished(const Spawnscope::JobResult &result);
    // A job, or a forked worker, could not start for want of descriptors or processes (EMFILE,
    // ENFILE, EAGAIN), and currentConcurrency() went down to `jobs`: as many as were running
    // then (at least 1). A refused job is queued again without spending an attempt
    // (jobRetried() says so); a refused worker costs no job, its lane stays empty. `why` is the
    // system's error. Fires once per lowering: refusals that leave the limit where it was say
    // nothing.
    void concurrencyLowered(int jobs, const QString &why);
    // The limit went one step back up, to `jobs` (currentConcurrency() already says so). After
    // a lowering the pool waits until no shortage has been seen for a while (a second, twice as
    // long after each shortage that ends a climb, at most a minute), then takes one step per job
    // that ends, each step starting one more job (or worker) when there is work. Fires once per
    // step, up to concurrency() at the last; a shortage on the way lowers it again instead.
    void concurrencyRaised(int jobs);
    // After every start, retry and end.
    void progressChanged(const Spawnscope::PoolProgress &progress);
    // Exactly once, when every job has ended (or been skipped by a halt) and every child and
    // worker has closed.
    void finished(const Spawnscope::PoolProgress &progress);

private:
    friend struct WorkerPoolPrivate;
    std::unique_ptr<struct WorkerPoolPrivate> d;
};

} // namespace Spawnscope
