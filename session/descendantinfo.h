#pragma once

#include <QString>
#include <QtGlobal>

namespace Spawnscope {

// A process that a launched process started itself, or that one of those started, as /proc
// shows it. Its exit status is its own parent's to collect, never ours: it runs, is stopped, is
// exiting (a zombie: dead, not yet reaped) or is gone, and that is all anyone can tell of its end.
struct DescendantInfo
{
    enum class State {
        Running,  // alive: running, sleeping or waiting on a disk
        Stopped,  // by SIGSTOP, SIGTSTP, a debugger
        Exiting,  // a zombie: its life is over, its parent has not reaped it yet
        Gone,     // no longer in /proc (or its pid now belongs to another process)
    };

    qint64 pid = 0;
    // Its parent when first seen: the launched process or another descendant. Kept when it is
    // reparented (its parent ended), so that it stays where the user saw it appear.
    qint64 ppid = 0;
    int depth = 1;        // 1: a child of the launched process, 2: a grandchild...
    QString name;         // the kernel's name for it (at most 15 characters)
    QString command;      // its arguments joined by spaces; the name when it has none (a zombie)
    State state = State::Running;
    qint64 startedMs = 0; // ms since the epoch, from its start time in /proc
    qint64 goneMs = -1;   // ms since the epoch: first seen exiting or missing; -1 while it lives
    double cpuPercent = -1; // of one core, since the previous scan; -1 until a second scan
    qint64 rssBytes = -1;
    // Its start time in clock ticks after boot: with the pid, who it is, as pids are reused.
    quint64 startTicks = 0;

    bool isLive() const { return state == State::Running || state == State::Stopped; }
    // From its start to its end, or to `nowMs` while it lives.
    qint64 lifetimeMs(qint64 nowMs) const;
    static QString stateName(State state); // "running", "stopped", "exiting", "gone"

    friend bool operator==(const DescendantInfo &, const DescendantInfo &) = default;
};

} // namespace Spawnscope
