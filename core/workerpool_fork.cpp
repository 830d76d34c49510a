#include "workerpool_p.h"

#include "logging_p.h"

#include "spawnfunctions.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Spawnscope {

void WorkerPoolPrivate::failQueue(const QString &why)
{
    while (!queue.empty()) {
        const Job job = queue.front();
        queue.pop_front();
        JobResult r;
        r.seq = job.seq;
        r.attempt = job.attempt;
        r.input = job.input;
        r.command = op.isEmpty() ? job.input : QStringLiteral("%1 %2").arg(op, job.input);
        r.error = why;
        r.startTime = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        ++failed;
        Q_EMIT q->jobFinished(r);
    }
    emitProgress();
    maybeFinish();
}

void WorkerPoolPrivate::startWorker(int index)
{
    ForkOptions o;
    o.cwd = options.cwd;
    o.killWithParent = options.killWithParent;
    o.stdio = StdioList{StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe, StdioMode::Ipc};
    ChildProcess *child = fork(workerProgram, workerArgs, o, q);
    child->setAutoDelete(false);
    workers[index] = Worker{child, 0, false, false};
    ++openWorkers;
    QObject::connect(child, &ChildProcess::spawned, q, [this, index, child] {
        if (workers[index].child != child)
            return;
        workers[index].ready = true;
        aloneShortages = 0;
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
        Q_EMIT q->jobOutput(seq, isErr ? OutputStream::Stderr : OutputStream::Stdout, data);
    };
    QObject::connect(child, &ChildProcess::stdoutData, q, [output](const QByteArray &data) { output(false, data); });
    QObject::connect(child, &ChildProcess::stderrData, q, [output](const QByteArray &data) { output(true, data); });
    QObject::connect(child, &ChildProcess::message, q, [this, index, child](const QJsonValue &m) {
        Worker &w = workers[index];
        if (w.child != child || !w.busy)
            return; // the protocol has nothing for a worker to say between jobs
        const int seq = w.busy;
        w.busy = 0;
        Running &run = running[seq];
        run.result.reply = m;
        const QJsonObject reply = m.toObject();
        const QJsonValue id = reply.value(QStringLiteral("id"));
        const QJsonValue ok = reply.value(QStringLiteral("ok"));
        if (!m.isObject() || !id.isDouble() || id.toDouble() != seq || !ok.isBool()) {
            // Out of step with the protocol: neither this answer nor the worker's next can be
            // trusted, so the job fails now (waiting would hang) and the worker is replaced.
            QByteArray said = QJsonDocument(QJsonArray{m}).toJson(QJsonDocument::Compact);
            said = said.mid(1, said.size() - 2);
            if (said.size() > 200)
                said = said.left(200) + "...";
            w.retiring = true;
            child->kill(SIGKILL);
            endAttempt(seq, QStringLiteral("malformed reply from the worker: %1 (expected {\"id\": %2, \"ok\": true or false, ...})")
                                .arg(QString::fromUtf8(said)).arg(seq));
            return;
        }
        QString error;
        if (ok.toBool()) {
            run.result.exitCode = 0;
        } else {
            run.result.exitCode = 1;
            error = reply.value(QStringLiteral("error")).toString(QStringLiteral("the worker reported a failure"));
        }
        endAttempt(seq, error);
    });
    QObject::connect(child, &ChildProcess::errorOccurred, q, [this, index, child](const ProcessError &e) {
        Worker &w = workers[index];
        if (child->pid() <= 0) {
            workerStartError = e.message;
            if (w.child == child)
                w.refusedForWant = isShortage(e);
        } else if (w.child == child && w.busy)
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
        const bool refusedForWant = w.refusedForWant;
        w = Worker{};
        if (neverStarted && refusedForWant && !halted && !queue.empty()) {
            // Short of descriptors or processes, as the jobs' processes are in process mode:
            // the workers running do the work, this lane stays empty until the pool climbs back.
            const int live = liveWorkers();
            lowerLimit(live, workerStartError);
            if (live > 0) {
                maybeFinish();
                return;
            }
            // None runs: what ended workers held may not be let go yet. A few short pauses
            // before the queue fails, one lane tried again at a time.
            if (shortagePause)
                return;
            if (++aloneShortages <= MaxAloneShortages) {
                shortagePause = true;
                QTimer::singleShot(ShortagePauseMs, q, [this, index] {
                    shortagePause = false;
                    if (!halted && !queue.empty() && !workers[index].child)
                        startWorker(index);
                    maybeFinish();
                });
                return;
            }
        }
        if (neverStarted) {
            // Another worker from the same program would fail the same way: the queue fails.
            failQueue(QStringLiteral("the worker did not start: %1").arg(workerStartError));
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
        // A replacement, while there is work it could do (and the system has room for it),
        // unless a climb back from a shortage has already put a worker in this lane.
        if (!halted && !queue.empty() && !workers[index].child && liveWorkers() < limit()) {
            qCInfo(lcPool, "worker %d ended (exit %d %s) with jobs left: a new one replaces it", index, code, qPrintable(signal));
            startWorker(index);
        }
        maybeFinish();
    });
}

int WorkerPoolPrivate::liveWorkers() const
{
    int live = 0;
    for (const Worker &w : workers)
        live += w.child && w.child->pid() > 0 && !w.retiring;
    return live;
}

void WorkerPoolPrivate::startSpareWorker()
{
    if (halted || queue.empty() || liveWorkers() >= limit())
        return;
    for (int i = 0; i < workers.size(); ++i) {
        if (!workers[i].child) {
            startWorker(i);
            return;
        }
    }
}

void WorkerPoolPrivate::sendToWorker(int index, const Job &job)
{
    Worker &w = workers[index];
    w.busy = job.seq;
    Running &r = running[job.seq];
    r.result.seq = job.seq;
    r.result.slot = index;
    r.result.attempt = job.attempt;
    r.result.input = job.input;
    r.result.command = op.isEmpty() ? job.input : QStringLiteral("%1 %2").arg(op, job.input);
    r.result.pid = w.child->pid();
    r.result.startTime = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    r.clock.start();
    r.child = w.child;
    r.worker = index;
    QJsonObject message{{QStringLiteral("id"), job.seq}, {QStringLiteral("input"), job.input}};
    if (!op.isEmpty())
        message.insert(QStringLiteral("op"), op);
    w.child->send(message);
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
    Q_EMIT q->jobStarted(job.seq, job.attempt, r.result.pid, r.result.command, index);
}

} // namespace Spawnscope
