#pragma once

// Node's child_process functions. None of them throws: whatever Node would throw or report
// through 'error' arrives as ChildProcess::errorOccurred(), the callback's error, or
// SyncResult::error.

#include "childprocess.h"
#include "execoptions.h"
#include "execresult.h"
#include "forkoptions.h"
#include "spawnoptions.h"
#include "syncoptions.h"
#include "syncresult.h"

#include <functional>

namespace Spawnscope {

using ExecCallback = std::function<void(const ExecResult &result)>;

// Starts `file` with `args` (Node's spawn). The child is started before this returns (pid()
// is set); its signals start on the next event-loop iteration, so connect them right away.
ChildProcess *spawn(const QString &file, const QStringList &args = {}, const SpawnOptions &options = {},
                    QObject *parent = nullptr);

// Runs `command` with the shell and collects its output (Node's exec). The callback runs
// exactly once, before closed(), or at once from errorOccurred() when the child could not start.
ChildProcess *exec(const QString &command, const ExecOptions &options, ExecCallback callback,
                   QObject *parent = nullptr);
// Like exec, without a shell unless options.shell is set (Node's execFile).
ChildProcess *execFile(const QString &file, const QStringList &args, const ExecOptions &options,
                       ExecCallback callback, QObject *parent = nullptr);

// Starts a child with the message channel (Node's fork). The module runs under
// options.execPath ("node" from PATH when empty), which resolves it as Node resolves its main
// module (`fork-child` finds `fork-child.js`), unless forkRunsProgram() says it is a program.
ChildProcess *fork(const QString &modulePath, const QStringList &args = {}, const ForkOptions &options = {},
                   QObject *parent = nullptr);

// True when fork() runs `modulePath` as the program itself: an executable file (looked up
// from `cwd` when relative) whose name does not end in .js, .mjs or .cjs.
bool forkRunsProgram(const QString &modulePath, const QString &cwd = {});

// The synchronous forms: they block the calling thread and need no event loop.
SyncResult spawnSync(const QString &file, const QStringList &args = {}, const SyncOptions &options = {});
// Where Node throws, `error` is set: a non-zero status gives "Command failed: ...".
SyncResult execSync(const QString &command, const SyncOptions &options = {});
SyncResult execFileSync(const QString &file, const QStringList &args = {}, const SyncOptions &options = {});

} // namespace Spawnscope
