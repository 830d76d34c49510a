#pragma once

#include "processerror.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace Spawnscope {

// Node's spawnSync() result. The throwing forms (execSync, execFileSync) return it too, with
// `error` set where Node would throw.
struct SyncResult
{
    qint64 pid = 0;
    std::optional<int> status;   // exit code; nullopt when a signal ended it or it never ran
    QString signal;              // e.g. "SIGTERM"; empty when none
    bool hasOutput = false;      // false when the child never ran (Node's null output)
    QByteArray standardOutput;
    QByteArray standardError;
    std::optional<ProcessError> error;
};

} // namespace Spawnscope
