#pragma once

#include <QByteArrayList>

namespace Spawnscope {

// What is known of one edge while a run goes on. An edge the parent relays (tapped, fan-out,
// fan-in) is counted exactly; a direct kernel pipe carries bytes the parent never sees, so its
// bytes are what its writer has written in all (from /proc, exact only for a writer with no other
// output), and its state is read from the kernel: how much sits in the pipe, of how much, and
// whether the writer waits.
struct EdgeStats
{
    bool relayed = false;
    // Passed so far; -1 when not known (a shell stage's children write without adding to its
    // total). A direct pipe's is at most this: its writer's total less what the parent read from
    // it, which also counts any file the writer writes itself (the kernel keeps no count per
    // pipe); a relayed edge's is exact.
    qint64 bytes = -1;
    bool bytesExact = false;  // counted by the relay
    qint64 lines = -1;        // relayed edges only
    qint64 queued = 0;        // bytes written but not yet read (a direct edge: in the kernel's pipe)
    qint64 capacity = 0;      // what the queue holds at most; 0 when not known
    // The queue is full and the writer waits on it: held for 250 ms before it shows, cleared
    // 250 ms after the queue drains, so that it does not flicker.
    bool writerBlocked = false;
    QByteArrayList lastLines; // a tapped edge's most recent complete lines, oldest first

    double fill() const { return capacity > 0 ? double(queued) / double(capacity) : 0; }
    friend bool operator==(const EdgeStats &, const EdgeStats &) = default;
};

} // namespace Spawnscope
