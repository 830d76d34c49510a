#include "lessonserver.h"

#include "sessionlogging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

namespace Spawnscope {

namespace {

constexpr qint64 MaxHead = 16 * 1024;
constexpr qint64 Chunk = 256 * 1024;

QByteArray reasonOf(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 431: return "Request Header Fields Too Large";
    default: return "Error";
    }
}

QByteArray head(int status, qint64 length, const QByteArray &extra = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonOf(status) + "\r\nContent-Length: " + QByteArray::number(length)
        + "\r\nContent-Type: " + (status == 200 ? "application/octet-stream" : "text/plain; charset=utf-8") + "\r\n" + extra
        + "Connection: close\r\n\r\n";
}

} // namespace

LessonServer::LessonServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { answer(socket); });
        }
    });
}

LessonServer::~LessonServer() = default;

bool LessonServer::start(const QString &folder, QString *error)
{
    stop();
    if (!QFileInfo(folder).isDir()) {
        *error = QStringLiteral("%1 is not a folder").arg(folder);
        return false;
    }
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        *error = QStringLiteral("cannot serve the step's files: %1").arg(m_server->errorString());
        return false;
    }
    m_folder = folder;
    return true;
}

void LessonServer::stop()
{
    m_server->close();
}

bool LessonServer::isListening() const
{
    return m_server->isListening();
}

QString LessonServer::url() const
{
    return isListening() ? QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort()) : QString();
}

void LessonServer::answer(QTcpSocket *socket)
{
    if (socket->property("answered").toBool()) {
        socket->readAll();
        return;
    }
    // Wait for the whole head; a client that sends more than a head may hold is cut off.
    const QByteArray seen = socket->peek(MaxHead + 1);
    const qsizetype end = seen.indexOf("\r\n\r\n");
    auto reply = [this, socket](int status, const QByteArray &path, const QByteArray &body, qint64 length, bool withBody) {
        socket->setProperty("answered", true);
        socket->write(head(status, length, status == 405 ? QByteArray("Allow: GET, HEAD\r\n") : QByteArray()));
        if (withBody)
            socket->write(body);
        qCDebug(lcLesson, "served %s: %d, %lld bytes", path.constData(), status, length);
        Q_EMIT served(QString::fromUtf8(path), status, length);
    };
    if (end < 0) {
        if (seen.size() > MaxHead) {
            reply(431, {}, "request head too large\n", 23, true);
            socket->disconnectFromHost();
        }
        return;
    }
    const QByteArray requestLine = seen.left(seen.indexOf("\r\n"));
    socket->readAll();
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || !parts[2].startsWith("HTTP/1.")) {
        reply(400, {}, "bad request\n", 12, true);
        socket->disconnectFromHost();
        return;
    }
    const QByteArray method = parts[0];
    const QByteArray path = parts[1];
    const bool get = method == "GET";
    if (!get && method != "HEAD") {
        reply(405, path, "GET or HEAD\n", 12, true);
        socket->disconnectFromHost();
        return;
    }
    // Plain names in the folder only: no sub-folders, no way up, no hidden files.
    const QString name = QString::fromUtf8(QByteArray::fromPercentEncoding(path.mid(1).split('?').first()));
    const QFileInfo file(QDir(m_folder).filePath(name));
    if (!path.startsWith('/') || name.isEmpty() || name.contains(QLatin1Char('/')) || name.startsWith(QLatin1Char('.')) || !file.isFile()) {
        const QByteArray body = "no file " + path + " here\n";
        reply(404, path, body, body.size(), get);
        socket->disconnectFromHost();
        return;
    }
    auto source = std::make_shared<QFile>(file.filePath());
    if (!source->open(QIODevice::ReadOnly)) {
        const QByteArray body = "cannot read " + path + "\n";
        reply(404, path, body, body.size(), get);
        socket->disconnectFromHost();
        return;
    }
    reply(200, path, {}, source->size(), false);
    if (!get) {
        socket->disconnectFromHost();
        return;
    }
    // The body a chunk at a time, as the socket takes it: a big file does not sit in memory.
    auto pump = [socket, source] {
        while (socket->bytesToWrite() < Chunk && !source->atEnd()) {
            const QByteArray data = source->read(Chunk);
            if (data.isEmpty())
                break;
            socket->write(data);
        }
        if (source->atEnd() && socket->bytesToWrite() == 0)
            socket->disconnectFromHost();
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, pump);
    pump();
}

} // namespace Spawnscope
