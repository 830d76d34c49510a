#pragma once

#include "processsignal.h"
#include "stdiomode.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>

#include <csignal>
#include <optional>

namespace Spawnscope {

// Node's spawnSync()/execSync()/execFileSync() options.
struct SyncOptions
{
    QString cwd;
    std::optional<QProcessEnvironment> env;
    QByteArray input;                   // written to stdin, which is then closed
    QString argv0;
    std::optional<StdioList> stdio;     // nullopt: pipes; execSync/execFileSync then echo stderr
    std::optional<uint> uid;
    std::optional<uint> gid;
    QString shell;                      // execSync: "/bin/sh" when empty
    int timeout = 0;
    ProcessSignal killSignal = SIGTERM;
    qsizetype maxBuffer = 1024 * 1024;
    QString encoding = QStringLiteral("buffer");
};

} // namespace Spawnscope
