#include "session.h"

#include "outputbuffer.h"
#include "processlistmodel.h"
#include "timeline.h"

#include <childprocess.h>
#include <pipelinerun.h>

#include <QJsonObject>

namespace Spawnscope::Ui {

int Session::launchPipeline(PipelineSpec spec, const QString &line)
{
    for (StageSpec &stage : spec.stages) {
        // The stages take the window's options where a pipeline has them.
        if (stage.cwd.isEmpty())
            stage.cwd = m_options.cwd;
        for (const auto &[name, value] : m_options.environment)
            stage.env.insert(name, value);
        stage.timeout = m_options.timeoutMs;
        stage.killSignal = ProcessSignal(m_options.killSignal);
    }
    const int group = m_model->addGroup(QStringLiteral("Pipeline: %1").arg(line), QStringLiteral("pipeline"));
    PipelineRunOptions options;
    options.firstStdin = StdioMode::Pipe;
    auto *run = new PipelineRun(spec, options, this);
    QHash<int, int> idOf; // stage -> process
    int first = 0;
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        const int id = addEntry(group, it->displayName(), QStringLiteral("%1 %2").arg(it->program, it->args.join(QLatin1Char(' '))), QStringLiteral("pipeline"), line, it.key());
        m_entries[id].run = run;
        idOf.insert(it.key(), id);
        first = first ? first : id;
    }
    connect(run, &PipelineRun::output, this, [this, idOf](int stage, OutputStream stream, const QByteArray &data) {
        const int id = idOf.value(stage);
        m_entries[id].output->append(stream == OutputStream::Stderr ? OutputBuffer::Stderr : OutputBuffer::Stdout, data);
        countBytes(id, stream == OutputStream::Stderr, data.size());
        m_timeline->addOutput(m_entries[id].lane, stream == OutputStream::Stderr, data.size());
    });
    connect(run, &PipelineRun::event, this, [this, idOf, run](const PipelineEvent &e) {
        const int id = idOf.value(e.stage);
        if (!id)
            return;
        recordPipelineEvent(id, e);
        if (e.kind == TraceKind::Spawn) {
            m_entries[id].child = run->stage(e.stage);
            update(id, [&](ProcessInfo &p) {
                p.pid = qint64(e.fields.value(QStringLiteral("pid")).toDouble());
                p.state = ProcessInfo::State::Running;
            });
        } else if (e.kind == TraceKind::Error && !m_entries[id].info.pid) {
            update(id, [&](ProcessInfo &p) {
                p.state = ProcessInfo::State::FailedToStart;
                p.error = e.fields.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
            });
        } else if (e.kind == TraceKind::Exit) {
            update(id, [&](ProcessInfo &p) {
                p.signal = e.fields.value(QStringLiteral("signal")).toString();
                if (p.signal.isEmpty())
                    p.exitCode = e.fields.value(QStringLiteral("code")).toInt();
                p.state = p.signal.isEmpty() ? ProcessInfo::State::Exited : ProcessInfo::State::Killed;
                p.ended = QDateTime::currentDateTime();
            });
        } else if (e.kind == TraceKind::Close) {
            m_entries[id].output->finish();
        }
    });
    connect(run, &PipelineRun::finished, this, [this, idOf, run](const PipelineResult &) {
        for (int id : idOf) {
            update(id, [](ProcessInfo &p) {
                if (p.isLive()) {
                    p.state = p.pid ? ProcessInfo::State::Killed : ProcessInfo::State::FailedToStart;
                    p.ended = QDateTime::currentDateTime();
                }
            });
        }
        run->deleteLater();
    });
    run->start();
    for (int id : idOf)
        Q_EMIT processAdded(id);
    return first;
}

void Session::recordPipelineEvent(int id, const PipelineEvent &e)
{
    if (TimelineEvent::isDrawn(e.kind))
        m_timeline->addEvent(m_entries[id].lane, e.kind, e.fields);
}

} // namespace Spawnscope::Ui
