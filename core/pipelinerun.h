#pragma once

#include "edgestats.h"
#include "pipelineevent.h"
#include "pipelineresult.h"
#include "pipelinerunoptions.h"
#include "pipelinespec.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace Spawnscope {

class ChildProcess;

// One run of a pipeline. Every one-to-one edge is a socketpair handed from one child to the next,
// so the parent copies none of its bytes; fan-out, fan-in and tapped edges go through a relay
// thread. All children share one process group, which stop() signals as a whole.
class PipelineRun : public QObject
{
    Q_OBJECT
public:
    explicit PipelineRun(const PipelineSpec &spec, const PipelineRunOptions &options = {}, QObject *parent = nullptr);
    // Still running: the group is killed with SIGKILL and no child is left behind.
    ~PipelineRun() override;

    // Starts every stage; a pipeline that cannot run, or a stage that does not start, ends the
    // run (already started stages are stopped) and finished() reports why. Call once. Up to 32
    // stages start before it returns; a longer pipeline goes on starting from the event loop,
    // in slices of about 20 ms, so that stop() is heard meanwhile (no stage starts after it);
    // started() says when all have started.
    void start();
    // SIGTERM to the whole group, SIGKILL to whatever is left after stopGraceMs.
    void stop();

    bool isRunning() const;
    bool isFinished() const;
    qint64 processGroup() const;
    const PipelineSpec &spec() const;
    // A stage's child while the run lasts (for write(), send(), kill()), or nullptr.
    ChildProcess *stage(int id) const;
    EdgeStats edgeStats(const EdgeId &edge) const;
    // Pushes every edge's stats by statsChanged() every `ms` while the run lasts (0, the
    // default: never). A window sets 100: counters move at most ten times a second.
    void setStatsInterval(int ms);
    int statsInterval() const;
    QList<PipelineEvent> events() const; // the log so far
    PipelineResult result() const;       // final once finished() has fired

Q_SIGNALS:
    // Once, after every stage has been spawned (not when a stage failed to start, nor after a
    // stop() during the start). A long pipeline's first stages may already have reported events.
    void started();
    // For every entry of the log, as it happens; a stage's own events come in the core's order
    // (spawn first; close last, after exit).
    void event(const Spawnscope::PipelineEvent &event);
    // Data of an output that has no edge and no file (freeOutput Pipe), as it arrives.
    void output(int stage, Spawnscope::OutputStream stream, const QByteArray &data);
    // With a stats interval: at most once per interval while the run lasts, only when some
    // edge's stats changed, and once more as the run finishes (before finished()), with the
    // final counts.
    void statsChanged(const QHash<Spawnscope::EdgeId, Spawnscope::EdgeStats> &stats);
    // Exactly once, after every started stage has closed (and, after stop(), once nothing of
    // the group is left).
    void finished(const Spawnscope::PipelineResult &result);

private:
    friend struct PipelineRunPrivate;
    std::unique_ptr<struct PipelineRunPrivate> d;
};

} // namespace Spawnscope
