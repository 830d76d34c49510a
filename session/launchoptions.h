#pragma once

#include <processsignal.h>
#include <stdiomode.h>

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <csignal>
#include <optional>
#include <utility>

namespace Spawnscope {

// The options the window starts commands with: the core's options, as the options dialog
// edits them. Defaults are the core's defaults.
struct LaunchOptions
{
    QString cwd;                                    // empty: the window's own
    bool clearEnvironment = false;                  // start from an empty environment
    QList<std::pair<QString, QString>> environment; // set on top
    QString shell;                                  // spawn/execFile: run through this shell
    int timeoutMs = 0;                              // 0: none
    ProcessSignal killSignal = SIGTERM;
    qsizetype maxBuffer = 1024 * 1024;              // exec/execFile, Node's default
    bool detached = false;
    StdioMode stdio[3] = {StdioMode::Pipe, StdioMode::Pipe, StdioMode::Pipe};
    QString execPath;                               // fork: the interpreter (node from PATH when empty)
    QStringList execArgv;                           // fork: the interpreter's own arguments

    bool isDefault() const;
    QString summary() const; // "in /tmp, timeout 500 ms, ..." or empty for the defaults
    // The environment a child gets, or nullopt for the window's own unchanged.
    std::optional<QProcessEnvironment> environmentForChild() const;
    friend bool operator==(const LaunchOptions &, const LaunchOptions &);
};

} // namespace Spawnscope
