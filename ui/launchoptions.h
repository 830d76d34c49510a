#pragma once

#include <QList>
#include <QString>

#include <utility>

namespace Spawnscope::Ui {

// The options the window starts commands with: the core's options, as the options dialog
// edits them. Defaults are the core's defaults.
struct LaunchOptions
{
    QString cwd;                                 // empty: the window's own
    bool clearEnvironment = false;               // start from an empty environment
    QList<std::pair<QString, QString>> environment; // set on top
    QString shell;                               // spawn/execFile: run through this shell
    int timeoutMs = 0;                           // 0: none
    QString killSignal = QStringLiteral("SIGTERM");
    qsizetype maxBuffer = 1024 * 1024;           // exec/execFile, Node's default
    bool detached = false;
    QString stdio[3] = {QStringLiteral("pipe"), QStringLiteral("pipe"), QStringLiteral("pipe")};

    bool isDefault() const;
    QString summary() const; // "cwd /tmp, timeout 500 ms, ..." or empty for the defaults
    friend bool operator==(const LaunchOptions &, const LaunchOptions &);
};

} // namespace Spawnscope::Ui
