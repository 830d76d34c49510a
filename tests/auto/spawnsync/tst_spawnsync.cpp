#include "recorder.h"

#include <spawnfunctions.h>

#include <QTemporaryFile>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace Spawnscope;

namespace {
const QString kChild = QStringLiteral(TESTCHILD);
}

class tst_SpawnSync : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void shapes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("signal");
        QTest::addColumn<QByteArray>("out");
        QTest::addColumn<QByteArray>("err");
        QTest::newRow("lines") << QStringList{"lines", "2"} << 0 << "" << QByteArray("line 1\nline 2\n") << QByteArray();
        QTest::newRow("both") << QStringList{"both"} << 0 << "" << QByteArray("to stdout\n") << QByteArray("to stderr\n");
        QTest::newRow("exit 9") << QStringList{"exit", "9"} << 9 << "" << QByteArray() << QByteArray();
        QTest::newRow("crash") << QStringList{"crash"} << -1 << "SIGSEGV" << QByteArray() << QByteArray();
    }
    void shapes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, status);
        QFETCH(QString, signal);
        QFETCH(QByteArray, out);
        QFETCH(QByteArray, err);
        const SyncResult r = spawnSync(kChild, args);
        QVERIFY(r.pid > 0);
        QVERIFY(r.hasOutput);
        QCOMPARE(r.status.value_or(-1), status);
        QCOMPARE(r.signal, signal);
        QCOMPARE(r.standardOutput, out);
        QCOMPARE(r.standardError, err);
        QVERIFY(!r.error);
    }

    void enoent()
    {
        const SyncResult r = spawnSync(QStringLiteral("spawnscope-no-such-program"), {"a"});
        QCOMPARE(r.pid, 0);
        QVERIFY(!r.hasOutput);
        QVERIFY(!r.status);
        QCOMPARE(r.error->codeName(), QStringLiteral("ENOENT"));
        QCOMPARE(r.error->syscall, QStringLiteral("spawnSync spawnscope-no-such-program"));
        QCOMPARE(*r.error->spawnargs, QStringList{"a"});
    }

    void timeout()
    {
        SyncOptions options;
        options.timeout = 100;
        const SyncResult r = spawnSync(kChild, {"sleep", "10000"}, options);
        QCOMPARE(r.error->codeName(), QStringLiteral("ETIMEDOUT"));
        QCOMPARE(*r.error->errnum, -110);
        QCOMPARE(r.signal, QStringLiteral("SIGTERM"));
        QVERIFY(!r.status);
    }

    void maxBufferKillsButKeepsWhatWasRead()
    {
        SyncOptions options;
        options.maxBuffer = 10;
        const SyncResult r = spawnSync(kChild, {"lines-then-sleep", "20", "5000"}, options);
        QCOMPARE(r.error->codeName(), QStringLiteral("ENOBUFS"));
        QCOMPARE(r.signal, QStringLiteral("SIGTERM"));
        QVERIFY(r.standardOutput.size() > 10); // not truncated, as in Node
        QVERIFY(r.standardOutput.startsWith("line 1\n"));
    }

    void input_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("none: EOF at once") << QByteArray();
        QTest::newRow("text") << QByteArray("hello\nworld\n");
        QTest::newRow("4 MiB") << QByteArray(4 * 1024 * 1024, 'z');
    }
    void input()
    {
        QFETCH(QByteArray, input);
        SyncOptions options;
        options.input = input;
        options.maxBuffer = 8 * 1024 * 1024;
        const SyncResult r = spawnSync(kChild, {"echo"}, options);
        QCOMPARE(r.status.value_or(-1), 0);
        QVERIFY(r.standardOutput == input);
    }

    void execSyncFailure()
    {
        SyncOptions options;
        options.stdio = StdioList{StdioMode::Pipe, StdioMode::Pipe, StdioMode::Pipe};
        const SyncResult r = execSync(kChild + QStringLiteral(" stderr oops 4"), options);
        QCOMPARE(r.status.value_or(-1), 4);
        QCOMPARE(r.error->message, QStringLiteral("Command failed: %1 stderr oops 4\noops").arg(kChild));
        QCOMPARE(r.error->status, QJsonValue(4));
        QVERIFY(r.error->signal.isNull());
    }

    void execSyncEchoesStderrByDefault()
    {
        QTemporaryFile capture;
        QVERIFY(capture.open());
        const int saved = ::dup(2);
        ::dup2(capture.handle(), 2);
        const SyncResult r = execSync(kChild + QStringLiteral(" stderr echoed"));
        ::dup2(saved, 2);
        ::close(saved);
        QCOMPARE(r.status.value_or(-1), 0);
        QVERIFY(!r.error);
        capture.seek(0);
        QCOMPARE(capture.readAll(), QByteArray("echoed"));
    }

    void execFileSyncMessageUsesArgv0()
    {
        SyncOptions options;
        options.argv0 = QStringLiteral("shown-name");
        options.stdio = StdioList{StdioMode::Pipe, StdioMode::Pipe, StdioMode::Pipe};
        const SyncResult r = execFileSync(kChild, {"exit", "2"}, options);
        QCOMPARE(r.error->message, QStringLiteral("Command failed: shown-name exit 2"));
    }

    void channelNotAllowed()
    {
        SyncOptions options;
        options.stdio = StdioList{StdioMode::Pipe, StdioMode::Pipe, StdioMode::Pipe, StdioMode::Ipc};
        const SyncResult r = spawnSync(kChild, {"exit", "0"}, options);
        QCOMPARE(r.error->codeName(), QStringLiteral("ERR_IPC_SYNC_FORK"));
        QCOMPARE(r.pid, 0);
    }

    void noEventLoopNeeded()
    {
        // A plain thread without QCoreApplication's loop running: the sync forms still work.
        QByteArray out;
        std::thread worker([&] { out = spawnSync(kChild, {"out", "from a thread"}).standardOutput; });
        worker.join();
        QCOMPARE(out, QByteArray("from a thread"));
    }
};

QTEST_GUILESS_MAIN(tst_SpawnSync)
#include "tst_spawnsync.moc"
