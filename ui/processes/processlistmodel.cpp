#include "processlistmodel.h"
#include "processlisttext_p.h"

#include <colours.h>
#include <session.h>

#include <QBrush>
#include <QGuiApplication>
#include <QLocale>

namespace Spawnscope::Ui {

ProcessListModel::ProcessListModel(Session *session, QObject *parent)
    : QAbstractItemModel(parent)
    , m_session(session)
{
    for (int g : session->groupIds()) {
        groupAdded(g);
        for (int p : session->group(g)->processes)
            processAdded(p);
    }
    connect(session, &Session::groupAdded, this, &ProcessListModel::groupAdded);
    connect(session, &Session::processAdded, this, &ProcessListModel::processAdded);
    connect(session, &Session::processChanged, this, &ProcessListModel::processChanged);
    connect(session, &Session::groupChanged, this, [this](int group) {
        const QModelIndex first = indexOfGroup(group);
        if (first.isValid())
            Q_EMIT dataChanged(first, first.siblingAtColumn(ColumnCount - 1));
    });
    connect(session, &Session::liveTick, this, &ProcessListModel::liveTick);
    for (int p : session->processIds())
        descendantsChanged(p);
    connect(session, &Session::descendantsChanged, this, &ProcessListModel::descendantsChanged);
}

void ProcessListModel::groupAdded(int group)
{
    if (m_groupRow.contains(group))
        return;
    const int row = int(m_groups.size());
    beginInsertRows({}, row, row);
    m_groups.append(group);
    m_groupRow.insert(group, row);
    m_processes.append(QList<int>());
    endInsertRows();
}

void ProcessListModel::processAdded(int process)
{
    const ProcessInfo *p = m_session->process(process);
    if (!p || m_row.contains(process))
        return;
    const int g = m_groupRow.value(p->group, -1);
    if (g < 0)
        return;
    const int row = int(m_processes[g].size());
    beginInsertRows(index(g, 0), row, row);
    m_processes[g].append(process);
    m_row.insert(process, {g, row});
    endInsertRows();
    // The group's counts include the newcomer.
    Q_EMIT dataChanged(index(g, State), index(g, State));
}

void ProcessListModel::processChanged(int process)
{
    const QModelIndex first = indexOfProcess(process);
    if (!first.isValid())
        return;
    Q_EMIT dataChanged(first, first.siblingAtColumn(ColumnCount - 1));
    const QModelIndex group = first.parent();
    Q_EMIT dataChanged(group.siblingAtColumn(State), group.siblingAtColumn(State));
}

void ProcessListModel::liveTick()
{
    // One range per group, from its first live row to its last.
    for (int g = 0; g < m_groups.size(); ++g) {
        int first = -1;
        int last = -1;
        for (int r = 0; r < m_processes[g].size(); ++r) {
            const ProcessInfo *p = m_session->process(m_processes[g][r]);
            if (p && p->isLive()) {
                first = first < 0 ? r : first;
                last = r;
            }
        }
        if (first >= 0) {
            const QModelIndex parent = index(g, 0);
            Q_EMIT dataChanged(index(first, Duration, parent), index(last, Memory, parent));
        }
    }
}

QModelIndex ProcessListModel::indexOfProcess(int id, int column) const
{
    const auto it = m_row.constFind(id);
    if (it == m_row.cend())
        return {};
    return createIndex(it->second, column, quintptr(it->first + 1));
}

QModelIndex ProcessListModel::indexOfGroup(int id, int column) const
{
    const int row = m_groupRow.value(id, -1);
    return row < 0 ? QModelIndex() : createIndex(row, column, quintptr(0));
}

QModelIndex ProcessListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.column() != 0)
        return {};
    if (parent.internalId() == 0) {
        if (parent.row() >= m_groups.size())
            return {};
        return row < m_processes[parent.row()].size() ? createIndex(row, column, quintptr(parent.row() + 1)) : QModelIndex();
    }
    const int node = nodeAt(parent);
    const quintptr key = node >= 0 ? DescendantBase + 2 * quintptr(node) + 1 : DescendantBase + 2 * quintptr(processAt(parent));
    const QList<int> *children = childNodes(key);
    return children && row < children->size() ? createIndex(row, column, key) : QModelIndex();
}

QModelIndex ProcessListModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    if (child.internalId() < DescendantBase)
        return createIndex(int(child.internalId() - 1), 0, quintptr(0));
    const quintptr key = child.internalId() - DescendantBase;
    if (key % 2 == 0)
        return indexOfProcess(int(key / 2));
    const int node = int(key / 2);
    return createIndex(m_nodes[size_t(node)].row, 0, parentKeyOf(node));
}

int ProcessListModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.column() != 0)
        return 0;
    if (parent.internalId() == 0)
        return int(m_processes[parent.row()].size());
    const int node = nodeAt(parent);
    if (node >= 0)
        return int(m_nodes[size_t(node)].children.size());
    return int(m_topNodes.value(processAt(parent)).size());
}

int ProcessListModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ProcessListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_session)
        return {};
    if (index.internalId() == 0)
        return groupData(index.row(), index.column(), role);
    if (index.internalId() >= DescendantBase)
        return descendantData(nodeAt(index), index.column(), role);
    const int id = processAt(index);
    const ProcessInfo *p = m_session->process(id);
    if (!p)
        return {};
    if (role == ProcessIdRole)
        return p->id;
    if (role == GroupIdRole)
        return p->group;
    return processData(*p, index.column(), role);
}

QVariant ProcessListModel::groupData(int row, int column, int role) const
{
    const int id = m_groups[row];
    const ProcessGroup *g = m_session->group(id);
    if (!g)
        return {};
    if (role == GroupIdRole)
        return id;
    if (role == SortRole)
        return column == Name ? QVariant(g->title) : QVariant(id);
    const GroupCounts counts = m_session->counts(id);
    if (role == Qt::ToolTipRole)
        return g->error.isEmpty() ? g->title : QStringLiteral("%1\n%2").arg(g->title, g->error);
    if (role == Qt::ForegroundRole && (counts.failed > 0 || !g->error.isEmpty()))
        return QBrush(Colours::errorColor(QGuiApplication::palette()));
    if (role != Qt::DisplayRole)
        return {};
    // A group's row is a heading across the list: its title, what its processes are doing,
    // and why it failed as a whole.
    if (column == Name)
        return g->error.isEmpty() ? QStringLiteral("%1  —  %2").arg(g->title, counts.text())
                                  : QStringLiteral("%1  —  %2  —  %3").arg(g->title, counts.text(), g->error);
    if (column == State)
        return g->error.isEmpty() ? counts.text() : QStringLiteral("%1 — %2").arg(counts.text(), g->error);
    return {};
}

QVariant ProcessListModel::processData(const ProcessInfo &p, int column, int role) const
{
    const QDateTime now = QDateTime::currentDateTime();
    if (role == SortRole) {
        switch (column) {
        case Name: return p.name;
        case Mode: return int(p.mode);
        case State: return int(p.state);
        case Pid: return p.pid;
        case Exit: return p.exitCode.value_or(-1);
        case Started: return p.started;
        case Duration: return p.durationMs(now);
        case Out: return p.bytesOut;
        case Err: return p.bytesErr;
        case Cpu: return p.cpuPercent;
        case Memory: return p.rssBytes;
        }
    }
    if (role == Qt::ToolTipRole)
        return p.error.isEmpty() ? p.command : p.command + QStringLiteral("\n") + p.error;
    if (role == Qt::TextAlignmentRole && column >= Pid && column != Started)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && column == State) {
        if (p.hasFailed())
            return QBrush(Colours::errorColor(QGuiApplication::palette()));
        if (p.state == ProcessInfo::State::Stopped)
            return QBrush(Colours::warningColor(QGuiApplication::palette()));
        if (p.isLive())
            return QBrush(Colours::okColor(QGuiApplication::palette()));
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Name: return p.stage > 0 ? QStringLiteral("%1. %2").arg(p.stage).arg(p.name) : p.name;
    case Mode: return launchModeName(p.mode);
    case State:
        if ((p.state == ProcessInfo::State::FailedToStart || p.state == ProcessInfo::State::NotStarted) && !p.error.isEmpty())
            return QStringLiteral("%1: %2").arg(ProcessInfo::stateName(p.state), p.error);
        return ProcessInfo::stateName(p.state);
    case Pid: return p.pid > 0 ? QVariant(p.pid) : QVariant();
    case Exit:
        if (!p.signal.isEmpty())
            return p.signal;
        return p.exitCode ? QVariant(*p.exitCode) : QVariant();
    case Started: return p.started.isValid() ? p.started.toString(QStringLiteral("HH:mm:ss.zzz")) : QString();
    case Duration: return p.started.isValid() ? durationText(p.durationMs(now)) : QString();
    case Out: return bytesText(p.bytesOut);
    case Err: return bytesText(p.bytesErr);
    case Cpu: return p.cpuPercent < 0 || !p.isLive() ? QString() : QStringLiteral("%1 %").arg(p.cpuPercent, 0, 'f', 1);
    case Memory: return p.rssBytes < 0 || !p.isLive() ? QString() : bytesText(p.rssBytes);
    }
    return {};
}

QVariant ProcessListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const titles[] = {"Process", "Mode", "State", "PID", "Exit", "Started", "Duration", "Out", "Err", "CPU", "Memory"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(titles[section]) : QVariant();
}

} // namespace Spawnscope::Ui
