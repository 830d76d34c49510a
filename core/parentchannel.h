#pragma once

#include "processerror.h"

#include <QJsonValue>
#include <QObject>

#include <memory>

namespace Spawnscope {

class ParentChannelPrivate;

// The child's side of the message channel: what `process.send`, `process.on('message')` and
// `process.disconnect()` are to a Node child. Works when this program was started by Node's
// child_process.fork() (or spawn with 'ipc') or by Spawnscope's fork().
//
// The constructor takes the channel named by NODE_CHANNEL_FD and removes NODE_CHANNEL_FD and
// NODE_CHANNEL_SERIALIZATION_MODE from the environment, so this program's own children do not
// inherit them. Make one per process; a second finds no channel.
class ParentChannel : public QObject
{
    Q_OBJECT
public:
    explicit ParentChannel(QObject *parent = nullptr);
    ~ParentChannel() override;

    // Whether the channel is open (false when there never was one).
    bool isConnected() const;
    // Queues a message; false when the channel is closed (errorOccurred() then reports
    // ERR_IPC_CHANNEL_CLOSED) or when more than 128 KiB wait to be written.
    bool send(const QJsonValue &message);
    // Blocks until everything sent so far has been written; call it before exiting right
    // after a send(). False when it timed out.
    bool flush(int msecs = 30000);
    // Closes the channel after what was sent has been written; disconnected() follows.
    void disconnectChannel();

Q_SIGNALS:
    // For each message from the parent, in order.
    void message(const QJsonValue &message);
    // Exactly once, when the channel closed from either side; never when there was none.
    void disconnected();
    // Something that is not a message arrived (the channel is then closed), or a message was
    // sent on a closed channel.
    void errorOccurred(const Spawnscope::ProcessError &error);

private:
    std::unique_ptr<ParentChannelPrivate> d;
};

} // namespace Spawnscope
