#include "parentchannel.h"

#include "ioloop_p.h"
#include "ipccodec_p.h"

#include <QEvent>
#include <QPointer>

#include <cstdlib>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>

namespace Spawnscope {

using Internal::IoEvent;
using Internal::IoLoop;

class ParentChannelPrivate
{
public:
    std::shared_ptr<Internal::IoClient> client;
    int slot = -1;
    bool connected = false;
};

namespace {

// The descriptor from NODE_CHANNEL_FD, if it names an open socket; the variables are removed
// either way so no grandchild mistakes the channel for its own.
int takeChannelFd()
{
    const char *text = ::getenv("NODE_CHANNEL_FD");
    const char *mode = ::getenv("NODE_CHANNEL_SERIALIZATION_MODE");
    const bool json = !mode || QByteArray(mode) == "json";
    int fd = -1;
    if (text) {
        bool ok = false;
        fd = QByteArray(text).toInt(&ok);
        struct stat st;
        if (!ok || fd < 0 || ::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode) || !json)
            fd = -1;
    }
    ::unsetenv("NODE_CHANNEL_FD");
    ::unsetenv("NODE_CHANNEL_SERIALIZATION_MODE");
    if (fd >= 0) {
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    return fd;
}

} // namespace

ParentChannel::ParentChannel(QObject *parent) : QObject(parent), d(std::make_unique<ParentChannelPrivate>())
{
    const int fd = takeChannelFd();
    if (fd < 0)
        return;
    d->slot = fd;
    d->connected = true;
    d->client = std::make_shared<Internal::IoClient>(this);
    IoLoop::instance().watch(d->client, fd, fd, IoLoop::Role::JsonChannel);
}

ParentChannel::~ParentChannel()
{
    if (d->client) {
        d->client->waitWritten(d->slot, 5000);
        d->client->detach();
        IoLoop::instance().release(d->client);
    }
}

bool ParentChannel::isConnected() const
{
    return d->connected;
}

bool ParentChannel::send(const QJsonValue &message)
{
    auto fail = [this](const ProcessError &error) {
        QMetaObject::invokeMethod(this, [this, error] { Q_EMIT errorOccurred(error); }, Qt::QueuedConnection);
        return false;
    };
    if (message.isUndefined())
        return fail(ProcessError::nodeError(QStringLiteral("ERR_MISSING_ARGS"),
                                            QStringLiteral("The \"message\" argument must be specified"),
                                            QStringLiteral("TypeError")));
    if (!d->connected)
        return fail(ProcessError::nodeError(QStringLiteral("ERR_IPC_CHANNEL_CLOSED"), QStringLiteral("Channel closed")));
    bool kick = false;
    const qsizetype queued = d->client->write(d->slot, Internal::IpcCodec::encode(message), &kick);
    if (queued < 0)
        return fail(ProcessError::nodeError(QStringLiteral("ERR_IPC_CHANNEL_CLOSED"), QStringLiteral("Channel closed")));
    if (kick)
        IoLoop::instance().kick(d->client, d->slot);
    return queued < 128 * 1024;
}

bool ParentChannel::flush(int msecs)
{
    return !d->client || d->client->waitWritten(d->slot, msecs);
}

void ParentChannel::disconnectChannel()
{
    if (!d->connected) {
        Q_EMIT errorOccurred(ProcessError::nodeError(QStringLiteral("ERR_IPC_DISCONNECTED"),
                                                     QStringLiteral("IPC channel is already disconnected")));
        return;
    }
    d->connected = false;
    IoLoop::instance().closeChannel(d->client, d->slot);
}

bool ParentChannel::event(QEvent *event)
{
    if (event->type() != Internal::IoClient::eventType())
        return QObject::event(event);
    bool resume = false;
    std::vector<IoEvent> events = d->client->take(&resume);
    if (resume)
        IoLoop::instance().resume(d->client);
    QPointer<ParentChannel> guard(this);
    for (IoEvent &e : events) {
        switch (e.kind) {
        case IoEvent::Message:
            Q_EMIT message(e.message);
            break;
        case IoEvent::ChannelClosed:
            d->connected = false;
            Q_EMIT disconnected();
            break;
        case IoEvent::ChannelError:
            Q_EMIT errorOccurred(ProcessError::nodeError(QString::fromLatin1(e.data), e.message.toString()));
            break;
        default:
            break;
        }
        if (!guard)
            break;
    }
    return true;
}

} // namespace Spawnscope
