// Session: what the launched processes started themselves, followed in /proc.
#include "session.h"

#include "processtreescanner.h"
#include "timeline.h"

#include <QDateTime>
#include <QThread>

#include <algorithm>

namespace Spawnscope {

// The scanner reads /proc on a thread of its own, so that a slow /proc never stalls the
// window; what it found is kept here, on the session's thread.
class Session::TreeWatch : public QObject
{
public:
    explicit TreeWatch(QObject *parent)
        : QObject(parent)
    {
        worker->moveToThread(&thread);
        connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start(QThread::LowPriority);
    }
    ~TreeWatch() override
    {
        thread.quit();
        thread.wait();
    }

    QThread thread;
    QObject *worker = new QObject;
    ProcessTreeScanner scanner; // used on the thread only
    QTimer timer;
    bool busy = false; // a pass is under way: a tick skips rather than queue behind a slow /proc
    QList<int> following; // launched processes that ended with descendants still alive
    QHash<int, QList<DescendantInfo>> descendants;
    QHash<int, QList<int>> lanes; // process -> each descendant's sub-lane, by index
};

void Session::watchDescendants()
{
    m_tree = new TreeWatch(this);
    m_tree->timer.setInterval(TreeScanMs);
    connect(&m_tree->timer, &QTimer::timeout, this, [this] {
        if (m_tree->busy)
            return;
        QList<ProcessTreeScanner::Root> roots;
        for (int id : std::as_const(m_live)) {
            const qint64 pid = m_entries[id].info.pid;
            if (pid > 0)
                roots.append({id, pid});
        }
        // Their parent ended; they were reparented, and are followed from what was known.
        for (int id : std::as_const(m_tree->following)) {
            if (!m_live.contains(id) || m_entries[id].info.pid <= 0)
                roots.append({id, 0});
        }
        if (roots.isEmpty())
            return;
        m_tree->busy = true;
        TreeWatch *tree = m_tree;
        QMetaObject::invokeMethod(tree->worker, [this, tree, roots] {
            const QHash<int, QList<DescendantInfo>> changed = tree->scanner.scan(roots);
            const QList<int> following = tree->scanner.following();
            QMetaObject::invokeMethod(tree, [this, tree, changed, following] {
                tree->busy = false;
                tree->following = following;
                for (auto it = changed.cbegin(); it != changed.cend(); ++it)
                    applyDescendants(it.key(), it.value());
            }, Qt::QueuedConnection);
        });
    });
    m_tree->timer.start();
}

void Session::applyDescendants(int process, const QList<DescendantInfo> &now)
{
    const auto entry = m_entries.constFind(process);
    if (entry == m_entries.cend())
        return;
    QList<DescendantInfo> &known = m_tree->descendants[process];
    QList<int> &lanes = m_tree->lanes[process];
    const qint64 epoch = m_timeline->startEpochMs();
    const double clock = m_timeline->now();
    // Wall-clock times on the timeline's clock; the two may disagree by a hair.
    auto timeOf = [&](qint64 ms) { return std::clamp(double(ms - epoch), 0.0, clock); };
    for (qsizetype i = 0; i < now.size(); ++i) {
        const DescendantInfo &d = now[i];
        if (i >= known.size()) {
            // Its parent's lane: the latest descendant found before it with that pid, or the
            // launched process's own.
            int parentLane = entry->lane;
            for (qsizetype j = i - 1; j >= 0; --j) {
                if (now[j].pid == d.ppid) {
                    parentLane = lanes.value(j, entry->lane);
                    break;
                }
            }
            const int lane = m_timeline->addSubLane(parentLane, d.pid, d.name, d.command);
            lanes.append(lane);
            m_timeline->addEventAt(lane, timeOf(d.startedMs), TraceKind::Appeared,
                                   {{QStringLiteral("pid"), double(d.pid)}, {QStringLiteral("ppid"), double(d.ppid)}});
        } else if (known[i].command != d.command) {
            m_timeline->renameLane(lanes.value(i, -1), d.name, d.command);
        }
        const bool wasOver = i < known.size() && known[i].goneMs >= 0;
        if (d.goneMs >= 0 && !wasOver) {
            m_timeline->addEventAt(lanes.value(i, -1), timeOf(d.goneMs), TraceKind::Gone, {{QStringLiteral("pid"), double(d.pid)}});
            m_timeline->markEnded(lanes.value(i, -1));
        }
    }
    known = now;
    Q_EMIT descendantsChanged(process);
}

QList<DescendantInfo> Session::descendants(int process) const
{
    return m_tree->descendants.value(process);
}

int Session::descendantLane(int process, int index) const
{
    return m_tree->lanes.value(process).value(index, -1);
}

} // namespace Spawnscope
