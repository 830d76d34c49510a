#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace Spawnscope {
class BatchJobsModel;
class Session;
}

namespace Spawnscope::Ui {

class GanttView;

// One batch at a glance: its progress (done, failed, running, queued, and an ETA), its jobs
// per slot over time, the job log, and Stop (now) and Halt (let running jobs end). A click on
// a bar or a row asks for that job's process to be shown.
class BatchDashboard : public QWidget
{
    Q_OBJECT
public:
    explicit BatchDashboard(Session *session, QWidget *parent = nullptr);

    // The batch group to show; any other group (or 0) empties the dashboard.
    void setGroup(int group);
    int group() const;
    // Marks the job of `process` in the chart and the log, when it is one of this batch's.
    void setCurrentProcess(int process);

    BatchJobsModel *model() const { return m_model; }
    GanttView *ganttView() const { return m_gantt; }
    QTableView *jobTable() const { return m_table; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *titleLabel() const { return m_title; }
    QLabel *countsLabel() const { return m_counts; }
    QLabel *etaLabel() const { return m_eta; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *haltButton() const { return m_halt; }

    static QString durationText(qint64 ms); // "0:07", "1:02:03"

Q_SIGNALS:
    // Once per click on a job's bar, and once per row made current in the job log by the user,
    // with the job's process (never 0).
    void processActivated(int process);

private:
    Session *m_session;
    BatchJobsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    GanttView *m_gantt;
    QTableView *m_table;
    QProgressBar *m_progress;
    QLabel *m_title;
    QLabel *m_counts;
    QLabel *m_eta;
    QPushButton *m_stop;
    QPushButton *m_halt;
    bool m_marking = false; // the current row is being set to follow the window, not the user

    void updateProgress();
};

} // namespace Spawnscope::Ui
