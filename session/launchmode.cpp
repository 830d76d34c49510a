#include "launchmode.h"

#include <iterator>

namespace Spawnscope {

namespace {
constexpr const char *kModeNames[] = {"spawn", "exec", "execFile", "fork", "pipeline", "batch"};
}

QString launchModeName(LaunchMode mode)
{
    return QLatin1String(kModeNames[int(mode)]);
}

std::optional<LaunchMode> launchModeFromName(const QString &name)
{
    for (int m = 0; m < int(std::size(kModeNames)); ++m) {
        if (name == QLatin1String(kModeNames[m]))
            return LaunchMode(m);
    }
    return std::nullopt;
}

} // namespace Spawnscope
