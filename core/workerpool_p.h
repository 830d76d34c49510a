#pragma once

// Internal: the state behind WorkerPool, shared by workerpool.cpp (jobs as processes, the
// queue, retries and halts) and workerpool_fork.cpp (jobs as messages to forked workers).

#include "workerpool.h"

#include "childprocess.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <memory>

namespace Spawnscope {

struct WorkerPoolPrivate
{
    struct Job
    {
        int seq = 0;
        QString input;
        int attempt = 1;
    };
    static void signalGroup(qint64 group, int signal);
    static constexpr int MaxAloneShortages = 40; // with the pause below: two seconds of the system refusing one job
    static constexpr int ShortagePauseMs = 50;
    static constexpr int FirstQuietMs = 1000;    // without a shortage before the pool climbs back
    static constexpr int MostQuietMs = 60000;
    struct Running
    {
        JobResult result;
        QElapsedTimer clock;
        QPointer<ChildProcess> child; // the job's own child, or the worker running it
        QTimer *timer = nullptr;
        int worker = -1;
    };
    struct Worker
    {
        QPointer<ChildProcess> child;
        int busy = 0;          // the seq it works on, 0 when idle
        bool ready = false;    // spawned and its channel open
        bool retiring = false; // told to end; not given jobs
        bool refusedForWant = false; // did not start for want of descriptors or processes
    };

    WorkerPool *q = nullptr;
    PoolOptions options;
    JobTemplate command;
    QString workerProgram;
    QStringList workerArgs;
    QString op;
    std::deque<Job> queue;
    QHash<int, Running> running;
    QList<int> lanes; // process mode: the seq each slot runs, 0 when free
    QList<Worker> workers;
    int openWorkers = 0; // not yet closed
    int throttle = 0;    // jobs (or workers) at once since the system ran short, 0: options.jobs
    int aloneShortages = 0; // a job (or worker) alone refused in a row: descriptors of ended jobs not yet let go
    bool shortagePause = false; // no start until the pause's timer ends
    QElapsedTimer sinceShortage; // valid once the system ran short
    int quietMs = 0;             // without a shortage before climbing back (climb())
    bool climbedSinceShortage = false;
    QString workerStartError;
    bool replacing = false;
    int total = 0;
    int done = 0;
    int failed = 0;
    int skipped = 0;
    bool started = false;
    bool halted = false;
    bool killing = false;
    bool finishedEmitted = false;
    QElapsedTimer clock;

    bool workerMode() const { return !workerProgram.isEmpty(); }
    int limit() const { return throttle > 0 ? throttle : options.jobs; }
    void dispatch();
    void startProcessJob(const Job &job);
    void startWorker(int index);
    void failQueue(const QString &why); // every queued job fails with `why`
    void sendToWorker(int index, const Job &job);
    void endAttempt(int seq, const QString &error = QString());
    bool throttleFor(const JobResult &result); // true: the job goes back to the queue
    static bool isShortage(const ProcessError &error); // EMFILE, ENFILE, EAGAIN
    void lowerLimit(int running, const QString &why);
    void climb();
    int liveWorkers() const;
    void startSpareWorker();
    void haltNow();
    int takeLane(int seq);
    void emitProgress();
    void maybeFinish();
};

} // namespace Spawnscope
