#include "logging_p.h"

Q_LOGGING_CATEGORY(lcIo, "spawnscope.core.io", QtWarningMsg)
Q_LOGGING_CATEGORY(lcIpc, "spawnscope.core.ipc", QtWarningMsg)
Q_LOGGING_CATEGORY(lcPipeline, "spawnscope.core.pipeline", QtWarningMsg)
Q_LOGGING_CATEGORY(lcPool, "spawnscope.core.pool", QtWarningMsg)
