// The session layer with real children: what each request starts, what each process and group
// says at the end, what the timeline holds, and the signals in their documented order.
#include "launchrequests.h"
#include "processes.h"
#include "recorder.h"

#include <messagelogmodel.h>
#include <outputbuffer.h>
#include <session.h>
#include <timeline.h>

#include <childprocess.h>
#include <osstring.h>

#include <QElapsedTimer>
#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <unistd.h>

using namespace Spawnscope;

namespace {

const QString kChild = QStringLiteral(TESTCHILD);

// Everything a process's buffer holds, notes marked.
QStringList linesOf(Session &session, int process)
{
    OutputBuffer *out = session.output(process);
    out->processPending();
    QStringList lines;
    for (const OutputBuffer::Line &l : out->linesFrom(0, 1000))
        lines << (l.stream == OutputBuffer::Note ? QStringLiteral("note: ") : QString()) + l.text;
    return lines;
}

QList<TraceKind> kindsOf(Session &session, int process)
{
    QList<TraceKind> kinds;
    const Timeline *t = session.timeline();
    for (const TimelineEvent &e : t->lane(t->laneOf(process)).events)
        kinds << e.kind;
    return kinds;
}

} // namespace

class tst_Session : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void everyModeRunsToItsEnd_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("output");
        QTest::addColumn<int>("state");
        QTest::newRow("spawn") << int(LaunchMode::Spawn) << QStringList{"lines", "2"} << QStringList{"line 1", "line 2"} << int(ProcessInfo::State::Exited);
        QTest::newRow("execFile") << int(LaunchMode::ExecFile) << QStringList{"out", "a b"} << QStringList{"a b"} << int(ProcessInfo::State::Exited);
        QTest::newRow("fork") << int(LaunchMode::Fork) << QStringList{"ipc-send", "1"} << QStringList{} << int(ProcessInfo::State::Exited);
        QTest::newRow("spawn crash") << int(LaunchMode::Spawn) << QStringList{"crash"} << QStringList{} << int(ProcessInfo::State::Killed);
    }
    void everyModeRunsToItsEnd()
    {
        QFETCH(int, mode);
        QFETCH(QStringList, args);
        QFETCH(QStringList, output);
        QFETCH(int, state);
        Session session;
        QSignalSpy groups(&session, &Session::groupAdded);
        QSignalSpy added(&session, &Session::processAdded);
        QList<int> order; // 0: a group added, else a process
        connect(&session, &Session::groupAdded, this, [&] { order << 0; });
        connect(&session, &Session::processAdded, this, [&](int id) { order << id; });
        QString error;
        const int id = session.launch(childRequest(LaunchMode(mode), args), &error);
        QVERIFY2(id, qPrintable(error));
        QCOMPARE(order, (QList<int>{0, id})); // the group first, then its process, each once
        QTRY_COMPARE(int(session.process(id)->state), state);
        QCOMPARE(session.process(id)->mode, LaunchMode(mode));
        QTRY_COMPARE(linesOf(session, id), output);
        QCOMPARE(added.count(), 1);
        QCOMPARE(groups.count(), 1);
        QVERIFY(session.process(id)->ended.isValid());
        QCOMPARE(session.counts(session.process(id)->group).total, 1);
    }

    // A name's byte that is not UTF-8 reaches the child whole; the list and the timeline show
    // it, and Copy gives it, as $'\351', which a shell pasted into turns back into the byte.
    void aNameThatIsNotUtf8IsShownAndCopiedAsTheShellReadsIt()
    {
        Session session;
        QString error;
        const QString name = OsString::decode("caf\xe9.txt");
        const int id = session.launch(childRequest(LaunchMode::Spawn, {QStringLiteral("args-hex"), name}), &error);
        QVERIFY2(id, qPrintable(error));
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Exited);
        QTRY_COMPARE(linesOf(session, id).value(2), QString::fromLatin1(QByteArray("caf\xe9.txt").toHex()));
        const QString shown = QStringLiteral("%1 args-hex 'caf'$'\\351''.txt'").arg(kChild);
        QCOMPARE(session.process(id)->command, shown);
        const Timeline *t = session.timeline();
        QCOMPARE(t->lane(t->laneOf(id)).command, shown);
    }

    void execRunsTheLineWithTheShell()
    {
        Session session;
        LaunchRequest r;
        r.mode = LaunchMode::Exec;
        r.command = QStringLiteral("'%1' out $((6*7))").arg(kChild);
        QString error;
        const int id = session.launch(r, &error);
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Exited);
        QTRY_COMPARE(linesOf(session, id), QStringList{"42"});
        QCOMPARE(session.process(id)->mode, LaunchMode::Exec);
    }

    // What a child left running when it ended (a shell's background job) stops with the rest
    // when the session stops everything: its group is still signalled.
    void stopAllTakesWhatEndedChildrenLeft()
    {
        ::setpgid(0, 0); // never a terminal's foreground job, whose children share its group
        QTemporaryDir dir;
        Session session;
        LaunchRequest r;
        r.mode = LaunchMode::Exec;
        r.options.cwd = dir.path();
        r.command = QStringLiteral("'%1' sleep 60000 >/dev/null 2>&1 & echo $! > background.pid").arg(kChild);
        QString error;
        const int id = session.launch(r, &error);
        QVERIFY2(id, qPrintable(error));
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Exited);
        QFile file(dir.filePath(QStringLiteral("background.pid")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const pid_t background = pid_t(file.readAll().trimmed().toInt());
        const auto killBackground = qScopeGuard([background] { ::kill(background, SIGKILL); });
        QVERIFY(isRunning(background));
        bool done = false;
        session.stopAll(200, [&] { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QTRY_VERIFY(!isRunning(background));
    }

    void aChildThatCannotStartSaysWhyInItsPane()
    {
        Session session;
        QString error;
        LaunchRequest r = childRequest(LaunchMode::Spawn, {});
        r.program = QStringLiteral("spawnscope-no-such-program");
        const int id = session.launch(r, &error);
        QVERIFY(id);
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::FailedToStart);
        QCOMPARE(session.process(id)->error, QStringLiteral("spawn spawnscope-no-such-program ENOENT"));
        QCOMPARE(linesOf(session, id), QStringList{"note: did not start: spawn spawnscope-no-such-program ENOENT"});
        QTRY_COMPARE(kindsOf(session, id), (QList<TraceKind>{TraceKind::Error, TraceKind::Close}));
        QCOMPARE(session.counts(session.process(id)->group).failed, 1);
    }

    // A batch job that never started is told as any child that never started: no spawn with
    // pid 0, no exit 0; its error, and close with Node's negative errno.
    void batchJobThatNeverStarted()
    {
        Session session;
        QString error;
        const int id = session.launch(batchRequest(QStringLiteral("spawnscope-no-such-program {}"), {"a"}), &error);
        QTRY_VERIFY(session.process(id));
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::FailedToStart);
        QCOMPARE(kindsOf(session, id), (QList<TraceKind>{TraceKind::Error, TraceKind::Close}));
        const Timeline *t = session.timeline();
        const TimelineLane &lane = t->lane(t->laneOf(id));
        QCOMPARE(lane.events[0].fields.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(), QStringLiteral("ENOENT"));
        QCOMPARE(lane.events[1].fields.value(QStringLiteral("code")).toInt(), -2);
        QCOMPARE(session.process(id)->pid, 0);
        QTRY_COMPARE(session.counts(session.process(id)->group).text(), QStringLiteral("1 failed"));
        QVERIFY(linesOf(session, id).first().startsWith(QStringLiteral("note: did not start: spawn spawnscope-no-such-program ENOENT")));
    }

    void batchLanesAreInTheOrderThingsHappened()
    {
        Session session;
        QString error;
        const int first = session.launch(batchRequest(QStringLiteral("%1 lines-then-sleep {} 50").arg(kChild), {"3", "2", "1"}), &error);
        QVERIFY(first);
        QTRY_COMPARE(session.counts(session.process(first)->group).done, 3);
        const Timeline *t = session.timeline();
        for (int id = first; id < first + 3; ++id) {
            const TimelineLane &lane = t->lane(t->laneOf(id));
            QCOMPARE(kindsOf(session, id), (QList<TraceKind>{TraceKind::Spawn, TraceKind::Exit, TraceKind::Close}));
            QCOMPARE(lane.out.size(), size_t(1));
            QVERIFY2(lane.out[0].start >= lane.events[0].t, qPrintable(QStringLiteral("output at %1 before the spawn at %2").arg(lane.out[0].start).arg(lane.events[0].t)));
            QVERIFY(lane.out[0].end <= lane.events[1].t);
        }
    }

    // The pipeline of issue `seq 1 100 | grpe 7 | wc -l`: each stage says what became of it.
    void aPipelineStageThatCannotStart()
    {
        Session session;
        QSignalSpy groupChanged(&session, &Session::groupChanged);
        QString error;
        const int first = session.launch(pipelineRequest({{"@", "lines", "100000000"}, {"spawnscope-no-such-program", "7"}, {"@", "count"}}), &error);
        QVERIFY(first);
        QTRY_VERIFY(!session.process(first)->isLive() && !session.process(first + 1)->isLive() && !session.process(first + 2)->isLive());
        const QString why = QStringLiteral("stage 2 (spawnscope-no-such-program) did not start: spawn spawnscope-no-such-program ENOENT");
        QTRY_COMPARE(session.group(session.process(first)->group)->error, why);
        QVERIFY(groupChanged.count() >= 1);
        QCOMPARE(session.process(first + 1)->state, ProcessInfo::State::FailedToStart);
        QCOMPARE(session.process(first + 2)->state, ProcessInfo::State::NotStarted);
        QCOMPARE(session.process(first + 2)->error, why);
        QVERIFY(session.process(first)->hasFailed());
        QCOMPARE(linesOf(session, first + 2), QStringList{QStringLiteral("note: not started: ") + why});
        QVERIFY(linesOf(session, first).contains(QStringLiteral("note: stopped: ") + why));
        for (int id = first; id < first + 3; ++id)
            QVERIFY(session.process(id)->ended.isValid()); // no duration keeps growing
        QCOMPARE(session.counts(session.process(first)->group).text(), QStringLiteral("3 failed"));
        // Its lanes are over too, the one that never started included: following rests.
        QVERIFY(!session.timeline()->anyLive());
    }

    void stoppedAndContinued()
    {
        Session session;
        QString error;
        const int id = session.launch(childRequest(LaunchMode::Spawn, {"sleep", "60000"}), &error);
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Running);
        QVERIFY(session.signal(id, SIGSTOP));
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Stopped);
        QCOMPARE(session.counts(session.process(id)->group).text(), QStringLiteral("1 stopped"));
        QVERIFY(session.resume(id));
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Running);
        QVERIFY(session.signal(id, SIGSTOP));
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Stopped);
        // Stop works on a stopped process: SIGTERM, then SIGCONT so that it can act on it.
        QVERIFY(session.stop(id));
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Killed);
        QCOMPARE(session.process(id)->signal, QStringLiteral("SIGTERM"));
    }

    void stdinSaysWhenItCannotBeWritten_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("problem"); // empty: it can be written
        QTest::newRow("a running child") << "running" << "";
        QTest::newRow("an ended child") << "ended" << "stdin is closed: spawnscope-testchild has ended";
        QTest::newRow("stdin ignored") << "ignored" << "stdin is not a pipe";
        QTest::newRow("stdin closed") << "closed" << "stdin was closed";
        QTest::newRow("a later pipeline stage") << "stage" << "This stage reads its stdin from its pipe or file";
        QTest::newRow("the first pipeline stage") << "first stage" << "";
        QTest::newRow("a batch job") << "batch" << "Batch jobs read nothing";
        QTest::newRow("did not start") << "missing" << "No stdin: spawnscope-no-such-program did not start";
    }
    void stdinSaysWhenItCannotBeWritten()
    {
        QFETCH(QString, what);
        QFETCH(QString, problem);
        Session session;
        QString error;
        int id = 0;
        if (what == QLatin1String("stage") || what == QLatin1String("first stage")) {
            const int first = session.launch(pipelineRequest({{"@", "echo"}, {"@", "echo"}}), &error);
            id = what == QLatin1String("stage") ? first + 1 : first;
            QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Running);
        } else if (what == QLatin1String("batch")) {
            id = session.launch(batchRequest(QStringLiteral("%1 sleep").arg(kChild), {"60000"}), &error);
            QTRY_VERIFY(session.process(id) && session.process(id)->state == ProcessInfo::State::Running);
        } else if (what == QLatin1String("missing")) {
            LaunchRequest r = childRequest(LaunchMode::Spawn, {});
            r.program = QStringLiteral("spawnscope-no-such-program");
            id = session.launch(r, &error);
            QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::FailedToStart);
        } else {
            LaunchOptions o;
            if (what == QLatin1String("ignored"))
                o.stdio[0] = StdioMode::Ignore;
            id = session.launch(childRequest(LaunchMode::Spawn, {what == QLatin1String("ended") ? "exit" : "echo", "0"}, o), &error);
            if (what == QLatin1String("ended"))
                QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Exited);
            else
                QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Running);
            if (what == QLatin1String("closed"))
                QVERIFY(session.closeStdin(id));
        }
        QVERIFY(id);
        QVERIFY2(problem.isEmpty() ? session.stdinProblem(id).isEmpty() : session.stdinProblem(id).startsWith(problem),
                 qPrintable(session.stdinProblem(id)));
        QCOMPARE(session.writeStdin(id, "x\n"), problem.isEmpty());
        bool done = false;
        session.stopAll(200, [&] { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    }

    void runAgainStartsTheSameRequest()
    {
        Session session;
        QString error;
        const int first = session.launch(pipelineRequest({{"@", "lines", "3"}, {"@", "count"}}), &error);
        QTRY_VERIFY(!session.process(first + 1)->isLive());
        const int again = session.runAgain(first + 1, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(session.groupIds().size(), 2); // a whole new run of the pipeline
        QVERIFY(session.request(again)->pipeline == session.request(first)->pipeline);
        QTRY_COMPARE(linesOf(session, again + 1), QStringList{"21 3"});

        // A batch job runs its own input again, alone.
        const int job = session.launch(batchRequest(QStringLiteral("%1 out {}").arg(kChild), {"a", "b"}), &error);
        QTRY_COMPARE(session.counts(session.process(job)->group).done, 2);
        const int jobId = session.process(job)->command.endsWith(QLatin1Char('b')) ? job : job + 1; // the job for "b"
        const int rerun = session.runAgain(jobId, &error);
        QVERIFY(rerun);
        QCOMPARE(session.request(rerun)->batch.inputs, QStringList{"b"});
        QTRY_COMPARE(linesOf(session, rerun), QStringList{"b"});
        QVERIFY(session.runAgain(9999, &error) == 0);
        QVERIFY(!error.isEmpty());
    }

    // What the builder follows of a run it started: each stage's process, the edges' counts,
    // the end once; and Stop for the whole group.
    void aPipelineRunAsTheBuilderFollowsIt()
    {
        Session session;
        QSignalSpy stats(&session, &Session::pipelineStatsChanged);
        QSignalSpy finished(&session, &Session::groupFinished);
        QString error;
        const int first = session.launch(pipelineRequest({{"@", "lines", "200000"}, {"@", "count"}}), &error);
        const int group = session.process(first)->group;
        QCOMPARE(session.processOfStage(group, 1), first);
        QCOMPARE(session.processOfStage(group, 2), first + 1);
        QCOMPARE(session.processOfStage(group, 3), 0);
        QVERIFY(session.isGroupRunning(group));
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.first().first().toInt(), group);
        QVERIFY(!session.isGroupRunning(group));
        QVERIFY(!stats.isEmpty());
        const auto last = stats.last().at(1).value<QHash<EdgeId, EdgeStats>>();
        QCOMPARE(last.size(), 1);
        QCOMPARE(last.value({1, OutputStream::Stdout, 2}).capacity, 65536);
        QCOMPARE(stats.last().first().toInt(), group);

        const int slow = session.launch(pipelineRequest({{"@", "sleep", "60000"}, {"@", "echo"}}), &error);
        const int slowGroup = session.process(slow)->group;
        QTRY_COMPARE(session.process(slow)->state, ProcessInfo::State::Running);
        QVERIFY(session.stopGroup(slowGroup));
        QTRY_COMPARE(finished.count(), 2);
        QCOMPARE(session.process(slow)->state, ProcessInfo::State::Killed);
        QVERIFY(!session.stopGroup(slowGroup)); // over already
    }

    void countersAndTotals()
    {
        Session session;
        QSignalSpy changed(&session, &Session::processChanged);
        QString error;
        const int id = session.launch(childRequest(LaunchMode::Spawn, {"lines", "10000"}), &error);
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Exited);
        QTRY_COMPARE(session.process(id)->bytesOut, qint64(98894));
        QCOMPARE(session.totalBytes(), qint64(98894));
        // Counters are announced a few times a second, not once per chunk.
        QVERIFY(changed.count() < 40);
    }

    // Exit is not the end of the output: what the process started may hold its stdout. The row
    // says so between the two, and the time it says it is bounded by the two events.
    void exitedWithItsOutputStillOpen()
    {
        Session session;
        QString error;
        const int id = session.launch(childRequest(LaunchMode::Spawn, {"spawn-grandchild", "2000"}), &error);
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Exited);
        const TimelineLane &lane = session.timeline()->lane(session.timeline()->laneOf(id));
        if (lane.events.back().kind != TraceKind::Close) { // on a slow machine close may be here already
            QVERIFY(session.process(id)->outputOpen);
            QCOMPARE(session.process(id)->stateText(), QStringLiteral("exited, output open"));
            QVERIFY(!session.process(id)->isLive());
        }
        QTRY_COMPARE_WITH_TIMEOUT(kindsOf(session, id).last(), TraceKind::Close, 20000);
        QVERIFY(!session.process(id)->outputOpen);
        QCOMPARE(session.process(id)->stateText(), QStringLiteral("exited"));
        QCOMPARE(linesOf(session, id), (QStringList{"child", "grandchild"}));
    }

    // Three children of one module, each sent its own first message, then the whole group at once.
    void aForkGroupReachesEveryChild_data()
    {
        QTest::addColumn<QString>("ending");
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("signal");
        QTest::newRow("disconnect all") << QStringLiteral("disconnect") << int(ProcessInfo::State::Exited) << QString();
        QTest::newRow("stop all") << QStringLiteral("stop") << int(ProcessInfo::State::Killed) << QStringLiteral("SIGTERM");
        QTest::newRow("kill all") << QStringLiteral("kill") << int(ProcessInfo::State::Killed) << QStringLiteral("SIGKILL");
    }
    void aForkGroupReachesEveryChild()
    {
        QFETCH(QString, ending);
        QFETCH(int, state);
        QFETCH(QString, signal);
        Session session;
        QSignalSpy groups(&session, &Session::groupAdded);
        QSignalSpy finished(&session, &Session::groupFinished);
        LaunchRequest r = childRequest(LaunchMode::Fork, {"ipc-echo"});
        r.forkMessages = {QJsonValue(1), QJsonValue(2), QJsonValue(3)};
        QString error;
        QVERIFY2(session.launch(r, &error), qPrintable(error));
        QCOMPARE(groups.count(), 1);
        const int group = groups.first().at(0).toInt();
        QCOMPARE(session.group(group)->kind, GroupKind::Forks);
        const QList<int> children = session.group(group)->processes;
        QCOMPARE(children.size(), 3);
        for (int i = 0; i < 3; ++i) // its own message out, echoed back
            QTRY_COMPARE(session.messages(children[i])->rowCount(), 2);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(session.messages(children[i])->message(1), QJsonValue(i + 1));

        QCOMPARE(session.sendMessageToGroup(group, QJsonObject{{"to", "all"}}), 3);
        for (int p : children) {
            QTRY_COMPARE(session.messages(p)->rowCount(), 4);
            QCOMPARE(session.messages(p)->message(3), QJsonValue(QJsonObject{{"to", "all"}}));
        }
        QCOMPARE(finished.count(), 0);
        QVERIFY(session.isGroupRunning(group));

        if (ending == QLatin1String("disconnect"))
            QCOMPARE(session.disconnectGroup(group), 3);
        else if (ending == QLatin1String("stop"))
            QVERIFY(session.stopGroup(group));
        else
            QCOMPARE(session.signalGroup(group, ProcessSignal("SIGKILL")), 3);
        QTRY_COMPARE(finished.count(), 1);
        for (int p : children) {
            QCOMPARE(int(session.process(p)->state), state);
            QCOMPARE(session.process(p)->signal, signal);
        }
        QVERIFY(!session.isGroupRunning(group));
        QCOMPARE(session.sendMessageToGroup(group, 4), 0);
        QCOMPARE(session.disconnectGroup(group), 0);
        QVERIFY(!session.stopGroup(group));
        QCOMPARE(finished.count(), 1);
    }

    // What a process starts itself nests under it, with its pid, name and state, and ends as
    // gone with its lifetime (never an exit code: that is its parent's to collect), on the
    // timeline too: a sub-lane under its parent's lane, appeared to gone.
    void descendantsAppearAndGo_data()
    {
        QTest::addColumn<int>("chains");
        QTest::addColumn<int>("depth");
        QTest::newRow("two children") << 2 << 1;
        QTest::newRow("a grandchild and its child") << 1 << 3;
    }
    void descendantsAppearAndGo()
    {
        QFETCH(int, chains);
        QFETCH(int, depth);
        Session session;
        QSignalSpy changed(&session, &Session::descendantsChanged);
        QString error;
        const int id = session.launch(childRequest(LaunchMode::Spawn, {"tree", QString::number(chains), QString::number(depth)}), &error);
        QVERIFY2(id, qPrintable(error));
        QTRY_COMPARE(session.descendants(id).size(), chains * depth);
        QTRY_VERIFY(std::all_of(session.descendants(id).cbegin(), session.descendants(id).cend(),
                                [](const DescendantInfo &d) { return d.command.endsWith(QLatin1String("wait-stdin")) || d.command.contains(QLatin1String("tree 1")); }));
        const QList<DescendantInfo> live = session.descendants(id);
        const Timeline *t = session.timeline();
        const int ownLane = t->laneOf(id);
        for (int i = 0; i < live.size(); ++i) {
            const DescendantInfo &d = live[i];
            QVERIFY(d.pid > 0);
            QCOMPARE(d.name, QStringLiteral("spawnscope-test")); // the kernel keeps 15 characters
            QCOMPARE(d.state, DescendantInfo::State::Running);
            QCOMPARE(d.depth, depth == 1 ? 1 : i + 1);
            QCOMPARE(d.ppid, d.depth == 1 ? session.process(id)->pid : live[i - 1].pid);
            QVERIFY(d.startedMs >= session.process(id)->started.toMSecsSinceEpoch() - 20); // a tick of /proc
            const int lane = session.descendantLane(id, i);
            QVERIFY(lane >= 0);
            QCOMPARE(t->lane(lane).process, id);
            QCOMPARE(t->lane(lane).pid, d.pid);
            QCOMPARE(t->lane(lane).depth, d.depth);
            QCOMPARE(t->lane(lane).events.front().kind, TraceKind::Appeared);
            QCOMPARE(t->rowOfLane(lane), t->rowOfLane(ownLane) + i + 1);
        }
        QVERIFY(changed.count() >= 1);
        QVERIFY(std::all_of(changed.cbegin(), changed.cend(), [id](const QList<QVariant> &args) { return args.at(0).toInt() == id; }));

        QVERIFY(session.closeStdin(id)); // the leaves read it, and end; their parents follow
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Exited);
        QTRY_VERIFY(std::all_of(session.descendants(id).cbegin(), session.descendants(id).cend(),
                                [](const DescendantInfo &d) { return d.state == DescendantInfo::State::Gone; }));
        const qint64 later = QDateTime::currentMSecsSinceEpoch() + 60000;
        for (int i = 0; i < live.size(); ++i) {
            const DescendantInfo d = session.descendants(id).at(i);
            QCOMPARE(d.pid, live[i].pid);
            QVERIFY(d.goneMs >= d.startedMs);
            QCOMPARE(d.lifetimeMs(later), d.goneMs - d.startedMs);
            const TimelineLane &lane = t->lane(session.descendantLane(id, i));
            QCOMPARE(lane.events.back().kind, TraceKind::Gone);
            QVERIFY(lane.ended);
        }
    }

    // A zombie's life is over: it shows exiting, not running, until it is reaped.
    void aZombieIsExiting()
    {
        Session session;
        QString error;
        const int id = session.launch(childRequest(LaunchMode::Spawn, {"zombie"}), &error);
        QTRY_COMPARE(session.descendants(id).size(), 1);
        QTRY_COMPARE(session.descendants(id).at(0).state, DescendantInfo::State::Exiting);
        QVERIFY(session.descendants(id).at(0).goneMs >= 0);
        QVERIFY(!session.descendants(id).at(0).isLive());
        QVERIFY(session.closeStdin(id));
        QTRY_COMPARE(session.descendants(id).at(0).state, DescendantInfo::State::Gone);
        QCOMPARE(session.timeline()->lane(session.descendantLane(id, 0)).events.back().kind, TraceKind::Gone);
    }

    // The launched process ended, its children were reparented: they are still its
    // descendants, watched until they are gone.
    void reparentedDescendantsAreStillWatched()
    {
        Session session;
        QString error;
        const int id = session.launch(childRequest(LaunchMode::Spawn, {"orphans", "2"}), &error);
        QList<qint64> pids;
        auto killThem = qScopeGuard([&] {
            for (qint64 pid : std::as_const(pids))
                ::kill(pid_t(pid), SIGKILL);
        });
        QTRY_COMPARE(session.descendants(id).size(), 2);
        for (const DescendantInfo &d : session.descendants(id))
            pids << d.pid;
        QVERIFY(session.writeStdin(id, "\n"));
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Exited);
        // A scan after its end still finds them alive, under it.
        QSignalSpy changed(&session, &Session::descendantsChanged);
        QTRY_VERIFY(changed.count() >= 2);
        for (const DescendantInfo &d : session.descendants(id)) {
            QCOMPARE(d.state, DescendantInfo::State::Running);
            QCOMPARE(d.ppid, session.process(id)->pid);
        }
        for (qint64 pid : std::as_const(pids))
            ::kill(pid_t(pid), SIGKILL);
        QTRY_VERIFY(std::all_of(session.descendants(id).cbegin(), session.descendants(id).cend(),
                                [](const DescendantInfo &d) { return d.state == DescendantInfo::State::Gone; }));
        // Nothing left to tell: no more signals.
        changed.clear();
        QSignalSpy other(&session, &Session::descendantsChanged);
        const int clock = session.launch(childRequest(LaunchMode::Spawn, {"tree", "1", "1"}), &error);
        QTRY_VERIFY(other.count() >= 3);
        QVERIFY(std::none_of(changed.cbegin(), changed.cend(), [id](const QList<QVariant> &a) { return a.at(0).toInt() == id; }));
        QVERIFY(session.closeStdin(clock));
        QTRY_COMPARE(session.process(clock)->state, ProcessInfo::State::Exited);
    }

    // descendantsChanged(): at most once per process per scan, and never for a process that
    // started nothing.
    void descendantsChangedIsBatchedPerScan()
    {
        Session session;
        QString error;
        const int quiet = session.launch(childRequest(LaunchMode::Spawn, {"wait-stdin"}), &error);
        QSignalSpy changed(&session, &Session::descendantsChanged);
        QElapsedTimer clock;
        clock.start();
        const int busy = session.launch(childRequest(LaunchMode::Spawn, {"tree", "3", "1"}), &error);
        QTRY_VERIFY(changed.count() >= 8);
        const qint64 elapsed = clock.elapsed();
        QVERIFY2(changed.count() <= elapsed / Session::TreeScanMs + 2, qPrintable(QStringLiteral("%1 in %2 ms").arg(changed.count()).arg(elapsed)));
        QVERIFY(std::all_of(changed.cbegin(), changed.cend(), [busy](const QList<QVariant> &a) { return a.at(0).toInt() == busy; }));
        QVERIFY(session.descendants(quiet).isEmpty());
        QVERIFY(session.closeStdin(quiet));
        QVERIFY(session.closeStdin(busy));
        QTRY_VERIFY(!session.process(busy)->isLive() && !session.process(quiet)->isLive());
    }

    // A batch job's output is in its pane while it runs, not only once it ended.
    void batchOutputArrivesWhileTheJobRuns()
    {
        QTemporaryDir dir;
        const QString gate = dir.filePath(QStringLiteral("gate"));
        Session session;
        QString error;
        const int id = session.launch(batchRequest(QStringLiteral("%1 wait-for %2 {}").arg(kChild, gate), {"first-line"}), &error);
        QVERIFY2(id, qPrintable(error));
        QTRY_COMPARE(linesOf(session, id), QStringList{QStringLiteral("first-line")});
        QCOMPARE(session.process(id)->state, ProcessInfo::State::Running);
        QTRY_COMPARE(session.process(id)->bytesOut, 11);
        const int group = session.process(id)->group;
        QCOMPARE(session.batch(group)->job(1)->bytesOut, 11);
        QVERIFY(session.batch(group)->job(1)->isRunning());
        QFile(gate).open(QIODevice::WriteOnly);
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Exited);
        QCOMPARE(linesOf(session, id), QStringList{QStringLiteral("first-line")}); // not twice
        QCOMPARE(session.process(id)->bytesOut, 11);
        QCOMPARE(session.totalBytes(), 11);
    }

    // The batch's own signals: a row change per attempt start and end, the progress after each,
    // and all of it before groupFinished().
    void batchSignalsFollowEveryAttempt()
    {
        QTemporaryDir dir;
        Session session;
        QSignalSpy jobs(&session, &Session::batchJobChanged);
        QSignalSpy progress(&session, &Session::batchProgressChanged);
        QSignalSpy finished(&session, &Session::groupFinished);
        qsizetype progressAtFinish = -1;
        connect(&session, &Session::groupFinished, this, [&] { progressAtFinish = progress.size(); });
        LaunchRequest r = batchRequest(QStringLiteral("%1 job {}").arg(kChild), {"ok", "fail", QStringLiteral("once=%1").arg(dir.filePath("x"))});
        r.batch.jobs = 2;
        r.batch.retries = 2;
        QString error;
        const int first = session.launch(r, &error);
        QVERIFY(first);
        const int group = session.process(first)->group;
        QTRY_COMPARE(finished.size(), 1);
        const BatchState *b = session.batch(group);
        QVERIFY(b && b->isFinished());
        QCOMPARE(b->jobs.size(), 3);
        int attempts = 0;
        for (const BatchJob &job : b->jobs) {
            attempts += int(job.attempts.size());
            for (const BatchAttempt &a : job.attempts) {
                QVERIFY(a.slot == 0 || a.slot == 1);
                QVERIFY(a.endMs >= a.startMs);
            }
        }
        QCOMPARE(attempts, 5); // ok once, fail twice, once= twice
        QCOMPARE(b->job(2)->outcome(), AttemptOutcome::Failed);
        QCOMPARE(b->job(2)->exitCode, 3);
        QCOMPARE(b->job(3)->attempts.first().outcome, AttemptOutcome::Failed);
        QCOMPARE(b->job(3)->outcome(), AttemptOutcome::Ok);
        // Byte counts may add a few more, never fewer.
        int changes = 0;
        for (const auto &args : std::as_const(jobs)) {
            QCOMPARE(args.at(0).toInt(), group);
            ++changes;
        }
        QVERIFY2(changes >= 2 * attempts, qPrintable(QString::number(changes)));
        QVERIFY(progress.size() >= attempts + 1);
        QCOMPARE(progressAtFinish, progress.size()); // the last came before groupFinished()
        QCOMPARE(b->progress.done, 2);
        QCOMPARE(b->progress.failed, 1);
        QCOMPARE(b->etaMs(), 0);
        QCOMPARE(session.batch(session.process(first)->group + 1000), nullptr);
    }

    void haltLetsRunningBatchJobsEnd()
    {
        QTemporaryDir dir;
        const QString gate = dir.filePath(QStringLiteral("gate"));
        Session session;
        LaunchRequest r = batchRequest(QStringLiteral("%1 wait-for %2 {}").arg(kChild, gate), {"a", "b", "c", "d"});
        r.batch.jobs = 2;
        QString error;
        const int first = session.launch(r, &error);
        const int group = session.process(first)->group;
        QTRY_COMPARE(session.batch(group)->progress.running, 2);
        QTRY_COMPARE(linesOf(session, first + 1), QStringList{QStringLiteral("b")});
        QVERIFY(session.haltGroup(group));
        QVERIFY(session.batch(group)->halting);
        QCOMPARE(session.batch(group)->progress.skipped, 2);
        QVERIFY(session.isGroupRunning(group));
        QFile(gate).open(QIODevice::WriteOnly);
        QTRY_VERIFY(!session.isGroupRunning(group));
        QCOMPARE(session.counts(group).done, 2);
        QCOMPARE(session.group(group)->error, QStringLiteral("halted: 2 job(s) not started"));
        QVERIFY(!session.haltGroup(group));
    }
};

QTEST_GUILESS_MAIN(tst_Session)
#include "tst_session.moc"
