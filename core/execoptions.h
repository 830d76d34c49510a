#pragma once

#include "processsignal.h"

#include <QPointer>
#include <QProcessEnvironment>
#include <QString>

#include <csignal>
#include <optional>

namespace Spawnscope {

class AbortSignal;

// Node's exec()/execFile() options. exec() runs the command with `shell`, "/bin/sh" when empty;
// execFile() runs no shell unless `shell` is set.
struct ExecOptions
{
    QString cwd;
    std::optional<QProcessEnvironment> env;
    QString encoding = QStringLiteral("utf8"); // of ExecResult::text(); "buffer" keeps bytes
    QString shell;
    bool killWithParent = false;               // as SpawnOptions::killWithParent
    std::optional<qint64> processGroup;        // as SpawnOptions::processGroup
    int timeout = 0;                           // ms; 0: none
    ProcessSignal killSignal = SIGTERM;
    qsizetype maxBuffer = 1024 * 1024;         // bytes kept per stream; more is an error
    std::optional<uint> uid;
    std::optional<uint> gid;
    QPointer<AbortSignal> signal;
};

} // namespace Spawnscope
