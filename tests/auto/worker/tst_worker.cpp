// spawnscope-worker, driven as WorkerPool drives it (forked, jobs as messages) and by hand.
#include "recorder.h"
#include "temporarydir.h"

#include <osstring.h>
#include <spawnfunctions.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QScopeGuard>
#include <QTest>
#include <QTimer>

#include <memory>

#include <zlib.h>

#include <sys/stat.h>
#include <unistd.h>

using namespace Spawnscope;

namespace {

const QString worker = QStringLiteral(SPAWNSCOPE_WORKER);

QByteArray gunzip(const QByteArray &data)
{
    z_stream z{};
    inflateInit2(&z, 16 + 15);
    QByteArray out;
    QByteArray buffer(65536, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef *>(buffer.data());
        z.avail_out = uInt(buffer.size());
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buffer.constData(), buffer.size() - z.avail_out);
    }
    inflateEnd(&z);
    return rc == Z_STREAM_END ? out : QByteArray("(corrupt)");
}

// A tiny HTTP/1.1 server on 127.0.0.1: /file answers 200 with `body`, ....txt with its own
// path, /trickle with a byte every 50 ms for ever, /moved redirects to /file, /missing answers 404, /silent accepts and never answers.
class HttpServer : public QObject
{
public:
    explicit HttpServer(const QByteArray &body) : m_body(body)
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_request += socket->readAll();
                    if (!m_request.contains("\r\n\r\n"))
                        return;
                    const QByteArray path = m_request.split(' ').value(1);
                    m_request.clear();
                    if (path == "/silent")
                        return;
                    if (path == "/trickle") {
                        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
                        auto *drip = new QTimer(socket);
                        connect(drip, &QTimer::timeout, socket, [socket] { socket->write("x"); });
                        drip->start(50);
                        return;
                    }
                    if (path == "/endless-header" || path == "/endless-line" || path == "/endless-1xx") {
                        // Header without end, 64 KiB at a time while the client still reads.
                        QByteArray more;
                        if (path == "/endless-header") {
                            socket->write("HTTP/1.1 200 OK\r\n");
                            more = QByteArray("X-Filler: ").append(QByteArray(1000, 'a')).append("\r\n").repeated(64);
                        } else if (path == "/endless-line") {
                            socket->write("HTTP/1.1 200 OK\r\n");
                            more = QByteArray(64 * 1024, 'b');
                        } else {
                            more = QByteArray("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n").repeated(1024);
                        }
                        auto *pour = new QTimer(socket);
                        connect(pour, &QTimer::timeout, socket, [socket, more] {
                            if (socket->bytesToWrite() < 1024 * 1024)
                                socket->write(more);
                        });
                        pour->start(1);
                        return;
                    }
                    QByteArray response;
                    if (path == "/nowhere")
                        response = "HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\n\r\n";
                    else if (path == "/loop")
                        response = "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n";
                    else if (path == "/notfound-page")
                        response = "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot here\n";
                    else if (path.endsWith(".txt"))
                        response = "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(path.size()) + "\r\n\r\n" + path;
                    else if (path == "/file")
                        response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(m_body.size()) + "\r\n\r\n" + m_body;
                    else if (path == "/moved")
                        response = "HTTP/1.1 302 Found\r\nLocation: /file\r\nContent-Length: 0\r\n\r\n";
                    else
                        response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
                    socket->write(response);
                });
            }
        });
    }
    QString url(const char *path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(QLatin1String(path));
    }

private:
    QTcpServer m_server;
    QByteArray m_body;
    QByteArray m_request;
};

// One forked worker; jobs are sent one at a time and answered in order.
class Worker
{
public:
    explicit Worker(const QString &cwd)
    {
        ForkOptions o;
        o.cwd = cwd;
        o.stdio = StdioList{StdioMode::Ignore, StdioMode::Pipe, StdioMode::Pipe, StdioMode::Ipc};
        child = fork(worker, {}, o);
        child->setAutoDelete(false);
        recorder = std::make_unique<Recorder>(child);
    }
    ~Worker()
    {
        child->disconnectChannel();
        if (!QTest::qWaitFor([this] { return recorder->closed; }, 5000)) {
            child->kill(SIGKILL);
            (void)QTest::qWaitFor([this] { return recorder->closed; }, 5000);
        }
        delete child;
    }
    QJsonObject run(const QJsonObject &job, int timeoutMs = 15000)
    {
        const int before = int(recorder->messages.size());
        child->send(job);
        if (!QTest::qWaitFor([&] { return recorder->messages.size() > before; }, timeoutMs))
            return {{QStringLiteral("error"), QStringLiteral("(no answer) ") + QString::fromLocal8Bit(recorder->err)}};
        return recorder->messages.value(before).toObject();
    }
    ChildProcess *child = nullptr;
    std::unique_ptr<Recorder> recorder;
};

// The most memory the process has held (VmHWM), in kB; -1 when not known.
qint64 peakMemoryKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

QJsonObject job(int id, const char *op, const QString &input)
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("op"), QLatin1String(op)}, {QStringLiteral("input"), input}};
}

} // namespace

class tst_Worker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QFile f(path("text.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        // Non-ASCII text and a chunk border that falls inside a character.
        m_text = QByteArray(256 * 1024 - 1, 'a') + "é and ß\nsecond  line\twith words\n\nlast";
        f.write(m_text);
    }
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void fileOps()
    {
        Worker w(m_dir.path());
        const QJsonObject hash = w.run(job(1, "hash", path("text.txt")));
        QCOMPARE(hash.value(QStringLiteral("id")).toInt(), 1);
        QVERIFY(hash.value(QStringLiteral("ok")).toBool());
        QCOMPARE(hash.value(QStringLiteral("result"))[QStringLiteral("sha256")].toString(),
                 QString::fromLatin1(QCryptographicHash::hash(m_text, QCryptographicHash::Sha256).toHex()));
        QCOMPARE(hash.value(QStringLiteral("result"))[QStringLiteral("bytes")].toInteger(), m_text.size());

        const QJsonObject count = w.run(job(2, "count", path("text.txt")));
        QCOMPARE(count.value(QStringLiteral("result"))[QStringLiteral("lines")].toInt(), 3);
        QCOMPARE(count.value(QStringLiteral("result"))[QStringLiteral("words")].toInt(), 8);
        QCOMPARE(count.value(QStringLiteral("result"))[QStringLiteral("bytes")].toInteger(), m_text.size());

        const QJsonObject gz = w.run(job(3, "gzip", path("text.txt")));
        QVERIFY(gz.value(QStringLiteral("ok")).toBool());
        QCOMPARE(gz.value(QStringLiteral("result"))[QStringLiteral("output")].toString(), path("text.txt.gz"));
        QFile packed(path("text.txt.gz"));
        QVERIFY(packed.open(QIODevice::ReadOnly));
        const QByteArray compressed = packed.readAll();
        QCOMPARE(compressed.left(2), QByteArray("\x1f\x8b")); // a gzip file, not zlib's
        QCOMPARE(gunzip(compressed), m_text);
        QCOMPARE(gz.value(QStringLiteral("result"))[QStringLiteral("compressed")].toInteger(), compressed.size());

        const QJsonObject upper = w.run(job(4, "upper", path("text.txt")));
        QVERIFY(upper.value(QStringLiteral("ok")).toBool());
        QFile up(path("text.txt.upper"));
        QVERIFY(up.open(QIODevice::ReadOnly));
        QCOMPARE(up.readAll(), QString::fromUtf8(m_text).toUpper().toUtf8());
    }

    void fileErrors_data()
    {
        QTest::addColumn<QString>("op");
        for (const char *op : {"hash", "count", "gzip", "upper"})
            QTest::newRow(op) << QString::fromLatin1(op);
    }
    void fileErrors()
    {
        QFETCH(QString, op);
        Worker w(m_dir.path());
        const QJsonObject answer = w.run(QJsonObject{{QStringLiteral("id"), 9}, {QStringLiteral("op"), op},
                                                     {QStringLiteral("input"), path("missing.txt")}});
        QCOMPARE(answer.value(QStringLiteral("id")).toInt(), 9);
        QCOMPARE(answer.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(answer.value(QStringLiteral("error")).toString(),
                 QStringLiteral("%1: cannot read %2: No such file or directory").arg(op, path("missing.txt")));
        QVERIFY(!QFile::exists(path("missing.txt.gz")) && !QFile::exists(path("missing.txt.upper")));
    }

    void namedPipeIsRefused_data()
    {
        QTest::addColumn<QString>("op");
        for (const char *op : {"hash", "count", "gzip", "upper"})
            QTest::newRow(op) << QString::fromLatin1(op);
    }
    void namedPipeIsRefused()
    {
        // Nobody ever writes to it: opening it for reading must not wait for a writer.
        QFETCH(QString, op);
        const QString fifo = path("fifo");
        QFile::remove(fifo);
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        Worker w(m_dir.path());
        const QJsonObject answer = w.run(QJsonObject{{QStringLiteral("id"), 5}, {QStringLiteral("op"), op},
                                                     {QStringLiteral("input"), fifo}});
        QCOMPARE(answer.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(answer.value(QStringLiteral("error")).toString(),
                 QStringLiteral("%1: cannot read %2: not a regular file (a named pipe)").arg(op, fifo));
        QVERIFY(!QFile::exists(fifo + QStringLiteral(".gz")) && !QFile::exists(fifo + QStringLiteral(".upper")));
    }

    void fileThatSaysItIsEmptyIsReadToTheEnd()
    {
        // /proc files report a size of 0 whatever they hold.
        QFile reference(QStringLiteral("/proc/version"));
        QVERIFY(reference.open(QIODevice::ReadOnly));
        const QByteArray text = reference.readAll();
        QVERIFY(!text.isEmpty());
        Worker w(m_dir.path());
        const QJsonObject hash = w.run(job(1, "hash", reference.fileName()));
        QVERIFY(hash.value(QStringLiteral("ok")).toBool());
        QCOMPARE(hash.value(QStringLiteral("result"))[QStringLiteral("sha256")].toString(),
                 QString::fromLatin1(QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex()));
        const QJsonObject count = w.run(job(2, "count", reference.fileName()));
        QCOMPARE(count.value(QStringLiteral("result"))[QStringLiteral("bytes")].toInteger(), text.size());
        QCOMPARE(count.value(QStringLiteral("result"))[QStringLiteral("lines")].toInteger(), text.count('\n'));
    }

    void fetch()
    {
        const QByteArray body = QByteArray("served over HTTP\n").repeated(5000);
        HttpServer server(body);
        Worker w(m_dir.path());
        const QJsonObject answer = w.run(job(1, "fetch", server.url("/file")));
        QVERIFY2(answer.value(QStringLiteral("ok")).toBool(), qPrintable(answer.value(QStringLiteral("error")).toString()));
        const QJsonValue result = answer.value(QStringLiteral("result"));
        QCOMPARE(result[QStringLiteral("status")].toInt(), 200);
        QCOMPARE(result[QStringLiteral("bytes")].toInteger(), body.size());
        QCOMPARE(result[QStringLiteral("output")].toString(), QStringLiteral("file"));
        QFile saved(path("file"));
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readAll(), body);

        QJsonObject moved = job(2, "fetch", server.url("/moved"));
        moved.insert(QStringLiteral("output"), QStringLiteral("followed.txt"));
        const QJsonObject redirected = w.run(moved);
        QVERIFY(redirected.value(QStringLiteral("ok")).toBool());
        QFile followed(path("followed.txt"));
        QVERIFY(followed.open(QIODevice::ReadOnly));
        QCOMPARE(followed.readAll(), body);
    }

    // The output is named after the URL's bytes, as wget names it: %E9 is the byte E9, which
    // need not be UTF-8; the answer's JSON carries it as "\udce9" (OsString's lone surrogate).
    void fetchNamesTheFileAfterTheUrlsBytes_data()
    {
        QTest::addColumn<QString>("urlPath");
        QTest::addColumn<QByteArray>("name");
        QTest::newRow("latin-1 byte") << "/d/caf%E9.txt" << QByteArray("caf\xe9.txt");
        QTest::newRow("lower-case escape and a space") << "/caf%e9%20x.txt" << QByteArray("caf\xe9 x.txt");
        QTest::newRow("UTF-8") << "/caf%C3%A9.txt" << QByteArray("caf\xc3\xa9.txt");
        QTest::newRow("an escaped slash stays") << "/a%2Fb.txt" << QByteArray("a%2Fb.txt");
    }
    void fetchNamesTheFileAfterTheUrlsBytes()
    {
        QFETCH(QString, urlPath);
        QFETCH(QByteArray, name);
        HttpServer server("");
        TemporaryDir dir;
        Worker w(dir.path());
        const QJsonObject answer = w.run(job(1, "fetch", server.url(urlPath.toLatin1().constData())));
        QVERIFY2(answer.value(QStringLiteral("ok")).toBool(), qPrintable(answer.value(QStringLiteral("error")).toString()));
        QCOMPARE(OsString::encode(answer.value(QStringLiteral("result"))[QStringLiteral("output")].toString()), name);
        FILE *f = std::fopen((dir.path().toUtf8() + '/' + name).constData(), "rb");
        QVERIFY(f);
        char body[64] = {};
        const size_t n = std::fread(body, 1, sizeof body, f);
        std::fclose(f);
        QCOMPARE(QByteArray(body, int(n)).toLower(), urlPath.toLatin1().toLower());
    }

    // An input named by bytes that are not UTF-8 crosses the channel whole and is opened by
    // them; the outputs are named after them; an error shows the byte as \xE9.
    void fileOpsOnANonUtf8Name()
    {
        const QByteArray name("caf\xe9.txt");
        FILE *f = std::fopen((m_dir.path().toUtf8() + '/' + name).constData(), "wb");
        QVERIFY(f);
        std::fputs("latin-1 content\n", f);
        std::fclose(f);
        Worker w(m_dir.path());
        const QString input = OsString::decode(name);
        QJsonObject answer = w.run(job(1, "count", input));
        QVERIFY2(answer.value(QStringLiteral("ok")).toBool(), qPrintable(answer.value(QStringLiteral("error")).toString()));
        QCOMPARE(answer.value(QStringLiteral("result"))[QStringLiteral("bytes")].toInt(), 16);
        answer = w.run(job(2, "gzip", input));
        QVERIFY2(answer.value(QStringLiteral("ok")).toBool(), qPrintable(answer.value(QStringLiteral("error")).toString()));
        QCOMPARE(OsString::encode(answer.value(QStringLiteral("result"))[QStringLiteral("output")].toString()), name + ".gz");
        QVERIFY(::access((m_dir.path().toUtf8() + '/' + name + ".gz").constData(), F_OK) == 0);
        answer = w.run(job(3, "hash", OsString::decode("no\xe9")));
        QCOMPARE(answer.value(QStringLiteral("error")).toString(), QStringLiteral("hash: cannot read no\\xE9: No such file or directory"));
    }

    // Two URLs with the same file name once both answered "ok" and left one file.
    void fetchesOfOneNameKeepEachFile()
    {
        HttpServer server("");
        QDir(m_dir.path()).mkdir(QStringLiteral("same"));
        const QString dir = path("same");
        QFile taken(dir + QStringLiteral("/f-2.txt"));
        QVERIFY(taken.open(QIODevice::WriteOnly));
        taken.write("a file of the user's");
        taken.close();
        Worker w(dir);
        QStringList outputs;
        for (const char *url : {"/a/f.txt", "/b/f.txt", "/c/f.txt"}) {
            const QJsonObject answer = w.run(job(1, "fetch", server.url(url)));
            QVERIFY2(answer.value(QStringLiteral("ok")).toBool(), qPrintable(answer.value(QStringLiteral("error")).toString()));
            outputs << answer.value(QStringLiteral("result"))[QStringLiteral("output")].toString();
        }
        QCOMPARE(outputs, (QStringList{QStringLiteral("f.txt"), QStringLiteral("f-3.txt"), QStringLiteral("f-4.txt")}));
        const QList<QByteArray> bodies{"/a/f.txt", "/b/f.txt", "/c/f.txt"};
        for (int i = 0; i < outputs.size(); ++i) {
            QFile f(dir + QLatin1Char('/') + outputs[i]);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), bodies[i]);
        }
        QVERIFY(taken.open(QIODevice::ReadOnly));
        QCOMPARE(taken.readAll(), QByteArray("a file of the user's"));

        // A failed fetch gives its name back.
        const QJsonObject failed = w.run(job(2, "fetch", server.url("/missing")));
        QCOMPARE(failed.value(QStringLiteral("ok")).toBool(), false);
        QVERIFY(!QFile::exists(dir + QStringLiteral("/missing")));
    }

    // A byte now and then once kept a fetch going past its timeout for ever.
    void fetchHasADeadline()
    {
        HttpServer server("");
        Worker w(m_dir.path());
        QJsonObject j = job(1, "fetch", server.url("/trickle"));
        j.insert(QStringLiteral("timeout"), 1000);
        const QJsonObject answer = w.run(j, 60000);
        QCOMPARE(answer.value(QStringLiteral("ok")).toBool(), false);
        QVERIFY2(answer.value(QStringLiteral("error")).toString().contains(QStringLiteral("not done after 1000 ms, gave up")),
                 qPrintable(answer.value(QStringLiteral("error")).toString()));
        QVERIFY(!QFile::exists(path("trickle")));
    }

    void fetchTimeoutMustBeANumber_data()
    {
        QTest::addColumn<QJsonValue>("timeout");
        QTest::newRow("zero") << QJsonValue(0);
        QTest::newRow("negative") << QJsonValue(-5);
        QTest::newRow("text") << QJsonValue(QStringLiteral("soon"));
    }
    void fetchTimeoutMustBeANumber()
    {
        QFETCH(QJsonValue, timeout);
        HttpServer server("");
        Worker w(m_dir.path());
        QJsonObject j = job(1, "fetch", server.url("/a/f.txt"));
        j.insert(QStringLiteral("timeout"), timeout);
        const QJsonObject answer = w.run(j);
        QCOMPARE(answer.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(answer.value(QStringLiteral("error")).toString(), QStringLiteral("fetch: timeout must be a number of milliseconds above 0"));
    }

    // A body once went through memory whole, and more: 2 GB took 3.4 GB.
    void bigBodiesGoStraightToDisk()
    {
        const qint64 size = 256 * 1024 * 1024;
        SpawnOptions o;
        o.stdio = StdioList{StdioMode::Ignore, StdioMode::Pipe, StdioMode::Inherit};
        std::unique_ptr<ChildProcess> server(spawn(QStringLiteral(TESTCHILD), {QStringLiteral("http-flood"), QString::number(size)}, o));
        server->setAutoDelete(false);
        Recorder served(server.get());
        const auto stopServer = qScopeGuard([&server] { server->kill(SIGKILL); }); // were the test to fail half-way
        QTRY_VERIFY_WITH_TIMEOUT(served.out.contains('\n'), 30000);
        const QString url = QStringLiteral("http://127.0.0.1:%1/big").arg(QString::fromLatin1(served.out.trimmed()));
        Worker w(m_dir.path());
        QJsonObject j = job(1, "fetch", url);
        j.insert(QStringLiteral("timeout"), 240000);
        const QJsonObject answer = w.run(j, 240000);
        QVERIFY2(answer.value(QStringLiteral("ok")).toBool(), qPrintable(answer.value(QStringLiteral("error")).toString()));
        QCOMPARE(answer.value(QStringLiteral("result"))[QStringLiteral("bytes")].toInteger(), size);
        QCOMPARE(QFileInfo(path("big")).size(), size);
        const qint64 peakKb = peakMemoryKb(w.child->pid());
        QVERIFY(peakKb > 0);
#ifndef __SANITIZE_ADDRESS__ // whose quarantine keeps up to 256 MiB of freed buffers on purpose
        QVERIFY2(peakKb < size / 1024 / 2, qPrintable(QStringLiteral("the worker peaked at %1 kB").arg(peakKb)));
#endif
        QFile::remove(path("big"));
        QTRY_VERIFY_WITH_TIMEOUT(served.closed, 30000);
    }

    void fetchErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("error");
        QTest::newRow("404") << "/missing" << "HTTP 404 Not Found";
        QTest::newRow("never answers") << "/silent" << "no data for 500 ms, gave up";
        QTest::newRow("refused") << "refused" << "Connection refused";
        QTest::newRow("not a URL") << "bad" << "is not an http or https URL";
        QTest::newRow("https to a plain server") << "https" << "fetch: https://127.0.0.1:";
        // A header once was read whole, however long (300 MB took 300 MB and more).
        QTest::newRow("endless header") << "/endless-header" << "the response's header is over 256 KiB, gave up";
        QTest::newRow("endless header line") << "/endless-line" << "a line of the response's header is over 100 KiB, gave up";
        QTest::newRow("endless interim responses") << "/endless-1xx" << "the response's header is over 256 KiB, gave up";
        QTest::newRow("redirect loop") << "/loop" << "more than 20 redirects, gave up";
        QTest::newRow("redirect to nowhere") << "/nowhere" << "HTTP 301 Moved Permanently without a Location to go to";
        QTest::newRow("404 with a page") << "/notfound-page" << "HTTP 404 Not Found";
    }
    void fetchErrors()
    {
        QFETCH(QString, path);
        QFETCH(QString, error);
        HttpServer server("");
        QString url = server.url(path.toLatin1().constData());
        if (path == QLatin1String("refused")) {
            QTcpServer closed;
            closed.listen(QHostAddress::LocalHost);
            url = QStringLiteral("http://127.0.0.1:%1/x").arg(closed.serverPort());
        } else if (path == QLatin1String("https")) {
            url = server.url("/file").replace(QStringLiteral("http:"), QStringLiteral("https:")); // TLS fails
        } else if (path == QLatin1String("bad")) {
            url = QStringLiteral("ftp://example.org/x");
        }
        Worker w(m_dir.path());
        QJsonObject j = job(1, "fetch", url);
        j.insert(QStringLiteral("timeout"), 500);
        QElapsedTimer clock;
        clock.start();
        const QJsonObject answer = w.run(j);
        QCOMPARE(answer.value(QStringLiteral("ok")).toBool(), false);
        QVERIFY2(answer.value(QStringLiteral("error")).toString().contains(error), qPrintable(answer.value(QStringLiteral("error")).toString()));
        QVERIFY(clock.elapsed() < 10000); // an error, not a hang
        for (const QString &name : QDir(m_dir.path()).entryList({QStringLiteral("missing*"), QStringLiteral("silent*"), QStringLiteral("endless*"),
                                                                    QStringLiteral("loop*"), QStringLiteral("notfound*"), QStringLiteral("nowhere*")}))
            QFAIL(qPrintable(QStringLiteral("a failed fetch left %1").arg(name)));
        // Whatever the server sent, the worker held little of it.
        const qint64 peakKb = peakMemoryKb(w.child->pid());
        QVERIFY(peakKb > 0);
#ifndef __SANITIZE_ADDRESS__ // whose shadow memory and quarantine count here
        QVERIFY2(peakKb < 64 * 1024, qPrintable(QStringLiteral("the worker peaked at %1 kB").arg(peakKb)));
#endif
    }

    void badJobs()
    {
        Worker w(m_dir.path());
        QCOMPARE(w.run(job(1, "explode", QStringLiteral("x"))).value(QStringLiteral("error")).toString(),
                 QStringLiteral("unknown op \"explode\" (hash, count, gzip, upper, fetch, noop, sleep, fail)"));
        w.child->send(QJsonValue(42));
        QTRY_COMPARE(w.recorder->messages.size(), 2);
        QCOMPARE(w.recorder->messages.last().toObject().value(QStringLiteral("error")).toString(), QStringLiteral("a job must be a JSON object"));
        // Still serving.
        QVERIFY(w.run(job(3, "noop", QStringLiteral("x"))).value(QStringLiteral("ok")).toBool());
    }

    void jobsSentTogetherAreAnsweredInOrder()
    {
        Worker w(m_dir.path());
        w.child->send(job(1, "sleep", QStringLiteral("100")));
        w.child->send(job(2, "noop", QStringLiteral("b")));
        w.child->send(job(3, "hash", path("text.txt")));
        QTRY_COMPARE(w.recorder->messages.size(), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(w.recorder->messages[i].toObject().value(QStringLiteral("id")).toInt(), i + 1);
    }

    void byHand()
    {
        const SyncResult ok = spawnSync(worker, {QStringLiteral("count"), path("text.txt")});
        QCOMPARE(ok.status, 0);
        QVERIFY(ok.standardOutput.startsWith("{\"id\":1,\"ok\":true,\"result\":{"));
        const SyncResult bad = spawnSync(worker, {QStringLiteral("hash"), path("none")});
        QCOMPARE(bad.status, 1);
        QVERIFY(bad.standardOutput.contains("cannot read"));
        const SyncResult usage = spawnSync(worker, {});
        QCOMPARE(usage.status, 2);
        QVERIFY(usage.standardError.startsWith("usage: spawnscope-worker"));
    }

private:
    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }
    TemporaryDir m_dir;
    QByteArray m_text;
};

QTEST_GUILESS_MAIN(tst_Worker)
#include "tst_worker.moc"
