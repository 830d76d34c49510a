#include "pidsignal.h"

#include <csignal>

namespace Spawnscope {

bool sendSignalToPid(qint64 pid, int signal)
{
    return pid > 0 && ::kill(pid_t(pid), signal) == 0;
}

} // namespace Spawnscope
