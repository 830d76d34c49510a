#include "ipccodec_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace Spawnscope::Internal::IpcCodec {

// JSON.stringify's escaping of a string, written straight to UTF-8 (no QJsonDocument round trip).
static void appendJsonString(QByteArray &out, const QString &s)
{
    static const char hex[] = "0123456789abcdef";
    out.reserve(out.size() + s.size() + 16);
    out.append('"');
    const char16_t *p = reinterpret_cast<const char16_t *>(s.constData());
    const char16_t *end = p + s.size();
    while (p < end) {
        const char16_t *run = p;
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != u'"' && *p != u'\\')
            ++p;
        if (p > run) {
            const qsizetype n = p - run;
            const qsizetype at = out.size();
            out.resize(at + n);
            char *dst = out.data() + at;
            for (qsizetype i = 0; i < n; ++i)
                dst[i] = char(run[i]);
        }
        if (p == end)
            break;
        const char16_t c = *p;
        if (c == u'"' || c == u'\\') {
            out.append('\\').append(char(c));
            ++p;
        } else if (c < 0x20) {
            switch (c) {
            case u'\b': out.append("\\b"); break;
            case u'\f': out.append("\\f"); break;
            case u'\n': out.append("\\n"); break;
            case u'\r': out.append("\\r"); break;
            case u'\t': out.append("\\t"); break;
            default: {
                const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                out.append(esc, 6);
            }
            }
            ++p;
        } else {
            const char16_t *run2 = p;
            while (p < end && *p >= 0x80)
                ++p;
            out.append(QStringView(run2, p - run2).toUtf8());
        }
    }
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
