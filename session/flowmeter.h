#pragma once

#include <edgestats.h>

#include <QString>

namespace Spawnscope {

// What one wire's label says while data flows: the bytes so far, the lines where they are
// counted, and the rate, an exponential moving average over about a second; "idle" after a
// second without data. Fed with the core's stats as they come (at most ten times a second),
// never per chunk. After the run it says the mean rate, frozen.
class FlowMeter
{
public:
    static constexpr qint64 IdleAfterMs = 1000;
    static constexpr double TimeConstantMs = 1000;

    // The edge's stats as of `msecs` on the run's clock (milliseconds since it started).
    void update(const EdgeStats &stats, qint64 msecs);
    // The run ended: the rate becomes the mean over the time data moved.
    void finish();
    void reset();

    const EdgeStats &stats() const { return m_stats; }
    bool hasStats() const { return m_seen; }
    double rate() const { return m_rate; } // bytes per second
    bool isIdle(qint64 msecs) const;
    bool isFinished() const { return m_finished; }
    // "12.3 MB · 41.2 k lines · 5.2 MB/s", "… · idle", "… · 3.1 MB/s mean"; "≤ 12.3 MB · …" where
    // the bytes are an upper bound (a direct pipe's), "? bytes" where they are not known.
    QString label(qint64 msecs) const;

    static QString bytesText(qint64 bytes);
    static QString linesText(qint64 lines);
    static QString rateText(double bytesPerSecond);

private:
    EdgeStats m_stats;
    bool m_seen = false;
    int m_samples = 0;
    bool m_finished = false;
    double m_rate = 0;
    qint64 m_lastMs = -1;
    qint64 m_lastBytes = 0;
    qint64 m_lastMoveMs = -1;  // when bytes last grew
    qint64 m_firstMoveMs = -1; // when the first bytes were seen
    qint64 m_firstBytes = 0;
};

} // namespace Spawnscope
