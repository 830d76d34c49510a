#pragma once

// Internal: Node's own errors (what its child_process throws or emits), built in one place so
// every entry point reports them with the same code, name and message.

#include "processerror.h"

namespace Spawnscope::Internal::NodeErrors {

inline ProcessError unknownSignal(const QString &given)
{
    return ProcessError::nodeError(QStringLiteral("ERR_UNKNOWN_SIGNAL"), QStringLiteral("Unknown signal: %1").arg(given),
                                   QStringLiteral("TypeError"));
}

inline ProcessError outOfRange(const QString &name, qint64 received)
{
    return ProcessError::nodeError(
        QStringLiteral("ERR_OUT_OF_RANGE"),
        QStringLiteral("The value of \"%1\" is out of range. It must be >= 0. Received %2").arg(name).arg(received),
        QStringLiteral("RangeError"));
}

inline ProcessError emptyFile()
{
    return ProcessError::nodeError(QStringLiteral("ERR_INVALID_ARG_VALUE"),
                                   QStringLiteral("The argument 'file' cannot be empty. Received ''"),
                                   QStringLiteral("TypeError"));
}

inline ProcessError channelClosed()
{
    return ProcessError::nodeError(QStringLiteral("ERR_IPC_CHANNEL_CLOSED"), QStringLiteral("Channel closed"));
}

inline ProcessError missingMessage()
{
    return ProcessError::nodeError(QStringLiteral("ERR_MISSING_ARGS"),
                                   QStringLiteral("The \"message\" argument must be specified"),
                                   QStringLiteral("TypeError"));
}

inline ProcessError alreadyDisconnected()
{
    return ProcessError::nodeError(QStringLiteral("ERR_IPC_DISCONNECTED"),
                                   QStringLiteral("IPC channel is already disconnected"));
}

} // namespace Spawnscope::Internal::NodeErrors
