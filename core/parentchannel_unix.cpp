#include "parentchannel.h"

#include "jsonchannel_p.h"
#include "nodeerrors_p.h"

#include <QEvent>
#include <QPointer>

#include <cstdlib>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>

namespace Spawnscope {

class ParentChannelPrivate
{
public:
    Internal::JsonChannel *channel = nullptr;
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
    d->connected = true;
    d->channel = new Internal::JsonChannel(fd, 128 * 1024 * 1024, this);
    connect(d->channel, &Internal::JsonChannel::message, this, &ParentChannel::message);
    connect(d->channel, &Internal::JsonChannel::failed, this, [this](const QString &code, const QString &text) {
        Q_EMIT errorOccurred(ProcessError::nodeError(code, text));
    });
    connect(d->channel, &Internal::JsonChannel::closed, this, [this] {
        d->connected = false;
        Q_EMIT disconnected();
    });
    d->channel->start();
}

ParentChannel::~ParentChannel()
{
    if (d->channel)
        d->channel->flush(5000); // what was sent before exiting still reaches the parent
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
        return fail(Internal::NodeErrors::missingMessage());
    const qsizetype queued = d->connected ? d->channel->send(message) : -1;
    if (queued < 0)
        return fail(Internal::NodeErrors::channelClosed());
    return queued < 128 * 1024;
}

bool ParentChannel::flush(int msecs)
{
    return !d->channel || d->channel->flush(msecs);
}

void ParentChannel::disconnectChannel()
{
    if (!d->connected) {
        Q_EMIT errorOccurred(Internal::NodeErrors::alreadyDisconnected());
        return;
    }
    d->connected = false;
    d->channel->close();
}

} // namespace Spawnscope
