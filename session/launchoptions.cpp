#include "launchoptions.h"

#include <osstring.h>

namespace Spawnscope {

bool operator==(const LaunchOptions &a, const LaunchOptions &b)
{
    return a.cwd == b.cwd && a.clearEnvironment == b.clearEnvironment && a.environment == b.environment && a.shell == b.shell
        && a.timeoutMs == b.timeoutMs && a.killSignal.number() == b.killSignal.number() && a.maxBuffer == b.maxBuffer
        && a.detached == b.detached && a.stdio[0] == b.stdio[0] && a.stdio[1] == b.stdio[1] && a.stdio[2] == b.stdio[2]
        && a.execPath == b.execPath && a.execArgv == b.execArgv;
}

bool LaunchOptions::isDefault() const
{
    return *this == LaunchOptions();
}

QString LaunchOptions::summary() const
{
    QStringList parts;
    if (!cwd.isEmpty())
        parts << QStringLiteral("in %1").arg(cwd);
    if (clearEnvironment)
        parts << QStringLiteral("empty environment");
    for (const auto &[name, value] : environment)
        parts << QStringLiteral("%1=%2").arg(name, value);
    if (!shell.isEmpty())
        parts << QStringLiteral("shell %1").arg(shell);
    if (timeoutMs > 0)
        parts << QStringLiteral("timeout %1 ms").arg(timeoutMs);
    if (killSignal.number() != SIGTERM)
        parts << QStringLiteral("kill with %1").arg(killSignal.name());
    if (maxBuffer != LaunchOptions().maxBuffer)
        parts << QStringLiteral("maxBuffer %1").arg(maxBuffer);
    if (detached)
        parts << QStringLiteral("detached");
    if (!(stdio[0] == StdioMode::Pipe) || !(stdio[1] == StdioMode::Pipe) || !(stdio[2] == StdioMode::Pipe))
        parts << QStringLiteral("stdio %1,%2,%3").arg(stdio[0].toString(), stdio[1].toString(), stdio[2].toString());
    if (!execPath.isEmpty())
        parts << QStringLiteral("fork under %1").arg(execPath);
    if (!execArgv.isEmpty())
        parts << QStringLiteral("execArgv %1").arg(execArgv.join(QLatin1Char(' ')));
    return parts.join(QStringLiteral(", "));
}

std::optional<QProcessEnvironment> LaunchOptions::environmentForChild() const
{
    if (!clearEnvironment && environment.isEmpty())
        return std::nullopt;
    QProcessEnvironment env = clearEnvironment ? QProcessEnvironment() : OsString::systemEnvironment();
    for (const auto &[name, value] : environment)
        env.insert(name, value);
    return env;
}

} // namespace Spawnscope
