#include "osstring.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

extern char **environ;

namespace Spawnscope {

namespace {

bool isContinuation(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

// The length of the well-formed UTF-8 sequence at `p` (Unicode's table 3-7: no overlong forms,
// no surrogates, nothing past U+10FFFF), or 0 when there is none.
int sequenceLength(const unsigned char *p, qsizetype left)
{
    const unsigned char b = p[0];
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        return left >= 2 && isContinuation(p[1]) ? 2 : 0;
    if (b >= 0xE0 && b <= 0xEF) {
        if (left < 3 || !isContinuation(p[1]) || !isContinuation(p[2]))
            return 0;
        if ((b == 0xE0 && p[1] < 0xA0) || (b == 0xED && p[1] > 0x9F))
            return 0;
        return 3;
    }
    if (b >= 0xF0 && b <= 0xF4) {
        if (left < 4 || !isContinuation(p[1]) || !isContinuation(p[2]) || !isContinuation(p[3]))
            return 0;
        if ((b == 0xF0 && p[1] < 0x90) || (b == 0xF4 && p[1] > 0x8F))
            return 0;
        return 4;
    }
    return 0;
}

// The lone surrogates of `text` (escapes, or any other one) through `each`; the rest as it is.
template<typename Each>
QString mapLoneSurrogates(QStringView text, Each each)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            out += c;
            out += text[++i];
        } else if (c.isSurrogate()) {
            each(c.unicode(), out);
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

QString OsString::decode(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n && p[i] < 0x80)
        ++i;
    if (i == n)
        return QString::fromLatin1(bytes.data(), n);
    // Decoded here rather than by Qt, which would drop a leading byte order mark.
    QString out = QString::fromLatin1(bytes.data(), i);
    out.reserve(n);
    while (i < n) {
        const unsigned char b = p[i];
        switch (sequenceLength(p + i, n - i)) {
        case 1:
            out += QChar(char16_t(b));
            i += 1;
            break;
        case 2:
            out += QChar(char16_t(((b & 0x1F) << 6) | (p[i + 1] & 0x3F)));
            i += 2;
            break;
        case 3:
            out += QChar(char16_t(((b & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F)));
            i += 3;
            break;
        case 4: {
            const char32_t code = ((b & 0x07) << 18) | ((p[i + 1] & 0x3F) << 12) | ((p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F);
            out += QChar(QChar::highSurrogate(code));
            out += QChar(QChar::lowSurrogate(code));
            i += 4;
            break;
        }
        default:
            out += QChar(char16_t(0xDC00 + b)); // not UTF-8: the byte, escaped
            i += 1;
        }
    }
    return out;
}

QByteArray OsString::encode(QStringView text)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        char32_t code = u;
        if (u < 0x80) {
            out += char(u);
            continue;
        }
        if (QChar::isHighSurrogate(u) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            code = QChar::surrogateToUcs4(u, text[++i].unicode());
        } else if (isEscape(u)) {
            out += char(u - 0xDC00);
            continue;
        } else if (QChar::isSurrogate(u)) {
            code = 0xFFFD; // a lone surrogate no decode() made: no bytes stand behind it
        }
        if (code < 0x800) {
            out += char(0xC0 | (code >> 6));
        } else if (code < 0x10000) {
            out += char(0xE0 | (code >> 12));
            out += char(0x80 | ((code >> 6) & 0x3F));
        } else {
            out += char(0xF0 | (code >> 18));
            out += char(0x80 | ((code >> 12) & 0x3F));
            out += char(0x80 | ((code >> 6) & 0x3F));
        }
        out += char(0x80 | (code & 0x3F));
    }
    return out;
}

bool OsString::hasRawBytes(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
            ++i;
        else if (c.isSurrogate())
            return true;
    }
    return false;
}

QString OsString::readable(QStringView text)
{
    if (!hasRawBytes(text))
        return text.toString();
    return mapLoneSurrogates(text, [](char16_t u, QString &out) {
        static const char hex[] = "0123456789ABCDEF";
        if (isEscape(u)) {
            const int byte = u - 0xDC00;
            out += QLatin1String("\\x");
            out += QLatin1Char(hex[byte >> 4]);
            out += QLatin1Char(hex[byte & 15]);
        } else {
            out += QChar(QChar::ReplacementCharacter);
        }
    });
}

QString OsString::replaced(QStringView text)
{
    if (!hasRawBytes(text))
        return text.toString();
    return mapLoneSurrogates(text, [](char16_t, QString &out) { out += QChar(QChar::ReplacementCharacter); });
}

int OsString::open(QStringView path, int flags, unsigned mode)
{
    const QByteArray name = encode(path);
    int fd;
    while ((fd = ::open(name.constData(), flags | O_CLOEXEC, mode_t(mode))) < 0 && errno == EINTR) {
    }
    return fd;
}

bool OsString::openFile(QFile &file, QStringView path, QIODevice::OpenMode mode, QString *error)
{
    int flags = 0;
    if ((mode & QIODevice::ReadWrite) == QIODevice::ReadWrite)
        flags = O_RDWR | O_CREAT;
    else if (mode & QIODevice::WriteOnly)
        flags = O_WRONLY | O_CREAT;
    else
        flags = O_RDONLY;
    if (mode & QIODevice::Append)
        flags |= O_APPEND;
    else if ((mode & QIODevice::Truncate) || ((mode & QIODevice::WriteOnly) && !(mode & QIODevice::ReadOnly)))
        flags |= O_TRUNC;
    if (mode & QIODevice::NewOnly)
        flags |= O_EXCL | O_CREAT;
    const int fd = open(path, flags);
    if (fd < 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    if (file.open(fd, mode & ~(QIODevice::NewOnly | QIODevice::ExistingOnly | QIODevice::Truncate), QFileDevice::AutoCloseHandle))
        return true;
    *error = file.errorString();
    ::close(fd);
    return false;
}

QStringList OsString::arguments(int argc, const char *const *argv)
{
    QStringList out;
    out.reserve(argc);
    for (int i = 0; i < argc; ++i)
        out << decode(argv[i]);
    return out;
}

QProcessEnvironment OsString::systemEnvironment()
{
    QProcessEnvironment env;
    for (char **entry = environ; entry && *entry; ++entry) {
        const QByteArrayView bytes(*entry);
        const qsizetype eq = bytes.indexOf('=');
        if (eq > 0)
            env.insert(decode(bytes.first(eq)), decode(bytes.sliced(eq + 1)));
    }
    return env;
}

} // namespace Spawnscope
