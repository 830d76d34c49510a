#include "fewdescriptors.h"
#include "recorder.h"

#include <childprocess.h>
#include <pipelinerun.h>
#include <shellline.h>

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Spawnscope;

namespace {

const QString child = QStringLiteral(TESTCHILD);

StageSpec testStage(const QStringList &args)
{
    StageSpec s;
    s.program = child;
    s.args = args;
    return s;
}

// cat, for chains too long for as many copies of the test child.
StageSpec catStage()
{
    StageSpec s;
    s.program = QStringLiteral("cat");
    return s;
}

// A chain: each stage's stdout feeds the next one's stdin.
PipelineSpec chain(const QList<QStringList> &stages)
{
    PipelineSpec spec;
    for (int i = 0; i < stages.size(); ++i) {
        spec.stages.insert(i + 1, testStage(stages[i]));
        if (i > 0)
            spec.edges.append(Edge{{i, OutputStream::Stdout, i + 1}, false});
    }
    return spec;
}

QByteArray numberedLines(int n, const QByteArray &prefix = "line")
{
    QByteArray out;
    for (int i = 1; i <= n; ++i)
        out += prefix + ' ' + QByteArray::number(i) + '\n';
    return out;
}

// Runs to the end and collects what reaches the parent.
struct Outcome
{
    QMap<int, QByteArray> out;
    QMap<int, QByteArray> err;
    PipelineResult result;
    QList<PipelineEvent> events;
};

Outcome runToEnd(PipelineRun &run, int timeoutMs = 30000)
{
    Outcome o;
    QObject::connect(&run, &PipelineRun::output, [&o](int stage, OutputStream stream, const QByteArray &data) {
        (stream == OutputStream::Stdout ? o.out : o.err)[stage] += data;
    });
    QSignalSpy finished(&run, &PipelineRun::finished);
    run.start();
    if (!finished.wait(timeoutMs) && finished.isEmpty())
        qWarning("the pipeline did not finish");
    if (!finished.isEmpty())
        o.result = finished.first().first().value<PipelineResult>();
    o.events = run.events();
    return o;
}

// Zombies left to an init that does not reap them do not count: they no longer run.
bool groupHasLiveMember(pid_t group)
{
    const QDir proc(QStringLiteral("/proc"));
    for (const QString &entry : proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile stat(proc.filePath(entry + QStringLiteral("/stat")));
        if (entry.toInt() <= 0 || !stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 2 && fields[2].toInt() == group && fields[0] != "Z")
            return true;
    }
    return false;
}

QStringList kindsOf(const QList<PipelineEvent> &events, int stage)
{
    QStringList kinds;
    for (const PipelineEvent &e : events) {
        if (e.stage == stage && e.kind != TraceKind::Stdout && e.kind != TraceKind::Stderr)
            kinds << TraceLine::kindName(e.kind);
    }
    return kinds;
}

} // namespace

class tst_PipelineRun : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // The library's I/O thread and its descriptors are made once, by the first child.
        PipelineRun warmUp(chain({{QStringLiteral("exit"), QStringLiteral("0")}}));
        runToEnd(warmUp);
        // ... but what its child held (its pidfd) goes with the child, a moment after the end.
        auto pidfds = [] {
            int n = 0;
            const QDir fds(QStringLiteral("/proc/self/fd"));
            for (const QString &fd : fds.entryList(QDir::NoDotAndDotDot | QDir::System))
                n += QFileInfo(fds.filePath(fd)).symLinkTarget().endsWith(QLatin1String("[pidfd]"));
            return n;
        };
        QTRY_COMPARE(pidfds(), 0);
    }
    void init() { m_fds = openDescriptorCount(); }
    void cleanup()
    {
        QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000);
        QTRY_COMPARE(openDescriptorCount(), m_fds);
    }

    void chainOfStages_data()
    {
        QTest::addColumn<int>("stages");
        for (int n = 2; n <= 10; ++n)
            QTest::addRow("%d stages", n) << n;
    }
    void chainOfStages()
    {
        QFETCH(int, stages);
        QList<QStringList> list{{QStringLiteral("lines"), QStringLiteral("20000")}};
        while (list.size() < stages)
            list << QStringList{QStringLiteral("echo")};
        PipelineRun run(chain(list));
        QSignalSpy started(&run, &PipelineRun::started);
        const Outcome o = runToEnd(run);
        QCOMPARE(started.count(), 1);
        QCOMPARE(o.out.value(stages), numberedLines(20000));
        QCOMPARE(o.result.status, 0);
        QCOMPARE(o.result.stages.size(), stages);
        for (const StageResult &s : o.result.stages) {
            QVERIFY(s.started);
            QVERIFY(s.pid > 0);
            QCOMPARE(s.exitCode, 0);
            QCOMPARE(kindsOf(o.events, s.id), (QStringList{QStringLiteral("spawn"), QStringLiteral("exit"), QStringLiteral("close")}));
        }
        // Direct edges: the parent saw none of the bytes; the writer's own count as it exited
        // (never sampled while it ran) says how many went through.
        QCOMPARE(run.edgeStats({1, OutputStream::Stdout, 2}).relayed, false);
#ifndef __SANITIZE_THREAD__ // whose runtime writes a file of its own as each (instrumented) helper starts
        QCOMPARE(run.edgeStats({1, OutputStream::Stdout, 2}).bytes, qint64(numberedLines(20000).size()));
#endif
    }

    void noByteLostOrReordered()
    {
        // 64 MiB through three direct edges and a tapped one, checked byte for byte at the end.
        PipelineSpec spec = chain({{QStringLiteral("flood"), QStringLiteral("67108864")}, {QStringLiteral("echo")},
                                   {QStringLiteral("echo")}, {QStringLiteral("verify")}});
        spec.edges[1].tapped = true;
        PipelineRun run(spec);
        const Outcome o = runToEnd(run, 120000);
        QCOMPARE(o.out.value(4), QByteArray("67108864 ok\n"));
        const EdgeStats tapped = run.edgeStats({2, OutputStream::Stdout, 3});
        QVERIFY(tapped.relayed);
        QCOMPARE(tapped.bytes, 67108864);
    }

    void stderrEdge()
    {
        // `both` writes one line to each stream; only stderr feeds the next stage.
        PipelineSpec spec;
        spec.stages.insert(1, testStage({QStringLiteral("both")}));
        spec.stages.insert(2, testStage({QStringLiteral("prefix"), QStringLiteral("E:")}));
        spec.edges = {Edge{{1, OutputStream::Stderr, 2}, false}};
        PipelineRun run(spec);
        const Outcome o = runToEnd(run);
        QCOMPARE(o.out.value(1), QByteArray("to stdout\n"));
        QCOMPARE(o.out.value(2), QByteArray("E:to stderr\n"));
        QVERIFY(o.err.isEmpty());
    }

    void mergedStderrShareOnePipe()
    {
        ShellLine::Error error;
        auto spec = ShellLine::parse(QStringLiteral("%1 both 2>&1 | %1 prefix X:").arg(child), &error);
        QVERIFY(spec);
        PipelineRun run(*spec);
        const Outcome o = runToEnd(run);
        QCOMPARE(o.out.value(2), QByteArray("X:to stdout\nX:to stderr\n"));
        QVERIFY(!run.edgeStats({1, OutputStream::Stdout, 2}).relayed);
    }

    void fanOut()
    {
        PipelineSpec spec;
        spec.stages.insert(1, testStage({QStringLiteral("lines"), QStringLiteral("100000")}));
        spec.stages.insert(2, testStage({QStringLiteral("count")}));
        spec.stages.insert(3, testStage({QStringLiteral("count")}));
        spec.stages.insert(4, testStage({QStringLiteral("prefix"), QStringLiteral("")}));
        spec.edges = {Edge{{1, OutputStream::Stdout, 2}}, Edge{{1, OutputStream::Stdout, 3}}, Edge{{1, OutputStream::Stdout, 4}}};
        PipelineRun run(spec);
        const Outcome o = runToEnd(run);
        const QByteArray expected = numberedLines(100000);
        const QByteArray counts = QByteArray::number(expected.size()) + " 100000\n";
        QCOMPARE(o.out.value(2), counts);
        QCOMPARE(o.out.value(3), counts);
        QCOMPARE(o.out.value(4), expected);
        for (int to : {2, 3, 4}) {
            const EdgeStats stats = run.edgeStats({1, OutputStream::Stdout, to});
            QVERIFY(stats.relayed);
            QCOMPARE(stats.bytes, expected.size());
            QCOMPARE(stats.lines, 100000);
        }
    }

    void fanOutEndsWhenAReaderQuitsAsTeeDoes()
    {
        // `yes | tee >(wc -c) | head -n 1`: head quits, tee dies of SIGPIPE, so does the writer,
        // and the other reader gets what was passed on before.
        PipelineSpec spec;
        spec.stages.insert(1, testStage({QStringLiteral("flood"), QStringLiteral("100000000000")}));
        spec.stages.insert(2, testStage({QStringLiteral("head"), QStringLiteral("1")}));
        spec.stages.insert(3, testStage({QStringLiteral("count")}));
        spec.edges = {Edge{{1, OutputStream::Stdout, 2}}, Edge{{1, OutputStream::Stdout, 3}}};
        PipelineRun run(spec);
        const Outcome o = runToEnd(run);
        QCOMPARE(o.result.stages[0].signal, QStringLiteral("SIGPIPE"));
        QCOMPARE(o.result.status, 128 + SIGPIPE);
        QCOMPARE(o.result.stages[1].exitCode, 0);
        QCOMPARE(o.result.stages[2].exitCode, 0);
        const qint64 counted = o.out.value(3).split(' ').value(0).toLongLong();
        QVERIFY2(counted < 100000000000LL, o.out.value(3).constData());
        QCOMPARE(run.edgeStats({1, OutputStream::Stdout, 3}).bytes, counted);
    }

    void fanInInterleavesWholeLines()
    {
        PipelineSpec spec;
        spec.stages.insert(1, testStage({QStringLiteral("lines"), QStringLiteral("50000"), QStringLiteral("A")}));
        spec.stages.insert(2, testStage({QStringLiteral("lines"), QStringLiteral("50000"), QStringLiteral("B")}));
        spec.stages.insert(3, testStage({QStringLiteral("echo")}));
        spec.edges = {Edge{{1, OutputStream::Stdout, 3}}, Edge{{2, OutputStream::Stdout, 3}}};
        PipelineRun run(spec);
        const Outcome o = runToEnd(run);
        QByteArray a;
        QByteArray b;
        const QList<QByteArray> lines = o.out.value(3).split('\n');
        QCOMPARE(lines.size(), 100001);
        for (const QByteArray &line : lines) {
            if (line.startsWith("A "))
                a += line + '\n';
            else if (line.startsWith("B "))
                b += line + '\n';
            else
                QVERIFY2(line.isEmpty(), line.constData()); // a torn line would show here
        }
        QCOMPARE(a, numberedLines(50000, "A"));
        QCOMPARE(b, numberedLines(50000, "B"));
    }

    void tapCountsAndKeepsTheLastLines()
    {
        PipelineSpec spec = chain({{QStringLiteral("lines"), QStringLiteral("5000")}, {QStringLiteral("echo")}});
        spec.edges[0].tapped = true;
        PipelineRunOptions options;
        options.tapLines = 3;
        PipelineRun run(spec, options);
        const Outcome o = runToEnd(run);
        QCOMPARE(o.out.value(2), numberedLines(5000));
        const EdgeStats stats = run.edgeStats({1, OutputStream::Stdout, 2});
        QVERIFY(stats.relayed);
        QCOMPARE(stats.bytes, numberedLines(5000).size());
        QCOMPARE(stats.lines, 5000);
        QCOMPARE(stats.lastLines, (QByteArrayList{"line 4998", "line 4999", "line 5000"}));
        QVERIFY(!stats.writerBlocked);
    }

    void blockedWriterIsReported_data()
    {
        QTest::addColumn<bool>("tapped");
        QTest::newRow("direct") << false;
        QTest::newRow("tapped") << true;
    }
    void blockedWriterIsReported()
    {
        QFETCH(bool, tapped);
        // The reader sleeps without reading, so the writer fills the edge and waits.
        PipelineSpec spec = chain({{QStringLiteral("flood"), QStringLiteral("100000000")}, {QStringLiteral("sleep"), QStringLiteral("60000")}});
        spec.edges[0].tapped = tapped;
        PipelineRunOptions options;
        options.stopGraceMs = 500;
        PipelineRun run(spec, options);
        QSignalSpy finished(&run, &PipelineRun::finished);
        run.start();
        QTRY_VERIFY_WITH_TIMEOUT(run.edgeStats({1, OutputStream::Stdout, 2}).writerBlocked, 10000);
        const EdgeStats stats = run.edgeStats({1, OutputStream::Stdout, 2});
        if (tapped)
            QVERIFY(stats.bytes > 0);
        else
            QVERIFY(stats.queued >= 64 * 1024); // the pipe is full
        run.stop();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    }

    // Stats come by a signal, at most once per interval, only when they changed, and once
    // more with the final counts before finished().
    void statsArePushed()
    {
        PipelineSpec spec = chain({{QStringLiteral("lines"), QStringLiteral("300000")}, {QStringLiteral("prefix"), QStringLiteral(":")},
                                   {QStringLiteral("count")}});
        spec.edges[1].tapped = true;
        PipelineRun run(spec);
        run.setStatsInterval(100);
        QCOMPARE(run.statsInterval(), 100);
        QList<QHash<EdgeId, EdgeStats>> pushes;
        bool finishedSeen = false;
        bool pushAfterFinish = false;
        connect(&run, &PipelineRun::statsChanged, this, [&](const QHash<EdgeId, EdgeStats> &stats) {
            pushAfterFinish = pushAfterFinish || finishedSeen;
            pushes << stats;
        });
        connect(&run, &PipelineRun::finished, this, [&] { finishedSeen = true; });
        const Outcome o = runToEnd(run);
        QCOMPARE(o.result.status, 0);
        QVERIFY(!pushes.isEmpty());
        QVERIFY(!pushAfterFinish);
        for (qsizetype i = 1; i < pushes.size(); ++i)
            QVERIFY(pushes[i] != pushes[i - 1]); // only changes
        const QHash<EdgeId, EdgeStats> &last = pushes.last();
        QCOMPARE(last.size(), 2);
        const EdgeStats direct = last.value({1, OutputStream::Stdout, 2});
        QVERIFY(!direct.relayed);
        QVERIFY(!direct.bytesExact);
        QCOMPARE(direct.capacity, 65536);
        const EdgeStats tapped = last.value({2, OutputStream::Stdout, 3});
        QVERIFY(tapped.bytesExact);
        QCOMPARE(tapped.lines, 300000);
        QCOMPARE(tapped.bytes, numberedLines(300000).size() + 300000); // each line with ":" before it
        QVERIFY(!tapped.writerBlocked);
    }

    // The copy of a pipe's read end is let go as its reader ends: the writer then dies of
    // SIGPIPE as in a shell, and does not wait forever on a pipe nobody reads.
    void watchingAPipeKeepsSigpipe()
    {
        PipelineRun run(chain({{QStringLiteral("flood"), QStringLiteral("100000000000")}, {QStringLiteral("head"), QStringLiteral("1")}}));
        run.setStatsInterval(20);
        const Outcome o = runToEnd(run);
        QCOMPARE(o.result.stages.first().signal, QStringLiteral("SIGPIPE"));
        QCOMPARE(o.result.status, 128 + SIGPIPE);
    }

    // A reader stopped by SIGSTOP: its writer fills the pipe and waits, shown blocked; after
    // SIGCONT the pipe drains and the block clears. The writer has more than a pipe holds to
    // write, then rests: a writer that never ends would keep a slow reader's pipe full.
    void blockClearsOnceTheReaderReadsAgain()
    {
        PipelineSpec spec = chain({{QStringLiteral("lines-then-sleep"), QStringLiteral("400000"), QStringLiteral("600000")}, {QStringLiteral("count")}});
        PipelineRunOptions options;
        options.stopGraceMs = 500;
        PipelineRun run(spec, options);
        run.setStatsInterval(50);
        const EdgeId edge{1, OutputStream::Stdout, 2};
        bool blocked = false;
        bool clearedWhileRunning = false;
        connect(&run, &PipelineRun::statsChanged, this, [&](const QHash<EdgeId, EdgeStats> &stats) {
            const bool now = stats.value(edge).writerBlocked;
            clearedWhileRunning = clearedWhileRunning || (blocked && !now && run.isRunning());
            blocked = now;
        });
        QSignalSpy started(&run, &PipelineRun::started);
        QSignalSpy finished(&run, &PipelineRun::finished);
        run.start();
        QTRY_COMPARE(started.count(), 1);
        const pid_t reader = pid_t(run.stage(2)->pid());
        ::kill(reader, SIGSTOP);
        QTRY_VERIFY_WITH_TIMEOUT(blocked, 10000);
        QVERIFY(run.edgeStats(edge).fill() > 0.9);
        ::kill(reader, SIGCONT);
        QTRY_VERIFY_WITH_TIMEOUT(clearedWhileRunning, 30000);
        QVERIFY(!run.edgeStats(edge).writerBlocked);
        run.stop();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    }

    void stageDyingMidStream_data()
    {
        QTest::addColumn<int>("policy");
        QTest::addColumn<int>("status");
        QTest::newRow("pipefail") << int(StatusPolicy::Pipefail) << 128 + SIGPIPE;
        QTest::newRow("last") << int(StatusPolicy::Last) << 0;
        QTest::newRow("all") << int(StatusPolicy::All) << 128 + SIGPIPE;
    }
    void stageDyingMidStream()
    {
        QFETCH(int, policy);
        QFETCH(int, status);
        // `head 3` quits; the writer before it dies of SIGPIPE, as in a shell.
        PipelineSpec spec = chain({{QStringLiteral("lines"), QStringLiteral("100000000")}, {QStringLiteral("head"), QStringLiteral("3")}});
        spec.policy = StatusPolicy(policy);
        PipelineRun run(spec);
        const Outcome o = runToEnd(run);
        QCOMPARE(o.out.value(2), numberedLines(3));
        QCOMPARE(o.result.stages[0].signal, QStringLiteral("SIGPIPE"));
        QCOMPARE(o.result.stages[1].exitCode, 0);
        QCOMPARE(o.result.status, status);
    }

    void policies_data()
    {
        QTest::addColumn<QList<int>>("codes");
        QTest::addColumn<int>("last");
        QTest::addColumn<int>("pipefail");
        QTest::addColumn<int>("all");
        QTest::newRow("all succeed") << QList<int>{0, 0, 0} << 0 << 0 << 0;
        QTest::newRow("first fails") << QList<int>{3, 0, 0} << 0 << 3 << 3;
        QTest::newRow("last fails") << QList<int>{0, 0, 4} << 4 << 4 << 4;
        QTest::newRow("two fail") << QList<int>{3, 5, 0} << 0 << 5 << 3;
    }
    void policies()
    {
        QFETCH(QList<int>, codes);
        QFETCH(int, last);
        QFETCH(int, pipefail);
        QFETCH(int, all);
        for (auto [policy, expected] : {std::pair{StatusPolicy::Last, last}, std::pair{StatusPolicy::Pipefail, pipefail},
                                        std::pair{StatusPolicy::All, all}}) {
            QList<QStringList> stages;
            for (int code : codes)
                stages << QStringList{QStringLiteral("exit"), QString::number(code)};
            PipelineSpec spec = chain(stages);
            spec.policy = policy;
            PipelineRun run(spec);
            const Outcome o = runToEnd(run);
            QCOMPARE(o.result.status, expected);
            QCOMPARE(o.result.policy, policy);
        }
    }

    void stageThatDoesNotStartFailsTheRun_data()
    {
        QTest::addColumn<int>("failing");
        QTest::newRow("first") << 1;
        QTest::newRow("middle") << 2;
        QTest::newRow("last") << 3;
    }
    void stageThatDoesNotStartFailsTheRun()
    {
        QFETCH(int, failing);
        PipelineSpec spec = chain({{QStringLiteral("ignore-term"), QStringLiteral("60000")}, {QStringLiteral("echo")}, {QStringLiteral("echo")}});
        spec.stages[failing].program = QStringLiteral("/nonexistent/program");
        PipelineRunOptions options;
        options.stopGraceMs = 300;
        PipelineRun run(spec, options);
        const Outcome o = runToEnd(run);
        QVERIFY2(o.result.error.contains(QStringLiteral("stage %1 (program) did not start").arg(failing)), qPrintable(o.result.error));
        QVERIFY2(o.result.error.contains(QStringLiteral("ENOENT")), qPrintable(o.result.error));
        QCOMPARE(o.result.status, 127);
        QVERIFY(!o.result.stages[failing - 1].started);
        for (int later = failing + 1; later <= 3; ++later)
            QVERIFY(!o.result.stages[later - 1].started);
        QVERIFY(!groupHasLiveMember(pid_t(run.processGroup())));
    }

    void stopLeavesNothingOfTheGroup()
    {
        // Stage 1 and its grandchild, which ignores SIGTERM, feeding stage 2; stage 3 ignores
        // SIGTERM too.
        PipelineSpec spec = chain({{QStringLiteral("family"), QStringLiteral("60000")}, {QStringLiteral("echo")}});
        spec.stages.insert(3, testStage({QStringLiteral("ignore-term"), QStringLiteral("60000")}));
        PipelineRunOptions options;
        options.stopGraceMs = 400;
        PipelineRun run(spec, options);
        QSignalSpy finished(&run, &PipelineRun::finished);
        QByteArray out;
        connect(&run, &PipelineRun::output, this, [&out](int, OutputStream, const QByteArray &d) { out += d; });
        run.start();
        QTRY_COMPARE(out, QByteArray("ready\nready\n")); // stage 3's, and stage 1's through stage 2
        const pid_t group = pid_t(run.processGroup());
        QCOMPARE(::kill(-group, 0), 0);
        run.stop();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        const PipelineResult result = finished.first().first().value<PipelineResult>();
        QVERIFY(result.stopped);
        QCOMPARE(result.stages[0].signal, QStringLiteral("SIGTERM"));
        QCOMPARE(result.stages[2].signal, QStringLiteral("SIGKILL")); // ignored SIGTERM
        QVERIFY(!groupHasLiveMember(group)); // the grandchild too
        QCOMPARE(kindsOf(run.events(), 0), QStringList{QStringLiteral("stop")});
    }

    // A thousand stages deliver their input whole and in order (the middle stages are cat: a
    // thousand copies of the test child would take a gigabyte).
    void longChainDeliversItsInputExactly()
    {
        PipelineSpec spec = chain({{QStringLiteral("flood"), QStringLiteral("3000000")}});
        const int stages = 1000;
        for (int id = 2; id <= stages; ++id) {
            spec.stages.insert(id, id < stages ? catStage() : testStage({QStringLiteral("verify")}));
            spec.edges.append(Edge{{id - 1, OutputStream::Stdout, id}, false});
        }
        PipelineRun run(spec);
        const Outcome o = runToEnd(run, 120000);
        QCOMPARE(o.out.value(stages), QByteArray("3000000 ok\n"));
        QCOMPARE(o.result.status, 0);
        QCOMPARE(o.result.stages.size(), stages);
    }

    // Each stage gets its own three descriptors and nothing else: none of another stage's pipes
    // (which would keep a reader from ever seeing the end), none of this process's.
    void aStageHoldsOnlyItsOwnDescriptors()
    {
        QList<QStringList> stages{{QStringLiteral("lines"), QStringLiteral("3")}};
        for (int i = 0; i < 20; ++i)
            stages << QStringList{QStringLiteral("fds-echo")};
        PipelineRun run(chain(stages));
        const Outcome o = runToEnd(run);
        QCOMPARE(o.result.status, 0);
        QCOMPARE(o.out.value(21), numberedLines(3));
        for (int id = 2; id <= 21; ++id)
            QCOMPARE(o.err.value(id), QByteArray("0 1 2 \n"));
    }

    // A chain's pipes are made as its stages start and this process lets each end go once its
    // stage has it: 300 stages run with room for 400 more descriptors, a pidfd each and a few
    // (they once needed three a stage, all at once, before the first stage started). The
    // stages' stderr is this process's and the last one writes to a file: no descriptor here
    // for their output.
    void aLongChainHoldsFewDescriptors()
    {
        const int stages = 300;
        QTemporaryDir dir;
        const QString result = dir.filePath(QStringLiteral("verified"));
        PipelineSpec spec = chain({{QStringLiteral("flood"), QStringLiteral("100000")}});
        for (int id = 2; id <= stages; ++id) {
            StageSpec s = id < stages ? catStage() : testStage({QStringLiteral("verify")});
            if (id == stages)
                s.stdoutFile.path = result;
            spec.stages.insert(id, s);
            spec.edges.append(Edge{{id - 1, OutputStream::Stdout, id}, false});
        }
        PipelineRunOptions options;
        options.freeOutput = StdioMode::Inherit;
        FewDescriptors few(400);
        PipelineRun run(spec, options);
        const Outcome o = runToEnd(run, 120000);
        few.restore();
        QVERIFY2(o.result.error.isEmpty(), qPrintable(o.result.error));
        QFile verified(result);
        QVERIFY(verified.open(QIODevice::ReadOnly));
        QCOMPARE(verified.readAll(), QByteArray("100000 ok\n"));
    }

    // Thousands of stages take seconds to start: start() goes on from the event loop in slices,
    // so that a stop() meanwhile is heard before every stage has started, and none starts after.
    void stopDuringTheStart()
    {
        const int stages = 1000;
        PipelineSpec spec;
        for (int id = 1; id <= stages; ++id) {
            spec.stages.insert(id, catStage());
            if (id > 1)
                spec.edges.append(Edge{{id - 1, OutputStream::Stdout, id}, false});
        }
        PipelineRunOptions options;
        options.firstStdin = StdioMode::Pipe; // the cats wait
        PipelineRun run(spec, options);
        QSignalSpy started(&run, &PipelineRun::started);
        QSignalSpy finished(&run, &PipelineRun::finished);
        int startedAtStop = -1;
        connect(&run, &PipelineRun::event, this, [&](const PipelineEvent &e) {
            if (e.kind != TraceKind::Spawn || startedAtStop >= 0)
                return;
            startedAtStop = 0;
            for (const StageResult &s : run.result().stages)
                startedAtStop += s.started;
            run.stop();
        });
        run.start();
        const pid_t group = pid_t(run.processGroup());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY2(startedAtStop > 0 && startedAtStop < stages, qPrintable(QString::number(startedAtStop)));
        const PipelineResult result = finished.first().first().value<PipelineResult>();
        QVERIFY(result.stopped);
        int startedInAll = 0;
        for (const StageResult &s : result.stages)
            startedInAll += s.started;
        QCOMPARE(startedInAll, startedAtStop);
        QCOMPARE(started.count(), 0);
        QVERIFY(!groupHasLiveMember(group));
    }

    void destroyingARunKillsIt()
    {
        pid_t group = 0;
        {
            PipelineRun run(chain({{QStringLiteral("sleep"), QStringLiteral("60000")}, {QStringLiteral("echo")}}));
            QSignalSpy started(&run, &PipelineRun::started);
            run.start();
            QCOMPARE(started.count(), 1);
            group = pid_t(run.processGroup());
        }
        QTRY_VERIFY(!groupHasLiveMember(group));
    }

    void files()
    {
        QTemporaryDir dir;
        QFile in(dir.filePath(QStringLiteral("in.txt")));
        QVERIFY(in.open(QIODevice::WriteOnly));
        in.write("b\na\n");
        in.close();
        QFile log(dir.filePath(QStringLiteral("log.txt")));
        QVERIFY(log.open(QIODevice::WriteOnly));
        log.write("before\n");
        log.close();
        PipelineSpec spec;
        StageSpec reader = testStage({QStringLiteral("prefix"), QStringLiteral("> ")});
        reader.stdinFile = QStringLiteral("in.txt");
        reader.cwd = dir.path(); // files resolve against the stage's directory
        StageSpec writer = testStage({QStringLiteral("echo")});
        writer.stdoutFile = FileRedirect{dir.filePath(QStringLiteral("log.txt")), true};
        StageSpec both = testStage({QStringLiteral("both")});
        both.stdoutFile = FileRedirect{dir.filePath(QStringLiteral("both.txt")), false};
        both.mergeStderr = true;
        StageSpec err = testStage({QStringLiteral("stderr"), QStringLiteral("oops\n")});
        err.stderrFile = FileRedirect{dir.filePath(QStringLiteral("err.txt")), false};
        spec.stages = {{1, reader}, {2, writer}, {3, both}, {4, err}};
        spec.edges = {Edge{{1, OutputStream::Stdout, 2}}};
        PipelineRun run(spec);
        const Outcome o = runToEnd(run);
        QCOMPARE(o.result.status, 0);
        auto read = [&](const char *name) {
            QFile f(dir.filePath(QString::fromLatin1(name)));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(missing)");
        };
        QCOMPARE(read("log.txt"), QByteArray("before\n> b\n> a\n"));
        QCOMPARE(read("both.txt"), QByteArray("to stdout\nto stderr\n"));
        QCOMPARE(read("err.txt"), QByteArray("oops\n"));
        QVERIFY(o.out.isEmpty());
        QVERIFY(o.err.isEmpty());
    }

    // Files drawn as nodes: a source read by its wires, a sink written by them, one to one,
    // fanned out (what tee does) and fanned in.
    void fileNodes_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::newRow("file, stage, file") << "chain";
        QTest::newRow("one stdout into two files") << "tee";
        QTest::newRow("one file read by two stages") << "read twice";
        QTest::newRow("a file and a stage into one stage") << "fan-in";
    }
    void fileNodes()
    {
        QFETCH(QString, shape);
        QTemporaryDir dir;
        const QString in = dir.filePath(QStringLiteral("in.txt"));
        QFile inFile(in);
        QVERIFY(inFile.open(QIODevice::WriteOnly));
        inFile.write(numberedLines(1000, "in"));
        inFile.close();
        StageSpec source;
        source.mode = StageSpec::Mode::ReadFile;
        source.stdinFile = in;
        auto sink = [&](const QString &name) {
            StageSpec s;
            s.mode = StageSpec::Mode::WriteFile;
            s.stdoutFile.path = dir.filePath(name);
            return s;
        };
        auto content = [&](const QString &name) {
            QFile f(dir.filePath(name));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(missing)");
        };
        PipelineSpec spec;
        if (shape == QLatin1String("chain")) {
            spec.stages = {{1, source}, {2, testStage({"count"})}, {3, sink("out.txt")}};
            spec.edges = {Edge{{1, OutputStream::Stdout, 2}}, Edge{{2, OutputStream::Stdout, 3}}};
        } else if (shape == QLatin1String("tee")) {
            spec.stages = {{1, testStage({"lines", "500"})}, {2, sink("a.txt")}, {3, sink("b.txt")}};
            spec.edges = {Edge{{1, OutputStream::Stdout, 2}}, Edge{{1, OutputStream::Stdout, 3}}};
        } else if (shape == QLatin1String("read twice")) {
            spec.stages = {{1, source}, {2, testStage({"count"})}, {3, testStage({"count"})}};
            spec.edges = {Edge{{1, OutputStream::Stdout, 2}}, Edge{{1, OutputStream::Stdout, 3}}};
        } else {
            spec.stages = {{1, source}, {2, testStage({"lines", "10"})}, {3, testStage({"count"})}};
            spec.edges = {Edge{{1, OutputStream::Stdout, 3}}, Edge{{2, OutputStream::Stdout, 3}}};
        }
        QVERIFY2(spec.problem().isEmpty(), qPrintable(spec.problem()));
        PipelineRun run(spec);
        const Outcome o = runToEnd(run);
        QCOMPARE(o.result.status, 0);
        QVERIFY2(o.result.error.isEmpty(), qPrintable(o.result.error));
        const QByteArray inBytes = numberedLines(1000, "in");
        if (shape == QLatin1String("chain")) {
            QCOMPARE(content(QStringLiteral("out.txt")), QByteArray::number(inBytes.size()) + " 1000\n");
            QCOMPARE(o.result.stages.size(), 1); // files are no processes
        } else if (shape == QLatin1String("tee")) {
            QCOMPARE(content(QStringLiteral("a.txt")), numberedLines(500));
            QCOMPARE(content(QStringLiteral("b.txt")), numberedLines(500));
        } else if (shape == QLatin1String("read twice")) {
            QCOMPARE(o.out.value(2), QByteArray::number(inBytes.size()) + " 1000\n");
            QCOMPARE(o.out.value(3), QByteArray::number(inBytes.size()) + " 1000\n");
        } else {
            QCOMPARE(o.out.value(3), QByteArray::number(inBytes.size() + numberedLines(10).size()) + " 1010\n");
        }
    }

    void missingInputFileFailsCleanly()
    {
        PipelineSpec spec = chain({{QStringLiteral("echo")}, {QStringLiteral("echo")}});
        spec.stages[1].stdinFile = QStringLiteral("/nonexistent/input");
        PipelineRun run(spec);
        const Outcome o = runToEnd(run);
        QVERIFY2(o.result.error.contains(QStringLiteral("stage 1 (")) && o.result.error.contains(QStringLiteral("/nonexistent/input")),
                 qPrintable(o.result.error));
        QVERIFY(o.result.status != 0);
        for (const StageResult &s : o.result.stages)
            QVERIFY(!s.started);
    }

    void invalidPipelineFailsCleanly()
    {
        PipelineRun run(PipelineSpec{});
        const Outcome o = runToEnd(run);
        QVERIFY(o.result.error.contains(QStringLiteral("no stages")));
        QCOMPARE(o.result.status, 1);
    }

    void execAndForkStages()
    {
        PipelineSpec spec;
        StageSpec exec;
        exec.mode = StageSpec::Mode::Exec;
        exec.command = QStringLiteral("%1 lines 3 | %1 prefix sh:").arg(child);
        StageSpec forked = testStage({QStringLiteral("ipc-hello")});
        forked.mode = StageSpec::Mode::Fork;
        spec.stages = {{1, exec}, {2, forked}};
        PipelineRun run(spec);
        QSignalSpy started(&run, &PipelineRun::started);
        QSignalSpy finished(&run, &PipelineRun::finished);
        QByteArray out;
        connect(&run, &PipelineRun::output, this, [&out](int stage, OutputStream, const QByteArray &d) {
            if (stage == 1)
                out += d;
        });
        run.start();
        QTRY_COMPARE(out, QByteArray("sh:line 1\nsh:line 2\nsh:line 3\n"));
        QTRY_VERIFY(kindsOf(run.events(), 2).contains(QStringLiteral("message")));
        run.stage(2)->disconnectChannel(); // the forked child ends when its channel does
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(kindsOf(run.events(), 2), (QStringList{QStringLiteral("spawn"), QStringLiteral("message"),
                                                        QStringLiteral("disconnect"), QStringLiteral("exit"), QStringLiteral("close")}));
        QCOMPARE(run.result().status, 0);
    }

    void eventsCarryTraceFields()
    {
        PipelineRun run(chain({{QStringLiteral("exit"), QStringLiteral("2")}, {QStringLiteral("echo")}}));
        const Outcome o = runToEnd(run);
        QJsonObject exit;
        for (const PipelineEvent &e : o.events) {
            if (e.stage == 1 && e.kind == TraceKind::Exit)
                exit = QJsonDocument::fromJson(e.toTrace().toJson()).object();
        }
        QCOMPARE(exit.value(QStringLiteral("code")).toInt(), 2);
        QVERIFY(exit.value(QStringLiteral("signal")).isNull());
        QCOMPARE(exit.value(QStringLiteral("stage")).toInt(), 1);
        QCOMPARE(exit.value(QStringLiteral("event")).toString(), QStringLiteral("exit"));
        QVERIFY(exit.value(QStringLiteral("t")).isDouble());
    }

    void firstStdinAsPipe()
    {
        PipelineRunOptions options;
        options.firstStdin = StdioMode::Pipe;
        PipelineRun run(chain({{QStringLiteral("echo")}, {QStringLiteral("prefix"), QStringLiteral("got ")}}), options);
        QSignalSpy finished(&run, &PipelineRun::finished);
        QByteArray out;
        connect(&run, &PipelineRun::output, this, [&out](int, OutputStream, const QByteArray &d) { out += d; });
        run.start();
        run.stage(1)->write("typed\n");
        run.stage(1)->end();
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(out, QByteArray("got typed\n"));
    }

private:
    int m_fds = 0;
};

QTEST_GUILESS_MAIN(tst_PipelineRun)
#include "tst_pipelinerun.moc"
