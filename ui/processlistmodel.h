#pragma once

#include "processinfo.h"

#include <QAbstractItemModel>
#include <QList>

namespace Spawnscope::Ui {

// Every process of the session, grouped by how it was started: a two-level tree whose top rows
// are groups ("Commands", one per pipeline run or batch) and whose children are processes.
class ProcessListModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Name, State, Pid, Exit, Started, Duration, Out, Err, Cpu, Memory, ColumnCount };
    enum Role { ProcessIdRole = Qt::UserRole + 1, GroupIdRole, SortRole };

    explicit ProcessListModel(QObject *parent = nullptr);

    int addGroup(const QString &title, const QString &kind);
    int addProcess(const ProcessInfo &info); // its id; info.group must exist
    void updateProcess(const ProcessInfo &info); // by info.id
    // Durations and rates of live processes move with time: the view asks again.
    void refreshLive();

    const ProcessInfo *process(int id) const;
    QList<int> processIds() const;
    QModelIndex indexOfProcess(int id, int column = 0) const;
    QString groupTitle(int group) const;
    void setGroupTitle(int group, const QString &title);
    int liveCount() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Group
    {
        int id = 0;
        QString title;
        QString kind;
        QList<ProcessInfo> processes;
    };
    QList<Group> m_groups;
    int m_nextProcess = 1;
    int m_nextGroup = 1;

    QVariant processData(const ProcessInfo &p, int column, int role) const;
    int groupRow(int group) const;
};

} // namespace Spawnscope::Ui
