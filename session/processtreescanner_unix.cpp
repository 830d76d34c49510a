#include "processtreescanner.h"

#include <osstring.h>

#include <QDateTime>
#include <QDir>
#include <QFile>

#include <algorithm>
#include <ctime>
#include <unistd.h>

namespace Spawnscope {

namespace {

QByteArray readSmall(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

DescendantInfo::State stateOf(char c)
{
    switch (c) {
    case 'T':
    case 't': return DescendantInfo::State::Stopped;
    case 'Z':
    case 'X':
    case 'x': return DescendantInfo::State::Exiting;
    default: return DescendantInfo::State::Running;
    }
}

} // namespace

ProcessTreeScanner::ProcessTreeScanner(const QString &procRoot)
    : m_proc(procRoot)
    , m_method(procRoot == QLatin1String("/proc") && !QFile::exists(QStringLiteral("/proc/thread-self/children")) ? Method::ParentPids
                                                                                                                   : Method::ChildrenFiles)
{
    m_clock.start();
}

bool ProcessTreeScanner::readStat(qint64 pid, Stat *out) const
{
    const QByteArray text = readSmall(QStringLiteral("%1/%2/stat").arg(m_proc).arg(pid));
    // The name may hold spaces and parentheses: it ends at the last ')'.
    const qsizetype open = text.indexOf('(');
    const qsizetype close = text.lastIndexOf(')');
    if (open < 0 || close < open)
        return false;
    const QList<QByteArray> f = text.mid(close + 2).split(' ');
    if (f.size() < 20 || f[0].isEmpty())
        return false;
    out->state = f[0].at(0);
    out->ppid = f[1].toLongLong();
    out->name = OsString::readable(OsString::decode(text.mid(open + 1, close - open - 1))); // shown: \xE9 for such a byte
    out->ticks = f[11].toULongLong() + f[12].toULongLong();
    out->startTicks = f[19].toULongLong();
    return true;
}

QString ProcessTreeScanner::readCommand(qint64 pid) const
{
    QByteArray text = readSmall(QStringLiteral("%1/%2/cmdline").arg(m_proc).arg(pid));
    while (text.endsWith('\0'))
        text.chop(1);
    return OsString::readable(OsString::decode(text.replace('\0', ' '))); // shown: \xE9 for a byte that is not UTF-8
}

qint64 ProcessTreeScanner::readRss(qint64 pid) const
{
    static const long pageSize = ::sysconf(_SC_PAGESIZE);
    const QList<QByteArray> f = readSmall(QStringLiteral("%1/%2/statm").arg(m_proc).arg(pid)).split(' ');
    return f.size() > 1 ? f[1].toLongLong() * pageSize : -1;
}

QList<qint64> ProcessTreeScanner::childrenOf(qint64 pid) const
{
    if (m_method == Method::ParentPids)
        return m_byParent.value(pid);
    QList<qint64> pids;
    const QDir tasks(QStringLiteral("%1/%2/task").arg(m_proc).arg(pid));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        for (const QByteArray &word : readSmall(tasks.filePath(task + QStringLiteral("/children"))).split(' ')) {
            bool ok = false;
            const qint64 child = word.trimmed().toLongLong(&ok);
            if (ok && child > 0)
                pids << child;
        }
    }
    return pids;
}

void ProcessTreeScanner::sweepParents()
{
    m_byParent.clear();
    const QDir proc(m_proc);
    for (const QString &entry : proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        Stat s;
        if (ok && readStat(pid, &s))
            m_byParent[s.ppid] << pid;
    }
}

qint64 ProcessTreeScanner::epochMsOf(quint64 startTicks) const
{
    static const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
    // The start time counts from boot, suspend included: CLOCK_BOOTTIME's clock.
    timespec boot{};
    ::clock_gettime(CLOCK_BOOTTIME, &boot);
    const qint64 sinceBootMs = qint64(boot.tv_sec) * 1000 + boot.tv_nsec / 1000000;
    const qint64 startedSinceBootMs = qint64(startTicks * 1000 / quint64(ticksPerSecond));
    return QDateTime::currentMSecsSinceEpoch() - (sinceBootMs - startedSinceBootMs);
}

bool ProcessTreeScanner::refresh(DescendantInfo &d, qint64 nowMs, QHash<std::pair<qint64, quint64>, std::pair<quint64, qint64>> &cpu)
{
    const DescendantInfo before = d;
    Stat s;
    if (!readStat(d.pid, &s) || s.startTicks != d.startTicks) {
        // Reaped, or reaped and its pid taken by another process already.
        d.state = DescendantInfo::State::Gone;
        if (d.goneMs < 0)
            d.goneMs = nowMs;
        return !(d == before);
    }
    d.state = stateOf(s.state);
    if (d.state == DescendantInfo::State::Exiting) {
        if (d.goneMs < 0)
            d.goneMs = nowMs;
        return !(d == before);
    }
    // A forked child runs its parent's program until it execs its own: names change.
    d.name = s.name;
    const QString command = readCommand(d.pid);
    d.command = command.isEmpty() ? d.name : command;
    d.rssBytes = readRss(d.pid);
    const qint64 at = m_clock.elapsed();
    const auto previous = m_cpu.constFind({d.pid, d.startTicks});
    if (previous != m_cpu.cend()) {
        static const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
        const double ms = double(std::max<qint64>(1, at - previous->second));
        d.cpuPercent = 100.0 * double(s.ticks - previous->first) / double(ticksPerSecond) * 1000.0 / ms;
    }
    cpu.insert({d.pid, d.startTicks}, {s.ticks, at});
    return !(d == before);
}

QHash<int, QList<DescendantInfo>> ProcessTreeScanner::scan(const QList<Root> &roots)
{
    if (m_method == Method::ParentPids)
        sweepParents();
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    QHash<std::pair<qint64, quint64>, std::pair<quint64, qint64>> cpu;
    QHash<int, QList<DescendantInfo>> changed;
    for (const Root &root : roots) {
        QList<DescendantInfo> &known = m_known[root.process];
        QHash<qint64, int> &live = m_liveIndex[root.process];
        bool any = false;
        for (qsizetype i = 0; i < known.size(); ++i) {
            DescendantInfo &d = known[i];
            if (d.state == DescendantInfo::State::Gone)
                continue;
            // A live one's lifetime moves on even when nothing else does.
            any = refresh(d, nowMs, cpu) || d.isLive() || any;
            if (d.state == DescendantInfo::State::Gone)
                live.remove(d.pid);
        }
        // Breadth first from the root and from every descendant still alive, which finds the
        // children of those that were reparented too. A zombie has no children left.
        QList<std::pair<qint64, int>> frontier; // pid, depth
        if (root.pid > 0)
            frontier.append({root.pid, 0});
        for (const DescendantInfo &d : std::as_const(known)) {
            if (d.isLive())
                frontier.append({d.pid, d.depth});
        }
        for (qsizetype i = 0; i < frontier.size(); ++i) {
            const auto [parent, depth] = frontier[i];
            for (qint64 pid : childrenOf(parent)) {
                if (live.contains(pid))
                    continue;
                Stat s;
                if (!readStat(pid, &s))
                    continue; // gone between the two reads
                DescendantInfo d;
                d.pid = pid;
                d.ppid = parent;
                d.depth = depth + 1;
                d.startTicks = s.startTicks;
                d.startedMs = epochMsOf(s.startTicks);
                refresh(d, nowMs, cpu);
                live.insert(pid, int(known.size()));
                known.append(d);
                any = true;
                if (d.isLive())
                    frontier.append({pid, d.depth});
            }
        }
        if (any)
            changed.insert(root.process, known);
        if (known.isEmpty()) {
            m_known.remove(root.process);
            m_liveIndex.remove(root.process);
        }
    }
    // Only processes read in this pass keep a CPU reading.
    m_cpu = cpu;
    return changed;
}

QList<int> ProcessTreeScanner::following() const
{
    QList<int> roots;
    for (auto it = m_liveIndex.cbegin(); it != m_liveIndex.cend(); ++it) {
        if (!it->isEmpty())
            roots << it.key();
    }
    return roots;
}

} // namespace Spawnscope
