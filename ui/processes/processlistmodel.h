#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>

namespace Spawnscope {
class Session;
struct ProcessInfo;
}

namespace Spawnscope::Ui {

// The session's processes as a tree: groups ("Commands", one per pipeline run or batch), their
// processes, and under each process what it started itself (its descendants, found in /proc),
// each nested under its own parent: a grandchild under its child. Nested rather than indented in
// one flat list, so that collapsing a busy process hides its family and sorting keeps each
// family together, sorting siblings among themselves. A descendant's row has no ProcessIdRole
// (commands act on launched processes only) but a DescendantPidRole, and never an exit code:
// one that ended shows "gone" with its lifetime. Its rows grow with descendantsChanged(): new
// ones inserted, one dataChanged() per parent for the others. A group's Name is its heading (title, counts, why it failed); its
// State column holds the counts alone. It keeps no copy of them: every row reads the session, and the
// session's signals become row inserts and dataChanged() (a group's row with each change of one
// of its processes, so that its counts never go stale; durations once a second, one range per
// group).
class ProcessListModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Name, Mode, State, Pid, Exit, Started, Duration, Out, Err, Cpu, Memory, ColumnCount };
    enum Role { ProcessIdRole = Qt::UserRole + 1, GroupIdRole, SortRole, DescendantPidRole };

    explicit ProcessListModel(Session *session, QObject *parent = nullptr);

    Session *session() const { return m_session; }
    QModelIndex indexOfProcess(int id, int column = 0) const;
    QModelIndex indexOfGroup(int id, int column = 0) const;
    // The row of a process's descendant, by its index in Session::descendants().
    QModelIndex indexOfDescendant(int process, int index, int column = 0) const;

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

    // A descendant's row; its parent is the process's row or another descendant's.
    struct Node
    {
        int process = 0;
        int index = 0;       // in the session's descendants() of the process
        int parentNode = -1; // -1: the process's own row
        int row = 0;
        QList<int> children; // nodes, by row
    };
    std::vector<Node> m_nodes;
    QHash<int, QList<int>> m_topNodes;   // process id -> nodes right under its row, by row
    QHash<int, QList<int>> m_nodeOfIndex; // process id -> node of each descendant, by index

    // Row ids: 0 for a group, the group's row + 1 for a process; from DescendantBase on, the
    // parent of a descendant's row: 2 × its process id (the process's row) or 2 × node + 1.
    static constexpr quintptr DescendantBase = quintptr(1) << 40;
    int processAt(const QModelIndex &index) const; // a process's row: its id
    int nodeAt(const QModelIndex &index) const;    // a descendant's row: its node, else -1
    quintptr parentKeyOf(int node) const;
    const QList<int> *childNodes(quintptr key) const;
    void descendantsChanged(int process);
    QVariant descendantData(int node, int column, int role) const;

    void groupAdded(int group);
    void processAdded(int process);
    void processChanged(int process);
    void liveTick();
    QVariant processData(const ProcessInfo &p, int column, int role) const;
    QVariant groupData(int groupRow, int column, int role) const;
};

} // namespace Spawnscope::Ui
