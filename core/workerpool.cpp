#include "workerpool_p.h"

#include "logging_p.h"
#include "osstring.h"

#include <QDir>

#include "spawnfunctions.h"

#include <QDateTime>
#include <QThread>

#include <csignal>

#include <unistd.h>

namespace Spawnscope {

WorkerPool::WorkerPool(const PoolOptions &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<WorkerPoolPrivate>())
{
    d->q = this;
    d->options = options;
    if (d->options.jobs <= 0)
        d->options.jobs = qMax(1, QThread::idealThreadCount());
    d->options.retries = qMax(1, d->options.retries);
    d->quietMs = WorkerPoolPrivate::FirstQuietMs;
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
        if (r.worker < 0 && r.child)
            WorkerPoolPrivate::signalGroup(r.child->pid(), SIGKILL);
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
        // A path that names nothing can run neither as a program nor as a module under node.
        const QString &program = d->workerProgram;
        const QString onDisk = d->options.cwd.isEmpty() || QDir::isAbsolutePath(program) ? program : QDir(d->options.cwd).filePath(program);
        auto exists = [](const QString &path) { return ::access(OsString::encode(path).constData(), F_OK) == 0; }; // by its bytes
        if (program.contains(QLatin1Char('/')) && !exists(onDisk) && !exists(onDisk + QStringLiteral(".js"))) {
            QMetaObject::invokeMethod(this, [this, program] {
                d->failQueue(QStringLiteral("the worker did not start: %1 does not exist").arg(OsString::readable(program)));
            },
                                      Qt::QueuedConnection);
            return;
        }
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

void WorkerPool::halt()
{
    if (!d->started || d->finishedEmitted || d->halted)
        return;
    d->halted = true;
    d->skipped += int(d->queue.size());
    d->queue.clear();
    d->emitProgress();
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

int WorkerPool::currentConcurrency() const
{
    return d->limit();
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
    if (shortagePause)
        return;
    while (!queue.empty() && running.size() < limit() && !halted) {
        const Job job = queue.front();
        queue.pop_front();
        startProcessJob(job);
    }
}

int WorkerPoolPrivate::takeLane(int seq)
{
    if (lanes.size() < options.jobs)
        lanes.resize(options.jobs);
    const int free = int(lanes.indexOf(0));
    if (free >= 0)
        lanes[free] = seq;
    return free;
}

void WorkerPoolPrivate::startProcessJob(const Job &job)
{
    const QStringList argv = command.expand(job.input, job.seq);
    Running &r = running[job.seq];
    r.result.slot = takeLane(job.seq);
    r.result.seq = job.seq;
    r.result.attempt = job.attempt;
    r.result.input = job.input;
    r.result.command = command.commandLine(job.input, job.seq);
    r.result.startTime = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    r.clock.start();

    SpawnOptions o;
    o.cwd = options.cwd;
    o.killWithParent = options.killWithParent;
    // Each job leads a group of its own, so a timeout or a halt reaches what a shell job
    // started too, not just the shell; with killWithParent, so does this process's death.
    o.processGroup = 0;
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
        Q_EMIT q->jobOutput(seq, OutputStream::Stdout, data);
    });
    QObject::connect(child, &ChildProcess::stderrData, q, [this, seq, cap](const QByteArray &data) {
        JobResult &res = running[seq].result;
        res.bytesErr += data.size();
        if (res.err.size() < cap)
            res.err += data.left(cap - res.err.size());
        Q_EMIT q->jobOutput(seq, OutputStream::Stderr, data);
    });
    QObject::connect(child, &ChildProcess::errorOccurred, q, [this, seq](const ProcessError &e) {
        JobResult &res = running[seq].result;
        if (res.error.isEmpty() && !res.timedOut && res.pid <= 0) {
            res.error = e.message;
            res.startError = e;
        }
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
                const qint64 group = run.child->pid();
                signalGroup(group, options.killSignal.number());
                QTimer::singleShot(options.stopGraceMs, q, [group] { signalGroup(group, SIGKILL); });
            }
        });
        r.timer->start(options.timeoutMs);
    }
    if (child->pid() > 0)
        aloneShortages = 0;
    Q_EMIT q->jobStarted(job.seq, job.attempt, child->pid(), r.result.command, r.result.slot);
}

void WorkerPoolPrivate::signalGroup(qint64 group, int signal)
{
    // The kernel hands out no pid that is still some group's id, so while any member of the
    // group lives, this reaches only that group.
    if (group > 0)
        ::kill(-pid_t(group), signal);
}

void WorkerPoolPrivate::endAttempt(int seq, const QString &error)
{
    auto it = running.find(seq);
    if (it == running.end())
        return;
    Running run = *it;
    running.erase(it);
    if (run.worker < 0 && run.result.slot >= 0 && run.result.slot < lanes.size())
        lanes[run.result.slot] = 0;
    if (run.timer)
        run.timer->deleteLater();
    JobResult result = run.result;
    result.runtime = double(run.clock.nsecsElapsed()) / 1e9;
    if (result.error.isEmpty())
        result.error = error;

    if (!halted && throttleFor(result)) {
        Q_EMIT q->jobRetried(result);
        queue.push_front({seq, result.input, result.attempt}); // the system's shortage, not the job's: no attempt spent
    } else if (!result.ok() && result.attempt < options.retries && !halted) {
        const QString why = !result.error.isEmpty() ? result.error
                          : !result.signal.isEmpty() ? result.signal
                                                      : QStringLiteral("exit %1").arg(result.exitCode.value_or(-1));
        qCInfo(lcPool, "job %d failed (%s): attempt %d of %d next", seq, qPrintable(why), result.attempt + 1, options.retries);
        Q_EMIT q->jobRetried(result);
        queue.push_front({seq, result.input, result.attempt + 1});
        climb();
    } else {
        climb();
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

bool WorkerPoolPrivate::isShortage(const ProcessError &error)
{
    static const QStringList shortages{QStringLiteral("EMFILE"), QStringLiteral("ENFILE"), QStringLiteral("EAGAIN")};
    return shortages.contains(error.codeName());
}

bool WorkerPoolPrivate::throttleFor(const JobResult &result)
{
    // Out of descriptors or processes, the jobs running are what use them up: fewer at once
    // lets the rest start as those end, where failing them would lose work to a limit.
    if (workerMode() || !result.startError || !isShortage(*result.startError))
        return false;
    int started = 0; // jobs of the same burst that failed as well are in `running` too
    for (const Running &r : std::as_const(running))
        started += r.result.pid > 0;
    const bool alone = started == 0 && limit() <= 1;
    lowerLimit(started, result.startError->message);
    if (alone) {
        // One job alone refused: lowering further would not help, but what ended jobs held may
        // not be let go yet (their pipes close as the I/O thread gets to them). A few short
        // pauses before the job fails for good.
        if (++aloneShortages > MaxAloneShortages)
            return false;
        shortagePause = true;
        QTimer::singleShot(ShortagePauseMs, q, [this] {
            shortagePause = false;
            dispatch();
        });
    }
    return true;
}

void WorkerPoolPrivate::lowerLimit(int running, const QString &why)
{
    // A shortage that ends a climb says the limit is the system's for now: the next climb
    // waits twice as long.
    if (climbedSinceShortage)
        quietMs = qMin(2 * quietMs, MostQuietMs);
    climbedSinceShortage = false;
    sinceShortage.start();
    const int before = limit();
    throttle = qMax(1, qMin(before, running));
    if (throttle >= options.jobs)
        throttle = 0;
    if (limit() < before)
        Q_EMIT q->concurrencyLowered(limit(), why);
}

void WorkerPoolPrivate::climb()
{
    // Why climb back, and how. A shortage often passes (another program let its descriptors
    // go, another user's processes ended), and a pool that stayed low would run the rest of a
    // long batch at a fraction of what was asked. But each step up is a probe: one that finds
    // the system still short costs a refused start (and a line in the job log). So the pool
    // climbs only after a quiet spell without a shortage, then one step per job that ends (as
    // fast as ending jobs free what they held); a shortage that ends a climb doubles the spell,
    // from a second up to a minute, so that under a hard limit (ulimit -n) the pool seldom
    // probes, and it starts again from a second once it is all the way back.
    if (halted || throttle == 0 || !sinceShortage.isValid() || sinceShortage.elapsed() < quietMs)
        return;
    throttle = limit() + 1;
    climbedSinceShortage = true;
    if (throttle >= options.jobs) {
        throttle = 0;
        quietMs = FirstQuietMs;
    }
    Q_EMIT q->concurrencyRaised(limit());
    if (workerMode())
        startSpareWorker();
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
    QList<qint64> groups;
    for (const Running &r : std::as_const(running)) {
        if (r.child && r.worker < 0)
            groups << r.child->pid();
        else if (r.child)
            victims << r.child;
    }
    for (qint64 group : std::as_const(groups))
        signalGroup(group, options.killSignal.number());
    for (const Worker &w : std::as_const(workers)) {
        if (w.child && !victims.contains(w.child))
            victims << w.child;
    }
    for (const auto &child : victims) {
        child->kill(options.killSignal);
    }
    QTimer::singleShot(options.stopGraceMs, q, [victims, groups] {
        for (const auto &child : victims) {
            if (child && child->isRunning())
                child->kill(SIGKILL);
        }
        for (qint64 group : groups)
            signalGroup(group, SIGKILL);
    });
}

void WorkerPoolPrivate::maybeFinish()
{
    if (finishedEmitted || !started || replacing || !running.isEmpty())
        return;
    if (!queue.empty() && !halted) {
        if (!workerMode() || shortagePause)
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
