#include "fileops.h"

#include <osstring.h>
#include <outputfile_p.h>

#include <QCryptographicHash>
#include <QFile>
#include <QStringDecoder>
#include <QStringEncoder>

#include <zlib.h>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace {

constexpr qint64 ChunkSize = 256 * 1024;

using Spawnscope::OsString;
using Spawnscope::Internal::OutputFile;

// A file's name in a message: bytes that are not UTF-8 shown as \xE9.
QString shown(const QString &path)
{
    return OsString::readable(path);
}

bool openInput(QFile &file, const QString &path, const char *op, QString *error)
{
    auto refuse = [&](const QString &why) {
        *error = QStringLiteral("%1: cannot read %2: %3").arg(QLatin1String(op), shown(path), why);
        return false;
    };
    // Non-blocking, so a named pipe without a writer cannot hold the worker in open(). By the
    // name's bytes: a name need not be UTF-8.
    const int fd = OsString::open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return refuse(QString::fromLocal8Bit(std::strerror(errno)));
    struct stat st{};
    struct statfs fs{};
    const bool statted = ::fstat(fd, &st) == 0 && ::fstatfs(fd, &fs) == 0;
    // An anonymous pipe (a pipeline stage's /dev/stdin) has a writer by construction; a named
    // pipe, a device or a directory may never end, or never start.
    const bool anonymousPipe = statted && S_ISFIFO(st.st_mode) && fs.f_type == PIPEFS_MAGIC;
    if (!statted || (!S_ISREG(st.st_mode) && !anonymousPipe)) {
        ::close(fd);
        if (!statted)
            return refuse(QString::fromLocal8Bit(std::strerror(errno)));
        if (S_ISDIR(st.st_mode))
            return refuse(QStringLiteral("Is a directory"));
        return refuse(S_ISFIFO(st.st_mode) ? QStringLiteral("not a regular file (a named pipe)")
                                           : QStringLiteral("not a regular file"));
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    // Unbuffered, and read until read() says the end: /proc files say they are empty.
    if (file.open(fd, QIODevice::ReadOnly | QIODevice::Unbuffered, QFileDevice::AutoCloseHandle))
        return true;
    ::close(fd);
    return refuse(file.errorString());
}

// The next chunk; empty at the end. The size a file reports is never trusted.
bool readChunk(QFile &file, const QString &path, QByteArray *chunk, const char *op, QString *error)
{
    chunk->resize(ChunkSize);
    const qint64 n = file.read(chunk->data(), ChunkSize);
    if (n < 0) {
        *error = QStringLiteral("%1: cannot read %2: %3").arg(QLatin1String(op), shown(path), file.errorString());
        chunk->clear();
        return false;
    }
    chunk->resize(n);
    return true;
}

bool open(OutputFile &out, const QString &target, const char *op, QString *error)
{
    QString why;
    if (out.open(&why))
        return true;
    *error = QStringLiteral("%1: cannot write %2: %3").arg(QLatin1String(op), shown(target), why);
    return false;
}

bool commit(OutputFile &out, const QString &target, const char *op, QString *error)
{
    QString why;
    if (out.commit(&why))
        return true;
    *error = QStringLiteral("%1: cannot write %2: %3").arg(QLatin1String(op), shown(target), why);
    return false;
}

} // namespace

QJsonObject FileOps::hash(const QString &path, QString *error)
{
    QFile file;
    if (!openInput(file, path, "hash", error))
        return {};
    QCryptographicHash sha(QCryptographicHash::Sha256);
    qint64 bytes = 0;
    QByteArray chunk;
    do {
        if (!readChunk(file, path, &chunk, "hash", error))
            return {};
        sha.addData(chunk);
        bytes += chunk.size();
    } while (!chunk.isEmpty());
    return {{QStringLiteral("sha256"), QString::fromLatin1(sha.result().toHex())}, {QStringLiteral("bytes"), double(bytes)}};
}

QJsonObject FileOps::count(const QString &path, QString *error)
{
    QFile file;
    if (!openInput(file, path, "count", error))
        return {};
    qint64 lines = 0;
    qint64 words = 0;
    qint64 bytes = 0;
    bool inWord = false;
    QByteArray chunk;
    for (;;) {
        if (!readChunk(file, path, &chunk, "count", error))
            return {};
        if (chunk.isEmpty())
            break;
        bytes += chunk.size();
        for (const char c : chunk) {
            lines += c == '\n';
            // As wc: a word is a run of non-space bytes.
            const bool space = c == ' ' || (c >= '\t' && c <= '\r');
            words += !space && !inWord;
            inWord = !space;
        }
    }
    return {{QStringLiteral("lines"), double(lines)}, {QStringLiteral("words"), double(words)}, {QStringLiteral("bytes"), double(bytes)}};
}

QJsonObject FileOps::gzip(const QString &path, QString *error)
{
    QFile file;
    if (!openInput(file, path, "gzip", error))
        return {};
    const QString target = path + QStringLiteral(".gz");
    OutputFile out(target);
    if (!open(out, target, "gzip", error))
        return {};
    z_stream z{};
    // 16 + 15: a gzip wrapper around the deflate stream, as gzip(1) writes.
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        *error = QStringLiteral("gzip: zlib could not start");
        return {};
    }
    QByteArray buffer(int(ChunkSize), Qt::Uninitialized);
    qint64 written = 0;
    qint64 bytes = 0;
    bool ok = true;
    int flush = Z_NO_FLUSH;
    QByteArray chunk;
    while (ok && flush != Z_FINISH) {
        if (!readChunk(file, path, &chunk, "gzip", error)) {
            ok = false;
            break;
        }
        bytes += chunk.size();
        flush = chunk.isEmpty() ? Z_FINISH : Z_NO_FLUSH;
        z.next_in = reinterpret_cast<Bytef *>(chunk.data());
        z.avail_in = uInt(chunk.size());
        do {
            z.next_out = reinterpret_cast<Bytef *>(buffer.data());
            z.avail_out = uInt(buffer.size());
            deflate(&z, flush);
            const qint64 have = buffer.size() - z.avail_out;
            if (out.write(buffer.constData(), have) != have) {
                *error = QStringLiteral("gzip: cannot write %1: %2").arg(shown(target), out.errorString());
                ok = false;
                break;
            }
            written += have;
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    if (!ok) {
        out.cancel();
        return {};
    }
    if (!commit(out, target, "gzip", error))
        return {};
    return {{QStringLiteral("output"), target}, {QStringLiteral("bytes"), double(bytes)}, {QStringLiteral("compressed"), double(written)}};
}

QJsonObject FileOps::upper(const QString &path, QString *error)
{
    QFile file;
    if (!openInput(file, path, "upper", error))
        return {};
    const QString target = path + QStringLiteral(".upper");
    OutputFile out(target);
    if (!open(out, target, "upper", error))
        return {};
    // Stateful codecs: a character split across two chunks is decoded whole; bytes that are
    // not UTF-8 become U+FFFD rather than vanish.
    QStringDecoder decode(QStringDecoder::Utf8);
    QStringEncoder encode(QStringEncoder::Utf8);
    qint64 bytes = 0;
    QByteArray chunk;
    for (;;) {
        if (!readChunk(file, path, &chunk, "upper", error)) {
            out.cancel();
            return {};
        }
        if (chunk.isEmpty())
            break;
        bytes += chunk.size();
        const QString text = decode(chunk);
        out.write(encode(text.toUpper()));
    }
    if (!commit(out, target, "upper", error))
        return {};
    return {{QStringLiteral("output"), target}, {QStringLiteral("bytes"), double(bytes)}};
}
