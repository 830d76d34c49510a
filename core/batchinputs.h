#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace Spawnscope {

// GNU parallel's input sources on a command line: `::: A B...` gives those words as inputs,
// `:::: FILE` the lines of a file (`-`: standard input). One source at a time: GNU parallel
// combines several into every combination, which the job templates here cannot address.
class BatchInputs
{
public:
    // Where the first source starts in `words`, or -1.
    static qsizetype sourceStart(const QStringList &words);
    // The inputs of the source that starts at words[0]; nullopt with the reason when it is
    // malformed or a file cannot be read. Relative files are found from `cwd` (ours when empty).
    static std::optional<QStringList> read(const QStringList &words, QString *error, const QString &cwd = {});
    // The lines of a text as GNU parallel reads them: a final newline ends the last line
    // rather than starting an empty one. Each line keeps its bytes (OsString::decode): an input
    // is a name more often than text.
    static QStringList lines(const QByteArray &text);
};

} // namespace Spawnscope
