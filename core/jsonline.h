#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <utility>

namespace Spawnscope {

// One JSON object written with its keys in the order given (QJsonObject would sort them), so
// lines read like Node's JSON.stringify output.
class JsonLine
{
public:
    JsonLine &add(const char *key, const QJsonValue &value);
    JsonLine &addRaw(const char *key, const QByteArray &json); // key: Latin-1
    JsonLine &addRaw(const QString &key, const QByteArray &json);
    QByteArray toJson() const;

    static QByteArray encode(const QJsonValue &value);
    static QByteArray encodeObject(const QList<std::pair<QString, QJsonValue>> &fields);

private:
    QByteArray m_text;
};

} // namespace Spawnscope
