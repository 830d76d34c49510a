#pragma once

#include <QStringList>

// `spawnscope run FILE.spawnscope.json | -e 'LINE'`: runs a pipeline headless and returns the
// pipeline's status (130 after Ctrl-C, 2 for a usage error).
int runRunCommand(const QStringList &args);
