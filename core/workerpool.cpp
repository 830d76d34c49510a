#include "workerpool.h"

#include "childprocess.h"
#include "spawnfunctions.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <deque>

namespace Spawnscope {

struct WorkerPoolPrivate
{
    struct Job
    {
        int seq = 0;
        QString input;
        int attempt = 1;
    };
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
    };

    WorkerPool *q = nullptr;
    PoolOptions options;
    JobTemplate command;
    QString workerProgram;
    QStringList workerArgs;
    QString op;
    std::deque<Job> queue;
    QHash<int, Running> running;
    QList<Worker> workers;
    int openWorkers = 0; // not yet closed
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
    void dispatch();
    void startProcessJob(const Job &job);
    void startWorker(int index);
    void sendToWorker(int index, const Job &job);
    void endAttempt(int seq, const QString &error = QString());
    void haltNow();
    void emitProgress();
    void maybeFinish();
};

WorkerPool::WorkerPool(const PoolOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<WorkerPoolPrivate>())
{
    d->q = this;
    d->options = options;
    if (d->options.jobs <= 0)
        d->options.jobs = qMax(1, QThread::idealThreadCount());
    d->options.retries = qMax(1, d->options.retries);
}

WorkerPool::~WorkerPool()
{
    for (auto &r : d->running) {
        if (r.child)
            QObject::disconnect(r.child, nullptr, this, nullptr);
    }
    for (auto &w : d->workers) {
        if (w.child)
            QObject::disconnect(w.child, nullptr, this, nullptr);
    }
    auto bury = [](ChildProcess *child) {
        if (!child)
            return;
        child->setParent(nullptr);
        child->setAutoDelete(true); // deleted once closed, so nothing is left unreaped
        child->kill(SIGKILL);
        if (!child->isRunning())
            child->deleteLater();
    };
    for (auto &r : d->running) {
        if (r.worker < 0)
            bury(r.child);
    }
    for (auto &w : d->workers)
        bury(w.child);
}

void WorkerPool::setCommand(const JobTemplate &command)
{
    d->command = command;
}

void WorkerPool::setWorker(const QString &program, const QStringList &args, const QString &op)
{
    d->workerProgram = program;
    d->workerArgs = args;
    d->op = op;
}

void WorkerPool::addInputs(const QStringList &inputs)
{
    for (const QString &input : inputs)
        d->queue.push_back({++d->total, input, 1});
    if (d->started && !d->halted) {
        d->dispatch();
        d->emitProgress();
    }
}

void WorkerPool::start()
{
    if (d->started)
        return;
    d->started = true;
    d->clock.start();
    if (d->workerMode()) {
        const int count = qMin(d->options.jobs, qMax(1, int(d->queue.size())));
        d->workers.resize(count);
        for (int i = 0; i < count; ++i)
            d->startWorker(i);
    }
    d->dispatch();
    d->emitProgress();
    QMetaObject::invokeMethod(this, [this] { d->maybeFinish(); }, Qt::QueuedConnection);
}

void WorkerPool::stop()
{
    if (!d->started || d->finishedEmitted)
        return;
    d->haltNow();
    d->maybeFinish();
}

bool WorkerPool::isRunning() const
{
    return d->started && !d->finishedEmitted;
}

int WorkerPool::concurrency() const
{
    return d->options.jobs;
}

PoolProgress WorkerPool::progress() const
{
    PoolProgress p;
    p.total = d->total;
    p.done = d->done;
    p.failed = d->failed;
    p.running = int(d->running.size());
    p.queued = int(d->queue.size());
    p.skipped = d->skipped;
    p.elapsedMs = d->clock.isValid() ? d->clock.elapsed() : 0;
    const int ended = p.done + p.failed;
    if (ended > 0)
        p.etaMs = p.elapsedMs * (p.queued + p.running) / ended;
    return p;
}

void WorkerPoolPrivate::emitProgress()
{
    Q_EMIT q->progressChanged(q->progress());
}

void WorkerPoolPrivate::dispatch()
{
    if (halted)
        return;
    if (workerMode()) {
        for (int i = 0; i < workers.size() && !queue.empty(); ++i) {
            if (workers[i].ready && !workers[i].busy && !workers[i].retiring) {
                const Job job = queue.front();
                queue.pop_front();
                sendToWorker(i, job);
            }
        }
        return;
    }
    while (!queue.empty() && running.size() < options.jobs && !halted) {
        const Job job = queue.front();
        queue.pop_front();
        startProcessJob(job);
    }
}

void WorkerPoolPrivate::startProcessJob(const Job &job)
{
    const QStringList argv = command.expand(job.input, job.seq);
    Running &r = running[job.seq];
    r.result.seq = job.seq;
    r.result.attempt = job.attempt;
    r.result.input = job.input;
    r.result.command = command.commandLine(job.input, job.seq);
    r.result.startTime = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    r.clock.start();

    SpawnOptions o;
    o.cwd = options.cwd;
    o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe};
    ChildProcess *child = spawn(argv.value(0), argv.mid(1), o, q);
    child->setAutoDelete(false);
    r.child = child;
    r.result.pid = child->pid();
    const int seq = job.seq;
    const qsizetype cap = options.maxOutputBytes;
    QObject::connect(child, &ChildProcess::stdoutData, q, [this, seq, cap](const QByteArray &data) {
        JobResult &res = running[seq].result;
        res.bytesOut += data.size();
        if (res.out.size() < cap)
            res.out += data.left(cap - res.out.size());
    });
    QObject::connect(child, &ChildProcess::stderrData, q, [this, seq, cap](const QByteArray &data) {
        JobResult &res = running[seq].result;
        res.bytesErr += data.size();
        if (res.err.size() < cap)
            res.err += data.left(cap - res.err.size());
    });
    QObject::connect(child, &ChildProcess::errorOccurred, q, [this, seq](const ProcessError &e) {
        JobResult &res = running[seq].result;
        if (res.error.isEmpty() && !res.timedOut && res.pid <= 0)
            res.error = e.message;
    });
    QObject::connect(child, &ChildProcess::closed, q, [this, seq, child](int code, const QString &signal) {
        Running &run = running[seq];
        if (child->pid() > 0) {
            if (signal.isEmpty())
                run.result.exitCode = code;
            run.result.signal = signal;
        }
        child->deleteLater();
        endAttempt(seq);
    });
    if (options.timeoutMs > 0) {
        r.timer = new QTimer(q);
        r.timer->setSingleShot(true);
        QObject::connect(r.timer, &QTimer::timeout, q, [this, seq] {
            Running &run = running[seq];
            run.result.timedOut = true;
            run.result.error = QStringLiteral("timed out after %1 ms").arg(options.timeoutMs);
            if (run.child) {
                run.child->kill(options.killSignal);
                QPointer<ChildProcess> guard = run.child;
                QTimer::singleShot(options.stopGraceMs, q, [guard] {
                    if (guard && guard->isRunning())
                        guard->kill(SIGKILL);
                });
            }
        });
        r.timer->start(options.timeoutMs);
    }
    Q_EMIT q->jobStarted(job.seq, job.attempt, child->pid(), r.result.command);
}

void WorkerPoolPrivate::startWorker(int index)
{
    ForkOptions o;
    o.cwd = options.cwd;
    o.stdio = StdioList{StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe, StdioMode::Ipc};
    ChildProcess *child = fork(workerProgram, workerArgs, o, q);
    child->setAutoDelete(false);
    workers[index] = Worker{child, 0, false, false};
    ++openWorkers;
    QObject::connect(child, &ChildProcess::spawned, q, [this, index, child] {
        if (workers[index].child != child)
            return;
        workers[index].ready = true;
        dispatch();
        emitProgress();
    });
    auto output = [this, index, child](bool isErr, const QByteArray &data) {
        const int seq = workers[index].child == child ? workers[index].busy : 0;
        if (!seq)
            return;
        JobResult &res = running[seq].result;
        (isErr ? res.bytesErr : res.bytesOut) += data.size();
        QByteArray &kept = isErr ? res.err : res.out;
        if (kept.size() < options.maxOutputBytes)
            kept += data.left(options.maxOutputBytes - kept.size());
    };
    QObject::connect(child, &ChildProcess::stdoutData, q, [output](const QByteArray &data) { output(false, data); });
    QObject::connect(child, &ChildProcess::stderrData, q, [output](const QByteArray &data) { output(true, data); });
    QObject::connect(child, &ChildProcess::message, q, [this, index, child](const QJsonValue &m) {
        Worker &w = workers[index];
        const QJsonObject reply = m.toObject();
        if (w.child != child || !w.busy || reply.value(QStringLiteral("id")).toInt() != w.busy)
            return; // not an answer to the job it holds
        const int seq = w.busy;
        w.busy = 0;
        Running &run = running[seq];
        run.result.reply = m;
        QString error;
        if (reply.value(QStringLiteral("ok")).toBool()) {
            run.result.exitCode = 0;
        } else {
            run.result.exitCode = 1;
            error = reply.value(QStringLiteral("error")).toString(QStringLiteral("the worker reported a failure"));
        }
        endAttempt(seq, error);
    });
    QObject::connect(child, &ChildProcess::errorOccurred, q, [this, index, child](const ProcessError &e) {
        Worker &w = workers[index];
        if (child->pid() <= 0)
            workerStartError = e.message;
        else if (w.child == child && w.busy)
            running[w.busy].result.error = QStringLiteral("worker error: %1").arg(e.message);
    });
    QObject::connect(child, &ChildProcess::closed, q, [this, index, child](int code, const QString &signal) {
        --openWorkers;
        child->deleteLater();
        Worker &w = workers[index];
        if (w.child != child) {
            maybeFinish();
            return;
        }
        const int seq = w.busy;
        const bool neverStarted = child->pid() <= 0;
        w = Worker{};
        if (neverStarted) {
            // Another worker from the same program would fail the same way: the queue fails.
            const QString why = QStringLiteral("the worker did not start: %1").arg(workerStartError);
            while (!queue.empty()) {
                const Job job = queue.front();
                queue.pop_front();
                JobResult r;
                r.seq = job.seq;
                r.attempt = job.attempt;
                r.input = job.input;
                r.command = QStringLiteral("%1 %2").arg(op, job.input);
                r.error = why;
                r.startTime = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
                ++failed;
                Q_EMIT q->jobFinished(r);
            }
            emitProgress();
            maybeFinish();
            return;
        }
        if (seq) {
            Running &run = running[seq];
            if (run.result.error.isEmpty())
                run.result.error = signal.isEmpty() ? QStringLiteral("the worker exited with code %1").arg(code)
                                                    : QStringLiteral("the worker was killed by %1").arg(signal);
            run.result.signal = signal;
            if (signal.isEmpty())
                run.result.exitCode = code;
            replacing = true; // a retry may be queued: not finished yet
            endAttempt(seq);
            replacing = false;
        }
        // A replacement, while there is work it could do.
        if (!halted && !queue.empty())
            startWorker(index);
        maybeFinish();
    });
}

void WorkerPoolPrivate::sendToWorker(int index, const Job &job)
{
    Worker &w = workers[index];
    w.busy = job.seq;
    Running &r = running[job.seq];
    r.result.seq = job.seq;
    r.result.attempt = job.attempt;
    r.result.input = job.input;
    r.result.command = QStringLiteral("%1 %2").arg(op, job.input);
    r.result.pid = w.child->pid();
    r.result.startTime = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    r.clock.start();
    r.child = w.child;
    r.worker = index;
    w.child->send(QJsonObject{{QStringLiteral("id"), job.seq}, {QStringLiteral("op"), op}, {QStringLiteral("input"), job.input}});
    if (options.timeoutMs > 0) {
        r.timer = new QTimer(q);
        r.timer->setSingleShot(true);
        const int seq = job.seq;
        QObject::connect(r.timer, &QTimer::timeout, q, [this, seq, index] {
            Running &run = running[seq];
            run.result.timedOut = true;
            run.result.error = QStringLiteral("timed out after %1 ms").arg(options.timeoutMs);
            // The worker is busy with it and cannot be trusted to stop: it is replaced.
            if (workers[index].child && workers[index].busy == seq) {
                QPointer<ChildProcess> child = workers[index].child;
                child->kill(options.killSignal);
                QTimer::singleShot(options.stopGraceMs, q, [child] {
                    if (child && child->isRunning())
                        child->kill(SIGKILL);
                });
            }
        });
        r.timer->start(options.timeoutMs);
    }
    Q_EMIT q->jobStarted(job.seq, job.attempt, r.result.pid, r.result.command);
}

void WorkerPoolPrivate::endAttempt(int seq, const QString &error)
{
    auto it = running.find(seq);
    if (it == running.end())
        return;
    Running run = *it;
    running.erase(it);
    if (run.timer)
        run.timer->deleteLater();
    JobResult result = run.result;
    result.runtime = double(run.clock.nsecsElapsed()) / 1e9;
    if (result.error.isEmpty())
        result.error = error;

    if (!result.ok() && result.attempt < options.retries && !halted) {
        Q_EMIT q->jobRetried(result);
        queue.push_front({seq, result.input, result.attempt + 1});
    } else {
        if (result.ok())
            ++done;
        else
            ++failed;
        Q_EMIT q->jobFinished(result);
        if (!result.ok() && !halted && options.halt != HaltPolicy::Never) {
            if (options.halt == HaltPolicy::Now)
                haltNow();
            else
                halted = true;
        }
    }
    if (halted) {
        skipped += int(queue.size());
        queue.clear();
    }
    dispatch();
    emitProgress();
    maybeFinish();
}

void WorkerPoolPrivate::haltNow()
{
    halted = true;
    skipped += int(queue.size());
    queue.clear();
    if (killing)
        return;
    killing = true;
    QList<QPointer<ChildProcess>> victims;
    for (const Running &r : std::as_const(running)) {
        if (r.child)
            victims << r.child;
    }
    for (const Worker &w : std::as_const(workers)) {
        if (w.child && !victims.contains(w.child))
            victims << w.child;
    }
    for (const auto &child : victims) {
        child->kill(options.killSignal);
    }
    QTimer::singleShot(options.stopGraceMs, q, [victims] {
        for (const auto &child : victims) {
            if (child && child->isRunning())
                child->kill(SIGKILL);
        }
    });
}

void WorkerPoolPrivate::maybeFinish()
{
    if (finishedEmitted || !started || replacing || !running.isEmpty())
        return;
    if (!queue.empty() && !halted) {
        if (!workerMode())
            return;
        bool anyWorker = false;
        for (const Worker &w : std::as_const(workers))
            anyWorker = anyWorker || w.child;
        if (anyWorker)
            return;
    }
    // Idle workers are let go: closing the channel is their cue to end.
    for (Worker &w : workers) {
        if (w.child && !w.retiring) {
            w.retiring = true;
            w.child->disconnectChannel();
            // One that keeps running regardless is stopped as a halt would.
            QPointer<ChildProcess> child = w.child;
            const int grace = options.stopGraceMs;
            QTimer::singleShot(grace, q, [child, grace, this] {
                if (!child || !child->isRunning())
                    return;
                child->kill(SIGTERM);
                QTimer::singleShot(grace, q, [child] {
                    if (child && child->isRunning())
                        child->kill(SIGKILL);
                });
            });
        }
    }
    if (openWorkers > 0)
        return;
    finishedEmitted = true;
    Q_EMIT q->finished(q->progress());
}

} // namespace Spawnscope
