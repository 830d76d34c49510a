#pragma once

#include <QStringList>

// `spawnscope trace`: one child through the public core API, every event as a JSON line
// (the contract is shared/spec/trace.md). Returns the process exit status.
int runTraceCommand(const QStringList &args);
