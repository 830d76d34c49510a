#include "batchdashboard.h"

#include "ganttview.h"

#include <batchjobsmodel.h>
#include <processgroup.h>
#include <session.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

BatchDashboard::BatchDashboard(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new BatchJobsModel(session, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_gantt(new GanttView)
    , m_table(new QTableView)
    , m_progress(new QProgressBar)
    , m_title(new QLabel)
    , m_counts(new QLabel)
    , m_eta(new QLabel)
    , m_stop(new QPushButton(tr("Stop")))
    , m_halt(new QPushButton(tr("Halt")))
{
    m_stop->setToolTip(tr("Stop every running job now; start no more"));
    m_halt->setToolTip(tr("Let running jobs finish; start no more"));
    m_progress->setTextVisible(true);
    m_progress->setFormat(tr("%v of %m ended"));
    m_eta->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("finished in 00:00:00")));

    auto *top = new QHBoxLayout;
    top->addWidget(m_title);
    top->addWidget(m_progress, 1);
    top->addWidget(m_counts);
    top->addWidget(m_eta);
    top->addWidget(m_halt);
    top->addWidget(m_stop);

    m_gantt->setModel(m_model);
    // Many slots scroll; the time axis always fits the width.
    auto *scroll = new QScrollArea;
    scroll->setWidget(m_gantt);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(BatchJobsModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(BatchJobsModel::Input, QHeaderView::Stretch);
    m_table->setAlternatingRowColors(true);

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(scroll);
    split->addWidget(m_table);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_model, &BatchJobsModel::progressChanged, this, &BatchDashboard::updateProgress);
    connect(m_gantt, &GanttView::jobClicked, this, [this](int seq) {
        const BatchJob *job = m_model->state() ? m_model->state()->job(seq) : nullptr;
        if (!job || !job->process)
            return;
        m_marking = true;
        m_table->setCurrentIndex(m_proxy->mapFromSource(m_model->index(m_model->rowOfSeq(seq), 0)));
        m_marking = false;
        Q_EMIT processActivated(job->process);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (m_marking || !current.isValid())
            return;
        const int process = current.data(BatchJobsModel::ProcessIdRole).toInt();
        m_gantt->setSelectedSeq(current.siblingAtColumn(BatchJobsModel::Seq).data().toInt());
        if (process)
            Q_EMIT processActivated(process);
    });
    connect(m_stop, &QPushButton::clicked, this, [this] { m_session->stopGroup(group()); updateProgress(); });
    connect(m_halt, &QPushButton::clicked, this, [this] { m_session->haltGroup(group()); updateProgress(); });
    updateProgress();
}

void BatchDashboard::setGroup(int group)
{
    m_model->setGroup(group);
    m_gantt->setSelectedSeq(0);
    const ProcessGroup *g = m_session->group(m_model->group());
    const QString title = g ? g->title : tr("No batch");
    // A long command line would starve the progress bar: the whole of it is in the tooltip.
    m_title->setText(fontMetrics().elidedText(title, Qt::ElideMiddle, 40 * fontMetrics().averageCharWidth()));
    m_title->setToolTip(title);
    updateProgress();
}

int BatchDashboard::group() const
{
    return m_model->group();
}

void BatchDashboard::setCurrentProcess(int process)
{
    const int row = process ? m_model->rowOfProcess(process) : -1;
    const BatchJob *job = m_model->jobAt(row);
    m_gantt->setSelectedSeq(job ? job->seq : 0);
    m_marking = true;
    if (row >= 0)
        m_table->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row, 0)));
    else
        m_table->clearSelection();
    m_marking = false;
}

QString BatchDashboard::durationText(qint64 ms)
{
    const qint64 s = (ms + 999) / 1000; // an ETA rounds up: "0:00" would say it is over
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

void BatchDashboard::updateProgress()
{
    const BatchState *s = m_model->state();
    const PoolProgress p = m_model->progress();
    const bool running = m_model->isRunning();
    m_progress->setRange(0, std::max(1, p.total));
    m_progress->setValue(p.done + p.failed);
    QString counts = tr("%1 done · %2 failed · %3 running · %4 queued").arg(p.done).arg(p.failed).arg(p.running).arg(p.queued);
    if (p.skipped > 0)
        counts += tr(" · %1 skipped").arg(p.skipped);
    m_counts->setText(s ? counts : QString());
    if (!s)
        m_eta->clear();
    else if (!running)
        m_eta->setText(tr("finished in %1").arg(durationText(s->nowMs())));
    else if (s->halting)
        m_eta->setText(tr("halting"));
    else if (m_model->etaMs() < 0)
        m_eta->setText(tr("ETA –"));
    else
        m_eta->setText(tr("ETA %1").arg(durationText(m_model->etaMs())));
    m_stop->setEnabled(running);
    m_halt->setEnabled(running && !s->halting);
}

} // namespace Spawnscope::Ui
