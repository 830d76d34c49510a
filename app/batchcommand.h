#pragma once

#include <QStringList>

// `spawnscope batch`: runs a job per input with at most N at once, one process per job from a
// command template or through forked workers. Returns the number of failed jobs (at most 101),
// 130 after Ctrl-C, 2 for a usage error.
int runBatchCommand(const QStringList &args);
