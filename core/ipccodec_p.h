#pragma once

// Internal: Node's `json` serialization on the fork channel: one JSON text per line, UTF-8.

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>

namespace Spawnscope::Internal::IpcCodec {

// The JSON text of the value and its terminating '\n'; empty for an undefined value.
QByteArray encode(const QJsonValue &value);
// Parses one line without its '\n'. Any JSON value is allowed at the top, with white space
// around it, as JSON.parse allows; on failure returns false and says why in *error.
// `scratch` is reused between calls so a stream of large scalar messages does not allocate
// (and page-fault) a fresh buffer for each.
bool decode(QByteArrayView line, QJsonValue *value, QString *error, QByteArray *scratch = nullptr);
// Node's rule for internal messages: an object whose `cmd` is a string that starts with
// "NODE_" and is longer than that.
bool isInternal(const QJsonValue &value, QString *cmd = nullptr);

} // namespace Spawnscope::Internal::IpcCodec
