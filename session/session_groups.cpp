// Session: what reaches a whole group at once (Stop, a message, a disconnect, a signal).
#include "session.h"

#include <childprocess.h>
#include <pipelinerun.h>
#include <workerpool.h>

namespace Spawnscope {

bool Session::stopGroup(int group)
{
    const GroupRun run = m_groupRuns.value(group);
    if (run.finished)
        return false;
    if (run.run)
        run.run->stop();
    else if (run.pool)
        run.pool->stop();
    else if (run.forksLeft > 0)
        return stopEach(group) > 0;
    else
        return false;
    return true;
}

int Session::forEachOfGroup(int group, const std::function<bool(int)> &act) const
{
    int reached = 0;
    if (const ProcessGroup *g = this->group(group)) {
        for (int id : g->processes)
            reached += act(id) ? 1 : 0;
    }
    return reached;
}

int Session::stopEach(int group)
{
    return forEachOfGroup(group, [this](int id) { return stop(id); });
}

int Session::sendMessageToGroup(int group, const QJsonValue &message)
{
    return forEachOfGroup(group, [this, &message](int id) { return sendMessage(id, message); });
}

int Session::disconnectGroup(int group)
{
    return forEachOfGroup(group, [this](int id) {
        ChildProcess *c = child(id);
        if (!c || !c->connected())
            return false;
        c->disconnectChannel();
        return true;
    });
}

int Session::signalGroup(int group, const ProcessSignal &sig)
{
    return forEachOfGroup(group, [this, &sig](int id) { return signal(id, sig); });
}

bool Session::haltGroup(int group)
{
    const GroupRun run = m_groupRuns.value(group);
    if (run.finished || !run.pool)
        return false;
    m_batches[group].halting = true;
    run.pool->halt(); // its progress follows, with the skipped jobs
    return true;
}

const BatchState *Session::batch(int group) const
{
    const auto it = m_batches.constFind(group);
    return it == m_batches.cend() ? nullptr : &*it;
}

bool Session::isGroupRunning(int group) const
{
    const auto it = m_groupRuns.constFind(group);
    return it != m_groupRuns.cend() && !it->finished;
}

} // namespace Spawnscope
