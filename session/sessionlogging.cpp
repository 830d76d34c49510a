#include "sessionlogging.h"

Q_LOGGING_CATEGORY(lcOutput, "spawnscope.session.output", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSampler, "spawnscope.session.sampler", QtWarningMsg)
Q_LOGGING_CATEGORY(lcLesson, "spawnscope.session.lesson", QtWarningMsg)
