#include "processlistmodel.h"

#include "appearance.h"

#include <QGuiApplication>

#include <QBrush>
#include <QLocale>

namespace Spawnscope::Ui {

namespace {

QString bytesText(qint64 bytes)
{
    return bytes < 0 ? QString() : QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString durationText(qint64 ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000, 0, 'f', 1);
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

qint64 ProcessInfo::durationMs(const QDateTime &now) const
{
    if (!started.isValid())
        return 0;
    return started.msecsTo(ended.isValid() ? ended : now);
}

QString ProcessInfo::stateName(State state)
{
    switch (state) {
    case State::Starting: return QStringLiteral("starting");
    case State::Running: return QStringLiteral("running");
    case State::Exited: return QStringLiteral("exited");
    case State::Killed: return QStringLiteral("killed");
    case State::FailedToStart: return QStringLiteral("failed to start");
    }
    return {};
}

ProcessListModel::ProcessListModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

int ProcessListModel::addGroup(const QString &title, const QString &kind)
{
    const int row = int(m_groups.size());
    beginInsertRows({}, row, row);
    m_groups.append(Group{m_nextGroup++, title, kind, {}});
    endInsertRows();
    return m_groups.last().id;
}

int ProcessListModel::addProcess(const ProcessInfo &info)
{
    const int g = groupRow(info.group);
    if (g < 0)
        return 0;
    ProcessInfo p = info;
    p.id = m_nextProcess++;
    const int row = int(m_groups[g].processes.size());
    beginInsertRows(index(g, 0), row, row);
    m_groups[g].processes.append(p);
    endInsertRows();
    return p.id;
}

void ProcessListModel::updateProcess(const ProcessInfo &info)
{
    const QModelIndex first = indexOfProcess(info.id);
    if (!first.isValid())
        return;
    m_groups[first.parent().row()].processes[first.row()] = info;
    Q_EMIT dataChanged(first, first.siblingAtColumn(ColumnCount - 1));
}

void ProcessListModel::refreshLive()
{
    for (int g = 0; g < m_groups.size(); ++g) {
        const QList<ProcessInfo> &list = m_groups[g].processes;
        for (int r = 0; r < list.size(); ++r) {
            if (list[r].isLive()) {
                const QModelIndex parent = index(g, 0);
                Q_EMIT dataChanged(index(r, Duration, parent), index(r, Memory, parent));
            }
        }
    }
}

const ProcessInfo *ProcessListModel::process(int id) const
{
    for (const Group &g : m_groups) {
        for (const ProcessInfo &p : g.processes) {
            if (p.id == id)
                return &p;
        }
    }
    return nullptr;
}

QList<int> ProcessListModel::processIds() const
{
    QList<int> ids;
    for (const Group &g : m_groups) {
        for (const ProcessInfo &p : g.processes)
            ids << p.id;
    }
    return ids;
}

QModelIndex ProcessListModel::indexOfProcess(int id, int column) const
{
    for (int g = 0; g < m_groups.size(); ++g) {
        for (int r = 0; r < m_groups[g].processes.size(); ++r) {
            if (m_groups[g].processes[r].id == id)
                return createIndex(r, column, quintptr(g + 1));
        }
    }
    return {};
}

void ProcessListModel::setGroupTitle(int group, const QString &title)
{
    const int g = groupRow(group);
    if (g < 0 || m_groups[g].title == title)
        return;
    m_groups[g].title = title;
    Q_EMIT dataChanged(index(g, 0), index(g, ColumnCount - 1));
}

QString ProcessListModel::groupTitle(int group) const
{
    const int g = groupRow(group);
    return g < 0 ? QString() : m_groups[g].title;
}

int ProcessListModel::liveCount() const
{
    int live = 0;
    for (const Group &g : m_groups) {
        for (const ProcessInfo &p : g.processes)
            live += p.isLive();
    }
    return live;
}

int ProcessListModel::groupRow(int group) const
{
    for (int g = 0; g < m_groups.size(); ++g) {
        if (m_groups[g].id == group)
            return g;
    }
    return -1;
}

QModelIndex ProcessListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.row() >= m_groups.size())
        return {};
    return row < m_groups[parent.row()].processes.size() ? createIndex(row, column, quintptr(parent.row() + 1)) : QModelIndex();
}

QModelIndex ProcessListModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int ProcessListModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != 0 || parent.column() != 0)
        return 0;
    return int(m_groups[parent.row()].processes.size());
}

int ProcessListModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ProcessListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == 0) {
        const Group &g = m_groups[index.row()];
        if (role == GroupIdRole)
            return g.id;
        if (index.column() == Name && (role == Qt::DisplayRole || role == SortRole))
            return g.title;
        if (index.column() == State && role == Qt::DisplayRole) {
            int live = 0;
            for (const ProcessInfo &p : g.processes)
                live += p.isLive();
            return live ? QStringLiteral("%1 of %2 running").arg(live).arg(g.processes.size())
                        : QStringLiteral("%1 done").arg(g.processes.size());
        }
        if (role == SortRole)
            return g.id;
        return {};
    }
    const ProcessInfo &p = m_groups[int(index.internalId() - 1)].processes[index.row()];
    if (role == ProcessIdRole)
        return p.id;
    if (role == GroupIdRole)
        return p.group;
    return processData(p, index.column(), role);
}

QVariant ProcessListModel::processData(const ProcessInfo &p, int column, int role) const
{
    const QDateTime now = QDateTime::currentDateTime();
    if (role == SortRole) {
        switch (column) {
        case Name: return p.name;
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
        if (p.state == ProcessInfo::State::FailedToStart || p.state == ProcessInfo::State::Killed
            || (p.state == ProcessInfo::State::Exited && p.exitCode.value_or(0) != 0))
            return QBrush(Appearance::errorColor(QGuiApplication::palette()));
        if (p.isLive())
            return QBrush(Appearance::okColor(QGuiApplication::palette()));
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Name: return p.name;
    case State: return ProcessInfo::stateName(p.state);
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
    static const char *const titles[] = {"Process", "State", "PID", "Exit", "Started", "Duration", "Out", "Err", "CPU", "Memory"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(titles[section]) : QVariant();
}

} // namespace Spawnscope::Ui
