#include "jsonline.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Spawnscope {

JsonLine &JsonLine::add(const char *key, const QJsonValue &value)
{
    return addRaw(key, encode(value));
}

JsonLine &JsonLine::addRaw(const char *key, const QByteArray &json)
{
    return addRaw(QString::fromLatin1(key), json);
}

JsonLine &JsonLine::addRaw(const QString &key, const QByteArray &json)
{
    m_text += m_text.isEmpty() ? "{" : ",";
    m_text += encode(key);
    m_text += ':';
    m_text += json;
    return *this;
}

QByteArray JsonLine::toJson() const
{
    return m_text.isEmpty() ? QByteArray("{}") : m_text + '}';
}

QByteArray JsonLine::encode(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    if (value.isUndefined())
        return "null";
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return text.mid(1, text.size() - 2);
}

QByteArray JsonLine::encodeObject(const QList<std::pair<QString, QJsonValue>> &fields)
{
    QByteArray text = "{";
    for (const auto &[key, value] : fields) {
        if (text.size() > 1)
            text += ',';
        text += encode(key) + ':' + encode(value);
    }
    return text + '}';
}

} // namespace Spawnscope
