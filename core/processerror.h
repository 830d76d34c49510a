#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace Spawnscope {

// Node's error object as a value: the fields Node sets on the errors of child_process.
// A field left Undefined / nullopt / empty is absent, as in Node, so toJson() reproduces
// exactly the own keys Node reports (e.g. an exec error's `signal` is present and null).
struct ProcessError
{
    QString name = QStringLiteral("Error");
    QString message;
    QJsonValue code = QJsonValue::Undefined;   // "ENOENT", an exit code, "ERR_..."
    std::optional<int> errnum;                 // Node's `errno`: the negative errno
    QString syscall;                           // "spawn PROGRAM", "write", "spawnSync PROGRAM"
    std::optional<QString> path;
    std::optional<QStringList> spawnargs;
    std::optional<bool> killed;
    QJsonValue signal = QJsonValue::Undefined; // a name, or null
    std::optional<QString> cmd;
    QJsonValue status = QJsonValue::Undefined;

    bool isNull() const { return message.isEmpty() && code.isUndefined(); }
    // The `code` as a string ("ENOENT"), or empty when it is a number or absent.
    QString codeName() const { return code.isString() ? code.toString() : QString(); }

    // The present fields in Node's key order (name, message, code, errno, syscall, ...).
    QList<std::pair<QString, QJsonValue>> fields() const;
    QJsonObject toJson() const;

    // A system error the way Node's errnoException builds it: message "SYSCALL CODE".
    static ProcessError fromErrno(int err, const QString &syscall);
    // Node's internal errors (ERR_IPC_CHANNEL_CLOSED, ERR_INVALID_ARG_VALUE...).
    static ProcessError nodeError(const QString &code, const QString &message,
                                  const QString &name = QStringLiteral("Error"));
    static ProcessError abortError();

    // "ENOENT" for 2; "UNKNOWN" when the platform has no name.
    static QString errnoName(int err);
};

} // namespace Spawnscope
