#pragma once

#include "pipelinerun.h"
#include "childprocess.h"
#include "groupguard_p.h"
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
        bool exited = false;
        int fds[3] = {-1, -1, -1}; // what the child gets as 0, 1, 2; -1: see pipes, then modes
        int pipes[3] = {-1, -1, -1}; // a direct pipe (index in `pipes`) made as the stage starts
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
        quint64 pipeInode = 0;  // a direct edge's pipe, once made
    };
    // A kernel pipe from one stage straight to another. It is made when the first of the two
    // starts, and this process keeps each end only until its stage has it: a pipeline of
    // thousands of stages then holds a few pipes at a time here, not all of them.
    struct DirectPipe
    {
        EdgeId edge;
        bool made = false;
        int writer = -1; // this process's copy, until the writing stage has started
        int reader = -1; // until the reading stage has started
    };

    PipelineRun *q = nullptr;
    PipelineSpec spec;
    PipelineRunOptions options;
    QMap<int, Stage> stages;
    QHash<EdgeId, EdgeState> edges;
    QList<DirectPipe> pipes;
    // A read end of a direct pipe, by the stage that reads it, to see how much waits in the
    // pipe: opened through /proc when stats are first asked for, dropped as that stage ends,
    // or its writer would never see EPIPE.
    QHash<int, int> readEnds;
    QTimer statsTimer;
    QHash<EdgeId, EdgeStats> lastStats;
    QList<int> parentCopies; // descriptors handed to children, closed once all are spawned
    QList<int> toSpawn;      // the stages that are processes, in order
    qsizetype nextSpawn = 0;
    int openChildren = 0;    // made and not closed yet
    std::unique_ptr<Internal::Relay> relay;
    QList<PipelineEvent> log;
    QElapsedTimer clock;
    // Holds the stages' process group open, and kills it should this process die first.
    std::unique_ptr<Internal::GroupGuard> anchor;
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
    void spawnSlice();
    void spawnStage(int id);
    void stageClosed(int id);
    void maybeFinish();

    // Platform parts (pipelinerun_unix.cpp).
    bool wire(QString *error);          // descriptors for every stage, the relay's links
    bool startGroup(QString *error);    // the anchor and its group
    void signalGroup(int sig);
    bool groupGone();
    void endGroup();                    // lets the anchor go, with nothing to kill
    void closeParentCopies();
    bool makePipes(int id, QString *error); // the direct pipes of a stage about to start
    void handedPipes(int id);               // ... and this process's copies of its ends closed
    int readEndOf(const EdgeId &edge, const EdgeState &state);
    bool directBytesKnown(const EdgeId &edge) const;
    void directStats(const EdgeId &edge, EdgeState &state, EdgeStats *stats);
    EdgeStats statsOf(const EdgeId &edge);
    void pushStats(); // statsChanged() when anything changed
    void dropReadEnd(int stage);
    void dropReadEnds();
};

} // namespace Spawnscope
