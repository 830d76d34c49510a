#include "fewdescriptors.h"
#include "recorder.h"

#include <joblog.h>
#include <workerpool.h>

#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Spawnscope;

namespace {

const QString child = QStringLiteral(TESTCHILD);
const QString worker = QStringLiteral(SPAWNSCOPE_WORKER);

JobTemplate testTemplate(const QStringList &words)
{
    return JobTemplate(QStringList{child} + words);
}

// Everything a pool says, and the most jobs it ever had running by its own account.
struct Log
{
    explicit Log(WorkerPool &pool)
    {
        QObject::connect(&pool, &WorkerPool::jobStarted, [this](int seq, int attempt, qint64 pid, const QString &, int slot) {
            if (slot < 0 || busySlots.contains(slot))
                slotClash = true;
            busySlots.insert(slot);
            slots_[seq] = slot;
            live.insert(seq);
            ++running;
            maxRunning = qMax(maxRunning, running);
            started << seq;
            pids.insert(pid);
            attempts[seq] = attempt;
        });
        QObject::connect(&pool, &WorkerPool::jobOutput, [this](int seq, OutputStream stream, const QByteArray &chunk) {
            if (!live.contains(seq))
                outputOutsideAttempt = true;
            (stream == OutputStream::Stdout ? streamedOut : streamedErr)[seq] += chunk;
            ++chunks;
        });
        QObject::connect(&pool, &WorkerPool::jobRetried, [this](const JobResult &r) {
            ended(r);
            --running;
            retried << r;
        });
        QObject::connect(&pool, &WorkerPool::jobFinished, [this](const JobResult &r) {
            ended(r);
            if (r.pid > 0 || r.attempt > 1 || started.contains(r.seq))
                --running;
            finished << r;
        });
        QObject::connect(&pool, &WorkerPool::progressChanged, [this](const PoolProgress &p) { progress << p; });
        QObject::connect(&pool, &WorkerPool::finished, [this](const PoolProgress &p) {
            final = p;
            ++finishedCount;
        });
    }
    void ended(const JobResult &r)
    {
        if (live.remove(r.seq) && (r.slot != slots_.value(r.seq) || !busySlots.remove(r.slot)))
            slotClash = true;
    }
    JobResult result(int seq) const
    {
        for (const JobResult &r : finished) {
            if (r.seq == seq)
                return r;
        }
        return {};
    }
    int running = 0;
    int maxRunning = 0;
    QSet<int> live;      // seqs with an attempt under way
    QSet<int> busySlots;
    QHash<int, int> slots_; // seq -> slot of its latest attempt
    bool slotClash = false; // two running jobs in one slot, or a result with another slot
    QHash<int, QByteArray> streamedOut;
    QHash<int, QByteArray> streamedErr;
    int chunks = 0;
    bool outputOutsideAttempt = false;
    QList<int> started;
    QSet<qint64> pids;
    QHash<int, int> attempts;
    QList<JobResult> retried;
    QList<JobResult> finished;
    QList<PoolProgress> progress;
    PoolProgress final;
    int finishedCount = 0;
};

// What the pool said of its limit, checked against concurrencyLowered()'s and
// concurrencyRaised()'s contract as it goes: a lowering goes down, a raise one step up, never
// past concurrency(), and currentConcurrency() already says the new limit.
struct LimitLog
{
    explicit LimitLog(WorkerPool &pool)
    {
        limit = pool.concurrency();
        QObject::connect(&pool, &WorkerPool::concurrencyLowered, [this, &pool](int jobs, const QString &why) {
            if (jobs >= limit || jobs < 1 || pool.currentConcurrency() != jobs)
                broken << QStringLiteral("lowered from %1 to %2 (current %3)").arg(limit).arg(jobs).arg(pool.currentConcurrency());
            limit = jobs;
            lowered << jobs;
            reasons << why;
        });
        QObject::connect(&pool, &WorkerPool::concurrencyRaised, [this, &pool](int jobs) {
            if (jobs != limit + 1 || jobs > pool.concurrency() || pool.currentConcurrency() != jobs)
                broken << QStringLiteral("raised from %1 to %2 (current %3)").arg(limit).arg(jobs).arg(pool.currentConcurrency());
            limit = jobs;
            raised << jobs;
        });
    }
    int limit = 0;
    QList<int> lowered;
    QList<int> raised;
    QStringList reasons;
    QStringList broken;
};

QStringList numbers(int n)
{
    QStringList out;
    for (int i = 1; i <= n; ++i)
        out << QString::number(i);
    return out;
}

} // namespace

class tst_WorkerPool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void concurrencyCapIsNeverExceeded_data()
    {
        QTest::addColumn<int>("jobs");
        QTest::newRow("1") << 1;
        QTest::newRow("2") << 2;
        QTest::newRow("4") << 4;
        QTest::newRow("8") << 8;
    }
    void concurrencyCapIsNeverExceeded()
    {
        QFETCH(int, jobs);
        PoolOptions options;
        options.jobs = jobs;
        WorkerPool pool(options);
        pool.setCommand(testTemplate({QStringLiteral("sleep"), QStringLiteral("40")}));
        pool.addInputs(numbers(16));
        Log log(pool);
        pool.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 30000);
        QCOMPARE(log.maxRunning, jobs); // reached and never passed
        QCOMPARE(log.finished.size(), 16);
        QCOMPARE(log.final.done, 16);
        QCOMPARE(log.final.failed, 0);
        QCOMPARE(log.final.running, 0);
        QCOMPARE(log.final.queued, 0);
        // Every job of the 16 in order of start, each once.
        QCOMPARE(log.started, (QList<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
        for (const PoolProgress &p : log.progress)
            QVERIFY(p.running <= jobs);
        QVERIFY(!log.slotClash);
        QCOMPARE(QSet<int>(log.slots_.cbegin(), log.slots_.cend()).size(), jobs); // every lane used
        for (int slot : std::as_const(log.slots_))
            QVERIFY(slot >= 0 && slot < jobs);
    }

    void defaultConcurrencyIsTheCoreCount()
    {
        WorkerPool pool;
        QCOMPARE(pool.concurrency(), qMax(1, QThread::idealThreadCount()));
    }

    void outputIsKeptApartPerJob()
    {
        // Eight jobs writing 2,000 lines each at the same time.
        PoolOptions options;
        options.jobs = 8;
        WorkerPool pool(options);
        pool.setCommand(JobTemplate({child, QStringLiteral("lines"), QStringLiteral("2000"), QStringLiteral("job{}")}));
        pool.addInputs(numbers(8));
        Log log(pool);
        pool.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 30000);
        for (int seq = 1; seq <= 8; ++seq) {
            QByteArray expected;
            for (int i = 1; i <= 2000; ++i)
                expected += "job" + QByteArray::number(seq) + ' ' + QByteArray::number(i) + '\n';
            const JobResult r = log.result(seq);
            QCOMPARE(r.out, expected);
            QCOMPARE(r.bytesOut, expected.size());
            QCOMPARE(r.command, QStringLiteral("%1 lines 2000 job%2").arg(child).arg(seq));
            QCOMPARE(log.streamedOut.value(seq), expected);
        }
        QVERIFY(!log.outputOutsideAttempt);
    }

    void outputBeyondTheCapIsCounted()
    {
        PoolOptions options;
        options.maxOutputBytes = 1000;
        WorkerPool pool(options);
        pool.setCommand(testTemplate({QStringLiteral("flood")}));
        pool.addInputs({QStringLiteral("100000")});
        Log log(pool);
        pool.start();
        QTRY_COMPARE(log.finishedCount, 1);
        QCOMPARE(log.result(1).out.size(), 1000);
        QCOMPARE(log.result(1).bytesOut, 100000);
        // The signal carries all of it: the cap is the result's alone.
        QCOMPARE(log.streamedOut.value(1).size(), 100000);
    }

    void outputArrivesWhileTheJobRuns_data()
    {
        QTest::addColumn<int>("fd");
        QTest::addColumn<OutputStream>("stream");
        QTest::newRow("stdout") << 1 << OutputStream::Stdout;
        QTest::newRow("stderr") << 2 << OutputStream::Stderr;
    }
    void outputArrivesWhileTheJobRuns()
    {
        QFETCH(int, fd);
        QFETCH(OutputStream, stream);
        WorkerPool pool;
        pool.setCommand(testTemplate({QStringLiteral("lines-then-sleep"), QStringLiteral("1"), QStringLiteral("{}"), QString::number(fd)}));
        pool.addInputs({QStringLiteral("60000")});
        Log log(pool);
        QSignalSpy output(&pool, &WorkerPool::jobOutput);
        pool.start();
        QTRY_COMPARE(output.size(), 1);
        QCOMPARE(output.at(0).at(0).toInt(), 1);
        QCOMPARE(output.at(0).at(1).value<OutputStream>(), stream);
        QCOMPARE(output.at(0).at(2).toByteArray(), QByteArray("line 1\n"));
        QVERIFY(log.finished.isEmpty()); // it still sleeps
        QVERIFY(pool.isRunning());
        pool.stop();
        QTRY_COMPARE(log.finishedCount, 1);
        QCOMPARE(output.size(), 1);
        QVERIFY(!log.outputOutsideAttempt);
    }

    void workerOutputIsStreamedToo()
    {
        WorkerPool pool;
        pool.setWorker(worker, {}, QStringLiteral("noop"));
        pool.addInputs(numbers(4));
        Log log(pool);
        pool.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 20000);
        QVERIFY(!log.outputOutsideAttempt);
        QVERIFY(!log.slotClash);
        for (int seq = 1; seq <= 4; ++seq) {
            QCOMPARE(log.streamedOut.value(seq), log.result(seq).out);
            QCOMPARE(log.streamedErr.value(seq), log.result(seq).err);
            QVERIFY(log.result(seq).slot >= 0 && log.result(seq).slot < pool.concurrency());
        }
    }

    void haltLetsRunningJobsFinish()
    {
        QTemporaryDir dir;
        const QString gate = dir.filePath(QStringLiteral("gate"));
        PoolOptions options;
        options.jobs = 2;
        WorkerPool pool(options);
        pool.setCommand(testTemplate({QStringLiteral("wait-for"), gate, QStringLiteral("{}")}));
        pool.addInputs(numbers(6));
        Log log(pool);
        QSignalSpy output(&pool, &WorkerPool::jobOutput);
        pool.start();
        QTRY_COMPARE(output.size(), 2); // both running jobs are waiting
        pool.halt();
        QCOMPARE(pool.progress().queued, 0);
        QCOMPARE(pool.progress().skipped, 4);
        QVERIFY(pool.isRunning());
        QFile(gate).open(QIODevice::WriteOnly);
        QTRY_COMPARE(log.finishedCount, 1);
        QCOMPARE(log.final.done, 2);
        QCOMPARE(log.final.skipped, 4);
        QCOMPARE(log.finished.size(), 2);
        for (const JobResult &r : std::as_const(log.finished))
            QVERIFY2(r.ok(), qPrintable(r.error + r.signal));
        QCOMPARE(log.started, (QList<int>{1, 2}));
    }

    void retries()
    {
        QTemporaryDir dir;
        PoolOptions options;
        options.retries = 3;
        options.jobs = 2;
        WorkerPool pool(options);
        pool.setCommand(testTemplate({QStringLiteral("fail-once"), dir.filePath(QStringLiteral("{}"))}));
        pool.addInputs({QStringLiteral("a"), QStringLiteral("b")});
        WorkerPool always(options);
        always.setCommand(testTemplate({QStringLiteral("exit"), QStringLiteral("{}")}));
        always.addInputs({QStringLiteral("7")});
        Log log(pool);
        Log alwaysLog(always);
        pool.start();
        always.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(alwaysLog.finishedCount, 1, 20000);
        // Failed once, then succeeded.
        QCOMPARE(log.retried.size(), 2);
        QCOMPARE(log.retried[0].attempt, 1);
        QCOMPARE(log.retried[0].err, QByteArray("first attempt fails\n"));
        QCOMPARE(log.result(1).attempt, 2);
        QVERIFY(log.result(1).ok());
        QCOMPARE(log.final.done, 2);
        // Failed every time: three attempts, then it counts as failed.
        QCOMPARE(alwaysLog.retried.size(), 2);
        QCOMPARE(alwaysLog.result(1).attempt, 3);
        QCOMPARE(alwaysLog.result(1).exitCode, 7);
        QCOMPARE(alwaysLog.final.failed, 1);
    }

    void timeout()
    {
        PoolOptions options;
        options.timeoutMs = 200;
        WorkerPool pool(options);
        pool.setCommand(testTemplate({QStringLiteral("sleep")}));
        pool.addInputs({QStringLiteral("60000"), QStringLiteral("10")});
        Log log(pool);
        pool.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 20000);
        const JobResult slow = log.result(1);
        QVERIFY(slow.timedOut);
        QCOMPARE(slow.error, QStringLiteral("timed out after 200 ms"));
        QCOMPARE(slow.signal, QStringLiteral("SIGTERM"));
        QVERIFY(slow.runtime < 10);
        QVERIFY(log.result(2).ok());
        QCOMPARE(log.final.failed, 1);
    }

    void timeoutEscalatesToKill()
    {
        PoolOptions options;
        options.timeoutMs = 200;
        options.stopGraceMs = 300;
        WorkerPool pool(options);
        pool.setCommand(testTemplate({QStringLiteral("ignore-term")}));
        pool.addInputs({QStringLiteral("60000")});
        Log log(pool);
        pool.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 20000);
        QCOMPARE(log.result(1).signal, QStringLiteral("SIGKILL"));
    }

    void haltPolicies_data()
    {
        QTest::addColumn<int>("halt");
        QTest::addColumn<int>("ran");
        QTest::addColumn<int>("skipped");
        QTest::newRow("never") << int(HaltPolicy::Never) << 6 << 0;
        QTest::newRow("soon") << int(HaltPolicy::Soon) << 2 << 4;
    }
    void haltPolicies()
    {
        QFETCH(int, halt);
        QFETCH(int, ran);
        QFETCH(int, skipped);
        PoolOptions options;
        options.jobs = 1;
        options.halt = HaltPolicy(halt);
        WorkerPool pool(options);
        pool.setCommand(testTemplate({QStringLiteral("exit")}));
        pool.addInputs({QStringLiteral("0"), QStringLiteral("3"), QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("0")});
        Log log(pool);
        pool.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 20000);
        QCOMPARE(log.finished.size(), ran);
        QCOMPARE(log.final.skipped, skipped);
        QCOMPARE(log.final.failed, 1);
    }

    void haltNowStopsRunningJobs()
    {
        PoolOptions options;
        options.jobs = 3;
        options.halt = HaltPolicy::Now;
        WorkerPool pool(options);
        pool.setCommand(JobTemplate({child, QStringLiteral("{}"), QStringLiteral("60000")}, {}));
        // Two long sleepers run beside the job that fails.
        pool.addInputs({QStringLiteral("sleep"), QStringLiteral("sleep"), QStringLiteral("crash"), QStringLiteral("sleep")});
        Log log(pool);
        pool.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 20000);
        QCOMPARE(log.result(3).signal, QStringLiteral("SIGSEGV"));
        QCOMPARE(log.finished.size(), 3);
        QCOMPARE(log.final.skipped, 1);
        QCOMPARE(log.final.failed, 3);
    }

    void missingProgram()
    {
        WorkerPool pool;
        pool.setCommand(JobTemplate({QStringLiteral("/nonexistent/tool")}));
        pool.addInputs({QStringLiteral("x")});
        Log log(pool);
        pool.start();
        QTRY_COMPARE(log.finishedCount, 1);
        QVERIFY2(log.result(1).error.contains(QStringLiteral("ENOENT")), qPrintable(log.result(1).error));
        QCOMPARE(log.final.failed, 1);
    }

    void jobLogLines()
    {
        PoolOptions options;
        options.jobs = 1;
        WorkerPool pool(options);
        pool.setCommand(JobTemplate({child, QStringLiteral("{}"), QStringLiteral("x y\n")}));
        pool.addInputs({QStringLiteral("out"), QStringLiteral("signal-self")});
        Log log(pool);
        pool.start();
        QTRY_COMPARE(log.finishedCount, 1);
        QCOMPARE(JobLog::header(), QByteArray("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tBytesOut\tBytesErr\tCommand\n"));
        const QList<QByteArray> first = JobLog::line(log.result(1)).chopped(1).split('\t');
        QCOMPARE(first.size(), 11);
        QCOMPARE(first[0], "1");
        QCOMPARE(first[1], ":");
        QVERIFY(first[2].toDouble() > 1.7e9);
        QVERIFY(first[3].toDouble() >= 0);
        QCOMPARE(first[5], "4");
        QCOMPARE(first[6], "0");
        QCOMPARE(first[7], "0");
        QCOMPARE(first[8], "4");
        QCOMPARE(first[9], "0");
        QCOMPARE(first[10], (child + QStringLiteral(" out 'x y\\n'")).toUtf8()); // the newline escaped
    }

    void jobLogSignals()
    {
        JobResult r;
        r.seq = 3;
        r.signal = QStringLiteral("SIGKILL");
        r.command = QStringLiteral("sleep 9");
        const QList<QByteArray> fields = JobLog::line(r).chopped(1).split('\t');
        QCOMPARE(fields[6], "0");
        QCOMPARE(fields[7], "9");
        r.signal.clear();
        r.error = QStringLiteral("did not start");
        QCOMPARE(JobLog::line(r).split('\t')[6], "-1");
    }

    void progressAndEta()
    {
        PoolOptions options;
        options.jobs = 2;
        WorkerPool pool(options);
        pool.setCommand(testTemplate({QStringLiteral("sleep"), QStringLiteral("20")}));
        pool.addInputs(numbers(6));
        Log log(pool);
        QCOMPARE(pool.progress().queued, 6);
        QCOMPARE(pool.progress().etaMs, -1);
        pool.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 20000);
        bool sawEta = false;
        for (const PoolProgress &p : log.progress) {
            QCOMPARE(p.total, 6);
            QCOMPARE(p.done + p.failed + p.running + p.queued + p.skipped, 6);
            sawEta = sawEta || (p.done > 0 && p.etaMs >= 0);
        }
        QVERIFY(sawEta);
        QCOMPARE(log.final.etaMs, 0);
    }

    void stopAndDestroyLeaveNoChild()
    {
        PoolOptions options;
        options.jobs = 3;
        options.stopGraceMs = 300;
        {
            WorkerPool pool(options);
            pool.setCommand(testTemplate({QStringLiteral("ignore-term")}));
            pool.addInputs({QStringLiteral("60000"), QStringLiteral("60000"), QStringLiteral("60000"), QStringLiteral("60000")});
            Log log(pool);
            pool.start();
            QTRY_COMPARE(log.started.size(), 3);
            pool.stop();
            QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 10000);
            QCOMPARE(log.final.skipped, 1);
        }
        {
            WorkerPool pool(options);
            pool.setCommand(testTemplate({QStringLiteral("sleep")}));
            pool.addInputs({QStringLiteral("60000"), QStringLiteral("60000")});
            pool.start();
            QTRY_COMPARE(childrenOfThisProcess().size(), 2);
        }
    }

    // With killWithParent the running jobs' groups are guarded (should this process be killed)
    // by a process that is no child of this one: the pool has only its jobs as children, and
    // none once it has finished or gone (cleanup() checks that no child is left).
    void killWithParentLeavesNoChild_data()
    {
        QTest::addColumn<bool>("finish");
        QTest::newRow("finished") << true;
        QTest::newRow("destroyed while running") << false;
    }
    void killWithParentLeavesNoChild()
    {
        QFETCH(bool, finish);
        PoolOptions options;
        options.jobs = 2;
        options.killWithParent = true;
        WorkerPool pool(options);
        pool.setCommand(testTemplate({QStringLiteral("sleep")}));
        pool.addInputs(finish ? QStringList{QStringLiteral("10"), QStringLiteral("10"), QStringLiteral("10")}
                              : QStringList{QStringLiteral("60000"), QStringLiteral("60000")});
        Log log(pool);
        pool.start();
        if (finish) {
            QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 20000);
            QCOMPARE(log.final.done, 3);
        } else {
            QTRY_COMPARE(childrenOfThisProcess().size(), 2); // the two jobs
        }
    }

    // Short of descriptors, forked workers once failed every job they could not start for
    // (EMFILE); the pool now runs fewer workers, and every job runs.
    void workersUnderFewDescriptors()
    {
        PoolOptions options;
        options.jobs = 12;
        WorkerPool pool(options);
        pool.setWorker(worker, {}, QStringLiteral("noop"));
        pool.addInputs(numbers(100));
        Log log(pool);
        LimitLog limits(pool);
        FewDescriptors few(16);
        pool.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 60000);
        few.restore();
        QCOMPARE(log.final.failed, 0);
        QCOMPARE(log.final.done, 100);
        QVERIFY(!limits.lowered.isEmpty());
        QVERIFY2(limits.reasons.first().contains(QLatin1String("EMFILE")), qPrintable(limits.reasons.first()));
        QVERIFY2(limits.broken.isEmpty(), qPrintable(limits.broken.join(QLatin1String("; "))));
        QVERIFY(log.pids.size() < 12); // fewer workers did all the jobs
    }

    // Once the shortage is over, the limit climbs back one step at a time to what was asked, and
    // that many run at once again.
    void concurrencyRisesAgain_data()
    {
        QTest::addColumn<bool>("workers");
        QTest::newRow("a process per job") << false;
        QTest::newRow("forked workers") << true;
    }
    void concurrencyRisesAgain()
    {
        QFETCH(bool, workers);
        PoolOptions options;
        options.jobs = 6;
        WorkerPool pool(options);
        if (workers)
            pool.setWorker(worker, {}, QStringLiteral("sleep"));
        else
            pool.setCommand(testTemplate({QStringLiteral("sleep")}));
        pool.addInputs(QStringList(5000, QStringLiteral("20")));
        Log log(pool);
        LimitLog limits(pool);
        FewDescriptors few(16);
        connect(&pool, &WorkerPool::concurrencyLowered, this, [&few] { few.restore(); }); // the shortage passes
        bool fullAgain = false;
        connect(&pool, &WorkerPool::jobStarted, this, [&] { fullAgain = fullAgain || (!limits.raised.isEmpty() && log.running == 6); });
        pool.start();
        QTRY_VERIFY_WITH_TIMEOUT(!limits.lowered.isEmpty(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(pool.currentConcurrency(), 6, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(fullAgain, 30000);
        pool.stop();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 30000);
        QVERIFY2(limits.broken.isEmpty(), qPrintable(limits.broken.join(QLatin1String("; "))));
        QCOMPARE(limits.raised.last(), 6);
        for (const JobResult &r : std::as_const(log.finished))
            QVERIFY2(!r.error.contains(QLatin1String("EMFILE")), qPrintable(r.error)); // the shortage failed none
    }

    void forkedWorkersAreReused()
    {
        PoolOptions options;
        options.jobs = 2;
        WorkerPool pool(options);
        pool.setWorker(worker, {}, QStringLiteral("noop"));
        pool.addInputs(numbers(200));
        Log log(pool);
        pool.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 30000);
        QCOMPARE(log.final.done, 200);
        QCOMPARE(log.pids.size(), 2); // two processes did all 200
        QCOMPARE(log.maxRunning, 2);
        for (int seq = 1; seq <= 200; ++seq)
            QCOMPARE(log.result(seq).reply.toObject().value(QStringLiteral("result")).toObject().value(QStringLiteral("input")).toString(),
                     QString::number(seq));
    }

    void workerFailuresRetriesAndTimeouts()
    {
        PoolOptions options;
        options.jobs = 2;
        options.retries = 2;
        options.timeoutMs = 300;
        options.stopGraceMs = 300;
        WorkerPool fails(options);
        fails.setWorker(worker, {}, QStringLiteral("fail"));
        fails.addInputs({QStringLiteral("broken input")});
        WorkerPool slow(options);
        slow.setWorker(worker, {}, QStringLiteral("sleep"));
        slow.addInputs({QStringLiteral("60000"), QStringLiteral("10")});
        Log failLog(fails);
        Log slowLog(slow);
        fails.start();
        slow.start();
        QTRY_COMPARE_WITH_TIMEOUT(failLog.finishedCount, 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(slowLog.finishedCount, 1, 20000);
        QCOMPARE(failLog.retried.size(), 1);
        QCOMPARE(failLog.result(1).error, QStringLiteral("broken input"));
        QCOMPARE(failLog.result(1).attempt, 2);
        // The hung job was tried twice, each time killing the worker that held it; the quick
        // one succeeded.
        QVERIFY(slowLog.result(1).timedOut);
        QCOMPARE(slowLog.result(1).attempt, 2);
        QCOMPARE(slowLog.retried.size(), 1);
        QVERIFY(slowLog.retried[0].timedOut);
        QVERIFY(slowLog.result(2).ok());
    }

    void workerThatDiesIsReplaced()
    {
        PoolOptions options;
        options.jobs = 1;
        options.retries = 2;
        WorkerPool pool(options);
        pool.setWorker(worker, {}, QStringLiteral("sleep"));
        pool.addInputs({QStringLiteral("300"), QStringLiteral("1")});
        Log log(pool);
        bool killedOne = false;
        connect(&pool, &WorkerPool::jobStarted, this, [&](int, int, qint64 pid, const QString &) {
            if (!killedOne) {
                killedOne = true;
                ::kill(pid_t(pid), SIGKILL);
            }
        });
        pool.start();
        QTRY_COMPARE_WITH_TIMEOUT(log.finishedCount, 1, 20000);
        QCOMPARE(log.retried.size(), 1);
        QCOMPARE(log.retried[0].error, QStringLiteral("the worker was killed by SIGKILL"));
        QVERIFY2(log.result(1).ok(), qPrintable(QStringLiteral("%1 %2 %3 %4").arg(log.result(1).error, log.result(1).signal).arg(log.result(1).exitCode.value_or(-99)).arg(log.result(1).attempt)));
        QVERIFY(log.result(2).ok());
        QCOMPARE(log.pids.size(), 2);
    }

    void missingWorkerProgram()
    {
        WorkerPool pool;
        pool.setWorker(QStringLiteral("/nonexistent/worker"), {}, QStringLiteral("noop"));
        pool.addInputs(numbers(3));
        Log log(pool);
        pool.start();
        QTRY_COMPARE(log.finishedCount, 1);
        QCOMPARE(log.final.failed, 3);
        QVERIFY2(log.result(1).error.startsWith(QStringLiteral("the worker did not start: /nonexistent/worker does not exist")),
                 qPrintable(log.result(1).error));
    }
};

QTEST_GUILESS_MAIN(tst_WorkerPool)
#include "tst_workerpool.moc"
