#include "stdiomode.h"

namespace Spawnscope {

std::optional<StdioMode> StdioMode::fromString(const QString &text)
{
    if (text == QLatin1String("pipe"))
        return StdioMode(Pipe);
    if (text == QLatin1String("ignore"))
        return StdioMode(Ignore);
    if (text == QLatin1String("inherit"))
        return StdioMode(Inherit);
    if (text == QLatin1String("ipc"))
        return StdioMode(Ipc);
    bool ok = false;
    const int fd = text.toInt(&ok);
    if (ok && fd >= 0)
        return fromFd(fd);
    return std::nullopt;
}

QString StdioMode::toString() const
{
    switch (kind) {
    case Pipe:
        return QStringLiteral("pipe");
    case Ignore:
        return QStringLiteral("ignore");
    case Inherit:
        return QStringLiteral("inherit");
    case Ipc:
        return QStringLiteral("ipc");
    case Fd:
        return QString::number(fd);
    }
    return {};
}

} // namespace Spawnscope
