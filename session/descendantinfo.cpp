#include "descendantinfo.h"

#include <algorithm>

namespace Spawnscope {

qint64 DescendantInfo::lifetimeMs(qint64 nowMs) const
{
    return std::max<qint64>(0, (goneMs >= 0 ? goneMs : nowMs) - startedMs);
}

QString DescendantInfo::stateName(State state)
{
    switch (state) {
    case State::Running: return QStringLiteral("running");
    case State::Stopped: return QStringLiteral("stopped");
    case State::Exiting: return QStringLiteral("exiting");
    case State::Gone: return QStringLiteral("gone");
    }
    return {};
}

} // namespace Spawnscope
