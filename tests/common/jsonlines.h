#pragma once

// Test support: the JSON Lines a headless command prints (trace, run --trace, lesson --trace).

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

inline QList<QJsonObject> jsonLines(const QByteArray &text)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.isEmpty())
            lines << QJsonDocument::fromJson(line).object();
    }
    return lines;
}
