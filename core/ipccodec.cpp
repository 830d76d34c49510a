#include "ipccodec_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace Spawnscope::Internal::IpcCodec {

QByteArray encode(const QJsonValue &value)
{
    QByteArray text;
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

bool decode(QByteArrayView line, QJsonValue *value, QString *error)
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
        QByteArray wrapped;
        wrapped.reserve(text.size() + 2);
        wrapped.append('[').append(text.data(), text.size()).append(']');
        const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &parseError);
        if (parseError.error == QJsonParseError::NoError && doc.array().size() == 1) {
            *value = doc.array().at(0);
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
