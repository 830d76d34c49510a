#pragma once

#include "processinfo.h"

#include <QString>

namespace Spawnscope {

// What a pipeline node's badge says about its process, always in text as well as by its icon
// and colour: idle ○, ▶ with the pid, ✓ exit 0, ✗ exit N, ⚡ SIGPIPE, ⚠ ENOENT.
struct StageStatus
{
    enum class Kind {
        Idle,          // not run yet (or the results were cleared)
        Starting,
        Running,
        Stopped,       // SIGSTOP and the like: alive, not running
        Succeeded,     // exit 0
        Failed,        // a non-zero exit
        BrokenPipe,    // SIGPIPE: its reader went first, as `yes | head` ends
        Signalled,     // another signal
        NotFound,      // ENOENT: the program is not there
        FailedToStart, // another reason it could not start
        NotStarted,    // never tried: the run failed or stopped first
    };

    Kind kind = Kind::Idle;
    QString icon;
    QString text; // "pid 4121", "exit 3", "SIGPIPE", "ENOENT"

    QString label() const { return icon + QLatin1Char(' ') + text; }
    bool isLive() const { return kind == Kind::Starting || kind == Kind::Running || kind == Kind::Stopped; }
    bool isBad() const;
    friend bool operator==(const StageStatus &, const StageStatus &) = default;

    static StageStatus idle();
    // From the process of a run; null: idle.
    static StageStatus of(const ProcessInfo *info);
};

} // namespace Spawnscope
