#pragma once

#include "descendantinfo.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QSet>

namespace Spawnscope {

// Finds what launched processes started themselves, and what those started, from /proc, and
// follows each one until it is gone, even once it was reparented after its parent ended. Not
// thread-safe, and blocking: a pass reads a few small files per process, so the session runs it
// on a thread of its own.
class ProcessTreeScanner
{
public:
    // How children are found: each process's task/*/children files (one read per thread of a
    // parent), or, on kernels built without them, every process's parent pid in one sweep.
    enum class Method { ChildrenFiles, ParentPids };

    struct Root
    {
        int process = 0; // the session's id for the launched process
        qint64 pid = 0;  // 0 once it ended: then only its known descendants are followed
    };

    // `procRoot`: where /proc is; the tests give a folder laid out like it.
    explicit ProcessTreeScanner(const QString &procRoot = QStringLiteral("/proc"));

    Method method() const { return m_method; }
    void setMethod(Method method) { m_method = method; }

    // One pass. For each root with a descendant alive, or one that appeared, changed state or
    // went since the last pass: all of its descendants, in the order they were found (an index
    // keeps meaning the same process). Roots with nothing to tell are left out.
    QHash<int, QList<DescendantInfo>> scan(const QList<Root> &roots);
    // The roots with a descendant not yet gone: worth scanning after they ended themselves.
    QList<int> following() const;
    QList<DescendantInfo> descendants(int process) const { return m_known.value(process); }

private:
    struct Stat
    {
        char state = '?';
        qint64 ppid = 0;
        QString name;
        quint64 ticks = 0; // CPU, user and system
        quint64 startTicks = 0;
    };

    QString m_proc;
    Method m_method;
    QHash<int, QList<DescendantInfo>> m_known;
    QHash<int, QHash<qint64, int>> m_liveIndex; // root -> pid -> index, for those not gone
    QHash<std::pair<qint64, quint64>, std::pair<quint64, qint64>> m_cpu; // (pid, start) -> (CPU ticks, at ms)
    QElapsedTimer m_clock;
    QHash<qint64, QList<qint64>> m_byParent; // ParentPids: this pass's sweep

    bool readStat(qint64 pid, Stat *out) const;
    QString readCommand(qint64 pid) const;
    qint64 readRss(qint64 pid) const;
    QList<qint64> childrenOf(qint64 pid) const;
    void sweepParents();
    qint64 epochMsOf(quint64 startTicks) const;
    // Reads a known descendant again; false when it changed nothing worth telling.
    bool refresh(DescendantInfo &d, qint64 nowMs, QHash<std::pair<qint64, quint64>, std::pair<quint64, qint64>> &cpu);
};

} // namespace Spawnscope
