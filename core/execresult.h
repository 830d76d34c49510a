#pragma once

#include "processerror.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace Spawnscope {

// What exec()/execFile() hand to their callback: Node's (error, stdout, stderr).
struct ExecResult
{
    std::optional<ProcessError> error;
    QByteArray standardOutput; // at most maxBuffer bytes
    QByteArray standardError;
    QString encoding = QStringLiteral("utf8");

    bool ok() const { return !error.has_value(); }
    // The bytes decoded as Node's `encoding` would: utf8, latin1/binary, ascii, hex, base64.
    static QString decode(const QByteArray &bytes, const QString &encoding);
};

} // namespace Spawnscope
