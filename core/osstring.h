#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace Spawnscope {

// Names and arguments are bytes on Linux, and need not be UTF-8 (`caf\xE9.txt`, written in
// Latin-1). The API keeps QString; these conversions keep the bytes, as Python's
// "surrogateescape" (PEP 383): valid UTF-8 decodes as usual, and each byte of anything else
// becomes a lone low surrogate U+DC80..U+DCFF, which encoding turns back into that byte. So
// decode(bytes) encodes back to exactly `bytes`, whatever they are.
//
// Use them wherever bytes come from the system (argv, the environment, directory entries,
// standard input given as names) or go to it (execve, chdir, open). Text that a person or a
// JSON reader sees goes through readable() or replaced() instead: a lone surrogate is no
// character, and would be lost or refused there.
class OsString
{
public:
    static QString decode(QByteArrayView bytes);
    static QByteArray encode(QStringView text);

    // Whether `text` holds a byte that is not UTF-8 (an escape decode() made).
    static bool hasRawBytes(QStringView text);
    // For people: each such byte as `\xE9`, everything else as it is.
    static QString readable(QStringView text);
    // For Unicode-only readers (Node's JSON trace prints such an argument this way): each such
    // byte as U+FFFD.
    static QString replaced(QStringView text);

    // A program's arguments, argv[0] first (Qt's own decode lossily).
    static QStringList arguments(int argc, const char *const *argv);
    // This process's environment, its values and names decoded as above (Qt's own decodes
    // lossily).
    static QProcessEnvironment systemEnvironment();

    // open(2) of `path` by its bytes (O_CLOEXEC added): the descriptor, or -1 with errno.
    static int open(QStringView path, int flags, unsigned mode = 0666);
    // `file` opened on open(2) of `path` by its bytes (QFile's own names are UTF-8 only);
    // false with the system's reason in `error`.
    static bool openFile(QFile &file, QStringView path, QIODevice::OpenMode mode, QString *error);

    static bool isEscape(char16_t u) { return u >= 0xDC80 && u <= 0xDCFF; }
};

} // namespace Spawnscope
