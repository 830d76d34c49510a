#pragma once

#include <QLoggingCategory>

// The session layer's log, by area; quiet unless QT_LOGGING_RULES turns an area on (warnings,
// which mean something was lost or refused, show by default).
Q_DECLARE_LOGGING_CATEGORY(lcOutput)  // spawnscope.session.output: the output spools
Q_DECLARE_LOGGING_CATEGORY(lcSampler) // spawnscope.session.sampler: CPU and memory from /proc
Q_DECLARE_LOGGING_CATEGORY(lcLesson)  // spawnscope.session.lesson: lessons, their steps and server
