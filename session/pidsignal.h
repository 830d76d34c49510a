#pragma once

#include <QtGlobal>

namespace Spawnscope {

// Sends `signal` to a process the session knows only by its pid (a batch job, whose child
// belongs to the pool); false when it is gone or not ours to signal.
bool sendSignalToPid(qint64 pid, int signal);

} // namespace Spawnscope
