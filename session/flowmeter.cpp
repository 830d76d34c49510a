#include "flowmeter.h"

#include <QLocale>

#include <cmath>

namespace Spawnscope {

void FlowMeter::update(const EdgeStats &stats, qint64 msecs)
{
    const qint64 bytes = std::max<qint64>(stats.bytes, 0);
    if (m_lastMs >= 0 && msecs > m_lastMs) {
        const double dt = double(msecs - m_lastMs);
        const double now = double(bytes - m_lastBytes) * 1000.0 / dt;
        // A sample's weight follows the time it covers, so that the average does not depend on
        // how often stats arrive.
        const double alpha = 1.0 - std::exp(-dt / TimeConstantMs);
        m_rate += alpha * (now - m_rate);
    }
    if (bytes > m_lastBytes || (!m_seen && bytes > 0)) {
        // Bytes already there at the first sample moved since the run began, at 0 on its clock.
        if (m_firstMoveMs < 0) {
            m_firstMoveMs = m_lastMs >= 0 ? m_lastMs : 0;
            m_firstBytes = m_lastMs >= 0 ? m_lastBytes : 0;
        }
        m_lastMoveMs = msecs;
    }
    if (m_lastMs < 0 || msecs >= m_lastMs) {
        m_lastMs = msecs;
        m_lastBytes = bytes;
    }
    m_stats = stats;
    m_seen = true;
    ++m_samples;
}

void FlowMeter::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    // Nothing waits in a pipe of a run that has ended.
    m_stats.writerBlocked = false;
    m_stats.queued = 0;
    const qint64 span = m_lastMoveMs - m_firstMoveMs;
    m_rate = span > 0 ? double(m_lastBytes - m_firstBytes) * 1000.0 / double(span) : 0;
}

void FlowMeter::reset()
{
    *this = FlowMeter();
}

bool FlowMeter::isIdle(qint64 msecs) const
{
    return !m_finished && (m_lastMoveMs < 0 || msecs - m_lastMoveMs >= IdleAfterMs);
}

QString FlowMeter::bytesText(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("? bytes");
    if (bytes < 1000)
        return QStringLiteral("%1 B").arg(bytes);
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString FlowMeter::linesText(qint64 lines)
{
    if (lines == 1)
        return QStringLiteral("1 line");
    if (lines < 10000)
        return QStringLiteral("%1 lines").arg(lines);
    if (lines < 1000000)
        return QStringLiteral("%1 k lines").arg(double(lines) / 1e3, 0, 'f', lines < 100000 ? 1 : 0);
    return QStringLiteral("%1 M lines").arg(double(lines) / 1e6, 0, 'f', 1);
}

QString FlowMeter::rateText(double bytesPerSecond)
{
    return bytesText(qint64(bytesPerSecond)) + QStringLiteral("/s");
}

QString FlowMeter::label(qint64 msecs) const
{
    // A count that is an upper bound says so, and so does the rate made from it.
    const QString atMost = !m_stats.bytesExact && m_stats.bytes >= 0 ? QStringLiteral("≤ ") : QString();
    QStringList parts{atMost + bytesText(m_stats.bytes)};
    if (m_stats.lines >= 0)
        parts << linesText(m_stats.lines);
    if (m_stats.bytes < 0)
        ; // no rate from bytes nobody knows
    else if (m_finished)
        parts << (m_rate > 0 ? atMost + rateText(m_rate) + QStringLiteral(" mean") : QStringLiteral("done"));
    else if (m_samples < 2)
        ; // one sample gives no rate yet
    else if (isIdle(msecs))
        parts << QStringLiteral("idle");
    else
        parts << atMost + rateText(m_rate);
    return parts.join(QStringLiteral(" · "));
}

} // namespace Spawnscope
