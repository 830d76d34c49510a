#pragma once

#include "traceline.h"

#include <QJsonObject>

namespace Spawnscope {

// One entry of a run's event log: something a stage's child process reported, in the shape of a
// `spawnscope trace` line plus the stage's id.
struct PipelineEvent
{
    qint64 t = 0;      // milliseconds since the run started
    int stage = 0;     // the stage's id; 0 for the run itself
    TraceKind kind = TraceKind::Spawn; // spawn, stdout, stderr, message, disconnect, error, exit, close, stop
    QJsonObject fields; // the trace line's other fields: pid, code, signal, data, message, error

    // The trace line: t, stage, event and the fields in the format's order.
    TraceLine toTrace() const;
};

} // namespace Spawnscope
