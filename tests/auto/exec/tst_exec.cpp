#include "recorder.h"

#include <abortsignal.h>
#include <spawnfunctions.h>

#include <QSignalSpy>
#include <QTest>

using namespace Spawnscope;

namespace {
const QString kChild = QStringLiteral(TESTCHILD);

struct Outcome
{
    int calls = 0;
    ExecResult result;
    QStringList order;
};
} // namespace

class tst_Exec : public QObject
{
    Q_OBJECT
private:
    ChildProcess *runExec(const QString &command, const ExecOptions &options, Outcome &outcome)
    {
        ChildProcess *child = exec(command, options, [&outcome](const ExecResult &r) {
            ++outcome.calls;
            outcome.result = r;
            outcome.order << QStringLiteral("callback");
        });
        child->setAutoDelete(false);
        return child;
    }
    ChildProcess *runExecFile(const QStringList &args, const ExecOptions &options, Outcome &outcome,
                              const QString &file = kChild)
    {
        ChildProcess *child = execFile(file, args, options, [&outcome](const ExecResult &r) {
            ++outcome.calls;
            outcome.result = r;
            outcome.order << QStringLiteral("callback");
        });
        child->setAutoDelete(false);
        return child;
    }

private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void success()
    {
        Outcome o;
        ChildProcess *child = runExec(kChild + QStringLiteral(" both"), {}, o);
        connect(child, &ChildProcess::closed, this, [&] { o.order << QStringLiteral("close"); });
        QTRY_COMPARE(o.calls, 1);
        QTRY_COMPARE(o.order, (QStringList{"callback", "close"}));
        QVERIFY(o.result.ok());
        QCOMPARE(o.result.standardOutput, QByteArray("to stdout\n"));
        QCOMPARE(o.result.standardError, QByteArray("to stderr\n")); // stderr output is no error
        QCOMPARE(child->spawnfile(), QStringLiteral("/bin/sh"));
        delete child;
    }

    void failure_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QJsonValue>("code");
        QTest::addColumn<QJsonValue>("signal");
        QTest::addColumn<QString>("stderr");
        QTest::newRow("exit 3") << QStringList{"stderr", "oops", "3"} << QJsonValue(3) << QJsonValue(QJsonValue::Null) << "oops";
        QTest::newRow("crash") << QStringList{"crash"} << QJsonValue(QJsonValue::Null) << QJsonValue("SIGSEGV") << "";
    }
    void failure()
    {
        QFETCH(QStringList, args);
        QFETCH(QJsonValue, code);
        QFETCH(QJsonValue, signal);
        QFETCH(QString, stderr);
        Outcome o;
        ChildProcess *child = runExecFile(args, {}, o);
        QTRY_COMPARE(o.calls, 1);
        QVERIFY(o.result.error);
        const ProcessError &e = *o.result.error;
        const QString cmd = kChild + QLatin1Char(' ') + args.join(QLatin1Char(' '));
        QCOMPARE(e.message, QStringLiteral("Command failed: %1\n%2").arg(cmd, stderr));
        QCOMPARE(e.code, code);
        QCOMPARE(e.signal, signal);
        QCOMPARE(*e.killed, false);
        QCOMPARE(*e.cmd, cmd);
        QStringList keys;
        for (const auto &[key, value] : e.fields())
            keys << key;
        QCOMPARE(keys, (QStringList{"name", "message", "code", "killed", "signal", "cmd"}));
        delete child;
    }

    void maxBuffer_data()
    {
        QTest::addColumn<QString>("fd");
        QTest::addColumn<QString>("stream");
        QTest::newRow("stdout") << "1" << "stdout";
        QTest::newRow("stderr") << "2" << "stderr";
    }
    void maxBuffer()
    {
        QFETCH(QString, fd);
        QFETCH(QString, stream);
        ExecOptions options;
        options.maxBuffer = 1000;
        Outcome o;
        ChildProcess *child = runExecFile({"flood", "10000000", fd}, options, o);
        Recorder r(child);
        QTRY_COMPARE(o.calls, 1);
        QTRY_VERIFY(r.closed);
        const ProcessError &e = *o.result.error;
        QCOMPARE(e.name, QStringLiteral("RangeError"));
        QCOMPARE(e.codeName(), QStringLiteral("ERR_CHILD_PROCESS_STDIO_MAXBUFFER"));
        QCOMPARE(e.message, stream + QStringLiteral(" maxBuffer length exceeded"));
        QVERIFY(!e.killed && e.signal.isUndefined()); // Node's own keys: code and cmd only
        const QByteArray kept = fd == "1" ? o.result.standardOutput : o.result.standardError;
        QCOMPARE(kept.size(), 1000);
        for (int i = 0; i < kept.size(); ++i)
            QCOMPARE(kept[i], char(i % 251));
        QCOMPARE(r.exitSignal, QStringLiteral("SIGTERM"));
        delete child;
    }

    void defaultMaxBufferIsOneMiB_data()
    {
        QTest::addColumn<int>("bytes");
        QTest::addColumn<bool>("ok");
        QTest::newRow("exactly 1 MiB") << 1024 * 1024 << true;
        QTest::newRow("one more") << 1024 * 1024 + 1 << false;
    }
    void defaultMaxBufferIsOneMiB()
    {
        QFETCH(int, bytes);
        QFETCH(bool, ok);
        Outcome o;
        ChildProcess *child = runExecFile({"flood", QString::number(bytes)}, {}, o);
        Recorder r(child);
        QTRY_COMPARE(o.calls, 1);
        QTRY_VERIFY(r.closed);
        QCOMPARE(o.result.ok(), ok);
        QCOMPARE(o.result.standardOutput.size(), 1024 * 1024);
        delete child;
    }

    void timeout()
    {
        ExecOptions options;
        options.timeout = 100;
        Outcome o;
        ChildProcess *child = runExecFile({"sleep", "10000"}, options, o);
        QTRY_COMPARE(o.calls, 1);
        const ProcessError &e = *o.result.error;
        QCOMPARE(*e.killed, true);
        QCOMPARE(e.signal, QJsonValue("SIGTERM"));
        QVERIFY(e.code.isNull());
        delete child;
    }

    void timeoutDoesNotWaitForGrandchild()
    {
        // dash keeps the command as its own child, so the kill hits only the shell; exec drops
        // the pipes, so the callback comes without waiting for the orphan.
        ExecOptions options;
        options.timeout = 100;
        Outcome o;
        QElapsedTimer clock;
        clock.start();
        ChildProcess *child = runExec(kChild + QStringLiteral(" sleep 1500"), options, o);
        QTRY_COMPARE_WITH_TIMEOUT(o.calls, 1, 1000);
        QVERIFY(clock.elapsed() < 1000);
        QCOMPARE(*o.result.error->killed, true);
        delete child;
        QTest::qWait(1600); // let the orphan end: tests leave nothing running
    }

    void spawnFailure()
    {
        Outcome o;
        ChildProcess *child = runExecFile({"x"}, {}, o, QStringLiteral("spawnscope-no-such-program"));
        connect(child, &ChildProcess::errorOccurred, this, [&](const ProcessError &e) {
            o.order << QStringLiteral("error");
            QCOMPARE(*e.cmd, QStringLiteral("spawnscope-no-such-program x")); // the same error object
        });
        connect(child, &ChildProcess::closed, this, [&] { o.order << QStringLiteral("close"); });
        QTRY_COMPARE(o.order, (QStringList{"callback", "error", "close"}));
        QCOMPARE(o.calls, 1);
        const ProcessError &e = *o.result.error;
        QCOMPARE(e.codeName(), QStringLiteral("ENOENT"));
        QCOMPARE(*e.cmd, QStringLiteral("spawnscope-no-such-program x"));
        QCOMPARE(e.syscall, QStringLiteral("spawn spawnscope-no-such-program"));
        delete child;
    }

    void missingShell()
    {
        ExecOptions options;
        options.shell = QStringLiteral("/nonexistent/sh");
        Outcome o;
        ChildProcess *child = runExec(QStringLiteral("echo hi"), options, o);
        QTRY_COMPARE(o.calls, 1);
        QCOMPARE(*o.result.error->path, QStringLiteral("/nonexistent/sh"));
        QCOMPARE(o.result.error->codeName(), QStringLiteral("ENOENT"));
        delete child;
    }

    void invalidOptions_data()
    {
        QTest::addColumn<int>("timeout");
        QTest::addColumn<int>("maxBuffer");
        QTest::newRow("negative timeout") << -1 << 1024;
        QTest::newRow("negative maxBuffer") << 0 << -5;
    }
    void invalidOptions()
    {
        QFETCH(int, timeout);
        QFETCH(int, maxBuffer);
        ExecOptions options;
        options.timeout = timeout;
        options.maxBuffer = maxBuffer;
        Outcome o;
        ChildProcess *child = runExec(QStringLiteral("echo never"), options, o);
        QCOMPARE(child->pid(), 0);
        QTRY_COMPARE(o.calls, 1);
        QCOMPARE(o.result.error->codeName(), QStringLiteral("ERR_OUT_OF_RANGE"));
        QCOMPARE(*o.result.error->cmd, QStringLiteral("echo never"));
        delete child;
    }

    void argumentsVerbatim()
    {
        Outcome o;
        ChildProcess *child = runExecFile({"args", "$HOME", "*", "", "a'b\"c"}, {}, o);
        QTRY_COMPARE(o.calls, 1);
        QCOMPARE(o.result.standardOutput, QByteArray("[\"" TESTCHILD "\",\"args\",\"$HOME\",\"*\",\"\",\"a'b\\\"c\"]\n"));
        delete child;
    }

    void abort()
    {
        AbortSignal abort;
        ExecOptions options;
        options.signal = &abort;
        Outcome o;
        ChildProcess *child = runExecFile({"sleep", "10000"}, options, o);
        QTRY_VERIFY(child->pid() > 0);
        QTest::qWait(50);
        abort.abort();
        QCOMPARE(o.calls, 1); // synchronously, inside abort()
        QCOMPARE(o.result.error->name, QStringLiteral("AbortError"));
        QCOMPARE(*o.result.error->cmd, kChild + QStringLiteral(" sleep 10000"));
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        delete child;
    }

    void decode_data()
    {
        QTest::addColumn<QString>("encoding");
        QTest::addColumn<QString>("text");
        QTest::newRow("utf8") << "utf8" << QString::fromUtf8("é中");
        QTest::newRow("hex") << "hex" << "c3a9e4b8ad";
        QTest::newRow("base64") << "base64" << "w6nkuK0=";
        QTest::newRow("latin1") << "latin1" << QString::fromLatin1("\xc3\xa9\xe4\xb8\xad");
    }
    void decode()
    {
        QFETCH(QString, encoding);
        QFETCH(QString, text);
        QCOMPARE(ExecResult::decode(QByteArray("\xc3\xa9\xe4\xb8\xad"), encoding), text);
    }
};

QTEST_GUILESS_MAIN(tst_Exec)
#include "tst_exec.moc"
