// The lesson's web server, asked over raw sockets as a child would, good requests and bad.
#include <lessonserver.h>

#include <QFile>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Spawnscope;

namespace {

struct Answer
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

// Sends `request` as is and reads until the server closes; the server answers from this
// thread's event loop, so the client waits by spinning it.
Answer ask(const QString &url, const QByteArray &request)
{
    QTcpSocket socket;
    QByteArray all;
    bool closed = false;
    QObject::connect(&socket, &QTcpSocket::connected, [&] { socket.write(request); });
    QObject::connect(&socket, &QTcpSocket::readyRead, [&] { all += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, [&] { closed = true; });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, [&](QAbstractSocket::SocketError e) {
        if (e != QAbstractSocket::RemoteHostClosedError)
            closed = true;
    });
    socket.connectToHost(QStringLiteral("127.0.0.1"), quint16(QUrl(url).port()));
    if (!QTest::qWaitFor([&] { return closed; }, 30000))
        return {};
    all += socket.readAll();
    Answer a;
    const qsizetype end = all.indexOf("\r\n\r\n");
    a.head = all.left(end);
    a.body = end < 0 ? QByteArray() : all.mid(end + 4);
    a.status = a.head.split(' ').value(1).toInt();
    return a;
}

} // namespace

class tst_LessonServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void answers_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        const QByteArray end = " HTTP/1.1\r\nHost: x\r\n\r\n";
        QTest::newRow("a file") << "GET /a.txt" + end << 200 << QByteArray("alpha\n");
        QTest::newRow("percent-encoded") << "GET /b%20c.txt" + end << 200 << QByteArray("bravo\n");
        QTest::newRow("a query is ignored") << "GET /a.txt?x=1" + end << 200 << QByteArray("alpha\n");
        QTest::newRow("head: no body") << "HEAD /a.txt" + end << 200 << QByteArray();
        QTest::newRow("missing") << "GET /zzz" + end << 404 << QByteArray("no file /zzz here\n");
        QTest::newRow("the way up") << "GET /../secret" + end << 404 << QByteArray("no file /../secret here\n");
        QTest::newRow("encoded way up") << "GET /%2e%2e%2fsecret" + end << 404 << QByteArray("no file /%2e%2e%2fsecret here\n");
        QTest::newRow("a hidden file") << "GET /.hidden" + end << 404 << QByteArray("no file /.hidden here\n");
        QTest::newRow("a folder") << "GET /sub" + end << 404 << QByteArray("no file /sub here\n");
        QTest::newRow("the folder itself") << "GET /" + end << 404 << QByteArray("no file / here\n");
        QTest::newRow("post") << "POST /a.txt" + end << 405 << QByteArray("GET or HEAD\n");
        QTest::newRow("not http") << QByteArray("HELLO\r\n\r\n") << 400 << QByteArray("bad request\n");
        QTest::newRow("a head too large") << "GET /a.txt HTTP/1.1\r\nX: " + QByteArray(20000, 'x') + "\r\n\r\n" << 431 << QByteArray("request head too large\n");
    }
    void answers()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QTemporaryDir outer;
        QVERIFY(QDir(outer.path()).mkpath(QStringLiteral("served/sub")));
        const QString folder = outer.filePath(QStringLiteral("served"));
        for (const auto &[name, text] : {std::pair{"served/a.txt", "alpha\n"}, std::pair{"served/b c.txt", "bravo\n"},
                                         std::pair{"served/.hidden", "h\n"}, std::pair{"secret", "s\n"}}) {
            QFile f(outer.filePath(QString::fromUtf8(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        }
        LessonServer server;
        QSignalSpy served(&server, &LessonServer::served);
        QString error;
        QVERIFY2(server.start(folder, &error), qPrintable(error));
        QVERIFY(server.url().startsWith(QStringLiteral("http://127.0.0.1:")));
        const Answer a = ask(server.url(), request);
        QCOMPARE(a.status, status);
        QCOMPARE(a.body, body);
        QVERIFY(a.head.contains("Connection: close"));
        QCOMPARE(served.count(), 1);
        QCOMPARE(served.first().at(1).toInt(), status);
    }

    void aBigFileArrivesWhole()
    {
        QTemporaryDir dir;
        QByteArray data;
        for (int i = 0; data.size() < 8 * 1024 * 1024; ++i)
            data += "line " + QByteArray::number(i) + "\n";
        QFile f(dir.filePath(QStringLiteral("big.txt")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
        f.close();
        LessonServer server;
        QString error;
        QVERIFY(server.start(dir.path(), &error));
        const Answer a = ask(server.url(), "GET /big.txt HTTP/1.1\r\n\r\n");
        QCOMPARE(a.status, 200);
        QVERIFY(a.head.contains("Content-Length: " + QByteArray::number(data.size())));
        QCOMPARE(a.body.size(), data.size());
        QVERIFY(a.body == data);
    }

    void stopsListening()
    {
        QTemporaryDir dir;
        LessonServer server;
        QString error;
        QVERIFY(!server.start(dir.filePath(QStringLiteral("absent")), &error));
        QVERIFY(error.contains(QStringLiteral("not a folder")));
        QVERIFY(server.start(dir.path(), &error));
        const QString url = server.url();
        server.stop();
        QVERIFY(!server.isListening());
        QVERIFY(server.url().isEmpty());
        QCOMPARE(ask(url, "GET / HTTP/1.1\r\n\r\n").status, 0); // refused
    }
};

QTEST_GUILESS_MAIN(tst_LessonServer)
#include "tst_lessonserver.moc"
