#include "batchcommand.h"

#include "interruptnotifier.h"
#include "jobspool.h"
#include "terminal.h"

#include <batchinputs.h>
#include <joblog.h>
#include <osstring.h>
#include <spawnfunctions.h>
#include <workerpool.h>

#include <stagetemplate.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QStandardPaths>

#include <cstdio>
#include <map>

#include <unistd.h>

using namespace Spawnscope;

namespace {

const char kUsage[] =
    "usage: spawnscope batch [-j N] [--retries N] [--timeout MS] [--halt never|soon|now]\n"
    "                        [--joblog FILE] [--keep-order] [--shell] TEMPLATE [INPUT... | ::: INPUT... | :::: FILE]\n"
    "       spawnscope batch --worker [PROGRAM] [--op OP] [same options] [INPUT... | ::: INPUT... | :::: FILE]\n"
    "Inputs come from standard input, one a line, when none are given. In TEMPLATE, {} is the\n"
    "input, {.} without extension, {/} its base name, {//} its directory, {#} the job number.\n"
    "The words before ::: make the template, as in GNU parallel. spawnscope-worker (the default\n"
    "worker) needs --op; a worker of your own gets {\"id\", \"input\"[, \"op\"]} and answers\n"
    "{\"id\", \"ok\": true|false[, \"result\"][, \"error\"]} (see docs/worker-protocol.md).\n";

int usage(const QString &why)
{
    std::fprintf(stderr, "spawnscope batch: %s\n%s", qPrintable(why), kUsage);
    return 2;
}


QString defaultWorker()
{
    return StageTemplate::workerProgram();
}

// Asks the worker for its operations (`spawnscope-worker --ops`, one a line).
bool checkDefaultWorkerOp(const QString &op, QString *error)
{
    const SyncResult r = spawnSync(defaultWorker(), {QStringLiteral("--ops")});
    const QStringList ops = QString::fromUtf8(r.standardOutput).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (r.error || r.status != 0 || ops.isEmpty()) {
        *error = QStringLiteral("cannot ask %1 for its operations: %2")
                     .arg(defaultWorker(), r.error ? r.error->message : QString::fromUtf8(r.standardError).trimmed());
        return false;
    }
    if (op.isEmpty()) {
        *error = QStringLiteral("spawnscope-worker needs --op, one of %1").arg(ops.join(QStringLiteral(", ")));
        return false;
    }
    if (!ops.contains(op)) {
        *error = QStringLiteral("spawnscope-worker has no operation \"%1\"; it has %2").arg(op, ops.join(QStringLiteral(", ")));
        return false;
    }
    return true;
}

QString duration(qint64 ms)
{
    const qint64 s = (ms + 500) / 1000;
    return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QByteArray progressLine(const PoolProgress &p)
{
    const int ended = p.done + p.failed;
    const int width = 30;
    const int filled = p.total ? width * ended / p.total : 0;
    QString bar = QString(filled, QLatin1Char('=')) + QString(width - filled, QLatin1Char(' '));
    return QStringLiteral("\r\033[K[%1] %2/%3 done, %4 failed, %5 running, ETA %6")
        .arg(bar).arg(ended).arg(p.total).arg(p.failed).arg(p.running)
        .arg(p.etaMs < 0 ? QStringLiteral("?") : duration(p.etaMs))
        .toUtf8();
}

} // namespace

int runBatchCommand(const QStringList &args)
{
    PoolOptions options;
    // Spawned from the main thread, so the jobs die with this process, even by SIGKILL.
    options.killWithParent = true;
    QString joblogPath;
    bool keepOrder = false;
    bool useShell = false;
    bool workerMode = false;
    QString workerProgram;
    QString op;
    QStringList positional;
    bool optionsEnded = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        auto number = [&](int *out, int min) {
            bool ok = false;
            if (i + 1 >= args.size())
                return false;
            *out = args[++i].toInt(&ok);
            return ok && *out >= min;
        };
        if (optionsEnded || !a.startsWith(QLatin1Char('-')) || a == QLatin1String("-")) {
            positional << a;
            if (!workerMode)
                optionsEnded = true; // the template's own options are not ours
        } else if (a == QLatin1String("--")) {
            optionsEnded = true;
        } else if (a == QLatin1String("-j") || a == QLatin1String("--jobs")) {
            if (!number(&options.jobs, 1))
                return usage(QStringLiteral("-j takes a number of jobs >= 1"));
        } else if (a == QLatin1String("--retries")) {
            if (!number(&options.retries, 1))
                return usage(QStringLiteral("--retries takes a number of attempts >= 1"));
        } else if (a == QLatin1String("--timeout")) {
            if (!number(&options.timeoutMs, 1))
                return usage(QStringLiteral("--timeout takes milliseconds"));
        } else if (a == QLatin1String("--halt")) {
            const QString v = args.value(++i);
            if (v == QLatin1String("never"))
                options.halt = HaltPolicy::Never;
            else if (v == QLatin1String("soon"))
                options.halt = HaltPolicy::Soon;
            else if (v == QLatin1String("now"))
                options.halt = HaltPolicy::Now;
            else
                return usage(QStringLiteral("--halt takes never, soon or now"));
        } else if (a == QLatin1String("--joblog")) {
            if (i + 1 >= args.size())
                return usage(QStringLiteral("--joblog needs a file name"));
            joblogPath = args[++i];
        } else if (a == QLatin1String("--keep-order") || a == QLatin1String("-k")) {
            keepOrder = true;
        } else if (a == QLatin1String("--shell")) {
            useShell = true;
        } else if (a == QLatin1String("--worker")) {
            workerMode = true;
            if (i + 1 < args.size() && !args[i + 1].startsWith(QLatin1Char('-')) && BatchInputs::sourceStart({args[i + 1]}) < 0)
                workerProgram = args[++i];
        } else if (a == QLatin1String("--op")) {
            if (i + 1 >= args.size())
                return usage(QStringLiteral("--op needs an operation"));
            op = args[++i];
        } else {
            return usage(QStringLiteral("unknown option %1").arg(OsString::readable(a)));
        }
    }

    // Each job's output is spooled here, all of it: the pool need keep none.
    options.maxOutputBytes = 0;
    WorkerPool pool(options);
    QStringList inputs;
    const qsizetype source = BatchInputs::sourceStart(positional);
    QStringList before = source < 0 ? positional : positional.mid(0, source);
    if (source >= 0) {
        QString error;
        const auto read = BatchInputs::read(positional.mid(source), &error);
        if (!read)
            return usage(error);
        inputs = *read;
    }
    if (workerMode) {
        if (workerProgram.isEmpty()) {
            // Our own worker knows its operations: a mistyped one fails here, once, not per job.
            QString error;
            if (!checkDefaultWorkerOp(op, &error))
                return usage(error);
        }
        pool.setWorker(workerProgram.isEmpty() ? defaultWorker() : workerProgram, {}, op);
        if (source >= 0 && !before.isEmpty())
            return usage(QStringLiteral("inputs both before and after %1").arg(positional[source]));
        if (source < 0)
            inputs = before;
    } else {
        if (before.isEmpty())
            return usage(QStringLiteral("no command template"));
        // Before :::, the words are the command, joined as GNU parallel joins them.
        const QString line = source < 0 ? before.first() : before.join(QLatin1Char(' '));
        QString error;
        const auto command = JobTemplate::fromLine(line, &error, useShell ? QStringLiteral("/bin/sh") : QString());
        if (!command)
            return usage(QStringLiteral("template: %1").arg(error));
        pool.setCommand(*command);
        if (source < 0)
            inputs = before.mid(1);
    }
    if (inputs.isEmpty() && source < 0) {
        // Bytes, not text: an input is most often a name, and a name need not be UTF-8.
        QFile in;
        if (in.open(stdin, QIODevice::ReadOnly))
            inputs = BatchInputs::lines(in.readAll());
    }

    QFile joblog;
    if (!joblogPath.isEmpty()) {
        QString why;
        if (!OsString::openFile(joblog, joblogPath, QIODevice::WriteOnly | QIODevice::Truncate, &why)) {
            std::fprintf(stderr, "spawnscope batch: cannot write %s: %s\n", qPrintable(OsString::readable(joblogPath)), qPrintable(why));
            return 2;
        }
        joblog.write(JobLog::header());
        joblog.flush();
    }
    const bool showProgress = Terminal::isTerminal(STDERR_FILENO);
    bool progressShown = false;
    auto clearProgress = [&] {
        if (progressShown)
            Terminal::write(STDERR_FILENO, "\r\033[K");
        progressShown = false;
    };

    QMap<int, JobResult> held; // --keep-order: finished, waiting for an earlier job
    int nextToPrint = 1;
    struct Spools
    {
        JobSpool out;
        JobSpool err;
    };
    std::map<int, Spools> spools; // per job, until it is printed
    QObject::connect(&pool, &WorkerPool::jobOutput, [&](int seq, OutputStream stream, const QByteArray &chunk) {
        Spools &s = spools[seq];
        (stream == OutputStream::Stderr ? s.err : s.out).append(chunk);
    });
    int unprintable = 0;
    auto print = [&](const JobResult &r) {
        clearProgress();
        const auto spooled = spools.find(r.seq);
        if (workerMode) {
            QJsonObject line{{QStringLiteral("seq"), r.seq}, {QStringLiteral("input"), r.input}, {QStringLiteral("ok"), r.ok()}};
            if (r.ok())
                line.insert(QStringLiteral("result"), r.reply.toObject().value(QStringLiteral("result")));
            else
                line.insert(QStringLiteral("error"), r.error);
            Terminal::write(STDOUT_FILENO, QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
        }
        if (spooled != spools.end()) {
            QString error;
            if (!spooled->second.out.writeTo(STDOUT_FILENO, &error) || !spooled->second.err.writeTo(STDERR_FILENO, &error)) {
                Terminal::write(STDERR_FILENO, QStringLiteral("spawnscope batch: job %1: output lost: %2\n").arg(r.seq).arg(error).toUtf8());
                ++unprintable;
            }
            spools.erase(spooled);
        }
        if (!workerMode && !r.error.isEmpty())
            Terminal::write(STDERR_FILENO, QStringLiteral("spawnscope batch: job %1 (%2): %3\n")
                                               .arg(r.seq)
                                               .arg(OsString::readable(r.command), OsString::readable(r.error))
                                               .toUtf8());
    };
    auto logAttempt = [&](const JobResult &r) {
        if (joblog.isOpen()) {
            joblog.write(JobLog::line(r));
            joblog.flush();
        }
    };
    // Said when the limit goes lower than last said, and when it is all the way back: the pool
    // probes now and then on its way up, and a probe that finds the system still short would
    // otherwise repeat the same line.
    int saidLimit = pool.concurrency();
    QObject::connect(&pool, &WorkerPool::concurrencyLowered, [&](int jobs, const QString &why) {
        if (jobs >= saidLimit)
            return;
        saidLimit = jobs;
        clearProgress();
        Terminal::write(STDERR_FILENO, QStringLiteral("spawnscope batch: %1: now at most %2 job(s) at once\n").arg(why).arg(jobs).toUtf8());
    });
    QObject::connect(&pool, &WorkerPool::concurrencyRaised, [&](int jobs) {
        if (jobs < pool.concurrency())
            return;
        saidLimit = jobs;
        clearProgress();
        Terminal::write(STDERR_FILENO, QStringLiteral("spawnscope batch: no shortage for a while: back to %1 job(s) at once\n").arg(jobs).toUtf8());
    });
    QObject::connect(&pool, &WorkerPool::jobRetried, [&](const JobResult &r) {
        logAttempt(r);
        spools.erase(r.seq); // only the last attempt's output is printed
    });
    QObject::connect(&pool, &WorkerPool::jobFinished, [&](const JobResult &r) {
        logAttempt(r);
        if (!keepOrder) {
            print(r);
            return;
        }
        held.insert(r.seq, r);
        while (held.contains(nextToPrint))
            print(held.take(nextToPrint++));
    });
    if (showProgress) {
        QObject::connect(&pool, &WorkerPool::progressChanged, [&](const PoolProgress &p) {
            Terminal::write(STDERR_FILENO, progressLine(p));
            progressShown = true;
        });
    }
    int failed = 0;
    QObject::connect(&pool, &WorkerPool::finished, [&](const PoolProgress &p) {
        for (const JobResult &r : std::as_const(held)) // after a halt, jobs that never ran leave gaps
            print(r);
        clearProgress();
        failed = p.failed;
        if (p.skipped > 0)
            std::fprintf(stderr, "spawnscope batch: halted; %d job(s) not started\n", p.skipped);
        QCoreApplication::exit(0);
    });
    int interrupted = 0;
    InterruptNotifier interrupts;
    QObject::connect(&interrupts, &InterruptNotifier::interrupted, &pool, [&](int signal) {
        if (!interrupted)
            interrupted = signal;
        pool.stop();
    });
    pool.addInputs(inputs);
    pool.start();
    QCoreApplication::exec();
    joblog.close();
    if (interrupted)
        return 128 + interrupted; // as a shell reports a command a signal ended
    return qMin(failed + unprintable, 101);
}
