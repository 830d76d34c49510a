#include "fileops.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSaveFile>
#include <QStringDecoder>
#include <QStringEncoder>

#include <zlib.h>

namespace {

constexpr qint64 ChunkSize = 256 * 1024;

bool openInput(QFile &file, const char *op, QString *error)
{
    if (file.open(QIODevice::ReadOnly))
        return true;
    *error = QStringLiteral("%1: cannot read %2: %3").arg(QLatin1String(op), file.fileName(), file.errorString());
    return false;
}

bool commit(QSaveFile &out, const char *op, QString *error)
{
    if (out.commit())
        return true;
    *error = QStringLiteral("%1: cannot write %2: %3").arg(QLatin1String(op), out.fileName(), out.errorString());
    return false;
}

} // namespace

QJsonObject FileOps::hash(const QString &path, QString *error)
{
    QFile file(path);
    if (!openInput(file, "hash", error))
        return {};
    QCryptographicHash sha(QCryptographicHash::Sha256);
    if (!sha.addData(&file)) {
        *error = QStringLiteral("hash: cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    // pos(), not size(): a pipe (a pipeline stage reading /dev/stdin) has no size.
    return {{QStringLiteral("sha256"), QString::fromLatin1(sha.result().toHex())}, {QStringLiteral("bytes"), double(file.pos())}};
}

QJsonObject FileOps::count(const QString &path, QString *error)
{
    QFile file(path);
    if (!openInput(file, "count", error))
        return {};
    qint64 lines = 0;
    qint64 words = 0;
    qint64 bytes = 0;
    bool inWord = false;
    while (!file.atEnd()) {
        const QByteArray chunk = file.read(ChunkSize);
        if (chunk.isEmpty() && file.error() != QFile::NoError) {
            *error = QStringLiteral("count: cannot read %1: %2").arg(path, file.errorString());
            return {};
        }
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
    QFile file(path);
    if (!openInput(file, "gzip", error))
        return {};
    const QString target = path + QStringLiteral(".gz");
    QSaveFile out(target);
    if (!out.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("gzip: cannot write %1: %2").arg(target, out.errorString());
        return {};
    }
    z_stream z{};
    // 16 + 15: a gzip wrapper around the deflate stream, as gzip(1) writes.
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        *error = QStringLiteral("gzip: zlib could not start");
        return {};
    }
    QByteArray buffer(int(ChunkSize), Qt::Uninitialized);
    qint64 written = 0;
    bool ok = true;
    int flush = Z_NO_FLUSH;
    while (ok && flush != Z_FINISH) {
        QByteArray chunk = file.read(ChunkSize);
        if (chunk.isEmpty() && file.error() != QFile::NoError) {
            *error = QStringLiteral("gzip: cannot read %1: %2").arg(path, file.errorString());
            ok = false;
            break;
        }
        flush = file.atEnd() ? Z_FINISH : Z_NO_FLUSH;
        z.next_in = reinterpret_cast<Bytef *>(chunk.data());
        z.avail_in = uInt(chunk.size());
        do {
            z.next_out = reinterpret_cast<Bytef *>(buffer.data());
            z.avail_out = uInt(buffer.size());
            deflate(&z, flush);
            const qint64 have = buffer.size() - z.avail_out;
            if (out.write(buffer.constData(), have) != have) {
                *error = QStringLiteral("gzip: cannot write %1: %2").arg(target, out.errorString());
                ok = false;
                break;
            }
            written += have;
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    if (!ok) {
        out.cancelWriting();
        return {};
    }
    if (!commit(out, "gzip", error))
        return {};
    return {{QStringLiteral("output"), target}, {QStringLiteral("bytes"), double(file.size())}, {QStringLiteral("compressed"), double(written)}};
}

QJsonObject FileOps::upper(const QString &path, QString *error)
{
    QFile file(path);
    if (!openInput(file, "upper", error))
        return {};
    const QString target = path + QStringLiteral(".upper");
    QSaveFile out(target);
    if (!out.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("upper: cannot write %1: %2").arg(target, out.errorString());
        return {};
    }
    // Stateful codecs: a character split across two chunks is decoded whole; bytes that are
    // not UTF-8 become U+FFFD rather than vanish.
    QStringDecoder decode(QStringDecoder::Utf8);
    QStringEncoder encode(QStringEncoder::Utf8);
    while (!file.atEnd()) {
        const QByteArray chunk = file.read(ChunkSize);
        if (chunk.isEmpty() && file.error() != QFile::NoError) {
            *error = QStringLiteral("upper: cannot read %1: %2").arg(path, file.errorString());
            out.cancelWriting();
            return {};
        }
        const QString text = decode(chunk);
        out.write(encode(text.toUpper()));
    }
    if (!commit(out, "upper", error))
        return {};
    return {{QStringLiteral("output"), target}, {QStringLiteral("bytes"), double(file.size())}};
}
