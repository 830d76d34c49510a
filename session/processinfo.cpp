#include "processinfo.h"

namespace Spawnscope {

bool ProcessInfo::hasFailed() const
{
    return state == State::FailedToStart || state == State::NotStarted || state == State::Killed
        || (state == State::Exited && exitCode.value_or(0) != 0);
}

qint64 ProcessInfo::durationMs(const QDateTime &now) const
{
    if (!started.isValid())
        return 0;
    return started.msecsTo(ended.isValid() ? ended : now);
}

QString ProcessInfo::stateName(State state)
{
    switch (state) {
    case State::Starting: return QStringLiteral("starting");
    case State::Running: return QStringLiteral("running");
    case State::Stopped: return QStringLiteral("stopped");
    case State::Exited: return QStringLiteral("exited");
    case State::Killed: return QStringLiteral("killed");
    case State::FailedToStart: return QStringLiteral("failed to start");
    case State::NotStarted: return QStringLiteral("not started");
    }
    return {};
}

QString ProcessInfo::stateText() const
{
    const QString open = outputOpen ? QStringLiteral(", output open") : QString();
    if (state == State::Killed && !signal.isEmpty())
        return QStringLiteral("killed (%1)%2").arg(signal, open);
    if (state == State::Exited && exitCode)
        return (*exitCode == 0 ? QStringLiteral("exited") : QStringLiteral("exited (%1)").arg(*exitCode)) + open;
    return stateName(state) + open;
}

} // namespace Spawnscope
