#pragma once

// Test support: a file with the given content in a temporary folder; its path, empty when it
// could not be written.

#include <QFile>
#include <QTemporaryDir>

inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size())
        return {};
    return f.fileName();
}
