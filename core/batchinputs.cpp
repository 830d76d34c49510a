#include "batchinputs.h"

#include "osstring.h"

#include <QDir>
#include <QFile>

namespace Spawnscope {

namespace {
const QString kWords = QStringLiteral(":::");
const QString kFiles = QStringLiteral("::::");
} // namespace

qsizetype BatchInputs::sourceStart(const QStringList &words)
{
    for (qsizetype i = 0; i < words.size(); ++i) {
        if (words[i] == kWords || words[i] == kFiles)
            return i;
    }
    return -1;
}

QStringList BatchInputs::lines(const QByteArray &text)
{
    QStringList out;
    qsizetype at = 0;
    while (at < text.size()) {
        qsizetype end = text.indexOf('\n', at);
        if (end < 0)
            end = text.size();
        out << OsString::decode(QByteArrayView(text).sliced(at, end - at)); // names: bytes kept
        at = end + 1;
    }
    return out;
}

std::optional<QStringList> BatchInputs::read(const QStringList &words, QString *error, const QString &cwd)
{
    if (words.isEmpty() || (words.first() != kWords && words.first() != kFiles)) {
        *error = QStringLiteral("inputs start with ::: (words) or :::: (a file of lines)");
        return std::nullopt;
    }
    const QString kind = words.first();
    const QStringList rest = words.mid(1);
    if (sourceStart(rest) >= 0) {
        *error = QStringLiteral("one input source at a time: GNU parallel would combine %1 and %2 into every pair, which {} cannot name")
                     .arg(kind, rest[sourceStart(rest)]);
        return std::nullopt;
    }
    if (rest.isEmpty()) {
        *error = QStringLiteral("no inputs after %1").arg(kind);
        return std::nullopt;
    }
    if (kind == kWords)
        return rest;
    if (rest.size() > 1) {
        *error = QStringLiteral(":::: takes one file (GNU parallel would combine %1 files into every combination)").arg(rest.size());
        return std::nullopt;
    }
    QFile file;
    QString why;
    const bool opened = rest.first() == QLatin1String("-")
        ? file.open(stdin, QIODevice::ReadOnly)
        : OsString::openFile(file, cwd.isEmpty() ? rest.first() : QDir(cwd).filePath(rest.first()), QIODevice::ReadOnly, &why);
    if (!opened) {
        *error = QStringLiteral("cannot read %1: %2").arg(OsString::readable(rest.first()), why.isEmpty() ? file.errorString() : why);
        return std::nullopt;
    }
    return lines(file.readAll());
}

} // namespace Spawnscope
