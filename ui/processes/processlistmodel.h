#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>

namespace Spawnscope {
class Session;
struct ProcessInfo;
}

namespace Spawnscope::Ui {

// The session's processes as a two-level tree: groups ("Commands", one per pipeline run or
// batch) and their processes. A group's Name is its heading (title, counts, why it failed); its
// State column holds the counts alone. It keeps no copy of them: every row reads the session, and the
// session's signals become row inserts and dataChanged() (a group's row with each change of one
// of its processes, so that its counts never go stale; durations once a second, one range per
// group).
class ProcessListModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Name, Mode, State, Pid, Exit, Started, Duration, Out, Err, Cpu, Memory, ColumnCount };
    enum Role { ProcessIdRole = Qt::UserRole + 1, GroupIdRole, SortRole };

    explicit ProcessListModel(Session *session, QObject *parent = nullptr);

    Session *session() const { return m_session; }
    QModelIndex indexOfProcess(int id, int column = 0) const;
    QModelIndex indexOfGroup(int id, int column = 0) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    Session *m_session;
    QList<int> m_groups;                   // group ids, by row
    QHash<int, int> m_groupRow;            // group id -> row
    QHash<int, std::pair<int, int>> m_row; // process id -> (group row, row)
    QList<QList<int>> m_processes;         // by group row: process ids by row

    void groupAdded(int group);
    void processAdded(int process);
    void processChanged(int process);
    void liveTick();
    QVariant processData(const ProcessInfo &p, int column, int role) const;
    QVariant groupData(int groupRow, int column, int role) const;
};

} // namespace Spawnscope::Ui
