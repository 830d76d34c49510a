#pragma once

#include "processsignal.h"
#include "stdiomode.h"

#include <QPointer>
#include <QProcessEnvironment>
#include <QString>

#include <csignal>
#include <optional>

namespace Spawnscope {

class AbortSignal;

// Node's spawn() options, with Node 20's defaults.
struct SpawnOptions
{
    QString cwd;                              // empty: the parent's
    std::optional<QProcessEnvironment> env;   // nullopt: the parent's environment
    QString argv0;                            // empty: the program as given
    StdioList stdio{StdioMode::Pipe, StdioMode::Pipe, StdioMode::Pipe};
    bool detached = false;                    // own session and process group
    // Not Node's: SIGKILL to the child when the thread that spawned it ends, even by SIGKILL to
    // the parent. The kernel ties this to the spawning thread, not the process: spawn from a
    // thread that lives as long as the process (the main thread, as the app does). Off by
    // default, as in Node; ignored with `detached`. With `processGroup` 0 as well, the child's
    // whole group is killed with SIGKILL when the parent process dies, or ends, while any
    // process of it runs, so that what the child started goes too, even after the child.
    bool killWithParent = false;
    // Not Node's: 0 puts the child at the head of a new process group, N > 0 into group N.
    std::optional<qint64> processGroup;
    std::optional<uint> uid;
    std::optional<uint> gid;
    QString shell;                            // empty: no shell; "/bin/sh" is Node's `shell: true`
    int timeout = 0;                          // ms; 0: none
    ProcessSignal killSignal = SIGTERM;       // for timeout and abort
    QPointer<AbortSignal> signal;             // Node's `signal` option
    QString serialization = QStringLiteral("json"); // the channel's; only "json" is spoken
    qsizetype maxMessageBytes = 128 * 1024 * 1024;  // a longer channel line is an error
};

} // namespace Spawnscope
