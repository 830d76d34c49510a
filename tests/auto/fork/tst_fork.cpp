#include "recorder.h"
#include "requirenode.h"

#include <spawnfunctions.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Spawnscope;

namespace {

const QString kChild = QStringLiteral(TESTCHILD);

// A Node child that echoes every message, reports its channel, and obeys a few commands.
const char kEchoJs[] = R"JS(
const fd = process.channel ? process.channel.fd : null;
process.send({ ready: true, fd, env: process.env.NODE_CHANNEL_FD === undefined, argv: process.argv.slice(2) });
process.on('message', (m) => {
  if (m && m.cmd === 'exit') { process.send({ bye: true }, () => process.exit(m.code)); return; }
  if (m && m.cmd === 'disconnect') { process.disconnect(); return; }
  if (m && m.cmd === 'burst') { for (let i = 0; i < m.n; i++) process.send(i); return; }
  process.send(m);
});
process.on('disconnect', () => { process.exitCode = 3; });
process.on('error', () => {}); // a reply racing the parent's disconnect may find the channel gone
)JS";

} // namespace

class tst_Fork : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_script;
    bool m_hasNode = false;

    ChildProcess *forkNode(ForkOptions options = {})
    {
        ChildProcess *child = Spawnscope::fork(m_script, {"a1", "a2"}, options);
        child->setAutoDelete(false);
        return child;
    }
    ChildProcess *forkCpp(const QStringList &args, ForkOptions options = {})
    {
        ChildProcess *child = Spawnscope::fork(kChild, args, options);
        child->setAutoDelete(false);
        return child;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_hasNode = !QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty();
        m_script = m_dir.filePath(QStringLiteral("echo.js"));
        QFile file(m_script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kEchoJs);
    }
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void nodeChildTalksBack()
    {
        REQUIRE_NODE(m_hasNode, "node");
        ChildProcess *child = forkNode();
        Recorder r(child);
        QVERIFY(child->connected());
        QVERIFY(child->send(QJsonObject{{"hello", "from C++"}}));
        QVERIFY(child->send(QStringLiteral("line\nbreak \u2028 é中")));
        QVERIFY(child->send(QJsonArray{1, 2.5, true, QJsonValue::Null}));
        QVERIFY(child->send(QJsonObject{{"cmd", "exit"}, {"code", 7}}));
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 10000);
        QCOMPARE(r.messages.size(), 5);
        const QJsonObject ready = r.messages[0].toObject();
        QCOMPARE(ready.value("fd").toInt(), 3);
        QVERIFY(ready.value("env").toBool()); // Node deletes NODE_CHANNEL_FD from its env
        QCOMPARE(ready.value("argv").toArray(), (QJsonArray{"a1", "a2"}));
        QCOMPARE(r.messages[1], QJsonValue(QJsonObject{{"hello", "from C++"}}));
        QCOMPARE(r.messages[2], QJsonValue(QStringLiteral("line\nbreak \u2028 é中")));
        QCOMPARE(r.messages[3], QJsonValue(QJsonArray{1, 2.5, true, QJsonValue::Null}));
        QCOMPARE(r.messages[4], QJsonValue(QJsonObject{{"bye", true}}));
        QCOMPARE(r.exitCode, 7);
        QCOMPARE(r.events.first(), QStringLiteral("spawn"));
        QCOMPARE(r.events.last(), QStringLiteral("close"));
        QCOMPARE(r.events.count("disconnect"), 1);
        QVERIFY(!child->connected());
        delete child;
    }

    void parentDisconnects()
    {
        REQUIRE_NODE(m_hasNode, "node");
        ChildProcess *child = forkNode();
        Recorder r(child);
        QTRY_COMPARE(r.messages.size(), 1);
        child->send(QStringLiteral("last words"));
        child->disconnectChannel();
        QVERIFY(!child->connected());
        QVERIFY(!child->send(QStringLiteral("too late")));
        child->disconnectChannel();
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 10000); // unlike Node 20, close does come
        QCOMPARE(r.exitCode, 3); // the child saw 'disconnect'
        QStringList codes;
        for (const ProcessError &e : r.errors)
            codes << e.codeName();
        QCOMPARE(codes, (QStringList{"ERR_IPC_DISCONNECTED", "ERR_IPC_CHANNEL_CLOSED"}));
        QCOMPARE(r.events.count("disconnect"), 1);
        delete child;
    }

    void parentDisconnectsWhileChildEchoes()
    {
        // Far more than both socket buffers hold: the child can only take the rest once the
        // parent has read its echoes.
        ChildProcess *child = forkCpp({"ipc-echo-blocking"});
        Recorder r(child);
        const QJsonValue message(QString(64 * 1024, QLatin1Char('m')));
        for (int i = 0; i < 128; ++i)
            child->send(message);
        child->disconnectChannel();
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 60000);
        QCOMPARE(r.events.count("disconnect"), 1);
        QCOMPARE(r.exitCode, 0);
        delete child;
    }

    void childDisconnects()
    {
        REQUIRE_NODE(m_hasNode, "node");
        ChildProcess *child = forkNode();
        Recorder r(child);
        child->send(QJsonObject{{"cmd", "disconnect"}});
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 10000);
        QCOMPARE(r.events.count("disconnect"), 1);
        QCOMPARE(r.exitCode, 3);
        delete child;
    }

    void largeMessages_data()
    {
        QTest::addColumn<bool>("node");
        QTest::newRow("node child") << true;
        QTest::newRow("C++ child") << false;
    }
    void largeMessages()
    {
        QFETCH(bool, node);
        if (node)
            REQUIRE_NODE(m_hasNode, "node");
        ChildProcess *child = node ? forkNode() : forkCpp({"ipc-echo"});
        Recorder r(child);
        QString big;
        big.reserve(16 * 1024 * 1024);
        for (int i = 0; big.size() < 16 * 1024 * 1024; ++i)
            big += QStringLiteral("chunk %1 \n\u00e9 ").arg(i);
        const QJsonValue message(QJsonObject{{"big", big}});
        QVERIFY(!child->send(message)); // over 128 KiB queued: false, but delivered all the same
        const int expected = node ? 2 : 1;
        QTRY_COMPARE_WITH_TIMEOUT(r.messages.size(), expected, 60000);
        QVERIFY(r.messages.last() == message);
        child->send(QJsonObject{{"cmd", "exit"}, {"code", 0}});
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 10000);
        delete child;
    }

    void burstInOrder_data()
    {
        QTest::addColumn<bool>("node");
        QTest::newRow("node child") << true;
        QTest::newRow("C++ child") << false;
    }
    void burstInOrder()
    {
        // 100,000 small messages each way, all arriving whole and in order.
        QFETCH(bool, node);
        if (node)
            REQUIRE_NODE(m_hasNode, "node");
        ChildProcess *child = node ? forkNode() : forkCpp({"ipc-echo"});
        Recorder r(child);
        const int n = 100000;
        for (int i = 0; i < n; ++i)
            child->send(QJsonObject{{"i", i}});
        const int offset = node ? 1 : 0;
        QTRY_COMPARE_WITH_TIMEOUT(r.messages.size(), n + offset, 60000);
        for (int i = 0; i < n; ++i)
            QCOMPARE(r.messages[i + offset].toObject().value("i").toInt(), i);
        child->send(QJsonObject{{"cmd", "exit"}, {"code", 0}});
        QTRY_VERIFY_WITH_TIMEOUT(r.closed, 10000);
        delete child;
    }

    void internalMessagesAreNotDelivered()
    {
        ChildProcess *child = forkCpp({"ipc-send", "{\"cmd\":\"NODE_x\"}", "{\"cmd\":\"NODE_\"}", "{\"cmd\":\"fooNODE_\"}",
                                       "\"NODE_x\"", "{\"cmd\":\"NODE_HANDLE\",\"type\":\"net.Socket\",\"msg\":1}"});
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.messages, (QList<QJsonValue>{QJsonObject{{"cmd", "NODE_"}}, QJsonObject{{"cmd", "fooNODE_"}},
                                                QJsonValue("NODE_x")}));
        QVERIFY(r.errors.isEmpty());
        delete child;
    }

    void badChannelInput_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("before");
        QTest::newRow("invalid JSON") << QByteArray("{\"ok\":1}\n{nope\n{\"late\":1}\n") << "ERR_IPC_INVALID_JSON" << 1;
        QTest::newRow("blank line") << QByteArray("1\n\n2\n") << "ERR_IPC_INVALID_JSON" << 1;
        QTest::newRow("line too long") << QByteArray(2000, 'x') << "ERR_IPC_MESSAGE_TOO_LARGE" << 0;
        QTest::newRow("message too large") << QByteArray("\"" + QByteArray(1500, 'y') + "\"\n") << "ERR_IPC_MESSAGE_TOO_LARGE" << 0;
    }
    void badChannelInput()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, code);
        QFETCH(int, before);
        ForkOptions options;
        options.maxMessageBytes = 1024;
        ChildProcess *child = forkCpp({"ipc-raw", QString::fromLatin1(raw)}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.messages.size(), before);
        QCOMPARE(r.errors.size(), 1);
        QCOMPARE(r.errors.first().codeName(), code);
        QVERIFY(!r.errors.first().message.isEmpty());
        QCOMPARE(r.events.count("disconnect"), 1);
        QCOMPARE(r.exitCode, 0);
        delete child;
    }

    void channelFdFollowsStdio()
    {
        // 'ipc' at index 5, and a stale NODE_CHANNEL_FD in env that must not win.
        ForkOptions options;
        options.stdio = StdioList{StdioMode::Pipe, StdioMode::Pipe, StdioMode::Pipe, StdioMode::Ignore,
                                  StdioMode::Ignore, StdioMode::Ipc};
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NODE_CHANNEL_FD"), QStringLiteral("99"));
        options.env = env;
        if (m_hasNode || nodeRequired()) {
            ChildProcess *child = forkNode(options);
            Recorder r(child);
            QTRY_COMPARE_WITH_TIMEOUT(r.messages.size(), 1, 10000);
            QCOMPARE(r.messages[0].toObject().value("fd").toInt(), 5);
            child->send(QJsonObject{{"cmd", "exit"}, {"code", 0}});
            QTRY_VERIFY(r.closed);
            delete child;
        }
        ChildProcess *cpp = forkCpp({"ipc-hello"}, options);
        Recorder rc(cpp);
        QTRY_COMPARE(rc.messages.size(), 1);
        QCOMPARE(rc.messages[0].toObject().value("hello").toString(), QStringLiteral("from C++"));
        cpp->disconnectChannel();
        QTRY_VERIFY(rc.closed);
        delete cpp;
    }

    void forkWithoutChannelIsAnError()
    {
        ForkOptions options;
        options.stdio = StdioList{StdioMode::Pipe, StdioMode::Pipe, StdioMode::Pipe};
        ChildProcess *child = forkCpp({"ipc-echo"}, options);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.errors.first().codeName(), QStringLiteral("ERR_CHILD_PROCESS_IPC_REQUIRED"));
        delete child;
    }

    void missingInterpreter()
    {
        ForkOptions options;
        options.execPath = QStringLiteral("/nonexistent/node");
        ChildProcess *child = Spawnscope::fork(m_script, {}, options);
        child->setAutoDelete(false);
        Recorder r(child);
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.events, (QStringList{"error", "disconnect", "close"})); // as Node
        QCOMPARE(r.errors.first().codeName(), QStringLiteral("ENOENT"));
        delete child;
    }

    void sendWithoutChannel()
    {
        ChildProcess *child = spawn(kChild, {"sleep", "100"});
        child->setAutoDelete(false);
        Recorder r(child);
        QVERIFY(!child->connected());
        QVERIFY(!child->send(1));
        QTRY_VERIFY(r.closed);
        QCOMPARE(r.errors.first().codeName(), QStringLiteral("ERR_IPC_CHANNEL_CLOSED"));
        delete child;
    }
};

QTEST_GUILESS_MAIN(tst_Fork)
#include "tst_fork.moc"
