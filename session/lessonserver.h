#pragma once

#include <QObject>
#include <QString>

class QTcpServer;
class QTcpSocket;

namespace Spawnscope {

// The small web server a lesson step starts itself: its folder's files over HTTP/1.1 on
// 127.0.0.1, GET and HEAD only, one request a connection, for the children of the exercise to
// fetch. Nothing outside the folder is served (plain file names only), and a request head larger
// than 16 KiB is refused.
class LessonServer : public QObject
{
    Q_OBJECT
public:
    explicit LessonServer(QObject *parent = nullptr);
    ~LessonServer() override;

    // Serves `folder` on a free port; false with why.
    bool start(const QString &folder, QString *error);
    void stop();
    bool isListening() const;
    // http://127.0.0.1:PORT, without a slash at the end; empty when not listening.
    QString url() const;

Q_SIGNALS:
    // Once per answered request, as its answer is queued: the path asked for and the status.
    void served(const QString &path, int status, qint64 bytes);

private:
    QTcpServer *m_server;
    QString m_folder;
    void answer(QTcpSocket *socket);
};

} // namespace Spawnscope
