#include "ipccodec_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace Spawnscope::Internal::IpcCodec {

static bool needsEscape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

static const char hex[] = "0123456789abcdef";

// JSON.stringify's escaping of a string without lone surrogates, written straight to UTF-8: the
// common case (nothing to escape) is one SIMD conversion and one copy.
static void appendJsonText(QByteArray &out, QStringView s)
{
    const QByteArray utf8 = s.toUtf8();
    // toUtf8() turns a lone surrogate into '?', where JSON.stringify (and Qt's writer, as in an
    // object) writes "\ud800": rare enough for the slow road.
    if (utf8.contains('?') && !s.isValidUtf16()) {
        const QByteArray json = QJsonDocument(QJsonArray{s.toString()}).toJson(QJsonDocument::Compact);
        out.append(json.constData() + 1, json.size() - 2);
        return;
    }
    const auto *p = reinterpret_cast<const unsigned char *>(utf8.constData());
    const qsizetype n = utf8.size();
    bool clean = true;
    for (qsizetype i = 0; i < n; ++i)
        clean &= !needsEscape(p[i]);
    out.reserve(out.size() + n + 3);
    if (clean) {
        out.append(utf8);
    } else {
        qsizetype run = 0;
        for (qsizetype i = 0; i < n; ++i) {
            const unsigned char c = p[i];
            if (!needsEscape(c))
                continue;
            out.append(utf8.constData() + run, i - run);
            run = i + 1;
            switch (c) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\b': out.append("\\b"); break;
            case '\f': out.append("\\f"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default: {
                const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                out.append(esc, 6);
            }
            }
        }
        out.append(utf8.constData() + run, n - run);
    }
}

static bool isLoneSurrogate(QStringView s, qsizetype i)
{
    const QChar c = s[i];
    if (c.isHighSurrogate())
        return i + 1 == s.size() || !s[i + 1].isLowSurrogate();
    return c.isLowSurrogate() && (i == 0 || !s[i - 1].isHighSurrogate());
}

// A lone surrogate as JSON.stringify writes it, `\udce9`: a name's byte that is not UTF-8
// (OsString) crosses the channel whole, where UTF-8 would make it `?`.
static void appendJsonString(QByteArray &out, const QString &s)
{
    out.append('"');
    qsizetype run = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (!s[i].isSurrogate() || !isLoneSurrogate(s, i))
            continue;
        appendJsonText(out, QStringView(s).sliced(run, i - run));
        const char16_t u = s[i].unicode();
        const char esc[] = {'\\', 'u', hex[u >> 12], hex[(u >> 8) & 15], hex[(u >> 4) & 15], hex[u & 15]};
        out.append(esc, 6);
        run = i + 1;
    }
    appendJsonText(out, QStringView(s).sliced(run));
    out.append('"');
}

QByteArray encode(const QJsonValue &value)
{
    QByteArray text;
    if (value.isString()) {
        appendJsonString(text, value.toString());
        text.append('\n');
        return text;
    }
    if (value.isObject()) {
        text = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    } else if (value.isArray()) {
        text = QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    } else if (value.isUndefined()) {
        return {};
    } else {
        // QJsonDocument only holds arrays and objects; a scalar is the inside of a one-element array.
        text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        text = text.mid(1, text.size() - 2);
    }
    text.append('\n');
    return text;
}

static bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

namespace {

// JSON forbids U+0000-U+001F unescaped inside a string, and so does Node; Qt's parser takes them.
qsizetype rawControlInString(QByteArrayView text)
{
    bool inString = false;
    bool escaped = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!inString) {
            inString = c == '"';
        } else if (escaped) {
            escaped = false;
        } else if (c == '\\') {
            escaped = true;
        } else if (c == '"') {
            inString = false;
        } else if (c < 0x20) {
            return i;
        }
    }
    return -1;
}

} // namespace

bool decode(QByteArrayView line, QJsonValue *value, QString *error, QByteArray *scratch)
{
    qsizetype begin = 0;
    qsizetype end = line.size();
    while (begin < end && isJsonSpace(line[begin]))
        ++begin;
    while (end > begin && isJsonSpace(line[end - 1]))
        --end;
    if (begin == end) {
        *error = QStringLiteral("Unexpected end of JSON input");
        return false;
    }
    const QByteArrayView text = line.sliced(begin, end - begin);
    if (const qsizetype bad = rawControlInString(text); bad >= 0) {
        *error = QStringLiteral("Invalid JSON on the message channel: bad control character in string literal at position %1")
                     .arg(bad);
        return false;
    }
    QJsonParseError parseError;
    const char first = text[0];
    if (first == '{' || first == '[') {
        const QJsonDocument doc =
            QJsonDocument::fromJson(QByteArray::fromRawData(text.data(), text.size()), &parseError);
        if (parseError.error == QJsonParseError::NoError) {
            *value = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
            return true;
        }
    } else {
        QByteArray local;
        QByteArray &wrapped = scratch ? *scratch : local;
        wrapped.resize(0); // keeps the capacity
        wrapped.reserve(text.size() + 2);
        wrapped.append('[').append(text.data(), text.size()).append(']');
        const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &parseError);
        if (parseError.error == QJsonParseError::NoError && doc.array().size() == 1) {
            *value = doc.array().at(0);
            if (scratch && scratch->capacity() > 4 * 1024 * 1024 && text.size() < 64 * 1024)
                scratch->squeeze(); // do not hold a big buffer for small messages for ever
            return true;
        }
        if (parseError.error == QJsonParseError::NoError)
            parseError.offset = 0;
        else
            parseError.offset = qMax(0, parseError.offset - 1);
    }
    *error = QStringLiteral("Invalid JSON on the message channel: %1 at position %2")
                 .arg(parseError.error == QJsonParseError::NoError ? QStringLiteral("more than one value")
                                                                   : parseError.errorString())
                 .arg(parseError.offset);
    return false;
}

bool isInternal(const QJsonValue &value, QString *cmd)
{
    if (!value.isObject())
        return false;
    const QJsonValue c = value.toObject().value(QLatin1String("cmd"));
    if (!c.isString())
        return false;
    const QString s = c.toString();
    if (s.size() <= 5 || !s.startsWith(QLatin1String("NODE_")))
        return false;
    if (cmd)
        *cmd = s;
    return true;
}

} // namespace Spawnscope::Internal::IpcCodec
