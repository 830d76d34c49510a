// The timeline's data: lanes, events in time order, output bands, and the trace format both ways.
#include <timeline.h>

#include <QBuffer>
#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace Spawnscope;


namespace {

QByteArray exported(const Timeline &t)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    t.writeJsonLines(&buffer);
    return buffer.data();
}

bool import(Timeline &t, const QByteArray &text, QString *error)
{
    QBuffer buffer;
    buffer.setData(text);
    buffer.open(QIODevice::ReadOnly);
    return t.readJsonLines(&buffer, error);
}

} // namespace

class tst_Timeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lanesAndEventsInTimeOrder()
    {
        Timeline t;
        QSignalSpy lanes(&t, &Timeline::laneAdded);
        QSignalSpy changed(&t, &Timeline::changed);
        QCOMPARE(t.addLane(7, QStringLiteral("sleep"), QStringLiteral("sleep 1")), 0);
        QCOMPARE(t.addLane(9, QStringLiteral("cat"), QStringLiteral("cat"), 2), 1);
        QCOMPARE(lanes.count(), 2);
        QCOMPARE(lanes.at(1).at(0).toInt(), 1);
        QCOMPARE(t.laneOf(9), 1);
        QCOMPARE(t.laneOf(8), -1);
        changed.clear();
        t.addEventAt(0, 10, TraceKind::Spawn, {{QStringLiteral("pid"), 100}});
        t.addEventAt(0, 30, TraceKind::Close);
        t.addEventAt(0, 20, TraceKind::Exit, {{QStringLiteral("code"), 0}});
        t.addEventAt(5, 40, TraceKind::Exit); // no such lane: ignored
        QCOMPARE(changed.count(), 3);
        QCOMPARE(t.eventCount(), 3);
        const auto &events = t.lane(0).events;
        QCOMPARE(events.size(), size_t(3));
        QCOMPARE(events[0].kind, TraceKind::Spawn);
        QCOMPARE(events[1].kind, TraceKind::Exit);
        QCOMPARE(events[2].kind, TraceKind::Close);
        QCOMPARE(t.endTime(), 30.0);
        QVERIFY(t.isRecording());
        QVERIFY(t.now() >= 0);
    }

    // A descendant's lane shows right under its parent's (after the ones already there), and
    // keeps the launched process's id; laneOf() is the process's own lane all the same.
    void subLanesHangUnderTheirParents()
    {
        Timeline t;
        QSignalSpy added(&t, &Timeline::laneAdded);
        const int a = t.addLane(1, QStringLiteral("sh"), QStringLiteral("sh -c x"));
        const int b = t.addLane(2, QStringLiteral("ls"), QStringLiteral("ls"));
        const int child = t.addSubLane(a, 101, QStringLiteral("sleep"), QStringLiteral("sleep 3"));
        const int grandchild = t.addSubLane(child, 103, QStringLiteral("cat"), QStringLiteral("cat"));
        const int second = t.addSubLane(a, 102, QStringLiteral("sleep"), QStringLiteral("sleep 4"));
        QCOMPARE(added.count(), 5);
        QCOMPARE(added.last().at(0).toInt(), second);
        QList<int> rows;
        for (int r = 0; r < t.laneCount(); ++r)
            rows << t.laneAtRow(r);
        QCOMPARE(rows, (QList<int>{a, child, grandchild, second, b}));
        QCOMPARE(t.rowOfLane(second), 3);
        QCOMPARE(t.lane(grandchild).process, 1);
        QCOMPARE(t.lane(grandchild).depth, 2);
        QCOMPARE(t.lane(grandchild).parentLane, child);
        QCOMPARE(t.lane(child).pid, 101);
        QCOMPARE(t.laneOf(1), a);
        QCOMPARE(t.addSubLane(99, 1, {}, {}), -1);
        t.renameLane(child, QStringLiteral("sleep"), QStringLiteral("sleep 30"));
        QCOMPARE(t.lane(child).command, QStringLiteral("sleep 30"));

        // Appeared and gone, and back through the trace format as the same sub-lanes.
        t.addEventAt(child, 5, TraceKind::Appeared, {{QStringLiteral("pid"), 101}, {QStringLiteral("ppid"), 50}});
        t.addEventAt(grandchild, 6, TraceKind::Appeared, {{QStringLiteral("pid"), 103}, {QStringLiteral("ppid"), 101}});
        t.addEventAt(child, 9, TraceKind::Gone, {{QStringLiteral("pid"), 101}});
        t.addEventAt(a, 1, TraceKind::Spawn, {{QStringLiteral("pid"), 50}});
        QVERIFY(TimelineEvent::isDrawn(TraceKind::Appeared) && TimelineEvent::isDrawn(TraceKind::Gone));
        QVERIFY(t.lane(child).events.back().describe().contains(QStringLiteral("gone")));
        QVERIFY(!t.lane(child).events.back().describe().contains(QStringLiteral("code")));
        Timeline back;
        QString error;
        QVERIFY2(import(back, exported(t), &error), qPrintable(error));
        QCOMPARE(back.laneCount(), 3);
        QCOMPARE(back.lane(back.laneAtRow(1)).pid, 101);
        QCOMPARE(back.lane(back.laneAtRow(1)).command, QStringLiteral("sleep 30"));
        QCOMPARE(back.lane(back.laneAtRow(2)).depth, 2);
        QCOMPARE(back.lane(back.laneAtRow(1)).events.size(), size_t(2));
        QCOMPARE(back.laneOf(1), back.laneAtRow(0));
    }

    void outputBands_data()
    {
        QTest::addColumn<QList<double>>("times");
        QTest::addColumn<int>("bands");
        QTest::addColumn<qint64>("firstBytes");
        QTest::newRow("one chunk") << QList<double>{5} << 1 << qint64(10);
        QTest::newRow("steady flow is one band") << QList<double>{0, 50, 100, 150, 200} << 1 << qint64(50);
        QTest::newRow("a pause longer than the gap splits") << QList<double>{0, 50, 300, 320} << 2 << qint64(20);
        QTest::newRow("exactly the gap still joins") << QList<double>{0, Timeline::BandGapMs} << 1 << qint64(20);
        QTest::newRow("three bursts") << QList<double>{0, 500, 1000} << 3 << qint64(10);
    }
    void outputBands()
    {
        QFETCH(QList<double>, times);
        QFETCH(int, bands);
        QFETCH(qint64, firstBytes);
        Timeline t;
        t.addLane(1, QStringLiteral("x"), {});
        for (double at : times)
            t.addOutputAt(0, false, at, at, 10);
        QCOMPARE(int(t.lane(0).out.size()), bands);
        QCOMPARE(t.lane(0).out.front().bytes, firstBytes);
        QCOMPARE(t.lane(0).out.back().end, times.last());
        QVERIFY(t.lane(0).err.empty());
    }

    void roundTripThroughTheTraceFormat()
    {
        Timeline t;
        t.addLane(3, QStringLiteral("node"), QStringLiteral("node child.js"));
        t.addLane(4, QStringLiteral("wc"), QStringLiteral("wc -l"), 1);
        t.addEventAt(0, 1.5, TraceKind::Spawn, {{QStringLiteral("pid"), 4242}});
        t.addEventAt(0, 2.25, TraceKind::Send, {{QStringLiteral("message"), QJsonObject{{QStringLiteral("n"), 1}}}});
        t.addEventAt(0, 3, TraceKind::Message, {{QStringLiteral("message"), QJsonArray{1, 2}}});
        t.addEventAt(0, 4, TraceKind::Disconnect);
        t.addEventAt(0, 5, TraceKind::Kill, {{QStringLiteral("signal"), QStringLiteral("SIGTERM")}, {QStringLiteral("result"), true}});
        t.addEventAt(0, 6, TraceKind::Exit, {{QStringLiteral("code"), QJsonValue::Null}, {QStringLiteral("signal"), QStringLiteral("SIGTERM")}});
        t.addEventAt(0, 7, TraceKind::Close, {{QStringLiteral("code"), QJsonValue::Null}, {QStringLiteral("signal"), QStringLiteral("SIGTERM")}});
        t.addEventAt(1, 2, TraceKind::Error, {{QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), QStringLiteral("ENOENT")}}}});
        t.addOutputAt(0, false, 1.6, 2.9, 1000);
        t.addOutputAt(0, true, 2, 2, 7);
        const QByteArray text = exported(t);
        const QList<QByteArray> lines = text.trimmed().split('\n');
        QCOMPARE(lines.size(), 10);
        // Time order across lanes; the first line of a lane names it; actions for what the user did.
        QCOMPARE(lines[0], QByteArray(R"({"t":1.5,"process":3,"name":"node","command":"node child.js","event":"spawn","pid":4242})"));
        QCOMPARE(lines[1], QByteArray(R"({"t":1.6,"process":3,"event":"stdout","bytes":1000,"duration":1.3})"));
        QCOMPARE(lines[2], QByteArray(R"({"t":2,"process":3,"event":"stderr","bytes":7,"duration":0})"));
        QCOMPARE(lines[3], QByteArray(R"({"t":2,"process":4,"stage":1,"name":"wc","command":"wc -l","event":"error","error":{"code":"ENOENT"}})"));
        QVERIFY(lines.contains(R"({"t":2.25,"process":3,"action":"send","message":{"n":1}})"));
        QVERIFY(lines.contains(R"({"t":5,"process":3,"action":"kill","signal":"SIGTERM","result":true})"));
        QCOMPARE(lines.last(), QByteArray(R"({"t":7,"process":3,"event":"close","code":null,"signal":"SIGTERM"})"));

        Timeline back;
        QSignalSpy lanes(&back, &Timeline::laneAdded);
        QString error;
        QVERIFY2(import(back, text, &error), qPrintable(error));
        QVERIFY(!back.isRecording());
        QCOMPARE(lanes.count(), 2);
        QCOMPARE(back.laneCount(), 2);
        QCOMPARE(back.eventCount(), t.eventCount());
        for (int i = 0; i < 2; ++i) {
            const TimelineLane &a = t.lane(i);
            const TimelineLane &b = back.lane(i);
            QCOMPARE(b.process, a.process);
            QCOMPARE(b.stage, a.stage);
            QCOMPARE(b.name, a.name);
            QCOMPARE(b.command, a.command);
            QCOMPARE(b.events.size(), a.events.size());
            for (size_t e = 0; e < a.events.size(); ++e) {
                QCOMPARE(b.events[e].t, a.events[e].t);
                QCOMPARE(b.events[e].kind, a.events[e].kind);
                QCOMPARE(b.events[e].fields, a.events[e].fields);
            }
            QCOMPARE(b.out.size(), a.out.size());
            QCOMPARE(b.err.size(), a.err.size());
        }
        QCOMPARE(back.lane(0).out[0].bytes, 1000);
        QCOMPARE(back.lane(0).out[0].end, 2.9);
        QCOMPARE(back.endTime(), t.endTime());
        QCOMPARE(exported(back), text); // and out again, unchanged
    }

    void readsWhatTraceWrites()
    {
        QProcess trace;
        trace.start(QStringLiteral(SPAWNSCOPE_APP), {QStringLiteral("trace"), QStringLiteral("--"), QStringLiteral(TESTCHILD),
                                                      QStringLiteral("stderr"), QStringLiteral("oops\n"), QStringLiteral("3")});
        QVERIFY(trace.waitForFinished(20000));
        Timeline t;
        QString error;
        QVERIFY2(import(t, trace.readAllStandardOutput(), &error), qPrintable(error));
        QCOMPARE(t.laneCount(), 1);
        QCOMPARE(t.lane(0).name, QStringLiteral("child"));
        QList<TraceKind> kinds;
        for (const TimelineEvent &e : t.lane(0).events)
            kinds << e.kind;
        QCOMPARE(kinds, (QList<TraceKind>{TraceKind::Spawn, TraceKind::Exit, TraceKind::Close}));
        QCOMPARE(t.lane(0).events[1].fields.value(QStringLiteral("code")).toInt(), 3);
        QCOMPARE(t.lane(0).err.size(), size_t(1));
        QCOMPARE(t.lane(0).err[0].bytes, 5); // counted from the data
    }

    void readsWhatRunTraceWrites()
    {
        QProcess run;
        run.start(QStringLiteral(SPAWNSCOPE_APP), {QStringLiteral("run"), QStringLiteral("--trace"), QStringLiteral("-e"),
                                                    QStringLiteral("%1 lines 100 | %1 head 3").arg(QStringLiteral(TESTCHILD))});
        QVERIFY(run.waitForFinished(20000));
        Timeline t;
        QString error;
        QVERIFY2(import(t, run.readAllStandardOutput(), &error), qPrintable(error));
        QCOMPARE(t.laneCount(), 2); // the run's own lines and the result have no lane
        QCOMPARE(t.lane(0).name, QStringLiteral("stage 1"));
        QCOMPARE(t.lane(1).name, QStringLiteral("stage 2"));
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(t.lane(i).events.front().kind, TraceKind::Spawn);
            QCOMPARE(t.lane(i).events.back().kind, TraceKind::Close);
        }
    }

    void malformedFilesSayWhereAndChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        const QByteArray good = R"({"t":1,"process":1,"event":"spawn","pid":5})" "\n";
        QTest::newRow("empty") << QByteArray() << QStringLiteral("no events in the file");
        QTest::newRow("blank lines only") << QByteArray("\n\n  \n") << QStringLiteral("no events in the file");
        QTest::newRow("only a result") << QByteArray(R"({"t":5,"event":"result","status":0})") << QStringLiteral("no events in the file");
        QTest::newRow("not JSON") << good + "{\"t\":2,\n" << QStringLiteral("line 2: not JSON");
        QTest::newRow("an array") << good + "[1,2]\n" << QStringLiteral("line 2: expected a JSON object");
        QTest::newRow("no t") << good + good + R"({"event":"exit"})" << QStringLiteral("line 3: \"t\" must be a number of milliseconds, not null");
        QTest::newRow("t as text") << QByteArray(R"({"t":"soon","event":"exit"})") << QStringLiteral("line 1: \"t\" must be a number of milliseconds, not \"soon\"");
        QTest::newRow("negative t") << QByteArray(R"({"t":-1,"event":"exit"})") << QStringLiteral("line 1: \"t\" must be a number");
        QTest::newRow("neither event nor action") << QByteArray(R"({"t":1,"pid":3})") << QStringLiteral("line 1: neither \"event\" nor \"action\"");
        QTest::newRow("process as text") << QByteArray(R"({"t":1,"process":"a","event":"spawn"})") << QStringLiteral("line 1: \"process\" must be a number");
    }
    void malformedFilesSayWhereAndChangeNothing()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        Timeline t;
        t.addLane(1, QStringLiteral("kept"), {});
        t.addEventAt(0, 3, TraceKind::Spawn);
        QSignalSpy changed(&t, &Timeline::changed);
        QString why;
        QVERIFY(!import(t, text, &why));
        QVERIFY2(why.startsWith(error), qPrintable(why));
        QCOMPARE(changed.count(), 0);
        QCOMPARE(t.laneCount(), 1);
        QCOMPARE(t.lane(0).name, QStringLiteral("kept"));
        QCOMPARE(t.eventCount(), 1);
        QVERIFY(t.isRecording());
    }

    void unknownRecordsAreSkipped()
    {
        Timeline t;
        QString error;
        QVERIFY(import(t, R"({"t":0,"event":"spawn","pid":1}
{"t":1,"event":"callback","error":null,"stdout":"","stderr":""}
{"t":1,"action":"stdin-error","error":{}}
{"t":2,"event":"exit","code":0,"signal":null})", &error));
        QCOMPARE(t.eventCount(), 2);
    }

    void messageContentsStayWithinTheBudget()
    {
        Timeline t;
        t.setContentBudget(100);
        t.addLane(1, QStringLiteral("chatty"), {});
        const QJsonObject message{{QStringLiteral("text"), QString(20, QLatin1Char('x'))}}; // 31 bytes of JSON
        for (int i = 0; i < 5; ++i)
            t.addEventAt(0, i, TraceKind::Message, {{QStringLiteral("message"), message}});
        QCOMPARE(t.eventCount(), 5); // every event is kept...
        QCOMPARE(t.contentBytes(), 93); // ...but only three contents fit
        const auto &events = t.lane(0).events;
        QCOMPARE(events[2].fields.value(QStringLiteral("message")).toObject(), message);
        QCOMPARE(events[3].fields, (QJsonObject{{QStringLiteral("bytes"), 31}}));
        QVERIFY2(events[4].describe().contains(QStringLiteral("31 bytes (its content was not kept")), qPrintable(events[4].describe()));
        // Exported as what is known; read back the same.
        Timeline back;
        QString error;
        QVERIFY(import(back, exported(t), &error));
        QCOMPARE(back.lane(0).events[4].fields, events[4].fields);
    }

    void describeSaysWhatHappened_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QJsonObject>("fields");
        QTest::addColumn<QString>("text");
        QTest::newRow("spawn") << int(TraceKind::Spawn) << QJsonObject{{QStringLiteral("pid"), 77}} << QStringLiteral("12.0 ms — spawn, pid 77");
        QTest::newRow("exit code") << int(TraceKind::Exit) << QJsonObject{{QStringLiteral("code"), 3}, {QStringLiteral("signal"), QJsonValue::Null}} << QStringLiteral("12.0 ms — exit, code 3");
        QTest::newRow("exit signal") << int(TraceKind::Exit) << QJsonObject{{QStringLiteral("code"), QJsonValue::Null}, {QStringLiteral("signal"), QStringLiteral("SIGKILL")}} << QStringLiteral("12.0 ms — exit, signal SIGKILL");
        QTest::newRow("close") << int(TraceKind::Close) << QJsonObject{{QStringLiteral("code"), 0}} << QStringLiteral("12.0 ms — close, code 0");
        QTest::newRow("message in") << int(TraceKind::Message) << QJsonObject{{QStringLiteral("message"), QJsonObject{{QStringLiteral("a"), 1}}}} << QStringLiteral("12.0 ms — message from child: {\"a\":1}");
        QTest::newRow("message out") << int(TraceKind::Send) << QJsonObject{{QStringLiteral("message"), QStringLiteral("hi")}} << QStringLiteral("12.0 ms — message to child: \"hi\"");
        QTest::newRow("disconnect") << int(TraceKind::Disconnect) << QJsonObject{} << QStringLiteral("12.0 ms — disconnect");
        QTest::newRow("error") << int(TraceKind::Error) << QJsonObject{{QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), QStringLiteral("spawn x ENOENT")}}}} << QStringLiteral("12.0 ms — error: spawn x ENOENT");
        QTest::newRow("signal") << int(TraceKind::Kill) << QJsonObject{{QStringLiteral("signal"), QStringLiteral("SIGUSR1")}, {QStringLiteral("result"), true}} << QStringLiteral("12.0 ms — SIGUSR1 sent");
    }
    void describeSaysWhatHappened()
    {
        QFETCH(int, kind);
        QFETCH(QJsonObject, fields);
        QFETCH(QString, text);
        const TimelineEvent e{12, TraceKind(kind), fields};
        QCOMPARE(e.describe(), text);
    }
};

QTEST_GUILESS_MAIN(tst_Timeline)
#include "tst_timeline.moc"
