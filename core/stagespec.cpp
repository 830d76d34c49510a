#include "stagespec.h"

#include "osstring.h"

#include <QFileInfo>

#include <iterator>

namespace Spawnscope {

namespace {
const char *const modeNames[] = {"spawn", "exec", "execFile", "fork", "readFile", "writeFile"};
}

QString StageSpec::displayName() const
{
    // Shown: a byte that is not UTF-8 as \xE9 (OsString), never a lone surrogate.
    if (!name.isEmpty())
        return OsString::readable(name);
    if (mode == Mode::Exec)
        return OsString::readable(command.section(QLatin1Char(' '), 0, 0, QString::SectionSkipEmpty));
    if (mode == Mode::ReadFile)
        return OsString::readable(QFileInfo(stdinFile).fileName());
    if (mode == Mode::WriteFile)
        return OsString::readable(QFileInfo(stdoutFile.path).fileName());
    return OsString::readable(QFileInfo(program).fileName());
}

QString StageSpec::modeName(Mode mode)
{
    return QString::fromLatin1(modeNames[int(mode)]);
}

bool StageSpec::modeFromName(const QString &name, Mode *mode)
{
    for (int i = 0; i < int(std::size(modeNames)); ++i) {
        if (name == QLatin1String(modeNames[i])) {
            *mode = Mode(i);
            return true;
        }
    }
    return false;
}

} // namespace Spawnscope
