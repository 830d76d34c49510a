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
    qint64 bytes = -1;        // passed so far; -1 when not known
    bool bytesExact = false;  // counted by the relay, or only what the writer wrote in all
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
