#pragma once

#include "launchoptions.h"
#include "processinfo.h"

#include <pipelineevent.h>
#include <pipelinespec.h>

#include <processsignal.h>

#include <QHash>
#include <QSet>
#include <QObject>
#include <QPointer>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>

namespace Spawnscope {
class ChildProcess;
class PipelineRun;
class WorkerPool;
struct JobResult;
}

namespace Spawnscope::Ui {

class MessageLogModel;
class OutputBuffer;
class ProcessListModel;
class ProcessSampler;
class Timeline;

// Everything the window runs: starts commands through the core (a shell line with pipes becomes
// a pipeline run with its own group), keeps each process's output, feeds the process list, and
// stops what is left when the window closes.
class Session : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultScrollback = 100000;

    explicit Session(QObject *parent = nullptr);
    ~Session() override; // kills (SIGKILL) whatever still runs

    ProcessListModel *model() const { return m_model; }
    Timeline *timeline() const { return m_timeline; }
    QString folder() const { return m_folder.path(); }
    void setScrollback(int lines) { m_scrollback = lines; } // for processes started from now on
    int scrollback() const { return m_scrollback; }
    // What the next launch() uses.
    void setOptions(const LaunchOptions &options) { m_options = options; }
    const LaunchOptions &options() const { return m_options; }

    // Starts `line` in `mode` (spawn, exec, execFile, fork, or batch: `TEMPLATE ::: INPUT...`,
    // one job per input, as many at once as there are cores). Returns the first new process's
    // id, or 0 with `error` set when the line cannot be run (nothing is started then).
    int launch(const QString &mode, const QString &line, QString *error);
    // What launch() would run, for the command bar's preview; an error text when it cannot.
    static QString preview(const QString &mode, const QString &line, const LaunchOptions &options = {});
    static QString previewBatch(const QString &line, const QString &cwd = {});

    OutputBuffer *output(int process) const;
    MessageLogModel *messages(int process) const; // forked processes only
    ChildProcess *child(int process) const;
    QString modeOf(int process) const;
    QString lineOf(int process) const; // the line it was launched from
    bool signal(int process, const ProcessSignal &sig);
    int liveCount() const;
    // SIGTERM to everything live, SIGKILL after `graceMs`; `done` once all have closed.
    void stopAll(int graceMs, const std::function<void()> &done);

Q_SIGNALS:
    void processAdded(int process);
    void processChanged(int process);

private:
    struct Entry
    {
        ProcessInfo info;
        OutputBuffer *output = nullptr;
        MessageLogModel *messages = nullptr;
        QPointer<ChildProcess> child;
        QPointer<PipelineRun> run;
        QPointer<WorkerPool> pool;
        QString mode;
        QString line;
        bool detached = false; // left running when the window quits
        int lane = -1;         // on the timeline
    };
    LaunchOptions m_options;
    ProcessListModel *m_model;
    Timeline *m_timeline;
    ProcessSampler *m_sampler;
    QTemporaryDir m_folder;
    QHash<int, Entry> m_entries;
    QTimer m_tick;
    int m_commandsGroup = 0;
    int m_scrollback = DefaultScrollback;

    int addEntry(int group, const QString &name, const QString &command, const QString &mode, const QString &line, int stage = -1);
    void attach(int process, ChildProcess *child);
    void update(int process, const std::function<void(ProcessInfo &)> &change);
    // Byte counters change with every chunk; the list hears of them a few times a second.
    void countBytes(int process, bool err, qsizetype bytes);
    QSet<int> m_countersDirty;
    QTimer m_counterFlush;
    int launchPipeline(PipelineSpec spec, const QString &line);
    int launchBatch(const QString &line, QString *error);
    void batchJobFinished(int process, const JobResult &result);
    void recordPipelineEvent(int process, const PipelineEvent &event);
};

} // namespace Spawnscope::Ui
