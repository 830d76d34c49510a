// The process list: what each launched process started itself, nested under it.
#include "processlistmodel.h"
#include "processlisttext_p.h"

#include <colours.h>
#include <session.h>

#include <QBrush>
#include <QDateTime>
#include <QGuiApplication>

namespace Spawnscope::Ui {

int ProcessListModel::processAt(const QModelIndex &index) const
{
    const quintptr id = index.internalId();
    if (id == 0 || id >= DescendantBase)
        return 0;
    return m_processes[int(id - 1)].value(index.row());
}

int ProcessListModel::nodeAt(const QModelIndex &index) const
{
    if (index.internalId() < DescendantBase)
        return -1;
    const QList<int> *siblings = childNodes(index.internalId());
    return siblings ? siblings->value(index.row(), -1) : -1;
}

quintptr ProcessListModel::parentKeyOf(int node) const
{
    const Node &n = m_nodes[size_t(node)];
    return n.parentNode < 0 ? DescendantBase + 2 * quintptr(n.process) : DescendantBase + 2 * quintptr(n.parentNode) + 1;
}

const QList<int> *ProcessListModel::childNodes(quintptr key) const
{
    const quintptr k = key - DescendantBase;
    if (k % 2 == 1)
        return k / 2 < m_nodes.size() ? &m_nodes[size_t(k / 2)].children : nullptr;
    const auto it = m_topNodes.constFind(int(k / 2));
    return it == m_topNodes.cend() ? nullptr : &*it;
}

QModelIndex ProcessListModel::indexOfDescendant(int process, int index, int column) const
{
    const int node = m_nodeOfIndex.value(process).value(index, -1);
    return node < 0 ? QModelIndex() : createIndex(m_nodes[size_t(node)].row, column, parentKeyOf(node));
}

void ProcessListModel::descendantsChanged(int process)
{
    const QModelIndex processRow = indexOfProcess(process);
    if (!processRow.isValid())
        return;
    const QList<DescendantInfo> now = m_session->descendants(process);
    QList<int> &nodes = m_nodeOfIndex[process];
    const qsizetype known = nodes.size();
    // The newcomers, batched by parent: one insert for each parent's new rows. A parent is
    // always found before its children, so a new parent's rows exist before its children's.
    QList<std::pair<int, QList<int>>> batches; // parent node (-1: the process), indices
    for (qsizetype i = known; i < now.size(); ++i) {
        int parent = -1;
        for (qsizetype j = i - 1; j >= 0; --j) {
            if (now[j].pid == now[i].ppid) {
                parent = j < known ? nodes[j] : -2 - int(j); // -2 - j: a newcomer, by index
                break;
            }
        }
        auto batch = std::find_if(batches.begin(), batches.end(), [parent](const auto &b) { return b.first == parent; });
        if (batch == batches.end())
            batches.append({parent, {int(i)}});
        else
            batch->second.append(int(i));
    }
    nodes.resize(now.size(), -1);
    for (auto &[parent, indices] : batches) {
        if (parent <= -2)
            parent = nodes[-2 - parent];
        const QModelIndex parentRow = parent < 0 ? processRow : createIndex(m_nodes[size_t(parent)].row, 0, parentKeyOf(parent));
        int row = int(parent < 0 ? m_topNodes.value(process).size() : m_nodes[size_t(parent)].children.size());
        beginInsertRows(parentRow, row, row + int(indices.size()) - 1);
        for (int i : std::as_const(indices)) {
            Node n;
            n.process = process;
            n.index = i;
            n.parentNode = parent;
            n.row = row++;
            m_nodes.push_back(n);
            const int node = int(m_nodes.size()) - 1;
            // Looked up after push_back, which may have moved every node's children.
            (parent < 0 ? m_topNodes[process] : m_nodes[size_t(parent)].children).append(node);
            nodes[i] = node;
        }
        endInsertRows();
    }
    // The others: one range per parent, for their state, lifetime, CPU and memory.
    auto changedUnder = [this](const QList<int> &children) {
        if (children.isEmpty())
            return;
        const QModelIndex first = createIndex(0, 0, parentKeyOf(children.first()));
        Q_EMIT dataChanged(first, first.siblingAtRow(int(children.size()) - 1).siblingAtColumn(ColumnCount - 1));
    };
    changedUnder(m_topNodes.value(process));
    for (int node : std::as_const(nodes)) {
        if (node >= 0)
            changedUnder(m_nodes[size_t(node)].children);
    }
}

QVariant ProcessListModel::descendantData(int node, int column, int role) const
{
    if (node < 0)
        return {};
    const Node &n = m_nodes[size_t(node)];
    const QList<DescendantInfo> all = m_session->descendants(n.process);
    if (n.index >= all.size())
        return {};
    const DescendantInfo &d = all[n.index];
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (role == DescendantPidRole)
        return d.pid;
    if (role == SortRole) {
        switch (column) {
        case Name: return d.name;
        case State: return int(d.state);
        case Pid: return d.pid;
        case Started: return d.startedMs;
        case Duration: return d.lifetimeMs(now);
        case Cpu: return d.cpuPercent;
        case Memory: return d.rssBytes;
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole)
        return QStringLiteral("%1\npid %2, started by pid %3; its exit status is its parent's to collect").arg(d.command).arg(d.pid).arg(d.ppid);
    if (role == Qt::TextAlignmentRole && column >= Pid && column != Started)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && column == State) {
        if (d.state == DescendantInfo::State::Stopped)
            return QBrush(Colours::warningColor(QGuiApplication::palette()));
        if (d.isLive())
            return QBrush(Colours::okColor(QGuiApplication::palette()));
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Name: return d.name;
    case State: return DescendantInfo::stateName(d.state);
    case Pid: return d.pid;
    case Started: return QDateTime::fromMSecsSinceEpoch(d.startedMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case Duration: return durationText(d.lifetimeMs(now));
    case Cpu: return d.cpuPercent < 0 || !d.isLive() ? QString() : QStringLiteral("%1 %").arg(d.cpuPercent, 0, 'f', 1);
    case Memory: return d.rssBytes < 0 || !d.isLive() ? QString() : bytesText(d.rssBytes);
    default: return {};
    }
}

} // namespace Spawnscope::Ui
