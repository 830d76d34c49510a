// `spawnscope batch`, as a user runs it.
#include "nonutf8.h"
#include "processes.h"
#include "recorder.h"
#include "temporarydir.h"

#include <spawnfunctions.h>

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <csignal>

using namespace Spawnscope;

namespace {

const QString app = QStringLiteral(SPAWNSCOPE_APP);
const QString child = QStringLiteral(TESTCHILD);
const QString worker = QStringLiteral(SPAWNSCOPE_WORKER);

SyncResult batch(const QStringList &args, const QByteArray &input = {})
{
    SyncOptions o;
    o.input = input;
    o.timeout = 60000;
    return spawnSync(app, QStringList{QStringLiteral("batch")} + args, o);
}

QList<QByteArray> logLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = f.readAll().split('\n');
    lines.removeAll(QByteArray());
    return lines;
}

} // namespace

class tst_BatchCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void oneJobPerInput()
    {
        const SyncResult r = batch({QStringLiteral("-j"), QStringLiteral("1"), QStringLiteral("%1 out {#}:{/.},").arg(child),
                                    QStringLiteral("dir/a.txt"), QStringLiteral("b.tar.gz")});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.standardOutput, QByteArray("1:a,2:b.tar,"));
    }

    // An input is one word for the shell, whatever it holds: a trailing newline once let the
    // word after the placeholder run as a command.
    void shellInputCannotRunCommands()
    {
        const SyncResult r = batch({QStringLiteral("--shell"), QStringLiteral("printf '[%s]' {} %1").arg(child), QStringLiteral("abc\n")});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.standardOutput, QByteArray("[abc\n][") + child.toUtf8() + "]");
    }

    // GNU parallel's input sources: the words before ::: are the command, joined as parallel
    // joins them; :::: reads a file's lines.
    void inputSources_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("out");
        QTest::addColumn<int>("status");
        const QString c = child;
        QTest::newRow("::: after a quoted template") << QStringList{"-k", c + " out +{}+", ":::", "a", "b c"} << QByteArray("+a++b c+") << 0;
        QTest::newRow("::: after separate words") << QStringList{"-k", c, "out", "+{}+", ":::", "a", "b"} << QByteArray("+a++b+") << 0;
        QTest::newRow(":::: a file") << QStringList{"-k", c + " out {}.", "::::", "@FILE@"} << QByteArray("one.two three.") << 0;
        QTest::newRow("two sources refused") << QStringList{c + " out {}", ":::", "a", ":::", "b"} << QByteArray() << 2;
        QTest::newRow(":::: of two files refused") << QStringList{c + " out {}", "::::", "@FILE@", "@FILE@"} << QByteArray() << 2;
        QTest::newRow("nothing after :::") << QStringList{c + " out {}", ":::"} << QByteArray() << 2;
        QTest::newRow(":::: missing file") << QStringList{c + " out {}", "::::", "/nonexistent/inputs"} << QByteArray() << 2;
    }
    void inputSources()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, out);
        QFETCH(int, status);
        TemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("inputs.txt"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("one\ntwo three\n");
        f.close();
        args.replaceInStrings(QStringLiteral("@FILE@"), file);
        const SyncResult r = batch(args);
        QCOMPARE(r.status, std::optional<int>(status));
        if (status == 2) {
            QVERIFY(r.standardError.contains("usage: spawnscope batch"));
            QVERIFY(r.standardOutput.isEmpty());
            return;
        }
        QCOMPARE(r.standardOutput, out);
    }

    // The protocol of docs/worker-protocol.md with a worker of one's own (the test child,
    // started by a one-line script): no --op needed, and an answer out of protocol fails its
    // job at once instead of leaving it waiting forever.
    void customWorker_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("said"); // in each job's line
        QTest::newRow("answers, no op") << "good" << QStringList() << 0 << "\"result\":{\"input\":\"a\"}";
        QTest::newRow("answers, with op") << "good" << QStringList{"--op", "resize"} << 0 << "\"result\":{\"input\":\"a\",\"op\":\"resize\"}";
        QTest::newRow("answer without id") << "no-id" << QStringList() << 2 << "malformed reply from the worker";
        QTest::newRow("answer not an object") << "not-object" << QStringList() << 2 << "malformed reply from the worker: \\\"done\\\"";
    }
    void customWorker()
    {
        QFETCH(QString, how);
        QFETCH(QStringList, options);
        QFETCH(int, status);
        QFETCH(QString, said);
        TemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("worker"));
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("exec '%1' ipc-worker %2\n").arg(child, how).toUtf8());
        f.close();
        QVERIFY(f.setPermissions(f.permissions() | QFile::ExeOwner));
        const SyncResult r = batch(QStringList{"-j", "1", "-k", "--worker", script} + options + QStringList{":::", "a", "b"});
        QCOMPARE(r.status, std::optional<int>(status));
        const QList<QByteArray> lines = r.standardOutput.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines[0].contains(said.toUtf8()), lines[0].constData());
        QCOMPARE(QJsonDocument::fromJson(lines[1]).object().value("ok").toBool(), status == 0);
    }

    void defaultWorkerOpCheckedFirst_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("mistyped op") << QStringList{"--worker", "--op", "hsah", "a", "b", "c"} << "spawnscope-worker has no operation \"hsah\"; it has hash, count";
        QTest::newRow("no op") << QStringList{"--worker", "-j", "1", "a"} << "spawnscope-worker needs --op, one of hash";
    }
    void defaultWorkerOpCheckedFirst()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        const SyncResult r = batch(args);
        QCOMPARE(r.status, std::optional<int>(2));
        QVERIFY2(r.standardError.contains(error.toUtf8()), r.standardError.constData());
        QCOMPARE(r.standardError.count("spawnscope batch:"), 1); // once, not once per job
        QVERIFY(r.standardOutput.isEmpty());
    }

    void inputsFromStdin()
    {
        const SyncResult r = batch({QStringLiteral("--keep-order"), QStringLiteral("%1 out").arg(child)}, "x\ny\nz\n");
        QCOMPARE(r.status, 0);
        QCOMPARE(r.standardOutput, QByteArray("xyz"));
    }

    void keepOrder_data()
    {
        QTest::addColumn<bool>("keep");
        QTest::newRow("completion order") << false;
        QTest::newRow("input order") << true;
    }
    void keepOrder()
    {
        QFETCH(bool, keep);
        // The first job takes longest; each prints its whole output at once, never mixed.
        QStringList args{QStringLiteral("-j"), QStringLiteral("3"), QStringLiteral("%1 lines-then-sleep 3").arg(child)};
        if (keep)
            args.prepend(QStringLiteral("--keep-order"));
        const SyncResult r = batch(args + QStringList{QStringLiteral("600"), QStringLiteral("300"), QStringLiteral("0")});
        QCOMPARE(r.status, 0);
        const QByteArray one = "line 1\nline 2\nline 3\n";
        QCOMPARE(r.standardOutput, one + one + one); // grouped: three whole blocks
        // Order shows in the job log instead: the output itself is identical per job.
    }

    void keepOrderFollowsInputs()
    {
        const SyncResult ordered = batch({QStringLiteral("-j"), QStringLiteral("3"), QStringLiteral("--keep-order"),
                                          QStringLiteral("%1 lines-then-sleep 1 {} 1").arg(child), QStringLiteral("500"), QStringLiteral("250"), QStringLiteral("0")});
        // lines-then-sleep writes to the fd given last; here the job number shows which came first.
        const SyncResult tagged = batch({QStringLiteral("-j"), QStringLiteral("3"), QStringLiteral("--keep-order"), QStringLiteral("--shell"),
                                         QStringLiteral("sleep 0.$(( 6 - {#} * 2 )); echo {#}"), QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        QCOMPARE(tagged.status, 0);
        QCOMPARE(tagged.standardOutput, QByteArray("1\n2\n3\n"));
        const SyncResult unordered = batch({QStringLiteral("-j"), QStringLiteral("3"), QStringLiteral("--shell"),
                                           QStringLiteral("sleep 0.$(( 6 - {#} * 2 )); echo {#}"), QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        QCOMPARE(unordered.standardOutput, QByteArray("3\n2\n1\n"));
        QCOMPARE(ordered.status, 0);
    }

    void statusIsTheNumberOfFailedJobs()
    {
        const SyncResult three = batch({QStringLiteral("%1 exit").arg(child), QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("0"), QStringLiteral("9")});
        QCOMPARE(three.status, 3);
        QByteArray many;
        for (int i = 0; i < 105; ++i)
            many += "1\n";
        const SyncResult capped = batch({QStringLiteral("%1 exit").arg(child)}, many);
        QCOMPARE(capped.status, 101);
    }

    void jobLog()
    {
        TemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("jobs.log"));
        // Each job writes "x" to stderr and exits with its input.
        const SyncResult r = batch({QStringLiteral("-j"), QStringLiteral("1"), QStringLiteral("--retries"), QStringLiteral("2"), QStringLiteral("--joblog"), log,
                                    QStringLiteral("%1 stderr x").arg(child), QStringLiteral("0"), QStringLiteral("3")});
        QCOMPARE(r.status, 1);
        const QList<QByteArray> lines = logLines(log);
        QCOMPARE(lines.size(), 4); // header, one attempt of job 1, two of job 2
        QCOMPARE(lines[0], QByteArray("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tBytesOut\tBytesErr\tCommand"));
        const QList<QByteArray> ok = lines[1].split('\t');
        QCOMPARE(ok[0], "1");
        QCOMPARE(ok[6], "0");
        QCOMPARE(ok[9], "1");
        QCOMPARE(ok[10], (child + QStringLiteral(" stderr x 0")).toUtf8());
        for (int i : {2, 3}) {
            const QList<QByteArray> bad = lines[i].split('\t');
            QCOMPARE(bad[0], "2");
            QCOMPARE(bad[6], "3");
            QCOMPARE(bad[10], (child + QStringLiteral(" stderr x 3")).toUtf8());
        }
        QCOMPARE(r.standardError, QByteArray("xx")); // a retried attempt's output is not shown
    }

    void jobLogEscapesTheCommand()
    {
        TemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("jobs.log"));
        const SyncResult r = batch({QStringLiteral("--joblog"), log, QStringLiteral("%1 exit 0").arg(child),
                                    QStringLiteral("a\tb\nc\\d")});
        QCOMPARE(r.status, 0);
        const QList<QByteArray> lines = logLines(log);
        QCOMPARE(lines.size(), 2);
        const QList<QByteArray> fields = lines[1].split('\t');
        QCOMPARE(fields.size(), 11);
        QCOMPARE(fields[10], (child + QStringLiteral(" exit 0 'a\\tb\\nc\\\\d'")).toUtf8());
    }

    void timeoutAndHalt()
    {
        const SyncResult r = batch({QStringLiteral("-j"), QStringLiteral("1"), QStringLiteral("--timeout"), QStringLiteral("200"), QStringLiteral("--halt"), QStringLiteral("soon"),
                                    QStringLiteral("%1 sleep").arg(child), QStringLiteral("0"), QStringLiteral("60000"), QStringLiteral("0"), QStringLiteral("0")});
        QCOMPARE(r.status, 1);
        QVERIFY2(r.standardError.contains("job 2 (") && r.standardError.contains("timed out after 200 ms"), r.standardError.constData());
        QVERIFY(r.standardError.contains("halted; 2 job(s) not started"));
    }

    // Past the pool's 64 MiB a job's output was once dropped without a word: all of it must
    // come out, each job's in one piece.
    void bigOutputsArePrintedWhole()
    {
        const qint64 big = 70'000'000;
        const qint64 small = 3'000'000;
        SyncOptions o;
        o.timeout = 240000;
        o.maxBuffer = 256 * 1024 * 1024;
        const SyncResult r = spawnSync(app, {QStringLiteral("batch"), QStringLiteral("-j"), QStringLiteral("2"), child + QStringLiteral(" flood {}"),
                                             QString::number(big), QString::number(small)}, o);
        QVERIFY2(!r.error, qPrintable(r.error ? r.error->message : QString()));
        QCOMPARE(r.status, 0);
        QCOMPARE(r.standardOutput.size(), big + small);
        auto pattern = [](qint64 n) {
            QByteArray p(n, Qt::Uninitialized);
            for (qint64 i = 0; i < n; ++i)
                p[i] = char(i % 251);
            return p;
        };
        const bool smallFirst = r.standardOutput.startsWith(pattern(small) + pattern(1));
        const QByteArray expected = smallFirst ? pattern(small) + pattern(big) : pattern(big) + pattern(small);
        QVERIFY(r.standardOutput == expected);
    }

    // Short of descriptors, jobs once failed with EMFILE; the pool now runs fewer at once and
    // starts them again, so every job runs: one process per job, or forked workers.
    void outOfDescriptorsRunsFewerAtOnce_data()
    {
        QTest::addColumn<QStringList>("how");
        QTest::newRow("a process per job") << QStringList{child + QStringLiteral(" out {},")};
        QTest::newRow("forked workers") << QStringList{QStringLiteral("--worker"), QStringLiteral("--op"), QStringLiteral("noop")};
    }
    void outOfDescriptorsRunsFewerAtOnce()
    {
        QFETCH(QStringList, how);
        const bool workers = how.first() == QLatin1String("--worker");
        QStringList args = QStringList{QStringLiteral("nofile"), QStringLiteral("64"), app, QStringLiteral("batch"), QStringLiteral("-j"), QStringLiteral("60")}
                           + how + QStringList{QStringLiteral(":::")};
        QStringList expected;
        for (int i = 1; i <= 100; ++i) {
            args << QString::number(i);
            expected << QString::number(i);
        }
        SyncOptions o;
        o.timeout = 120000;
        const SyncResult r = spawnSync(child, args, o);
        QVERIFY2(r.status == 0, r.standardError.constData());
        QStringList printed;
        if (workers) {
            for (const QByteArray &line : r.standardOutput.trimmed().split('\n')) {
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                QVERIFY2(o.value(QStringLiteral("ok")).toBool(), line.constData());
                printed << o.value(QStringLiteral("input")).toString();
            }
        } else {
            printed = QString::fromUtf8(r.standardOutput).split(QLatin1Char(','), Qt::SkipEmptyParts);
        }
        std::sort(printed.begin(), printed.end(), [](const QString &a, const QString &b) { return a.toInt() < b.toInt(); });
        QCOMPARE(printed, expected);
        QVERIFY2(r.standardError.contains("EMFILE") && r.standardError.contains("at once"), r.standardError.constData());
    }

    void timeoutReachesWhatTheShellStarted()
    {
        // The shell stays to run `true`; the job's grandchild holds its output open.
        SyncOptions o;
        o.timeout = 30000;
        const SyncResult r = spawnSync(app, {QStringLiteral("batch"), QStringLiteral("--timeout"), QStringLiteral("300"), QStringLiteral("--shell"),
                                             QStringLiteral("%1 sleep {}; true").arg(child), QStringLiteral("59999")}, o);
        QVERIFY2(r.signal.isEmpty(), "the batch waited for the job's grandchild");
        QCOMPARE(r.status, 1);
        QVERIFY2(r.standardError.contains("timed out after 300 ms"), r.standardError.constData());
    }

    void workerMode()
    {
        TemporaryDir dir;
        QStringList files;
        QList<QByteArray> hashes;
        for (int i = 0; i < 5; ++i) {
            QFile f(dir.filePath(QStringLiteral("f%1.txt").arg(i)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            const QByteArray content = QByteArray("content ").repeated(i + 1);
            f.write(content);
            files << f.fileName();
            hashes << QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex();
        }
        const SyncResult r = batch(QStringList{QStringLiteral("-j"), QStringLiteral("2"), QStringLiteral("--keep-order"), QStringLiteral("--worker"), worker,
                                               QStringLiteral("--op"), QStringLiteral("hash")} + files + QStringList{dir.filePath(QStringLiteral("none"))});
        QCOMPARE(r.status, 1);
        const QList<QByteArray> lines = r.standardOutput.trimmed().split('\n');
        QCOMPARE(lines.size(), 6);
        for (int i = 0; i < 5; ++i) {
            const QJsonObject line = QJsonDocument::fromJson(lines[i]).object();
            QCOMPARE(line.value(QStringLiteral("seq")).toInt(), i + 1);
            QCOMPARE(line.value(QStringLiteral("ok")).toBool(), true);
            QCOMPARE(line.value(QStringLiteral("result")).toObject().value(QStringLiteral("sha256")).toString().toLatin1(), hashes[i]);
        }
        QVERIFY(QJsonDocument::fromJson(lines[5]).object().value(QStringLiteral("error")).toString().contains(QStringLiteral("cannot read")));
    }

    void defaultWorkerIsFound()
    {
        const SyncResult r = batch({QStringLiteral("--worker"), QStringLiteral("--op"), QStringLiteral("noop"), QStringLiteral("a")});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.standardOutput, QByteArray("{\"input\":\"a\",\"ok\":true,\"result\":{\"input\":\"a\"},\"seq\":1}\n"));
    }

    void usage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no template") << QStringList();
        QTest::newRow("bad -j") << QStringList{QStringLiteral("-j"), QStringLiteral("0"), QStringLiteral("true")};
        QTest::newRow("bad halt") << QStringList{QStringLiteral("--halt"), QStringLiteral("later"), QStringLiteral("true")};
        QTest::newRow("template with pipe") << QStringList{QStringLiteral("sort | uniq")};
    }
    void usage()
    {
        QFETCH(QStringList, args);
        const SyncResult r = batch(args);
        QCOMPARE(r.status, 2);
        QVERIFY(r.standardError.contains("usage: spawnscope batch"));
    }

    // Killed outright (SIGKILL: no handler of batch runs), batch takes along its jobs and what
    // a --shell job started: a pipeline's stages, a child in the background.
    void killedBatchTakesWhatItStartedAlong_data()
    {
        QTest::addColumn<QStringList>("words");
        QTest::addColumn<int>("perJob"); // processes of the test child each job runs
        const QString c = child;
        QTest::newRow("jobs") << QStringList{c + QStringLiteral(" sleep 60000")} << 1;
        QTest::newRow("a shell's pipeline") << QStringList{QStringLiteral("--shell"), QStringLiteral(": {}; %1 sleep 60000 | %1 wait-stdin").arg(c)} << 2;
        QTest::newRow("a shell's child in the background")
            << QStringList{QStringLiteral("--shell"), QStringLiteral(": {}; %1 sleep 60000 & wait").arg(c)} << 1;
    }
    void killedBatchTakesWhatItStartedAlong()
    {
        QFETCH(QStringList, words);
        QFETCH(int, perJob);
        SpawnOptions o;
        o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe};
        ChildProcess *p = spawn(app, QStringList{QStringLiteral("batch"), QStringLiteral("-j"), QStringLiteral("2")} + words
                                         + QStringList{QStringLiteral(":::"), QStringLiteral("1"), QStringLiteral("2")}, o);
        Recorder rec(p);
        QTRY_COMPARE_WITH_TIMEOUT(descendantsRunning(pid_t(p->pid()), child).size(), 2 * perJob, 20000);
        const QList<pid_t> started = descendantsRunning(pid_t(p->pid()), child);
        p->kill(SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 10000);
        QCOMPARE(rec.closeSignal, QStringLiteral("SIGKILL"));
        QTRY_COMPARE_WITH_TIMEOUT(stillRunning(started), QList<pid_t>(), 10000);
    }

    // Ctrl-C (or SIGTERM) ends each running job's whole process group, not just the shell: its
    // pipeline's stages and a grandchild that ignores SIGTERM too (killed after the grace),
    // well before they would have ended on their own.
    void interruptEndsWhatJobsStarted_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<QString>("line");
        QTest::addColumn<int>("perJob");
        const QString c = child;
        const QString pipeline = QStringLiteral(": {}; %1 sleep 60000 | %1 wait-stdin").arg(c);
        QTest::newRow("SIGINT, a pipeline") << SIGINT << pipeline << 2;
        QTest::newRow("SIGTERM, a pipeline") << SIGTERM << pipeline << 2;
        QTest::newRow("SIGINT, a child in the background") << SIGINT << QStringLiteral(": {}; %1 sleep 60000 & wait").arg(c) << 1;
        QTest::newRow("SIGINT, a grandchild ignoring SIGTERM") << SIGINT << QStringLiteral(": {}; %1 family 60000; true").arg(c) << 2;
    }
    void interruptEndsWhatJobsStarted()
    {
        QFETCH(int, signal);
        QFETCH(QString, line);
        QFETCH(int, perJob);
        SpawnOptions o;
        o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe};
        ChildProcess *p = spawn(app, {QStringLiteral("batch"), QStringLiteral("-j"), QStringLiteral("2"), QStringLiteral("--shell"), line,
                                      QStringLiteral(":::"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}, o);
        Recorder rec(p);
        QTRY_COMPARE_WITH_TIMEOUT(descendantsRunning(pid_t(p->pid()), child).size(), 2 * perJob, 20000);
        const QList<pid_t> started = descendantsRunning(pid_t(p->pid()), child);
        p->kill(signal);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 20000); // the jobs would end after 60 s
        QCOMPARE(rec.exitCode, 128 + signal);
        QCOMPARE(stillRunning(started), QList<pid_t>());
    }

    // --halt now: the first job that fails for good ends the running ones' process groups.
    void haltNowEndsWhatJobsStarted()
    {
        TemporaryDir dir;
        const QString gate = dir.filePath(QStringLiteral("gate"));
        const QString line = QStringLiteral("case {} in gate) %1 wait-for %2; exit 3;; *) %1 sleep 60000 | %1 wait-stdin;; esac").arg(child, gate);
        SpawnOptions o;
        o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe};
        ChildProcess *p = spawn(app, {QStringLiteral("batch"), QStringLiteral("-j"), QStringLiteral("3"), QStringLiteral("--halt"), QStringLiteral("now"),
                                      QStringLiteral("--shell"), line, QStringLiteral(":::"), QStringLiteral("a"), QStringLiteral("b"),
                                      QStringLiteral("gate"), QStringLiteral("c")}, o);
        Recorder rec(p);
        QTRY_COMPARE_WITH_TIMEOUT(descendantsRunning(pid_t(p->pid()), child).size(), 5, 20000); // two pipelines, the gate
        const QList<pid_t> started = descendantsRunning(pid_t(p->pid()), child);
        QFile(gate).open(QIODevice::WriteOnly);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 20000); // the pipelines would end after 60 s
        QCOMPARE(rec.exitCode, 3); // the gate, and the two it stopped
        QVERIFY2(rec.err.contains("halted; 1 job(s) not started"), rec.err.constData());
        QCOMPARE(stillRunning(started), QList<pid_t>());
    }

    void ctrlCStopsTheBatch()
    {
        TemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("jobs.log"));
        SpawnOptions o;
        o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe};
        ChildProcess *p = spawn(app, {QStringLiteral("batch"), QStringLiteral("-j"), QStringLiteral("2"), QStringLiteral("--joblog"), log,
                                      QStringLiteral("%1 ignore-term").arg(child), QStringLiteral("60000"), QStringLiteral("60000"), QStringLiteral("60000")}, o);
        Recorder rec(p);
        QTRY_COMPARE_WITH_TIMEOUT(rec.out, QByteArray(), 100);
        QTest::qWait(300);
        p->kill(SIGINT);
        QTRY_VERIFY_WITH_TIMEOUT(rec.closed, 15000);
        QCOMPARE(rec.exitCode, 130);
        const QList<QByteArray> lines = logLines(log);
        QCOMPARE(lines.size(), 3); // header and the two jobs that ran, killed
        for (const QByteArray &line : lines.mid(1))
            QVERIFY(line.split('\t')[7] == "15" || line.split('\t')[7] == "9");
    }

    // A name need not be UTF-8 (`caf\xE9.txt`): as GNU parallel, each way of giving inputs
    // gives the job the name's bytes.
    void nonUtf8Inputs_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QByteArray>("out");
        const QByteArray c = NonUtf8::content;
        QTest::newRow("after :::") << QStringLiteral(R"("$APP" batch cat ::: "$NAME")") << c;
        QTest::newRow("after the template") << QStringLiteral(R"("$APP" batch cat "$NAME")") << c;
        QTest::newRow("standard input") << QStringLiteral(R"(printf '%s\n' "$NAME" | "$APP" batch cat)") << c;
        QTest::newRow(":::: -") << QStringLiteral(R"(printf '%s\n' "$NAME" | "$APP" batch cat :::: -)") << c;
        QTest::newRow(":::: FILE") << QStringLiteral(R"(printf '%s\n' "$NAME" > list && "$APP" batch cat :::: list)") << c;
        QTest::newRow(":::: FILE so named") << QStringLiteral(R"(printf '%s\n' "$NAME" > "l$NAME" && "$APP" batch cat :::: "l$NAME")") << c;
        QTest::newRow("--shell") << QStringLiteral(R"("$APP" batch --shell 'cat {} | cat' ::: "$NAME")") << c;
        QTest::newRow("{/} of a path") << QStringLiteral(R"(mkdir "d$NAME" && cp "$NAME" "d$NAME/" && "$APP" batch cat "d$NAME/{/}" ::: "x/$NAME")") << c;
        QTest::newRow("argv bytes") << QStringLiteral(R"("$APP" batch "$CHILD" args-hex ::: "$NAME" | tail -n 1)") << NonUtf8::nameHex + '\n';
        QTest::newRow("in the job log") << QStringLiteral(R"("$APP" batch --joblog log cat ::: "$NAME" >/dev/null && tail -n 1 log | cut -f 11)")
                                        << QByteArray("cat 'caf\xe9.txt'\n");
        QTest::newRow("worker gzip") << QStringLiteral(R"("$APP" batch --worker --op gzip ::: "$NAME" >/dev/null && gzip -dc "$NAME.gz")") << c;
        QTest::newRow("worker upper") << QStringLiteral(R"("$APP" batch --worker --op upper ::: "$NAME" >/dev/null && cat "$NAME.upper")")
                                      << c.toUpper();
    }
    void nonUtf8Inputs()
    {
        QFETCH(QString, script);
        QFETCH(QByteArray, out);
        NonUtf8::runsAndPrints(script, out);
    }

    // A worker's answer line is JSON: the input's byte is the escape of its lone surrogate,
    // "\udce9", which JSON readers take back (Python's json and os.fsencode give the byte).
    void nonUtf8InputToTheWorker()
    {
        TemporaryDir dir;
        QVERIFY(NonUtf8::writeFile(dir.path()));
        const SyncResult r = NonUtf8::sh(dir.path(), QStringLiteral(R"("$APP" batch --worker --op hash ::: "$NAME")"));
        QCOMPARE(r.standardError, QByteArray());
        QCOMPARE(r.status, std::optional<int>(0));
        QVERIFY2(r.standardOutput.contains(R"("input":"caf\udce9.txt")"), r.standardOutput.constData());
        const QJsonObject line = QJsonDocument::fromJson(r.standardOutput).object();
        QCOMPARE(line.value(QStringLiteral("result")).toObject().value(QStringLiteral("sha256")).toString(),
                 QString::fromLatin1(QCryptographicHash::hash(NonUtf8::content, QCryptographicHash::Sha256).toHex()));
    }
};

QTEST_GUILESS_MAIN(tst_BatchCommand)
#include "tst_batchcommand.moc"
