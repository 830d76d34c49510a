#pragma once

#include <QtGlobal>

namespace Spawnscope {

// Sends `signal` to a process the session knows only by its pid (a batch job, whose child
// belongs to the pool); false when it is gone or not ours to signal.
bool sendSignalToPid(qint64 pid, int signal);

// Whether this process is in the foreground process group of its controlling terminal. Its
// children must then stay in its group: in a group of their own they would be a background job
// of that terminal, stopped (SIGTTIN, SIGTTOU) as soon as they read from it or prompt at it.
bool inTerminalForeground();

} // namespace Spawnscope
