#pragma once

#include "childprocess.h"
#include "ioloop_p.h"
#include "jsonchannel_p.h"
#include "spawnoptions.h"

#include <QPointer>
#include <QTimer>

#include <cerrno>

namespace Spawnscope {

class ChildProcessPrivate
{
public:
    explicit ChildProcessPrivate(ChildProcess *q) : q(q) {}

    static ChildProcessPrivate *get(ChildProcess *child) { return child->d.get(); }
    static ChildProcess *create(QObject *parent) { return new ChildProcess(parent); }

    void start(const QString &file, const QStringList &args, const SpawnOptions &options);
    // Stops reading stdout and stderr (Node's stream.destroy()): closed() no longer waits for
    // whoever else holds them.
    void destroyOutput();
    // The child is not started: errorOccurred(error), then closed(code), from the event loop.
    void reject(const ProcessError &error, int code = -EINVAL);
    // Every errorOccurred() goes through here; exec() sets execCmd so that, as in Node, the
    // error its callback gets and the one listeners see are the same object with `cmd`.
    void emitError(ProcessError error);
    void emitErrorLater(const ProcessError &error);
    std::optional<QString> execCmd;

    ChildProcess *q;
    std::shared_ptr<Internal::IoClient> client;
    qint64 pid = 0;
    std::optional<int> exitCode;
    QString signalCode;
    QString spawnfile;
    QStringList spawnargs;
    bool killed = false;
    bool connected = false;
    bool exited = false;
    bool closeEmitted = false;
    bool autoDelete = true;
    bool detached = false;
    bool leadsGroup = false;   // processGroup 0, or detached (its own session)
    bool stdinOpen = false;
    int stdinSlot = -1;
    Internal::JsonChannel *channel = nullptr;
    bool wantsChannel = false;
    int openStreams = 0;
    ProcessSignal killSignal = SIGTERM;
    QTimer *timeoutTimer = nullptr;

private:
    friend class ChildProcess;
    void processIo();
    void handleExit(int status);
    void maybeClose();
    void onAbort();
};

} // namespace Spawnscope
