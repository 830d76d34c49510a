#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>

namespace Spawnscope {

// A message as a student types it: JSON, or the JavaScript literal forms a lesson writes
// (`{n: 10}`: unquoted keys, single-quoted strings, trailing commas). What it gives is the JSON
// value that goes over the channel.
class JsLiteral
{
public:
    struct Error
    {
        int position = 0; // 0-based, into the text
        QString message;
    };

    static std::optional<QJsonValue> parse(const QString &text, Error *error);
    // The value as the channel sends it: compact JSON.
    static QString toJson(const QJsonValue &value);
};

} // namespace Spawnscope
