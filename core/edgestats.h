#pragma once

#include <QByteArrayList>

namespace Spawnscope {

// What is known of one edge while a run goes on. An edge the parent relays (tapped, fan-out,
// fan-in) is counted exactly; a direct kernel pipe carries bytes the parent never sees, so only
// its state is known: how much sits in the kernel's buffer and whether its writer waits.
struct EdgeStats
{
    bool relayed = false;
    qint64 bytes = -1;       // passed so far; -1 when not counted (a direct edge)
    qint64 lines = -1;
    qint64 queued = 0;       // bytes written but not yet read (direct: in the kernel's buffer)
    bool writerBlocked = false;
    QByteArrayList lastLines; // a tapped edge's most recent complete lines, oldest first
};

} // namespace Spawnscope
