#pragma once

#include <QLoggingCategory>

// The core's log, by area; quiet unless QT_LOGGING_RULES turns an area on (warnings, which mean
// something failed that nobody else is told of, show by default).
Q_DECLARE_LOGGING_CATEGORY(lcIo)       // spawnscope.core.io: the I/O thread, its descriptors and epoll
Q_DECLARE_LOGGING_CATEGORY(lcIpc)      // spawnscope.core.ipc: message channels
Q_DECLARE_LOGGING_CATEGORY(lcPipeline) // spawnscope.core.pipeline: pipeline runs and their relay
Q_DECLARE_LOGGING_CATEGORY(lcPool)     // spawnscope.core.pool: the worker pool's jobs and workers
