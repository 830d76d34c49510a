// Session: a pipeline run, its stages a group of their own.
#include "session.h"

#include "outputbuffer.h"
#include "timeline.h"

#include <childprocess.h>
#include <pipelinerun.h>
#include <shellline.h>
#include <workerpool.h>

#include <QJsonObject>

#include <algorithm>

namespace Spawnscope {

namespace {

LaunchMode modeOf(StageSpec::Mode mode)
{
    switch (mode) {
    case StageSpec::Mode::Exec: return LaunchMode::Exec;
    case StageSpec::Mode::ExecFile: return LaunchMode::ExecFile;
    case StageSpec::Mode::Fork: return LaunchMode::Fork;
    default: break;
    }
    return LaunchMode::Spawn;
}

QString stageCommand(const StageSpec &s)
{
    if (s.mode == StageSpec::Mode::Exec)
        return s.command;
    QStringList words{ShellLine::quote(s.program)};
    for (const QString &a : s.args)
        words << ShellLine::quote(a);
    return words.join(QLatin1Char(' '));
}

} // namespace

int Session::launchPipelineRequest(const std::shared_ptr<const LaunchRequest> &request, QString *error)
{
    const PipelineSpec &spec = request->pipeline;
    if (const QString why = spec.problem(); !why.isEmpty()) {
        *error = why;
        return 0;
    }
    if (std::all_of(spec.stages.cbegin(), spec.stages.cend(), [](const StageSpec &s) { return s.isFile(); })) {
        *error = QStringLiteral("nothing would run: every node is a file; put a stage (cat, for a copy) between them");
        return 0;
    }
    const int groupId = addGroup(QStringLiteral("Pipeline: %1").arg(request->title), GroupKind::Pipeline);
    PipelineRunOptions options;
    options.firstStdin = StdioMode::Pipe;
    options.killWithParent = true;
    auto *run = new PipelineRun(spec, options, this);
    run->setStatsInterval(100);
    QHash<int, int> processOf; // stage -> process
    QList<int> added;
    int first = 0; // the first stage that is a process: the one whose stdin the window writes
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend() && !first; ++it)
        first = it->isFile() ? 0 : it.key();
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        if (it->isFile())
            continue; // a file node is no process
        ProcessInfo info;
        info.name = it->displayName();
        info.command = stageCommand(*it);
        info.mode = modeOf(it->mode);
        info.stage = it.key();
        const int id = addEntry(groupId, info, request);
        Entry &e = m_entries[id];
        e.run = run;
        e.stdinPipe = it.key() == first && it->stdinFile.isEmpty() && spec.edgesTo(it.key()).isEmpty();
        processOf.insert(it.key(), id);
        added << id;
    }
    connect(run, &PipelineRun::output, this, [this, processOf](int stage, OutputStream stream, const QByteArray &data) {
        const int id = processOf.value(stage);
        const bool err = stream == OutputStream::Stderr;
        m_entries[id].output->append(err ? OutputBuffer::Stderr : OutputBuffer::Stdout, data);
        countBytes(id, err, data.size());
        m_timeline->addOutput(m_entries[id].lane, err, data.size());
    });
    connect(run, &PipelineRun::event, this, [this, processOf, run](const PipelineEvent &e) {
        const int id = processOf.value(e.stage);
        if (!id)
            return;
        if (e.kind == TraceKind::Spawn)
            m_entries[id].child = run->stage(e.stage);
        pipelineEvent(id, e);
    });
    m_groupRuns.insert(groupId, GroupRun{run, nullptr, processOf, false});
    connect(run, &PipelineRun::statsChanged, this, [this, groupId](const QHash<EdgeId, EdgeStats> &stats) {
        Q_EMIT pipelineStatsChanged(groupId, stats);
    });
    connect(run, &PipelineRun::finished, this, [this, groupId, processOf, run](const PipelineResult &result) {
        pipelineFinished(groupId, processOf, result);
        m_groupRuns[groupId].finished = true;
        Q_EMIT groupFinished(groupId);
        run->deleteLater();
    });
    run->start();
    for (int id : std::as_const(added))
        Q_EMIT processAdded(id);
    return added.first();
}

void Session::pipelineEvent(int id, const PipelineEvent &e)
{
    Entry &entry = m_entries[id];
    const double t = m_timeline->now();
    if (TimelineEvent::isDrawn(e.kind))
        m_timeline->addEventAt(entry.lane, t, e.kind, e.fields);
    switch (e.kind) {
    case TraceKind::Spawn:
        entry.spawnedAt = t;
        update(id, [&](ProcessInfo &p) {
            p.pid = qint64(e.fields.value(QStringLiteral("pid")).toDouble());
            p.state = ProcessInfo::State::Running;
        });
        break;
    case TraceKind::Error: {
        const QJsonObject error = e.fields.value(QStringLiteral("error")).toObject();
        const QString message = error.value(QStringLiteral("message")).toString();
        if (entry.info.pid <= 0) {
            entry.output->appendNote(QStringLiteral("did not start: %1").arg(message));
            update(id, [&](ProcessInfo &p) {
                p.state = ProcessInfo::State::FailedToStart;
                p.error = message;
            });
        } else {
            entry.output->appendNote(QStringLiteral("error: %1").arg(message));
        }
        break;
    }
    case TraceKind::Exit:
        update(id, [&](ProcessInfo &p) {
            p.signal = e.fields.value(QStringLiteral("signal")).toString();
            if (p.signal.isEmpty())
                p.exitCode = e.fields.value(QStringLiteral("code")).toInt();
            p.state = p.signal.isEmpty() ? ProcessInfo::State::Exited : ProcessInfo::State::Killed;
        });
        break;
    case TraceKind::Close:
        entry.output->finish();
        Q_EMIT processChanged(id);
        break;
    default:
        break;
    }
}

void Session::pipelineFinished(int groupId, const QHash<int, int> &processOf, const PipelineResult &result)
{
    ProcessGroup *group = groupOf(groupId);
    if (!result.error.isEmpty())
        group->error = result.error;
    group->status = result.status;
    group->stopped = result.stopped;
    Q_EMIT groupChanged(groupId);
    for (auto it = processOf.cbegin(); it != processOf.cend(); ++it) {
        Entry &entry = m_entries[it.value()];
        // What the run stopped because another stage failed, or never started, says why.
        if (!entry.info.isLive()) {
            if (!result.error.isEmpty() && entry.info.state == ProcessInfo::State::Killed)
                entry.output->appendNote(QStringLiteral("stopped: %1").arg(result.error));
            continue;
        }
        if (entry.info.pid > 0) {
            update(it.value(), [](ProcessInfo &p) { p.state = ProcessInfo::State::Killed; });
        } else {
            entry.output->appendNote(QStringLiteral("not started: %1").arg(result.error.isEmpty() ? QStringLiteral("the pipeline was stopped") : result.error));
            update(it.value(), [&](ProcessInfo &p) {
                p.state = ProcessInfo::State::NotStarted;
                p.error = result.error.isEmpty() ? QStringLiteral("the pipeline was stopped first") : result.error;
            });
        }
        entry.output->finish();
    }
}

} // namespace Spawnscope
