#pragma once

#include <QJsonObject>
#include <QString>

// The worker's file operations. Each returns its result, or sets `error` to a message that
// names the file and the cause and returns an empty object. Outputs are written to a temporary
// file and renamed into place, so a failure never leaves half a file behind.
class FileOps
{
public:
    static QJsonObject hash(const QString &path, QString *error);  // {"sha256", "bytes"}
    static QJsonObject count(const QString &path, QString *error); // {"lines", "words", "bytes"}
    static QJsonObject gzip(const QString &path, QString *error);  // writes PATH.gz: {"output", "bytes", "compressed"}
    static QJsonObject upper(const QString &path, QString *error); // writes PATH.upper: {"output", "bytes"}
};
