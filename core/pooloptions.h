#pragma once

#include "processsignal.h"

#include <QString>

#include <csignal>

namespace Spawnscope {

enum class HaltPolicy {
    Never, // run every job whatever fails
    Soon,  // after the first job that fails for good, start no more; let running ones end
    Now,   // after the first job that fails for good, stop the running ones too
};

struct PoolOptions
{
    int jobs = 0;          // children at once; 0: the number of cores
    int retries = 1;       // attempts per job, as GNU parallel's --retries (1: no retry)
    int timeoutMs = 0;     // per attempt; 0: none
    HaltPolicy halt = HaltPolicy::Never;
    ProcessSignal killSignal = SIGTERM; // for timeouts and halts
    int stopGraceMs = 2000;             // then SIGKILL
    QString cwd;
    bool killWithParent = false; // as SpawnOptions::killWithParent, for every job and worker
    qsizetype maxOutputBytes = 64 * 1024 * 1024; // kept per job and stream; counted beyond
};

} // namespace Spawnscope
