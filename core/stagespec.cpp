#include "stagespec.h"

#include <QFileInfo>

namespace Spawnscope {

namespace {
const char *const modeNames[] = {"spawn", "exec", "execFile", "fork"};
}

QString StageSpec::displayName() const
{
    if (!name.isEmpty())
        return name;
    if (mode == Mode::Exec)
        return command.section(QLatin1Char(' '), 0, 0, QString::SectionSkipEmpty);
    return QFileInfo(program).fileName();
}

QString StageSpec::modeName(Mode mode)
{
    return QString::fromLatin1(modeNames[int(mode)]);
}

bool StageSpec::modeFromName(const QString &name, Mode *mode)
{
    for (int i = 0; i < 4; ++i) {
        if (name == QLatin1String(modeNames[i])) {
            *mode = Mode(i);
            return true;
        }
    }
    return false;
}

} // namespace Spawnscope
