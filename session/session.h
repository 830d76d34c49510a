#pragma once

#include "batchjob.h"
#include "descendantinfo.h"
#include "launchrequest.h"
#include "processgroup.h"
#include "processinfo.h"
#include "sessionfolder.h"

#include <edgestats.h>
#include <pipelineevent.h>
#include <processsignal.h>

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>

namespace Spawnscope {

class ChildProcess;
class MessageLogModel;
class OutputBuffer;
class PipelineRun;
struct ProcessError;
class ProcessSampler;
class Timeline;
class WorkerPool;
struct JobResult;
struct PipelineResult;

// Everything the window runs, without a widget: starts what a LaunchRequest says through the
// core, keeps each process's state, output, messages and timeline lane, and stops what is left
// when it goes. Processes are numbered from 1 and grouped (the single commands, one group per
// pipeline run or batch); nothing is ever removed, so ids and group positions stay valid.
class Session : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultScrollback = 100000;

    explicit Session(QObject *parent = nullptr);
    ~Session() override; // kills (SIGKILL) whatever still runs, detached children excepted

    Timeline *timeline() const { return m_timeline; }
    // Where its spools and lessons' files go (SessionFolder); empty when none could be made.
    QString folder() const { return m_folder.path(); }
    void setScrollback(int lines) { m_scrollback = lines; } // for processes started from now on
    int scrollback() const { return m_scrollback; }

    // Starts the request; the first new process's id, or 0 with `error` set when nothing could
    // be started (a child that fails to start is a process all the same: it shows why).
    int launch(const LaunchRequest &request, QString *error);
    // A pipeline as drawn or loaded, as a group of its own titled `title`.
    int launchPipeline(const PipelineSpec &spec, const QString &title, QString *error = nullptr);
    // Starts the process's request again as it was, never re-parsing a line: a pipeline stage
    // runs its whole pipeline again, a batch job its own input.
    int runAgain(int process, QString *error);

    const ProcessInfo *process(int id) const;
    const ProcessGroup *group(int id) const;
    QList<int> groupIds() const { return m_groupOrder; }
    GroupCounts counts(int group) const;
    int processCount() const { return int(m_entries.size()); }
    QList<int> processIds() const; // every process, in the order they were added
    int liveCount() const { return int(m_live.size()); }      // starting, running or stopped
    int stoppedCount() const { return m_stopped; }
    qint64 totalBytes() const { return m_totalBytes; } // all output so far, of every process
    const LaunchRequest *request(int process) const;
    OutputBuffer *output(int process) const;
    MessageLogModel *messages(int process) const; // forked processes only
    ChildProcess *child(int process) const;

    // A pipeline run's process for one of its stages (files have none), or 0.
    int processOfStage(int group, int stage) const;
    // Stops what a group runs: a pipeline as PipelineRun::stop() does, a batch as a halt, the
    // children of a fork group each as Stop does.
    bool stopGroup(int group);
    bool isGroupRunning(int group) const;
    // A batch: lets its running jobs end and starts no more (Stop, stopGroup(), ends them now).
    // False when it is not a batch that runs.
    bool haltGroup(int group);
    // A batch group's jobs and progress, or nullptr for any other group.
    const BatchState *batch(int group) const;

    bool signal(int process, const ProcessSignal &sig);
    // SIGTERM; a stopped process gets SIGCONT after it, or it could not act on it.
    bool stop(int process);
    bool resume(int process); // SIGCONT
    // Why the process's stdin cannot take a line now (it ended, it is not a pipe, it was
    // closed...), or an empty string when it can.
    QString stdinProblem(int process) const;
    bool writeStdin(int process, const QByteArray &data);
    bool closeStdin(int process);
    // A message to a forked child, logged with its others; false when its channel is closed.
    bool sendMessage(int process, const QJsonValue &message);
    // The same to every forked child of a group, and to each of them a disconnect, a signal:
    // how many it reached.
    int sendMessageToGroup(int group, const QJsonValue &message);
    int disconnectGroup(int group);
    int signalGroup(int group, const ProcessSignal &sig);

    // SIGTERM to everything live, SIGKILL after `graceMs`; `done` once all have closed.
    void stopAll(int graceMs, const std::function<void()> &done);

    // How often /proc is read for what the processes started themselves.
    static constexpr int TreeScanMs = 250;
    // What the process started itself, and what those started..., found in /proc while it or
    // any of them lives, in the order they were found: none is ever removed (one that ended
    // shows gone), so an index keeps meaning the same descendant. Empty when it started none.
    QList<DescendantInfo> descendants(int process) const;
    // A descendant's lane on the timeline (under its parent's), or -1.
    int descendantLane(int process, int index) const;

Q_SIGNALS:
    // Once per group, before the processAdded() of its first process.
    void groupAdded(int group);
    // Once per process, once it is in its group with its output, lane and child.
    void processAdded(int process);
    // After each change of a process's state, pid, exit or error; of its byte counters (at most
    // four times a second); of its CPU and memory (about once a second while it lives).
    void processChanged(int process);
    // After a group's title, error or count of queued jobs changed. Its other counts change
    // with its processes' processChanged().
    void groupChanged(int group);
    // About once a second while anything lives: durations have moved on.
    void liveTick();
    // A pipeline run's edges, at most ten times a second while it runs when they changed, and
    // once more with the final counts as it ends (before groupFinished()).
    void pipelineStatsChanged(int group, const QHash<Spawnscope::EdgeId, Spawnscope::EdgeStats> &stats);
    // Once per pipeline run, batch or fork group, when everything it started has ended.
    void groupFinished(int group);
    // After a scan of /proc (every TreeScanMs) that found the process's descendants changed:
    // one appeared (appended to descendants()), went or changed state; and after every scan
    // while any of them lives (lifetime, CPU and memory moved on), its own end notwithstanding.
    // At most once per process per scan: about four times a second.
    void descendantsChanged(int process);
    // A batch job's row changed: once as each attempt starts and once as it ends (before the
    // processChanged() of its state), and with its byte counts, at most four times a second
    // while it writes. The job is batch(group)->job(seq).
    void batchJobChanged(int group, int seq);
    // After each change of a batch's progress: once per attempt that ends (starts that happen
    // together may share one), on a halt, and once more as it finishes (before groupFinished()).
    void batchProgressChanged(int group);

private:
    struct Entry
    {
        ProcessInfo info;
        std::shared_ptr<const LaunchRequest> request;
        QString jobInput; // a batch job's input
        int jobSeq = 0;
        OutputBuffer *output = nullptr;
        MessageLogModel *messages = nullptr;
        QPointer<ChildProcess> child;
        QPointer<PipelineRun> run;
        QPointer<WorkerPool> pool;
        bool detached = false; // left running when the window quits
        bool stdinPipe = false;
        bool stdinClosed = false;
        int lane = -1;
        double spawnedAt = -1; // on the timeline's clock
    };

    LaunchOptions m_options;
    Timeline *m_timeline;
    ProcessSampler *m_sampler;
    SessionFolder m_folder;
    QHash<int, Entry> m_entries;
    QList<ProcessGroup> m_groups;
    struct GroupRun
    {
        QPointer<PipelineRun> run;
        QPointer<WorkerPool> pool;
        QHash<int, int> processOfStage;
        bool finished = false;
        int forksLeft = 0; // a fork group: children not yet closed
    };
    QHash<int, GroupRun> m_groupRuns;
    QHash<int, BatchState> m_batches;
    QList<int> m_groupOrder;
    QHash<int, int> m_groupIndex; // group id -> index in m_groups
    int m_nextProcess = 1;
    int m_nextGroup = 1;
    int m_commandsGroup = 0;
    int m_scrollback = DefaultScrollback;
    qint64 m_totalBytes = 0;
    QSet<int> m_live; // kept as states change: the tick and the counts never scan every process
    int m_stopped = 0;
    QTimer m_tick;
    QSet<int> m_countersDirty;
    QTimer m_counterFlush;

    class TreeWatch; // session_tree.cpp
    TreeWatch *m_tree = nullptr;
    void watchDescendants();
    void applyDescendants(int process, const QList<DescendantInfo> &now);

    int addGroup(const QString &title, GroupKind kind);
    ProcessGroup *groupOf(int id);
    int addEntry(int group, ProcessInfo info, std::shared_ptr<const LaunchRequest> request);
    void update(int process, const std::function<void(ProcessInfo &)> &change);
    void countBytes(int process, bool err, qsizetype bytes);
    void sampleSoon(int process);
    void failedToStart(int process, const ProcessError &error);

    int launchChild(const std::shared_ptr<const LaunchRequest> &request, QString *error);
    int launchForkGroup(const std::shared_ptr<const LaunchRequest> &request, QString *error);
    int stopEach(int group);
    // `act` on each process of the group: how many it reached (returned true).
    int forEachOfGroup(int group, const std::function<bool(int)> &act) const;
    ChildProcess *forkChild(int process, const LaunchRequest &request);
    void attach(int process, ChildProcess *child);
    int launchPipelineRequest(const std::shared_ptr<const LaunchRequest> &request, QString *error);
    void pipelineEvent(int process, const PipelineEvent &event);
    void pipelineFinished(int group, const QHash<int, int> &processOfStage, const PipelineResult &result);
    int launchBatch(const std::shared_ptr<const LaunchRequest> &request, QString *error);
    void batchJobStarted(int process, int attempt, qint64 pid, int slot);
    void batchJobOutput(int process, OutputStream stream, const QByteArray &chunk);
    void batchJobEnded(int process, const JobResult &result);
};

} // namespace Spawnscope
