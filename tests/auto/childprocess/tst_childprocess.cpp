#include "processes.h"
#include "recorder.h"

#include <abortsignal.h>
#include <spawnfunctions.h>

#include <QDir>
#include <QElapsedTimer>
#include <QPointer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>

#include <csignal>
#include <deque>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace Spawnscope;

namespace {

const QString kChild = QStringLiteral(TESTCHILD);

ChildProcess *start(const QStringList &args, SpawnOptions options = {})
{
    ChildProcess *child = spawn(kChild, args, options);
    child->setAutoDelete(false);
    return child;
}

} // namespace

class tst_ChildProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup()
    {
        // No test may leave a child behind, running or as a zombie.
        QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000);
    }

    void eventOrder_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("events");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("signal");
        const QStringList normal{"spawn", "exit", "close"};
        QTest::newRow("exit 0") << QStringList{"exit", "0"} << normal << 0 << "";
        QTest::newRow("exit 3") << QStringList{"exit", "3"} << normal << 3 << "";
        QTest::newRow("exit 255") << QStringList{"exit", "255"} << normal << 255 << "";
        QTest::newRow("exit 256 wraps") << QStringList{"exit", "256"} << normal << 0 << "";
        QTest::newRow("exit 257 wraps") << QStringList{"exit", "257"} << normal << 1 << "";
        QTest::newRow("crash") << QStringList{"crash"} << normal << -1 << "SIGSEGV";
        QTest::newRow("signals itself") << QStringList{"signal-self", QString::number(SIGUSR1)} << normal << -1
                                        << "SIGUSR1";
        QTest::newRow("output") << QStringList{"lines", "3"} << normal << 0 << "";
    }
    void eventOrder()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, events);
        QFETCH(int, code);
        QFETCH(QString, signal);
        ChildProcess *child = start(args);
        QVERIFY(child->pid() > 0);
        QCOMPARE(child->spawnfile(), kChild);
        QCOMPARE(child->spawnargs(), QStringList{kChild} + args);
        Recorder r(child);
        QSignalSpy spawned(child, &ChildProcess::spawned);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.events, events);
        QCOMPARE(spawned.count(), 1);
        QCOMPARE(r.exitCode, code);
        QCOMPARE(r.exitSignal, signal);
        QCOMPARE(r.closeCode, code);
        QCOMPARE(r.closeSignal, signal);
        QCOMPARE(child->signalCode(), signal);
        QCOMPARE(child->exitCode().has_value(), signal.isEmpty());
        QVERIFY(!child->killed());
        QVERIFY(!child->isRunning());
        delete child;
    }

    void spawnErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("cwd");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("errnum");
        QTemporaryFile *plain = new QTemporaryFile(this);
        plain->open();
        plain->write("not a program");
        plain->close();
        QTest::newRow("missing program") << "spawnscope-no-such-program" << "" << "ENOENT" << -2;
        QTest::newRow("missing path") << "/nonexistent/prog" << "" << "ENOENT" << -2;
        QTest::newRow("not executable") << plain->fileName() << "" << "EACCES" << -13;
        QTest::newRow("directory") << "/tmp" << "" << "EACCES" << -13;
        QTest::newRow("missing cwd") << kChild << "/nonexistent-dir" << "ENOENT" << -2;
        QTest::newRow("empty file name") << "" << "" << "ERR_INVALID_ARG_VALUE" << 0;
    }
    void spawnErrors()
    {
        QFETCH(QString, file);
        QFETCH(QString, cwd);
        QFETCH(QString, code);
        QFETCH(int, errnum);
        SpawnOptions options;
        options.cwd = cwd;
        ChildProcess *child = spawn(file, {"a", "b"}, options);
        child->setAutoDelete(false);
        Recorder r(child);
        QCOMPARE(child->pid(), 0);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.events, (QStringList{"error", "close"}));
        const ProcessError &e = r.errors.first();
        QCOMPARE(e.codeName(), code);
        if (errnum) {
            QCOMPARE(*e.errnum, errnum);
            QCOMPARE(e.syscall, QStringLiteral("spawn ") + file);
            QCOMPARE(*e.path, file); // a missing cwd names the program too, as in Node
            QCOMPARE(*e.spawnargs, (QStringList{"a", "b"}));
            QCOMPARE(e.message, QStringLiteral("spawn %1 %2").arg(file, code));
            QCOMPARE(r.closeCode, errnum);
            QCOMPARE(*child->exitCode(), errnum);
        }
        QVERIFY(!child->write("x"));
        QVERIFY(!child->kill());
        delete child;
    }

    void invalidOptions_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("code");
        QTest::newRow("unknown kill signal") << 0 << "ERR_UNKNOWN_SIGNAL";
        QTest::newRow("negative timeout") << 1 << "ERR_OUT_OF_RANGE";
        QTest::newRow("two channels") << 2 << "ERR_IPC_ONE_PIPE";
        QTest::newRow("advanced serialization") << 3 << "ERR_INVALID_ARG_VALUE";
    }
    void invalidOptions()
    {
        QFETCH(int, which);
        QFETCH(QString, code);
        SpawnOptions options;
        if (which == 0)
            options.killSignal = ProcessSignal("SIGNOPE");
        if (which == 1)
            options.timeout = -1;
        if (which == 2)
            options.stdio = {StdioMode::Pipe, StdioMode::Pipe, StdioMode::Pipe, StdioMode::Ipc, StdioMode::Ipc};
        if (which == 3)
            options.serialization = QStringLiteral("advanced");
        ChildProcess *child = start({"exit", "0"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.events, (QStringList{"error", "close"}));
        QCOMPARE(r.errors.first().codeName(), code);
        QVERIFY(!r.errors.first().message.isEmpty());
        delete child;
    }

    void output()
    {
        ChildProcess *child = start({"lines", "20000"});
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        const QList<QByteArray> lines = r.out.split('\n');
        QCOMPARE(lines.size(), 20001);
        for (int i = 0; i < 20000; ++i)
            QCOMPARE(lines[i], QByteArray("line ") + QByteArray::number(i + 1));
        delete child;
    }

    void stdoutAndStderr()
    {
        ChildProcess *child = start({"both"});
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.out, QByteArray("to stdout\n"));
        QCOMPARE(r.err, QByteArray("to stderr\n"));
        delete child;
    }

    void stdinRoundTrip_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("empty") << 0;
        QTest::newRow("one line") << 6;
        QTest::newRow("10 MiB") << 10 * 1024 * 1024;
    }
    void stdinRoundTrip()
    {
        QFETCH(int, size);
        QByteArray input(size, Qt::Uninitialized);
        for (int i = 0; i < size; ++i)
            input[i] = char('a' + i % 26);
        ChildProcess *child = start({"echo"});
        Recorder r(child);
        if (size > 0)
            QVERIFY(child->write(input.left(size / 2)));
        child->end(input.mid(size / 2));
        QVERIFY(!child->write("after end"));
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 20000);
        QCOMPARE(r.out.size(), input.size());
        QVERIFY(r.out == input);
        QVERIFY(r.stdinErrors.isEmpty());
        delete child;
    }

    void stdinEpipe()
    {
        // The child ends without reading 4 MiB we write: EPIPE is reported, and this process
        // does not die of SIGPIPE.
        ChildProcess *child = start({"sleep", "200"});
        Recorder r(child);
        const QByteArray big(4 * 1024 * 1024, 'x');
        QVERIFY(child->write(big));
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 10000);
        QCOMPARE(r.stdinErrors.size(), 1);
        QCOMPARE(r.stdinErrors.first().codeName(), QStringLiteral("EPIPE"));
        QCOMPARE(r.stdinErrors.first().message, QStringLiteral("write EPIPE"));
        delete child;
    }

    void tooManyOpenFiles()
    {
        rlimit old{};
        QCOMPARE(::getrlimit(RLIMIT_NOFILE, &old), 0);
        rlimit tight = old;
        tight.rlim_cur = rlim_t(openDescriptorCount() + 2); // no room for three socketpairs
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &tight), 0);
        const int before = openDescriptorCount();
        ChildProcess *child = start({"exit", "0"});
        QCOMPARE(openDescriptorCount(), before); // what it had made is closed again
        ::setrlimit(RLIMIT_NOFILE, &old);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.events, (QStringList{"error", "close"}));
        QCOMPARE(r.errors.first().codeName(), QStringLiteral("EMFILE"));
        QCOMPARE(r.errors.first().syscall, QStringLiteral("spawn ") + kChild);
        QCOMPARE(r.closeCode, -EMFILE);
        delete child;
    }

    void kill_data()
    {
        QTest::addColumn<QString>("signal");
        QTest::addColumn<QString>("expected");
        QTest::newRow("default") << "" << "SIGTERM";
        QTest::newRow("SIGKILL by name") << "SIGKILL" << "SIGKILL";
        QTest::newRow("by number") << "9" << "SIGKILL";
        QTest::newRow("lower case") << "sigint" << "SIGINT";
        QTest::newRow("SIGHUP") << "SIGHUP" << "SIGHUP";
    }
    void kill()
    {
        QFETCH(QString, signal);
        QFETCH(QString, expected);
        ChildProcess *child = start({"sleep", "10000"});
        Recorder r(child);
        QTRY_VERIFY(r.events.contains("spawn"));
        QVERIFY(signal.isEmpty() ? child->kill() : child->kill(ProcessSignal(signal)));
        QVERIFY(child->killed());
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.events, (QStringList{"spawn", "exit", "close"}));
        QCOMPARE(r.exitSignal, expected);
        QCOMPARE(r.closeCode, -1);
        QVERIFY(!child->exitCode());
        QVERIFY(!child->kill());
        delete child;
    }

    void killZeroSetsKilled()
    {
        ChildProcess *child = start({"sleep", "100"});
        Recorder r(child);
        QVERIFY(child->kill(0));
        QVERIFY(child->killed());
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.closeCode, 0);
        delete child;
    }

    void killUnknownSignal()
    {
        ChildProcess *child = start({"sleep", "100"});
        Recorder r(child);
        QVERIFY(!child->kill(ProcessSignal("SIGNOPE")));
        QVERIFY(!child->killed());
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.errors.size(), 1);
        QCOMPARE(r.errors.first().codeName(), QStringLiteral("ERR_UNKNOWN_SIGNAL"));
        delete child;
    }

    // killGroup() reaches what the child started, in the group the child leads, also once the
    // child has gone; a child in this process's group has no group of its own to signal.
    void killGroup_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("ownGroup");
        QTest::addColumn<bool>("childExits"); // before the signal
        QTest::addColumn<bool>("signalled");
        QTest::newRow("child and grandchild") << QStringList{"family", "60000"} << true << false << true;
        QTest::newRow("grandchild after the child") << QStringList{"spawn-grandchild", "60000"} << true << true << true;
        QTest::newRow("the group is gone") << QStringList{"spawn-grandchild", "0"} << true << true << false;
        QTest::newRow("in this process's group") << QStringList{"family", "60000"} << false << false << false;
    }
    void killGroup()
    {
        QFETCH(QStringList, args);
        QFETCH(bool, ownGroup);
        QFETCH(bool, childExits);
        QFETCH(bool, signalled);
        SpawnOptions o;
        o.stdio = {StdioMode::Ignore, StdioMode::Pipe, StdioMode::Ignore};
        if (ownGroup)
            o.processGroup = 0;
        std::unique_ptr<ChildProcess> child(spawn(kChild, args, o));
        child->setAutoDelete(false);
        Recorder r(child.get());
        QTRY_VERIFY(r.out.endsWith("\n")); // "ready" or "child": the grandchild has been forked
        const QList<pid_t> grandchildren = descendantsRunning(pid_t(child->pid()), kChild);
        const auto killGrandchildren = qScopeGuard([&grandchildren] {
            for (pid_t p : grandchildren)
                ::kill(p, SIGKILL); // orphans are no children here: cleanup() would not see them
        });
        if (childExits) {
            QTRY_VERIFY(r.events.contains("exit"));
            QVERIFY(!child->kill(SIGKILL));
        }
        if (!signalled && ownGroup)
            QTRY_VERIFY(!child->groupRunning()); // the grandchild ended by itself
        QCOMPARE(child->groupRunning(), ownGroup && signalled);
        QCOMPARE(child->killGroup(SIGKILL), signalled);
        QTRY_VERIFY(!child->groupRunning());
        if (!ownGroup) {
            QVERIFY(child->kill(SIGKILL));
            QCOMPARE(stillRunning(grandchildren).size(), 1); // signalled by no one
            for (pid_t p : grandchildren)
                ::kill(p, SIGKILL); // it holds the stdout pipe open
        }
        QTRY_VERIFY(r.closed);
        QCOMPARE(child->killGroup(SIGTERM), false);
    }

    void trapsTermDiesOnKill()
    {
        ChildProcess *child = start({"ignore-term", "10000"});
        Recorder r(child);
        QTRY_COMPARE(r.out, QByteArray("ready\n"));
        QVERIFY(child->kill());
        QTest::qWait(100);
        QVERIFY(child->isRunning());
        QVERIFY(child->kill(SIGKILL));
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.exitSignal, QStringLiteral("SIGKILL"));
        delete child;
    }

    void timeout_data()
    {
        QTest::addColumn<QString>("killSignal");
        QTest::newRow("SIGTERM") << "SIGTERM";
        QTest::newRow("SIGKILL") << "SIGKILL";
        QTest::newRow("SIGINT as number") << "2";
    }
    void timeout()
    {
        QFETCH(QString, killSignal);
        SpawnOptions options;
        options.timeout = 100;
        options.killSignal = ProcessSignal(killSignal);
        ChildProcess *child = start({"sleep", "10000"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.exitSignal, ProcessSignal(killSignal).name());
        QVERIFY(child->killed());
        delete child;
    }

    void timeoutAfterExitDoesNothing()
    {
        // Long enough for the child to end first even on a loaded machine (or under a sanitizer);
        // then the moment the timeout would have struck is waited out.
        SpawnOptions options;
        options.timeout = 1000;
        QElapsedTimer clock;
        clock.start();
        ChildProcess *child = start({"exit", "0"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QVERIFY2(clock.elapsed() < options.timeout, "the child outlived its timeout");
        QTest::qWait(int(options.timeout - clock.elapsed()) + 100);
        QVERIFY(!child->killed());
        QCOMPARE(r.errors.size(), 0);
        delete child;
    }

    void abort()
    {
        AbortSignal abort;
        SpawnOptions options;
        options.signal = &abort;
        ChildProcess *child = start({"sleep", "10000"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.events.contains("spawn"));
        abort.abort();
        // Node emits the AbortError synchronously inside abort().
        QCOMPARE(r.events, (QStringList{"spawn", "error"}));
        QCOMPARE(r.errors.first().name, QStringLiteral("AbortError"));
        QCOMPARE(r.errors.first().codeName(), QStringLiteral("ABORT_ERR"));
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.events, (QStringList{"spawn", "error", "exit", "close"}));
        QCOMPARE(r.exitSignal, QStringLiteral("SIGTERM"));
        delete child;
    }

    void abortedBeforeStart()
    {
        AbortSignal abort;
        abort.abort();
        SpawnOptions options;
        options.signal = &abort;
        options.killSignal = SIGKILL;
        ChildProcess *child = start({"sleep", "10000"}, options);
        Recorder r(child);
        QVERIFY(child->pid() > 0); // it still starts, as in Node
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.events, (QStringList{"spawn", "error", "exit", "close"}));
        QCOMPARE(r.exitSignal, QStringLiteral("SIGKILL"));
        delete child;
    }

    void closeWaitsForGrandchild()
    {
        ChildProcess *child = start({"spawn-grandchild", "400"});
        Recorder r(child);
        QTRY_VERIFY(r.events.contains("exit"));
        QVERIFY(!r.closed);
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 5000);
        QCOMPARE(r.out, QByteArray("child\ngrandchild\n"));
        QCOMPARE(r.events, (QStringList{"spawn", "exit", "close"}));
        delete child;
    }

    void closeDoesNotWaitWhenIgnored()
    {
        SpawnOptions options;
        options.stdio = {StdioMode::Ignore, StdioMode::Ignore, StdioMode::Ignore};
        ChildProcess *child = start({"spawn-grandchild", "800"}, options);
        Recorder r(child);
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 500);
        QCOMPARE(r.events, (QStringList{"spawn", "exit", "close"}));
        delete child;
        // The grandchild is no child of ours; wait it out so the test leaves nothing running.
        QTest::qWait(900);
    }

    void environment()
    {
        SpawnOptions options;
        QProcessEnvironment env;
        env.insert(QStringLiteral("SPAWNSCOPE_TEST"), QStringLiteral("value with spaces"));
        options.env = env;
        ChildProcess *child = start({"env", "SPAWNSCOPE_TEST"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.out, QByteArray("value with spaces\n"));
        delete child;

        ChildProcess *home = start({"env", "HOME"}, options);
        Recorder r2(home);
        QTRY_VERIFY(r2.closed);
        QCOMPARE(r2.out, QByteArray("(unset)\n"));
        delete home;
    }

    void bareNameFoundWithoutPath()
    {
        SpawnOptions options;
        options.env = QProcessEnvironment();
        ChildProcess *child = spawn(QStringLiteral("true"), {}, options);
        child->setAutoDelete(false);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.events, (QStringList{"spawn", "exit", "close"}));
        delete child;
    }

    void argv0AndArgs()
    {
        SpawnOptions options;
        options.argv0 = QStringLiteral("custom-name");
        ChildProcess *child = start({"args", "$HOME", "*", "", "two words", "new\nline"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.out, QByteArray("[\"custom-name\",\"args\",\"$HOME\",\"*\",\"\",\"two words\",\"new\\nline\"]\n"));
        QCOMPARE(child->spawnargs().first(), QStringLiteral("custom-name"));
        delete child;
    }

    void shell()
    {
        SpawnOptions options;
        options.shell = QStringLiteral("/bin/sh");
        ChildProcess *child = spawn(kChild, {"out", "$((6*7))"}, options);
        child->setAutoDelete(false);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.out, QByteArray("42"));
        QCOMPARE(child->spawnfile(), QStringLiteral("/bin/sh"));
        QCOMPARE(child->spawnargs(), (QStringList{"/bin/sh", "-c", kChild + " out $((6*7))"}));
        delete child;
    }

    void cwd()
    {
        QTemporaryDir dir;
        SpawnOptions options;
        options.cwd = dir.path();
        ChildProcess *child = start({"cwd"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(QString::fromLocal8Bit(r.out.trimmed()), QFileInfo(dir.path()).canonicalFilePath());
        delete child;
    }

    void detached()
    {
        SpawnOptions options;
        options.detached = true;
        ChildProcess *child = start({"session"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.out, QByteArray("1 1\n"));
        delete child;
        ChildProcess *attached = start({"session"});
        Recorder r2(attached);
        QTRY_VERIFY(r2.closed);
        QCOMPARE(r2.out, QByteArray("0 0\n"));
        delete attached;
    }

    void credentials()
    {
        if (::geteuid() != 0)
            QSKIP("changing a child's uid and gid needs root");
        SpawnOptions options;
        options.uid = 65534;
        options.gid = 65534;
        ChildProcess *child = start({"ids"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.out, QByteArray("65534 65534\n"));
        QCOMPARE(r.events, (QStringList{"spawn", "exit", "close"}));
        delete child;

        // The fork+exec path reports exec failures like posix_spawn does.
        ChildProcess *missing = spawn(QStringLiteral("/nonexistent/prog"), {}, options);
        missing->setAutoDelete(false);
        Recorder rm(missing);
        QTRY_VERIFY(rm.closed);
        QCOMPARE(rm.events.join(','), QStringLiteral("error,close"));
        QCOMPARE(rm.errors.first().codeName(), QStringLiteral("ENOENT"));
        delete missing;
    }

    // execvp's rule, which Node follows: an executable file without a `#!` line runs under
    // /bin/sh, with the file as the script and the arguments after it.
    void scriptWithoutShebang_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("spawn") << "spawn";
        QTest::newRow("execFile") << "execFile";
        QTest::newRow("fork") << "fork";
        QTest::newRow("spawnSync") << "spawnSync";
        QTest::newRow("execFileSync") << "execFileSync";
        if (::geteuid() == 0)
            QTest::newRow("spawn with credentials") << "credentials";
    }
    void scriptWithoutShebang()
    {
        QFETCH(QString, how);
        QTemporaryDir dir;
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
        const QString path = dir.filePath(QStringLiteral("script"));
        QFile script(path);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("printf '%s|' \"$0\" \"$#\" \"$@\"\nexit 5\n");
        script.close();
        QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther));
        const QStringList args{QStringLiteral("a b"), QStringLiteral("c")};
        const QByteArray expected = path.toUtf8() + "|2|a b|c|";
        if (how.endsWith(QLatin1String("Sync"))) {
            const SyncResult r = how == QLatin1String("spawnSync") ? spawnSync(path, args) : execFileSync(path, args);
            QCOMPARE(r.standardOutput, expected);
            QCOMPARE(r.status, std::optional<int>(5));
            return;
        }
        ChildProcess *child = nullptr;
        if (how == QLatin1String("execFile")) {
            child = execFile(path, args, {}, [](const ExecResult &) {});
        } else if (how == QLatin1String("fork")) {
            ForkOptions options;
            options.silent = true;
            child = fork(path, args, options);
        } else {
            SpawnOptions options;
            if (how == QLatin1String("credentials"))
                options.uid = options.gid = 65534;
            child = spawn(path, args, options);
        }
        child->setAutoDelete(false);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        // A forked child's channel closes as it ends; exit and disconnect may come either way.
        QCOMPARE(r.events.removeAll(QStringLiteral("disconnect")), how == QLatin1String("fork") ? 1 : 0);
        QCOMPARE(r.events.join(','), QStringLiteral("spawn,exit,close"));
        QCOMPARE(r.out, expected);
        QCOMPARE(r.exitCode, 5);
        delete child;
    }

    void forkRunsProgramOrModule_data()
    {
        QTest::addColumn<QString>("module");
        QTest::addColumn<bool>("inCwd");
        QTest::addColumn<bool>("program");
        QTest::newRow("executable") << "tool" << false << true;
        QTest::newRow("executable named .js") << "tool.js" << false << false;
        QTest::newRow("executable named .mjs") << "tool.mjs" << false << false;
        QTest::newRow("executable named .cjs") << "tool.cjs" << false << false;
        QTest::newRow("not executable") << "plain" << false << false;
        QTest::newRow("missing: a module for node") << "fork-child" << false << false;
        QTest::newRow("relative, found from cwd") << "tool" << true << true;
        QTest::newRow("a directory") << "dir" << false << false;
    }
    void forkRunsProgramOrModule()
    {
        QFETCH(QString, module);
        QFETCH(bool, inCwd);
        QFETCH(bool, program);
        QTemporaryDir dir;
        for (const char *name : {"tool", "tool.js", "tool.mjs", "tool.cjs", "plain"}) {
            QFile f(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.close();
            if (qstrcmp(name, "plain") != 0)
                QVERIFY(f.setPermissions(f.permissions() | QFile::ExeOwner));
        }
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("dir")));
        if (inCwd)
            QCOMPARE(forkRunsProgram(module, dir.path()), program);
        else
            QCOMPARE(forkRunsProgram(dir.filePath(module)), program);
    }

    void childStartsWithDefaultSignals()
    {
        // A parent that ignores SIGPIPE and blocks signals must not pass that on: `yes | head -1`.
        struct sigaction ignore{};
        ignore.sa_handler = SIG_IGN;
        struct sigaction old{};
        ::sigaction(SIGPIPE, &ignore, &old);
        sigset_t block, oldMask;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR2);
        ::pthread_sigmask(SIG_BLOCK, &block, &oldMask);
        ChildProcess *child = start({"sigstate"});
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        ::sigaction(SIGPIPE, &old, nullptr);
        ::pthread_sigmask(SIG_SETMASK, &oldMask, nullptr);
        QCOMPARE(r.out, QByteArray("default 0\n"));
        delete child;
    }

    void noDescriptorLeaksIntoChild()
    {
        const int stray = ::open("/dev/null", O_RDONLY); // deliberately without O_CLOEXEC
        ChildProcess *busy = start({"sleep", "300"}); // its pipes must not reach the next child
        ChildProcess *child = start({"fds"});
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        ::close(stray);
        QCOMPARE(r.out, QByteArray("0 1 2 \n"));
        delete child;
        Recorder rb(busy);
        QTRY_VERIFY(rb.closed);
        delete busy;
    }

    void stdioVariants()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        SpawnOptions options;
        options.stdio = {StdioMode::Pipe, StdioMode::fromFd(file.handle()), StdioMode::Ignore, StdioMode::Pipe};
        ChildProcess *child = start({"both"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.out, QByteArray());
        QCOMPARE(r.err, QByteArray());
        file.seek(0);
        QCOMPARE(file.readAll(), QByteArray("to stdout\n"));
        delete child;

        ChildProcess *extra = start({"write-fd", "3", "on three"}, options);
        QByteArray three;
        connect(extra, &ChildProcess::streamData, this, [&](int fd, const QByteArray &d) {
            QCOMPARE(fd, 3);
            three += d;
        });
        Recorder r2(extra);
        QTRY_VERIFY(r2.closed);
        QCOMPARE(three, QByteArray("on three"));
        delete extra;
    }

    void badDescriptor()
    {
        SpawnOptions options;
        options.stdio = {StdioMode::Pipe, StdioMode::fromFd(987), StdioMode::Pipe};
        ChildProcess *child = start({"exit", "0"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.events, (QStringList{"error", "close"}));
        QCOMPARE(r.errors.first().codeName(), QStringLiteral("EBADF"));
        delete child;
    }

    void floodWhileReceiverSleeps()
    {
        // 1 GiB while this thread sleeps 2 s: the child blocks, nothing is lost or reordered.
        const qint64 total = qint64(1) << 30;
        ChildProcess *child = start({"flood", QString::number(total)});
        qint64 received = 0;
        bool ordered = true;
        bool slept = false;
        connect(child, &ChildProcess::stdoutData, this, [&](const QByteArray &chunk) {
            if (!slept) {
                slept = true;
                QThread::sleep(2);
            }
            const char *p = chunk.constData();
            for (qsizetype i = 0; i < chunk.size(); ++i) {
                if (p[i] != char((received + i) % 251)) {
                    ordered = false;
                    break;
                }
            }
            received += chunk.size();
        });
        Recorder r(child);
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 120000);
        QCOMPARE(received, total);
        QVERIFY(ordered);
        QCOMPARE(r.closeCode, 0);
        delete child;
    }

    void heldChunksStayIntact()
    {
        // The I/O thread reads into buffers that come back to it once the receiver drops them.
        // A receiver holding a few chunks, and checking each one only when it lets go, sees the
        // bytes it was given: none was read into while it held it. Under
        // ThreadSanitizer this also proves the hand-back is ordered (the drop happens here, in
        // instrumented code).
        const qint64 total = qint64(64) << 20;
        ChildProcess *child = start({"flood", QString::number(total)});
        std::deque<std::pair<qint64, QByteArray>> held;
        qint64 received = 0;
        qint64 checked = 0;
        bool intact = true;
        const auto letGo = [&] {
            const auto &[offset, chunk] = held.front();
            const char *p = chunk.constData();
            for (qsizetype i = 0; i < chunk.size() && intact; ++i)
                intact = p[i] == char((offset + i) % 251);
            checked += chunk.size();
            held.pop_front();
        };
        connect(child, &ChildProcess::stdoutData, this, [&](const QByteArray &chunk) {
            held.emplace_back(received, chunk);
            received += chunk.size();
            if (held.size() > 8)
                letGo();
        });
        Recorder r(child);
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 120000);
        while (!held.empty())
            letGo();
        QCOMPARE(received, total);
        QCOMPARE(checked, total);
        QVERIFY(intact);
        delete child;
    }

    void autoDeleteAfterClose()
    {
        QPointer<ChildProcess> child = spawn(kChild, {"exit", "0"});
        QVERIFY(child->autoDelete());
        QSignalSpy closed(child.data(), &ChildProcess::closed);
        QTRY_COMPARE(closed.count(), 1);
        QTRY_VERIFY(child.isNull());
    }

    void destroyKillsAndReaps()
    {
        ChildProcess *child = start({"sleep", "10000"});
        const pid_t pid = pid_t(child->pid());
        QTRY_VERIFY(childrenOfThisProcess().contains(pid));
        delete child;
        QTRY_VERIFY(!childrenOfThisProcess().contains(pid));
    }

    void manySpawnsLeakNothing()
    {
        // 10,000 children, 32 at a time: afterwards the same descriptors and no children.
        const int before = openDescriptorCount();
        const int total = 10000;
        int started = 0;
        int closed = 0;
        int failures = 0;
        std::function<void()> startOne = [&] {
            ChildProcess *child = spawn(QStringLiteral("/bin/true"));
            ++started;
            connect(child, &ChildProcess::closed, this, [&](int code, const QString &) {
                ++closed;
                if (code != 0)
                    ++failures;
                if (started < total)
                    startOne();
            });
        };
        for (int i = 0; i < 32; ++i)
            startOne();
        QTRY_COMPARE_WITH_TIMEOUT(closed, total, 120000);
        QCOMPARE(failures, 0);
        QTRY_COMPARE(openDescriptorCount(), before);
        QVERIFY(childrenOfThisProcess().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_ChildProcess)
#include "tst_childprocess.moc"
