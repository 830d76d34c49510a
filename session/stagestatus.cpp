#include "stagestatus.h"

#include <QRegularExpression>

namespace Spawnscope {

bool StageStatus::isBad() const
{
    switch (kind) {
    case Kind::Failed:
    case Kind::Signalled:
    case Kind::NotFound:
    case Kind::FailedToStart:
    case Kind::NotStarted:
        return true;
    default:
        return false;
    }
}

StageStatus StageStatus::idle()
{
    return {Kind::Idle, QStringLiteral("○"), QStringLiteral("idle")};
}

StageStatus StageStatus::of(const ProcessInfo *info)
{
    if (!info)
        return idle();
    using State = ProcessInfo::State;
    switch (info->state) {
    case State::Starting:
        return {Kind::Starting, QStringLiteral("…"), QStringLiteral("starting")};
    case State::Running:
        return {Kind::Running, QStringLiteral("▶"), QStringLiteral("pid %1").arg(info->pid)};
    case State::Stopped:
        return {Kind::Stopped, QStringLiteral("‖"), QStringLiteral("stopped, pid %1").arg(info->pid)};
    case State::Exited: {
        if (!info->exitCode)
            return {Kind::Failed, QStringLiteral("?"), QStringLiteral("ended, status unknown")};
        const int code = *info->exitCode;
        if (code == 0)
            return {Kind::Succeeded, QStringLiteral("✓"), QStringLiteral("exit 0")};
        return {Kind::Failed, QStringLiteral("✗"), QStringLiteral("exit %1").arg(code)};
    }
    case State::Killed:
        if (info->signal == QLatin1String("SIGPIPE"))
            return {Kind::BrokenPipe, QStringLiteral("⚡"), info->signal};
        return {Kind::Signalled, QStringLiteral("✗"), info->signal.isEmpty() ? QStringLiteral("killed") : info->signal};
    case State::FailedToStart: {
        // The error's code is what a user can look up ("spawn nosuch ENOENT").
        static const QRegularExpression code(QStringLiteral("\\b(E[A-Z0-9]{2,})\\b"));
        const QString found = code.match(info->error).captured(1);
        if (found == QLatin1String("ENOENT"))
            return {Kind::NotFound, QStringLiteral("⚠"), found};
        return {Kind::FailedToStart, QStringLiteral("⚠"), found.isEmpty() ? QStringLiteral("failed to start") : found};
    }
    case State::NotStarted:
        return {Kind::NotStarted, QStringLiteral("–"), QStringLiteral("not started")};
    }
    return idle();
}

} // namespace Spawnscope
