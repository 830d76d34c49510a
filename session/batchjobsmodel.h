#pragma once

#include "batchjob.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace Spawnscope {

class Session;

// One batch's job log as a table, a row per job in the order the jobs first started, with
// columns as GNU parallel's --joblog has them. Follows the session's batch signals, gathering
// what changed into one insertion and one dataChanged() per flush, never a reset per event.
class BatchJobsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Seq, Slot, Start, Runtime, Exit, Attempts, Input, BytesOut, BytesErr, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers as numbers
        OutcomeRole,                 // the last attempt's AttemptOutcome, as an int
        ProcessIdRole,               // the session's process for the job (0 if none)
    };
    static constexpr int FlushMs = 100;

    explicit BatchJobsModel(Session *session, QObject *parent = nullptr);

    // The batch group to show (0: none); its jobs so far are in at once.
    void setGroup(int group);
    int group() const { return m_group; }
    // The batch as the rows show it (nullptr when no batch is shown).
    const BatchState *state() const;
    PoolProgress progress() const;
    qint64 etaMs() const;     // see BatchState::etaMs()
    bool isRunning() const;   // the batch has not finished
    const BatchJob *jobAt(int row) const;
    int rowOfSeq(int seq) const; // -1 when it has no row (yet)
    int rowOfProcess(int process) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString outcomeText(AttemptOutcome outcome);

Q_SIGNALS:
    // After a flush whose changes touched the counts, the ETA or the batch's end (the rows are
    // in by then): at most once per FlushMs while the batch runs, and once as it finishes.
    void progressChanged();

private:
    QPointer<Session> m_session;
    int m_group = 0;
    int m_rows = 0;         // rows the views know of; the state may hold more until the flush
    QSet<int> m_dirtySeqs;
    bool m_progressDirty = false;
    QTimer m_flush;

    void jobChanged(int group, int seq);
    void batchProgress(int group);
    void scheduleFlush();
    void flush();
};

} // namespace Spawnscope
