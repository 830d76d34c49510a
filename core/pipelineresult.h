#pragma once

#include "pipelinespec.h"

#include <QList>
#include <QString>

#include <optional>

namespace Spawnscope {

struct StageResult
{
    int id = 0;
    QString name;
    qint64 pid = 0;
    bool started = false;
    std::optional<int> exitCode;
    QString signal;      // the signal that ended it, or empty
    QString error;       // why it did not start, or another error it reported
    int startErrno = 0;  // ENOENT, EACCES... when it did not start

    // As a shell reports it: the exit code, 128+N for signal N, 127 (126 for EACCES) when the
    // program could not be started.
    int status() const;
};

struct PipelineResult
{
    QList<StageResult> stages; // in pipeline order
    StatusPolicy policy = StatusPolicy::Pipefail;
    int status = 0;            // chosen by the policy; 0 is success
    QString error;             // why the run failed as a whole (a stage that did not start), or empty
    bool stopped = false;      // stop() was called
    qint64 durationMs = 0;

    static int statusOf(const QList<StageResult> &stages, StatusPolicy policy);
};

} // namespace Spawnscope
