#pragma once

#include "processsignal.h"
#include "stdiomode.h"

#include <QPointer>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <csignal>
#include <optional>

namespace Spawnscope {

class AbortSignal;

// Node's fork() options. The module runs under `execPath` ("node" from PATH when empty), except
// an executable file not named .js, .mjs or .cjs, which runs as the program itself with the
// channel (forkRunsProgram()).
struct ForkOptions
{
    QString cwd;
    std::optional<QProcessEnvironment> env;
    QString execPath;
    QStringList execArgv;          // before the module, as Node puts them
    QString argv0;
    bool silent = false;           // false: inherit stdin/out/err; true: pipes
    std::optional<StdioList> stdio; // overrides silent; must hold exactly one Ipc
    bool detached = false;
    bool killWithParent = false;   // as SpawnOptions::killWithParent
    std::optional<qint64> processGroup; // as SpawnOptions::processGroup
    std::optional<uint> uid;
    std::optional<uint> gid;
    int timeout = 0;
    ProcessSignal killSignal = SIGTERM;
    QPointer<AbortSignal> signal;
    QString serialization = QStringLiteral("json");
    qsizetype maxMessageBytes = 128 * 1024 * 1024;
};

} // namespace Spawnscope
