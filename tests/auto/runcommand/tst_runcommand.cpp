// `spawnscope run`, as a user runs it.
#include "jsonlines.h"
#include "nonutf8.h"
#include "processes.h"
#include "recorder.h"
#include "temporarydir.h"

#include <spawnfunctions.h>

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>

#include <csignal>

using namespace Spawnscope;

namespace {

const QString app = QStringLiteral(SPAWNSCOPE_APP);
const QString child = QStringLiteral(TESTCHILD);

SyncResult run(const QStringList &args, const QByteArray &input = {})
{
    SyncOptions o;
    o.input = input;
    o.timeout = 60000;
    return spawnSync(app, QStringList{QStringLiteral("run")} + args, o);
}

} // namespace

class tst_RunCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void statusOfTheLine_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QByteArray>("out");
        QTest::addColumn<int>("status");
        const QString c = child;
        QTest::newRow("two stages") << QStringLiteral("%1 lines 3 | %1 prefix :").arg(c) << QStringList() << QByteArray(":line 1\n:line 2\n:line 3\n") << 0;
        QTest::newRow("stdin is the terminal's") << QStringLiteral("%1 echo | %1 count").arg(c) << QStringList() << QByteArray("6 1\n") << 0;
        QTest::newRow("pipefail") << QStringLiteral("%1 exit 3 | %1 exit 0").arg(c) << QStringList() << QByteArray() << 3;
        QTest::newRow("last") << QStringLiteral("%1 exit 3 | %1 exit 0").arg(c) << QStringList{QStringLiteral("--policy"), QStringLiteral("last")} << QByteArray() << 0;
        QTest::newRow("sigpipe") << QStringLiteral("%1 lines 100000000 | %1 head 1").arg(c) << QStringList() << QByteArray("line 1\n") << 128 + SIGPIPE;
        QTest::newRow("tapped") << QStringLiteral("%1 lines 1000 | %1 count").arg(c) << QStringList{QStringLiteral("--tap")} << QByteArray("8893 1000\n") << 0;
        // A shell's pipes hold 64 KiB: the writer is still writing when head quits, and dies of
        // SIGPIPE as it does under `bash -o pipefail`.
        QTest::newRow("sigpipe as bash") << QStringLiteral("%1 lines 50000 | %1 head 1").arg(c) << QStringList() << QByteArray("line 1\n") << 128 + SIGPIPE;
        QTest::newRow("not found") << QStringLiteral("%1 lines 3 | /nonexistent/x").arg(c) << QStringList() << QByteArray() << 127;
    }
    void statusOfTheLine()
    {
        QFETCH(QString, line);
        QFETCH(QStringList, options);
        QFETCH(QByteArray, out);
        QFETCH(int, status);
        const SyncResult r = run(options + QStringList{QStringLiteral("-e"), line}, "typed\n");
        QCOMPARE(r.standardOutput, out);
        QCOMPARE(r.status, status);
        if (status == 127)
            QVERIFY2(r.standardError.contains("stage 2 (x) did not start: spawn /nonexistent/x ENOENT"), r.standardError.constData());
    }

    // A typed line runs as `bash -o pipefail -c LINE` runs it (shared/spec/shell-lines.md):
    // the same output and status, its stages still separate processes.
    void runsAsBashDoes_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<int>("stages"); // in the --trace result
        auto row = [](const char *line, int stages) { QTest::newRow(line) << QString::fromUtf8(line) << stages; };
        row("ls /etc/*.conf | wc -l", 2);
        row("echo $HOME | cat", 2);
        row("echo ~ ~root | cat", 2);
        row("seq 3 | while read x; do echo $x; done | tac", 3);
        row("echo x; echo y | tr a-z A-Z", 1);
        row("false || echo a | tr a A", 1);
        row("cat $(ls) | wc -c", 2);
        row("ls *.txt | wc -l", 2);
        row("echo *.none \"*.txt\" '$HOME' | cat", 2);
        row("printf '%s\\n' $SPACED. | cat -A", 2);
        row("echo ${UNSET_HERE:-fallback} \"${HOME:+home is set}\" | cat", 2);
        row("seq 1 50000 | head -n 1", 2);
        row("false | true", 2);
        row("true | false | true", 3);
        row("for i in 1 2 3; do echo $i; done | sort -r", 2);
        row("echo a b | while read x y; do echo $y $x; done", 2);
        row("{ echo a; echo b >&2; } 2>&1 | sort", 2);
        row("yes | head -2", 2);
        row("seq 5 | (read a; read b; echo $b$a) | cat", 3);
        row("echo $((6*7)) | cat", 2);
        row("cat < a.txt | tr a-z A-Z # a comment", 2);
    }
    void runsAsBashDoes()
    {
        QFETCH(QString, line);
        QFETCH(int, stages);
        TemporaryDir dir;
        for (const char *name : {"a.txt", "b.txt"}) {
            QFile f(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("content of ") + name + "\n");
        }
        SyncOptions o;
        o.cwd = dir.path();
        o.timeout = 60000;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SPACED"), QStringLiteral("  a   b "));
        o.env = env;
        const SyncResult bash = spawnSync(QStringLiteral("bash"), {QStringLiteral("-o"), QStringLiteral("pipefail"), QStringLiteral("-c"), line}, o);
        const SyncResult ours = spawnSync(app, {QStringLiteral("run"), QStringLiteral("-e"), line}, o);
        QCOMPARE(ours.standardOutput, bash.standardOutput);
        QCOMPARE(ours.standardError, bash.standardError);
        QCOMPARE(ours.status, bash.status);
        const SyncResult traced = spawnSync(app, {QStringLiteral("run"), QStringLiteral("--trace"), QStringLiteral("-e"), line}, o);
        const QJsonObject result = jsonLines(traced.standardOutput).last();
        QCOMPARE(result.value(QStringLiteral("stages")).toArray().size(), stages);
    }

    void pipeCapacity_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QByteArray>("capacity");
        QTest::newRow("the system's, as a shell's") << QStringList() << QByteArray("65536\n");
        QTest::newRow("asked for") << QStringList{QStringLiteral("--pipe-capacity"), QStringLiteral("1048576")} << QByteArray("1048576\n");
    }
    void pipeCapacity()
    {
        QFETCH(QStringList, options);
        QFETCH(QByteArray, capacity);
        TemporaryDir dir;
        const QString saved = dir.filePath(QStringLiteral("p.spawnscope.json"));
        const SyncResult r = run(options + QStringList{QStringLiteral("--save"), saved, QStringLiteral("-e"), QStringLiteral("%1 pipe-size | %1 count").arg(child)});
        QCOMPARE(r.standardError, capacity);
        QCOMPARE(r.status, 0);
        // The file keeps it, and a run of the file gets it.
        const SyncResult again = run({saved});
        QCOMPARE(again.standardError, capacity);
    }

    void badPipeCapacity()
    {
        const SyncResult r = run({QStringLiteral("--pipe-capacity"), QStringLiteral("lots"), QStringLiteral("-e"), QStringLiteral("%1 exit 0").arg(child)});
        QCOMPARE(r.status, 2);
        QVERIFY(r.standardError.contains("--pipe-capacity takes a number of bytes"));
    }

    // Out of descriptors, a run once said only "pipe: Too many open files": no code to act on
    // and no stage to blame. A chain holds a few pipes at a time now, so 40 stages run under
    // ulimit -n 64 (once they ran out at stage 21); with next to nothing left, a stage still
    // says why.
    void outOfDescriptorsNamesTheCodeAndTheStage_data()
    {
        QTest::addColumn<int>("limit");
        QTest::addColumn<bool>("runs");
        QTest::newRow("ulimit -n 64") << 64 << true;
        QTest::newRow("ulimit -n 16") << 16 << false;
    }
    void outOfDescriptorsNamesTheCodeAndTheStage()
    {
        QFETCH(int, limit);
        QFETCH(bool, runs);
        QStringList stages;
        for (int i = 0; i < 40; ++i)
            stages << QStringLiteral("%1 echo").arg(child);
        SyncOptions o;
        o.timeout = 60000;
        o.input = "through 40 stages\n";
        const SyncResult r = spawnSync(child, {QStringLiteral("nofile"), QString::number(limit), app, QStringLiteral("run"), QStringLiteral("-e"),
                                               stages.join(QStringLiteral(" | "))}, o);
        const QString error = QString::fromLocal8Bit(r.standardError);
        if (runs) {
            QVERIFY2(r.status == 0, qPrintable(error));
            QCOMPARE(r.standardOutput, o.input);
            return;
        }
        QVERIFY(r.status != 0);
        QVERIFY2(error.contains(QLatin1String("EMFILE")), qPrintable(error));
        QVERIFY2(QRegularExpression(QStringLiteral("stage \\d+ \\(")).match(error).hasMatch(), qPrintable(error));
    }

    void stderrOfEveryStageIsShown()
    {
        const SyncResult r = run({QStringLiteral("-e"), QStringLiteral("%1 stderr one | %1 stderr two").arg(child)});
        QVERIFY(r.standardError.contains("one"));
        QVERIFY(r.standardError.contains("two"));
    }

    void parseErrorPointsAtTheColumn()
    {
        const SyncResult r = run({QStringLiteral("-e"), QStringLiteral("ls | wc 'x")});
        QCOMPARE(r.status, 2);
        QCOMPARE(r.standardError, QByteArray("spawnscope run: column 9: unterminated single quote\n"
                                             "  ls | wc 'x\n"
                                             "          ^\n"));
    }

    void saveThenRunTheFile()
    {
        TemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("p.spawnscope.json"));
        const SyncResult saved = run({QStringLiteral("--save"), file, QStringLiteral("-e"), QStringLiteral("%1 lines 2 | %1 prefix :").arg(child)});
        QCOMPARE(saved.status, 0);
        QCOMPARE(saved.standardOutput, QByteArray(":line 1\n:line 2\n"));
        const SyncResult again = run({file});
        QCOMPARE(again.status, 0);
        QCOMPARE(again.standardOutput, QByteArray(":line 1\n:line 2\n"));
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QByteArray>("error");
        QTest::newRow("syntax") << QByteArray("{\n\"format\": }") << QByteArray("line 2, column");
        QTest::newRow("field") << QByteArray(R"({"format":"spawnscope-pipeline","version":1,"stages":[{"id":1,"program":7}]})") << QByteArray("stages[0].program: expected a string");
        QTest::newRow("newer") << QByteArray(R"({"format":"spawnscope-pipeline","version":9,"stages":[]})") << QByteArray("version: 9 is newer");
    }
    void badFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(QByteArray, error);
        TemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("bad.spawnscope.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        const SyncResult r = run({f.fileName()});
        QCOMPARE(r.status, 2);
        QVERIFY2(r.standardError.contains(error) && r.standardError.contains(f.fileName().toUtf8()), r.standardError.constData());
    }

    void usage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("nothing") << QStringList();
        QTest::newRow("both") << QStringList{QStringLiteral("f.json"), QStringLiteral("-e"), QStringLiteral("ls")};
        QTest::newRow("policy") << QStringList{QStringLiteral("--policy"), QStringLiteral("most"), QStringLiteral("-e"), QStringLiteral("ls")};
        QTest::newRow("unknown") << QStringList{QStringLiteral("--fast"), QStringLiteral("-e"), QStringLiteral("ls")};
    }
    void usage()
    {
        QFETCH(QStringList, args);
        const SyncResult r = run(args);
        QCOMPARE(r.status, 2);
        QVERIFY(r.standardError.contains("usage: spawnscope run"));
    }

    void traceLines()
    {
        const SyncResult r = run({QStringLiteral("--trace"), QStringLiteral("-e"), QStringLiteral("%1 lines 2 | %1 exit 4").arg(child)});
        QCOMPARE(r.status, 4);
        const QList<QJsonObject> lines = jsonLines(r.standardOutput);
        QStringList perStage[3];
        double lastT = 0;
        for (const QJsonObject &line : lines.mid(0, lines.size() - 1)) {
            QVERIFY(line.value(QStringLiteral("t")).toDouble() >= lastT);
            lastT = line.value(QStringLiteral("t")).toDouble();
            const int stage = line.value(QStringLiteral("stage")).toInt();
            QVERIFY(stage == 1 || stage == 2);
            perStage[stage] << line.value(QStringLiteral("event")).toString();
            if (line.value(QStringLiteral("event")) == QLatin1String("spawn"))
                QVERIFY(line.value(QStringLiteral("pid")).toInt() > 0);
        }
        QCOMPARE(perStage[1], (QStringList{QStringLiteral("spawn"), QStringLiteral("exit"), QStringLiteral("close")}));
        QCOMPARE(perStage[2], (QStringList{QStringLiteral("spawn"), QStringLiteral("exit"), QStringLiteral("close")}));
        const QJsonObject result = lines.last();
        QCOMPARE(result.value(QStringLiteral("event")).toString(), QStringLiteral("result"));
        QCOMPARE(result.value(QStringLiteral("status")).toInt(), 4);
        QCOMPARE(result.value(QStringLiteral("policy")).toString(), QStringLiteral("pipefail"));
        QCOMPARE(result.value(QStringLiteral("stages")).toArray().size(), 2);
    }

    // `run` killed outright (SIGKILL: nothing of it runs) leaves nothing running that it
    // started, nor anything its stages started themselves.
    void killedRunTakesItsStagesAlong_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<int>("processes"); // of the test child, stages and what they started
        const QString c = child;
        QTest::newRow("two stages") << QStringLiteral("%1 sleep 60000 | %1 sleep 60000").arg(c) << 2;
        QTest::newRow("a stage's own child") << QStringLiteral("%1 family 60000 | %1 sleep 60000").arg(c) << 3;
        QTest::newRow("a shell's background job") << QStringLiteral("sh -c '%1 sleep 60000 & wait'").arg(child) << 1;
        QTest::newRow("a shell's pipeline") << QStringLiteral("sh -c '%1 sleep 60000 | %1 sleep 60000'").arg(child) << 2;
    }
    void killedRunTakesItsStagesAlong()
    {
        QFETCH(QString, line);
        QFETCH(int, processes);
        SpawnOptions o;
        o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe};
        ChildProcess *p = spawn(app, {QStringLiteral("run"), QStringLiteral("-e"), line}, o);
        Recorder rec(p);
        QTRY_COMPARE_WITH_TIMEOUT(descendantsRunning(pid_t(p->pid()), child).size(), processes, 30000);
        const QList<pid_t> started = descendantsRunning(pid_t(p->pid()), child);
        p->kill(SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(stillRunning(started), QList<pid_t>(), 10000);
    }

    // A run that ends by itself leaves what a stage put in the background, as a shell does: its
    // group's guard is let go with nothing to kill (and is gone before `run` exits).
    void anEndedRunLeavesBackgroundJobs()
    {
        TemporaryDir dir;
        SpawnOptions o;
        o.cwd = dir.path();
        o.stdio = {StdioMode::Ignore, StdioMode::Ignore, StdioMode::Ignore};
        ChildProcess *p = spawn(app, {QStringLiteral("run"), QStringLiteral("-e"),
                                      QStringLiteral("sh -c '%1 sleep 60000 >/dev/null 2>&1 & echo $! > background.pid'").arg(child)}, o);
        Recorder rec(p);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 30000);
        QCOMPARE(rec.exitCode, 0);
        QFile file(dir.filePath(QStringLiteral("background.pid")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const pid_t background = pid_t(file.readAll().trimmed().toInt());
        QVERIFY(background > 0);
        const bool running = isRunning(background);
        ::kill(background, SIGKILL);
        QVERIFY(running);
    }

    void terminatedRunExitsAsAShellSays()
    {
        SpawnOptions o;
        o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe};
        ChildProcess *p = spawn(app, {QStringLiteral("run"), QStringLiteral("--trace"), QStringLiteral("-e"),
                                      QStringLiteral("%1 sleep 60000").arg(child)}, o);
        Recorder rec(p);
        QTRY_VERIFY_WITH_TIMEOUT(rec.out.contains("\"event\":\"spawn\""), 10000);
        p->kill(SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 10000);
        QCOMPARE(rec.exitCode, 128 + SIGTERM);
    }

    void guiHelpNeedsNoDisplay()
    {
        SyncOptions o;
        o.timeout = 30000;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(QLatin1String(name));
        o.env = env;
        const SyncResult r = spawnSync(app, {QStringLiteral("gui"), QStringLiteral("--help")}, o);
        QVERIFY2(r.signal.isEmpty(), qPrintable(r.signal));
        QCOMPARE(r.status, 0);
        QVERIFY(r.standardOutput.contains("spawnscope gui"));
    }

    // The window killed outright (SIGKILL: nothing of it runs) leaves nothing it started.
    void killedWindowTakesItsChildrenAlong_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("children"); // processes of the test child it starts
        const QString c = child;
        QTest::newRow("spawn") << QStringList{"--", c, "sleep", "60000"} << 1;
        QTest::newRow("execFile") << QStringList{"--mode", "execFile", "--", c, "sleep", "60000"} << 1;
        QTest::newRow("exec") << QStringList{"--mode", "exec", "--", "exec", c, "sleep", "60000"} << 1;
        // What a child started in turn goes too, whether the child is a shell or not.
        QTest::newRow("spawn, and its child") << QStringList{"--", c, "family", "60000"} << 2;
        QTest::newRow("exec, a background job") << QStringList{"--mode", "exec", "--", "sh", "-c", c + " sleep 60000 & wait"} << 1;
        QTest::newRow("exec, a pipeline") << QStringList{"--mode", "exec", "--", "sh", "-c", c + " sleep 60000 | " + c + " sleep 60000"} << 2;
        QTest::newRow("batch") << QStringList{"--mode", "batch", "--", c, "sleep", ":::", "60000", "60001"} << 2;
    }
    void killedWindowTakesItsChildrenAlong()
    {
        QFETCH(QStringList, args);
        QFETCH(int, children);
        SpawnOptions o;
        o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe};
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        o.env = env;
        o.processGroup = 0; // never a terminal's foreground job, however the tests are run
        ChildProcess *p = spawn(app, QStringList{QStringLiteral("gui")} + args, o);
        Recorder rec(p);
        QTRY_COMPARE_WITH_TIMEOUT(descendantsRunning(pid_t(p->pid()), child).size(), children, 30000);
        const QList<pid_t> started = descendantsRunning(pid_t(p->pid()), child);
        p->kill(SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(stillRunning(started), QList<pid_t>(), 10000);
    }

    // What a child left running when it ended (a shell's background job) dies with the window
    // too: the guard keeps the child's group until no process of it is left.
    void killedWindowTakesWhatEndedChildrenLeft()
    {
        TemporaryDir dir;
        SpawnOptions o;
        o.cwd = dir.path();
        o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe};
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        o.env = env;
        o.processGroup = 0; // never a terminal's foreground job, however the tests are run
        ChildProcess *p = spawn(app, {QStringLiteral("gui"), QStringLiteral("--mode"), QStringLiteral("exec"), QStringLiteral("--"), QStringLiteral("sh"),
                                      QStringLiteral("-c"), child + QStringLiteral(" sleep 60000 >/dev/null 2>&1 & echo $! > background.pid")}, o);
        Recorder rec(p);
        const QString pidFile = dir.filePath(QStringLiteral("background.pid"));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(pidFile).size() > 0, 30000);
        QFile file(pidFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const pid_t background = pid_t(file.readAll().trimmed().toInt());
        const auto killBackground = qScopeGuard([background] { ::kill(background, SIGKILL); });
        // Once the shell has ended, its background job is an orphan, no longer under the window.
        QTRY_COMPARE_WITH_TIMEOUT(descendantsRunning(pid_t(p->pid()), child).size(), 0, 30000);
        QVERIFY(isRunning(background));
        p->kill(SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!isRunning(background), 10000);
    }

    // A window run from an interactive terminal is that terminal's foreground job: its children
    // stay in its process group, as under a shell, so that they can read from it and prompt at
    // it (in a group of their own they would be stopped by SIGTTIN or SIGTTOU).
    void windowInATerminalKeepsChildrenInItsGroup()
    {
        SpawnOptions o;
        o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe};
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        o.env = env;
        ChildProcess *p = spawn(child, {QStringLiteral("in-terminal"), app, QStringLiteral("gui"), QStringLiteral("--"), child, QStringLiteral("sleep"), QStringLiteral("60000")}, o);
        Recorder rec(p);
        QTRY_COMPARE_WITH_TIMEOUT(descendantsRunning(pid_t(p->pid()), child).size(), 1, 30000);
        const pid_t started = descendantsRunning(pid_t(p->pid()), child).first();
        const pid_t window = parentOf(started);
        QCOMPARE(processGroupOf(window), window); // the session's leader, in the foreground
        QCOMPARE(processGroupOf(started), window);
        ::kill(window, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(stillRunning({started}), QList<pid_t>(), 10000);
    }

    // Ctrl-C (or SIGTERM) while a long chain is still starting ends it then, not once every
    // stage has started, and leaves no stage running.
    void interruptDuringTheStartOfALongChain_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGINT") << SIGINT;
        QTest::newRow("SIGTERM") << SIGTERM;
    }
    void interruptDuringTheStartOfALongChain()
    {
        QFETCH(int, signal);
        const int stages = 1000; // cat: a thousand copies of the test child would take a gigabyte
        SpawnOptions o;
        o.stdio = {StdioMode::Pipe, StdioMode::Pipe, StdioMode::Pipe}; // the cats wait for input
        ChildProcess *p = spawn(app, {QStringLiteral("run"), QStringLiteral("--trace"), QStringLiteral("-e"),
                                      QStringList(stages, QStringLiteral("cat")).join(QStringLiteral(" | "))}, o);
        Recorder rec(p);
        QTRY_VERIFY_WITH_TIMEOUT(rec.out.contains("\"event\":\"spawn\""), 30000);
        p->kill(signal);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 30000);
        QCOMPARE(rec.exitCode, 128 + signal);
        QList<pid_t> pids;
        for (const QJsonObject &line : jsonLines(rec.out)) {
            if (line.value(QStringLiteral("event")) == QLatin1String("spawn"))
                pids << pid_t(line.value(QStringLiteral("pid")).toInt());
        }
        QVERIFY2(pids.size() < stages, "every stage started before the signal was heard");
        QCOMPARE(stillRunning(pids), QList<pid_t>());
    }

    void ctrlCStopsTheRun()
    {
        SpawnOptions o;
        o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe};
        ChildProcess *p = spawn(app, {QStringLiteral("run"), QStringLiteral("--trace"), QStringLiteral("--grace"), QStringLiteral("300"), QStringLiteral("-e"),
                                      QStringLiteral("%1 family 60000 | %1 ignore-term 60000").arg(child)}, o);
        Recorder rec(p);
        QTRY_VERIFY_WITH_TIMEOUT(rec.out.count("\"event\":\"spawn\"") == 2, 10000);
        QList<int> pids;
        for (const QJsonObject &line : jsonLines(rec.out)) {
            if (line.value(QStringLiteral("event")) == QLatin1String("spawn"))
                pids << line.value(QStringLiteral("pid")).toInt();
        }
        QTest::qWait(100);
        p->kill(SIGINT);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 10000);
        QCOMPARE(rec.exitCode, 130);
        QVERIFY(rec.out.contains("\"event\":\"stop\""));
        for (int pid : pids)
            QCOMPARE(::kill(pid, 0), -1);
    }

    // A name need not be UTF-8 (`caf\xE9.txt`): globbed, typed into the line, redirected,
    // saved in a pipeline file and read back, the child gets its bytes and finds the file.
    void nonUtf8Names_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QByteArray>("out");
        const QByteArray c = NonUtf8::content;
        QTest::newRow("glob ?") << QStringLiteral(R"("$APP" run -e 'cat caf?.txt')") << c;
        QTest::newRow("glob * in a pipeline") << QStringLiteral(R"("$APP" run -e 'cat caf*.txt | cat')") << c;
        QTest::newRow("quoted in the line") << QStringLiteral(R"("$APP" run -e "cat '$NAME'")") << c;
        QTest::newRow("a word of the line") << QStringLiteral(R"("$APP" run -e "cat $NAME | cat")") << c;
        QTest::newRow("redirected from") << QStringLiteral(R"("$APP" run -e "cat < $NAME")") << c;
        QTest::newRow("redirected to") << QStringLiteral(R"("$APP" run -e "cat < $NAME > copy$NAME" && cat "copy$NAME")") << c;
        QTest::newRow("a list, by sh") << QStringLiteral(R"("$APP" run -e "cat $NAME; true")") << c;
        QTest::newRow("argv bytes") << QStringLiteral(R"("$APP" run -e "$CHILD args-hex $NAME" | tail -n 1)") << NonUtf8::nameHex + '\n';
        QTest::newRow("saved, then run from the file") << QStringLiteral(R"("$APP" run --save p.spawnscope.json -e "cat $NAME" && "$APP" run p.spawnscope.json)")
                                                       << c + c;
        QTest::newRow("a pipeline file so named") << QStringLiteral(R"("$APP" run --save "$NAME.json" -e "cat $NAME" >/dev/null && "$APP" run "$NAME.json")") << c;
    }
    void nonUtf8Names()
    {
        QFETCH(QString, script);
        QFETCH(QByteArray, out);
        NonUtf8::runsAndPrints(script, out);
    }

    // JSON holds Unicode only: a saved pipeline keeps such a byte as the escape of its lone
    // surrogate, "\udce9" (what JSON.stringify writes, and what Python's json and os.fsencode
    // read back as the byte), which loads back as the same name.
    void savedPipelineKeepsTheBytes()
    {
        TemporaryDir dir;
        QVERIFY(NonUtf8::writeFile(dir.path()));
        const SyncResult r = NonUtf8::sh(dir.path(), QStringLiteral(R"("$APP" run --save p.json -e "cat $NAME")"));
        QCOMPARE(r.status, std::optional<int>(0));
        QFile saved(dir.filePath(QStringLiteral("p.json")));
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QByteArray json = saved.readAll();
        QVERIFY2(json.contains("caf\\udce9.txt"), json.constData());
        QVERIFY(QByteArrayView(json).isValidUtf8());
    }

    // Shown to a person, such a byte reads \xE9, and the caret still points at the column.
    void nonUtf8NamesShownReadably()
    {
        TemporaryDir dir;
        SyncResult r = NonUtf8::sh(dir.path(), QStringLiteral(R"("$APP" run -e "cat < no$NAME")"));
        QVERIFY(r.status != 0);
        QVERIFY2(r.standardError.contains("nocaf\\xE9.txt"), r.standardError.constData());
        QVERIFY(QByteArrayView(r.standardError).isValidUtf8());
        r = NonUtf8::sh(dir.path(), QStringLiteral(R"("$APP" run -e "cat $NAME |")"));
        QCOMPARE(r.status, std::optional<int>(2));
        const QList<QByteArray> lines = r.standardError.split('\n');
        QVERIFY2(lines.size() >= 3, r.standardError.constData());
        QCOMPARE(lines[1], QByteArray("  cat caf\\xE9.txt |"));
        QVERIFY(QByteArrayView(r.standardError).isValidUtf8());
    }

    // The trace is JSON Lines for any reader: such a byte is U+FFFD there, as Node shows it.
    void traceOfNonUtf8NamesIsUnicode()
    {
        TemporaryDir dir;
        QVERIFY(NonUtf8::writeFile(dir.path()));
        const SyncResult r = NonUtf8::sh(dir.path(), QStringLiteral(R"("$APP" run --trace -e "cat $NAME | $CHILD args-hex $NAME")"));
        QCOMPARE(r.status, std::optional<int>(0));
        QVERIFY(QByteArrayView(r.standardOutput).isValidUtf8());
        QVERIFY2(r.standardOutput.contains(NonUtf8::nameHex), r.standardOutput.constData());
        for (const QByteArray &line : r.standardOutput.split('\n')) {
            if (!line.isEmpty())
                QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());
        }
    }
};

QTEST_GUILESS_MAIN(tst_RunCommand)
#include "tst_runcommand.moc"
