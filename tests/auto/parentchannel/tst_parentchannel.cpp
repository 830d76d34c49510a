#include "recorder.h"
#include "requirenode.h"

#include <parentchannel.h>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Spawnscope;

namespace {

// A Node parent forking the C++ test child, which uses ParentChannel.
const char kParentJs[] = R"JS(
const { fork } = require('child_process');
const helper = process.argv[2];
const big = 'x'.repeat(1024 * 1024);
const out = { echoed: [], events: [] };
const child = fork('ipc-echo', [], { execPath: helper, execArgv: [] });
child.on('spawn', () => out.events.push('spawn'));
child.on('message', (m) => {
  out.echoed.push(typeof m === 'object' && m && m.big ? { bigLength: m.big.length, same: m.big === big } : m);
  if (out.echoed.length === 4) child.send({ cmd: 'exit', code: 5 });
});
child.on('disconnect', () => out.events.push('disconnect'));
child.on('exit', (code, signal) => { out.code = code; out.signal = signal; });
child.on('close', () => {
  out.events.push('close');
  const second = fork('ipc-echo', [], { execPath: helper, execArgv: [] });
  second.on('spawn', () => second.disconnect());
  second.on('exit', (code) => { out.afterParentDisconnect = code; console.log(JSON.stringify(out)); });
});
child.send({ hello: 'from node', n: [1, 2, 3] });
child.send('a string with \u2028 and é中');
child.send(42);
child.send({ big });
)JS";

int makeChannel(int *parentEnd)
{
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return -1;
    *parentEnd = sv[0];
    ::setenv("NODE_CHANNEL_FD", QByteArray::number(sv[1]).constData(), 1);
    ::setenv("NODE_CHANNEL_SERIALIZATION_MODE", "json", 1);
    return sv[1];
}

// Reads what the channel writes while this thread's event loop runs (the channel lives on it):
// until `size` bytes arrived, or the end of the stream, or 5 s.
QByteArray readSome(int fd, int size)
{
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    QByteArray data;
    QElapsedTimer clock;
    clock.start();
    while (data.size() < size && clock.elapsed() < 5000) {
        char buffer[4096];
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0)
            break;
        if (n > 0)
            data.append(buffer, n);
        else
            QTest::qWait(5);
    }
    return data;
}

} // namespace

class tst_ParentChannel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void noChannel()
    {
        ::unsetenv("NODE_CHANNEL_FD");
        ParentChannel channel;
        QVERIFY(!channel.isConnected());
        QSignalSpy errors(&channel, &ParentChannel::errorOccurred);
        QVERIFY(!channel.send(1));
        QTRY_COMPARE(errors.count(), 1);
        QCOMPARE(errors.first().first().value<ProcessError>().codeName(), QStringLiteral("ERR_IPC_CHANNEL_CLOSED"));
    }

    void takesTheEnvironment()
    {
        int parent = -1;
        QVERIFY(makeChannel(&parent) >= 0);
        ParentChannel channel;
        QVERIFY(channel.isConnected());
        QVERIFY(!::getenv("NODE_CHANNEL_FD"));
        QVERIFY(!::getenv("NODE_CHANNEL_SERIALIZATION_MODE"));
        ::close(parent);
        QSignalSpy disconnected(&channel, &ParentChannel::disconnected);
        QTRY_COMPARE(disconnected.count(), 1);
        QVERIFY(!channel.isConnected());
    }

    void receives_data()
    {
        QTest::addColumn<QList<QByteArray>>("writes");
        QTest::addColumn<QList<QJsonValue>>("messages");
        QTest::newRow("one") << QList<QByteArray>{"{\"a\":1}\n"} << QList<QJsonValue>{QJsonObject{{"a", 1}}};
        QTest::newRow("several in one write") << QList<QByteArray>{"1\n\"two\"\n[3]\n"}
                                              << QList<QJsonValue>{1, "two", QJsonArray{3}};
        QTest::newRow("split across writes") << QList<QByteArray>{"{\"lo", "ng\":tr", "ue}\n"}
                                             << QList<QJsonValue>{QJsonObject{{"long", true}}};
        QTest::newRow("UTF-8 split") << QList<QByteArray>{"\"\xc3", "\xa9\"\n"} << QList<QJsonValue>{QString::fromUtf8("é")};
        QTest::newRow("internal hidden") << QList<QByteArray>{"{\"cmd\":\"NODE_x\"}\n5\n"} << QList<QJsonValue>{5};
    }
    void receives()
    {
        QFETCH(QList<QByteArray>, writes);
        QFETCH(QList<QJsonValue>, messages);
        int parent = -1;
        QVERIFY(makeChannel(&parent) >= 0);
        ParentChannel channel;
        QList<QJsonValue> got;
        connect(&channel, &ParentChannel::message, this, [&](const QJsonValue &m) { got << m; });
        for (const QByteArray &w : writes) {
            QCOMPARE(::write(parent, w.constData(), size_t(w.size())), ssize_t(w.size()));
            QTest::qWait(5);
        }
        QTRY_COMPARE(got, messages);
        ::close(parent);
    }

    void sendsNodeFraming()
    {
        int parent = -1;
        QVERIFY(makeChannel(&parent) >= 0);
        ParentChannel channel;
        QVERIFY(channel.send(QJsonObject{{"a", 1}}));
        QVERIFY(channel.send(QStringLiteral("x\ny")));
        QVERIFY(channel.flush(5000));
        const QByteArray expected = "{\"a\":1}\n\"x\\ny\"\n";
        QCOMPARE(readSome(parent, int(expected.size())), expected);
        ::close(parent);
    }

    void answersHandlesWithNack()
    {
        int parent = -1;
        QVERIFY(makeChannel(&parent) >= 0);
        ParentChannel channel;
        QSignalSpy messages(&channel, &ParentChannel::message);
        const QByteArray handle = "{\"cmd\":\"NODE_HANDLE\",\"type\":\"net.Socket\",\"msg\":1}\n";
        QVERIFY(::write(parent, handle.constData(), size_t(handle.size())) > 0);
        const QByteArray nack = "{\"cmd\":\"NODE_HANDLE_NACK\"}\n";
        QCOMPARE(readSome(parent, int(nack.size())), nack);
        QCOMPARE(messages.count(), 0);
        ::close(parent);
    }

    void invalidJsonClosesTheChannel()
    {
        int parent = -1;
        QVERIFY(makeChannel(&parent) >= 0);
        ParentChannel channel;
        QSignalSpy messages(&channel, &ParentChannel::message);
        QSignalSpy errors(&channel, &ParentChannel::errorOccurred);
        QSignalSpy disconnected(&channel, &ParentChannel::disconnected);
        const QByteArray data = "7\nnot json\n8\n";
        QVERIFY(::write(parent, data.constData(), size_t(data.size())) > 0);
        QTRY_COMPARE(disconnected.count(), 1);
        QCOMPARE(messages.count(), 1);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.first().first().value<ProcessError>().codeName(), QStringLiteral("ERR_IPC_INVALID_JSON"));
        char c;
        QCOMPARE(::read(parent, &c, 1), ssize_t(0)); // our end is closed
        ::close(parent);
    }

    void disconnectFromChild()
    {
        int parent = -1;
        QVERIFY(makeChannel(&parent) >= 0);
        ParentChannel channel;
        QSignalSpy disconnected(&channel, &ParentChannel::disconnected);
        QSignalSpy errors(&channel, &ParentChannel::errorOccurred);
        channel.send(QStringLiteral("before"));
        channel.disconnectChannel();
        QVERIFY(!channel.isConnected());
        channel.disconnectChannel();
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.first().first().value<ProcessError>().codeName(), QStringLiteral("ERR_IPC_DISCONNECTED"));
        QTRY_COMPARE(disconnected.count(), 1);
        QCOMPARE(readSome(parent, 100), QByteArray("\"before\"\n")); // flushed, then EOF
        ::close(parent);
    }

    void forkedByNode()
    {
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        REQUIRE_NODE(!node.isEmpty(), "node");
        QTemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("parent.js"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kParentJs);
        file.close();
        QProcess p;
        p.start(node, {script, QStringLiteral(TESTCHILD)});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QJsonObject out = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(out.value("echoed").toArray(),
                 (QJsonArray{QJsonObject{{"hello", "from node"}, {"n", QJsonArray{1, 2, 3}}},
                             QString::fromUtf8("a string with \u2028 and é中"), 42,
                             QJsonObject{{"bigLength", 1024 * 1024}, {"same", true}}}));
        QCOMPARE(out.value("code").toInt(), 5);
        QCOMPARE(out.value("events").toArray().first().toString(), QStringLiteral("spawn"));
        QCOMPARE(out.value("events").toArray().last().toString(), QStringLiteral("close"));
        QCOMPARE(out.value("afterParentDisconnect").toInt(), 0); // the C++ child saw the disconnect
    }
};

QTEST_GUILESS_MAIN(tst_ParentChannel)
#include "tst_parentchannel.moc"
