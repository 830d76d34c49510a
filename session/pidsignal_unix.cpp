#include "pidsignal.h"

#include <csignal>

#include <fcntl.h>
#include <unistd.h>

namespace Spawnscope {

bool sendSignalToPid(qint64 pid, int signal)
{
    return pid > 0 && ::kill(pid_t(pid), signal) == 0;
}

bool inTerminalForeground()
{
    const int tty = ::open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (tty < 0)
        return false; // no controlling terminal: started from the desktop, or detached
    const bool foreground = ::tcgetpgrp(tty) == ::getpgrp();
    ::close(tty);
    return foreground;
}

} // namespace Spawnscope
