#pragma once

#include "pipelinerun.h"
#include "childprocess.h"
#include "relay_p.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QPointer>
#include <QTimer>

namespace Spawnscope {

struct PipelineRunPrivate
{
    struct Stage
    {
        QPointer<ChildProcess> child;
        StageResult result;
        bool isFile = false; // a file node: no process, in no result
        bool closed = false;
        int fds[3] = {-1, -1, -1}; // what the child gets as 0, 1, 2; -1: see modes
        StdioMode modes[3];
        qint64 toParent = 0; // bytes of its stdout and stderr the parent has read
    };
    struct EdgeState
    {
        bool relayed = false;
        int link = -1;          // in the relay
        qint64 capacity = 0;    // a direct pipe's
        qint64 fullSince = -1;  // on the run's clock: when the queue was last seen filling up
        qint64 drainedSince = -1;
        bool blocked = false;
        qint64 bytes = -1;      // a direct edge's: its writer's last known total
    };

    PipelineRun *q = nullptr;
    PipelineSpec spec;
    PipelineRunOptions options;
    QMap<int, Stage> stages;
    QHash<EdgeId, EdgeState> edges;
    // A copy of each direct pipe's read end, by the stage that reads it, to see how much waits
    // in the pipe; dropped as that stage ends, or its writer would never see EPIPE.
    QHash<int, int> readEnds;
    QTimer statsTimer;
    QHash<EdgeId, EdgeStats> lastStats;
    QList<int> parentCopies; // descriptors handed to children, closed once all are spawned
    std::unique_ptr<Internal::Relay> relay;
    QList<PipelineEvent> log;
    QElapsedTimer clock;
    qint64 anchor = -1; // a do-nothing child that holds the process group open
    qint64 group = -1;
    bool startedAll = false;
    bool running = false;
    bool finished = false;
    bool stopping = false;
    bool graceOver = false;
    qint64 killedAt = 0;
    QString failure;
    int unstartedStage = 0;
    QTimer graceTimer;
    QTimer groupPoll;
    PipelineResult finalResult;

    void record(int stage, TraceKind kind, const QJsonObject &fields);
    void fail(const QString &why);
    void spawnStage(int id);
    void stageClosed(int id);
    void maybeFinish();

    // Platform parts (pipelinerun_unix.cpp).
    bool wire(QString *error);          // descriptors for every stage, the relay's links
    bool startGroup(QString *error);    // the anchor process and its group
    void signalGroup(int sig);
    bool groupGone();
    void endGroup();                    // kills and reaps the anchor
    void closeParentCopies();
    bool directBytesKnown(const EdgeId &edge) const;
    void directStats(const EdgeId &edge, EdgeState &state, EdgeStats *stats);
    EdgeStats statsOf(const EdgeId &edge);
    void pushStats(); // statsChanged() when anything changed
    void dropReadEnd(int stage);
    void dropReadEnds();
};

} // namespace Spawnscope
