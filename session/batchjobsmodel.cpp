#include "batchjobsmodel.h"

#include "session.h"

#include <QLocale>

namespace Spawnscope {

namespace {

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 3);
}

} // namespace

BatchJobsModel::BatchJobsModel(Session *session, QObject *parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{
    m_flush.setSingleShot(true);
    m_flush.setInterval(FlushMs);
    connect(&m_flush, &QTimer::timeout, this, &BatchJobsModel::flush);
    connect(session, &Session::batchJobChanged, this, &BatchJobsModel::jobChanged);
    connect(session, &Session::batchProgressChanged, this, &BatchJobsModel::batchProgress);
    // The runtimes of running jobs move on with the clock.
    connect(session, &Session::liveTick, this, [this] {
        const BatchState *s = state();
        if (!s || s->isFinished())
            return;
        for (const BatchJob &job : s->jobs) {
            if (job.isRunning())
                m_dirtySeqs.insert(job.seq);
        }
        m_progressDirty = true; // the ETA too
        scheduleFlush();
    });
}

void BatchJobsModel::setGroup(int group)
{
    if (!m_session || !m_session->batch(group))
        group = 0;
    if (group == m_group)
        return;
    beginResetModel();
    m_group = group;
    const BatchState *s = state();
    m_rows = s ? int(s->jobs.size()) : 0;
    m_dirtySeqs.clear();
    m_flush.stop();
    endResetModel();
    Q_EMIT progressChanged();
}

const BatchState *BatchJobsModel::state() const
{
    return m_session && m_group ? m_session->batch(m_group) : nullptr;
}

PoolProgress BatchJobsModel::progress() const
{
    const BatchState *s = state();
    return s ? s->progress : PoolProgress{};
}

qint64 BatchJobsModel::etaMs() const
{
    const BatchState *s = state();
    return s ? s->etaMs() : -1;
}

bool BatchJobsModel::isRunning() const
{
    const BatchState *s = state();
    return s && !s->isFinished();
}

const BatchJob *BatchJobsModel::jobAt(int row) const
{
    const BatchState *s = state();
    return s && row >= 0 && row < m_rows ? &s->jobs.at(row) : nullptr;
}

int BatchJobsModel::rowOfSeq(int seq) const
{
    const BatchState *s = state();
    const int row = s ? s->rowOfSeq.value(seq, -1) : -1;
    return row < m_rows ? row : -1;
}

int BatchJobsModel::rowOfProcess(int process) const
{
    for (int row = 0; row < m_rows; ++row) {
        if (jobAt(row)->process == process)
            return row;
    }
    return -1;
}

void BatchJobsModel::jobChanged(int group, int seq)
{
    if (group != m_group || !m_group)
        return;
    m_dirtySeqs.insert(seq);
    scheduleFlush();
}

void BatchJobsModel::batchProgress(int group)
{
    if (group != m_group || !m_group)
        return;
    m_progressDirty = true;
    const BatchState *s = state();
    if (s && s->isFinished())
        flush(); // the end is told at once: nothing follows it to wait for
    else
        scheduleFlush();
}

void BatchJobsModel::scheduleFlush()
{
    if (!m_flush.isActive())
        m_flush.start();
}

void BatchJobsModel::flush()
{
    m_flush.stop();
    const BatchState *s = state();
    if (!s)
        return;
    const int rows = int(s->jobs.size());
    int first = rows;
    int last = -1;
    for (int seq : std::as_const(m_dirtySeqs)) {
        const int row = s->rowOfSeq.value(seq, -1);
        if (row >= 0 && row < m_rows) {
            first = std::min(first, row);
            last = std::max(last, row);
        }
    }
    m_dirtySeqs.clear();
    if (last >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    if (rows > m_rows) {
        beginInsertRows({}, m_rows, rows - 1);
        m_rows = rows;
        endInsertRows();
    }
    if (std::exchange(m_progressDirty, false))
        Q_EMIT progressChanged();
}

int BatchJobsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int BatchJobsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString BatchJobsModel::outcomeText(AttemptOutcome outcome)
{
    switch (outcome) {
    case AttemptOutcome::Running:
        return tr("running");
    case AttemptOutcome::Ok:
        return tr("ok");
    case AttemptOutcome::Failed:
        return tr("failed");
    case AttemptOutcome::TimedOut:
        return tr("timed out");
    case AttemptOutcome::Killed:
        return tr("killed");
    }
    return {};
}

QVariant BatchJobsModel::data(const QModelIndex &index, int role) const
{
    const BatchJob *job = index.isValid() ? jobAt(index.row()) : nullptr;
    if (!job)
        return {};
    const BatchAttempt *last = job->last();
    const qint64 now = state()->nowMs();
    if (role == OutcomeRole)
        return int(job->outcome());
    if (role == ProcessIdRole)
        return job->process;
    if (role == Qt::TextAlignmentRole)
        return int(index.column() == Input ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return job->error.isEmpty() ? QVariant() : job->error;
    const bool sort = role == SortRole;
    if (role != Qt::DisplayRole && !sort)
        return {};
    switch (Column(index.column())) {
    case Seq:
        return job->seq;
    case Slot:
        return job->slot() + 1; // as GNU parallel's {%}, from 1
    case Start:
        if (!last)
            return {};
        return sort ? QVariant(job->attempts.first().startMs) : QVariant(seconds(job->attempts.first().startMs));
    case Runtime:
        if (!last)
            return {};
        return sort ? QVariant(last->runtimeMs(now)) : QVariant(seconds(last->runtimeMs(now)));
    case Exit:
        if (sort)
            return job->signal.isEmpty() ? job->exitCode.value_or(-1) : 1000;
        if (job->isRunning())
            return outcomeText(AttemptOutcome::Running);
        if (!job->signal.isEmpty())
            return job->outcome() == AttemptOutcome::TimedOut ? tr("%1 (timed out)").arg(job->signal) : job->signal;
        if (job->exitCode)
            return QString::number(*job->exitCode);
        return job->outcome() == AttemptOutcome::TimedOut ? outcomeText(AttemptOutcome::TimedOut) : tr("did not start");
    case Attempts:
        return int(job->attempts.size());
    case Input:
        return job->input;
    case BytesOut:
        return job->bytesOut;
    case BytesErr:
        return job->bytesErr;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant BatchJobsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Seq:
        return tr("Seq");
    case Slot:
        return tr("Slot");
    case Start:
        return tr("Start");
    case Runtime:
        return tr("Runtime");
    case Exit:
        return tr("Exit/Signal");
    case Attempts:
        return tr("Attempts");
    case Input:
        return tr("Input");
    case BytesOut:
        return tr("Bytes out");
    case BytesErr:
        return tr("Bytes err");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace Spawnscope
