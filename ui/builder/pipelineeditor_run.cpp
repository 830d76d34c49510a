// PipelineEditor: running what is drawn, and showing the run on the canvas and the outline.
#include "pipelineeditor.h"

#include "peekview.h"
#include "pipelineoutlinemodel.h"

#include <outputbuffer.h>
#include <pipelinedocument.h>
#include <session.h>

#include <QAction>
#include <QLocale>

namespace Spawnscope::Ui {

namespace {

// What a node's tooltip adds about its process: pid, times, CPU and memory.
QString detailsOf(const ProcessInfo &p)
{
    QStringList lines;
    if (p.pid > 0)
        lines << QStringLiteral("pid %1").arg(p.pid);
    if (p.started.isValid())
        lines << QStringLiteral("started %1, ran %2 ms").arg(p.started.toString(QStringLiteral("HH:mm:ss.zzz"))).arg(p.durationMs(QDateTime::currentDateTime()));
    if (p.cpuPercent >= 0)
        lines << QStringLiteral("CPU %1%").arg(p.cpuPercent, 0, 'f', 0);
    if (p.rssBytes >= 0)
        lines << QStringLiteral("memory %1").arg(QLocale().formattedDataSize(p.rssBytes, 1));
    if (!p.error.isEmpty())
        lines << p.error;
    return lines.join(QLatin1Char('\n'));
}

StageStatus fileStatus(bool running)
{
    return running ? StageStatus{StageStatus::Kind::Running, QStringLiteral("▶"), QStringLiteral("open")}
                   : StageStatus{StageStatus::Kind::Succeeded, QStringLiteral("✓"), QStringLiteral("closed")};
}

} // namespace

void PipelineEditor::connectSession()
{
    connect(m_session, &Session::processChanged, this, &PipelineEditor::showStatus);
    connect(m_session, &Session::pipelineStatsChanged, this, [this](int group, const QHash<EdgeId, EdgeStats> &stats) {
        if (group != m_group || !m_group)
            return;
        m_scene->setEdgeStats(stats, m_clock.elapsed());
        for (auto it = stats.cbegin(); it != stats.cend(); ++it) {
            if (const FlowMeter *meter = m_scene->flow(it.key()))
                m_outline->setEdgeFlow(it.key(), meter->label(m_clock.elapsed()));
            if (PeekView *view = m_peeks.value(it.key()))
                view->setLines(it->lastLines);
        }
    });
    m_flowTick.setInterval(500);
    connect(&m_flowTick, &QTimer::timeout, this, &PipelineEditor::ageFlow);
    connect(m_session, &Session::groupFinished, this, [this](int group) {
        if (group == m_group && m_running)
            runEnded();
    });
}

bool PipelineEditor::run(QString *error)
{
    auto refuse = [&](const QString &why) {
        say(tr("Cannot run: %1").arg(why), true);
        if (error)
            *error = why;
        return false;
    };
    if (m_running)
        return refuse(tr("it is running already"));
    const QList<PipelineDocument::Problem> problems = m_document->problems();
    if (!problems.isEmpty()) {
        refreshProblems();
        return refuse(problems.first().text + (problems.size() > 1 ? tr(" (and %n more in Problems)", nullptr, int(problems.size()) - 1) : QString()));
    }
    const PipelineSpec spec = m_document->toSpec();
    QString why;
    const int first = m_session->launchPipeline(spec, m_document->title(), &why);
    if (!first)
        return refuse(why); // the last run's results stay
    clearResults();
    m_runSpec = spec;
    m_group = m_session->process(first)->group;
    for (int stage : m_runSpec.stageIds()) {
        if (const int process = m_session->processOfStage(m_group, stage)) {
            m_processOf.insert(stage, process);
            m_stageOf.insert(process, stage);
            if (OutputBuffer *out = m_session->output(process)) {
                connect(out, &OutputBuffer::linesAdded, this, [this, process] {
                    m_lastLineDirty.insert(process);
                    if (!m_lastLineLater.isActive())
                        m_lastLineLater.start();
                });
            }
        }
    }
    m_running = true;
    m_clock.start();
    m_scene->setLocked(true);
    for (auto it = m_runSpec.stages.cbegin(); it != m_runSpec.stages.cend(); ++it) {
        if (it->isFile()) {
            m_scene->setStageStatus(it.key(), fileStatus(true), {});
            m_outline->setStageStatus(it.key(), fileStatus(true));
        }
    }
    for (int process : m_stageOf.keys())
        showStatus(process);
    sayRunning();
    // Between the core's stats (sent only when something changed) the labels still age: a wire
    // whose bytes stopped says "idle" a second later.
    m_flowTick.start();
    updateActions();
    Q_EMIT runningChanged(true);
    // It may have ended already (every stage failed to start).
    if (!m_session->isGroupRunning(m_group))
        runEnded();
    return true;
}

void PipelineEditor::stop()
{
    if (m_running && m_session->stopGroup(m_group))
        say(tr("Stopping: SIGTERM to every stage, SIGKILL after 2 s"), false);
}

void PipelineEditor::showStatus(int process)
{
    const int stage = m_stageOf.value(process);
    if (!stage)
        return;
    const ProcessInfo *info = m_session->process(process);
    if (!info)
        return;
    const StageStatus status = StageStatus::of(info);
    m_scene->setStageStatus(stage, status, detailsOf(*info));
    m_outline->setStageStatus(stage, status);
    sayRunning();
}

void PipelineEditor::updateLastLines()
{
    const QSet<int> dirty = std::exchange(m_lastLineDirty, {});
    for (int process : dirty) {
        OutputBuffer *out = m_session->output(process);
        const int stage = m_stageOf.value(process);
        if (!out || !stage)
            continue;
        // The newest stderr line among the last few: a node shows what went wrong.
        constexpr int Look = 64;
        const QList<OutputBuffer::Line> lines = out->linesFrom(std::max(out->firstRetained(), out->nextSeq() - Look), Look);
        for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
            if (it->stream == OutputBuffer::Stderr) {
                m_scene->setStageLastLine(stage, it->text);
                break;
            }
        }
    }
}

void PipelineEditor::sayRunning()
{
    // Not over a refusal being shown: that goes by itself.
    if (m_running && !m_statusTransient)
        say(tr("Running: %1. Stop with Shift+F5; moving nodes stays allowed.").arg(m_session->counts(m_group).text()), false);
}

void PipelineEditor::ageFlow()
{
    m_scene->setEdgeStats({}, m_clock.elapsed());
    for (const Edge &e : m_runSpec.edges) {
        if (const FlowMeter *meter = m_scene->flow(e.id))
            m_outline->setEdgeFlow(e.id, meter->label(m_clock.elapsed()));
    }
}

void PipelineEditor::runEnded()
{
    m_running = false;
    m_flowTick.stop();
    updateLastLines();
    m_scene->finishFlow();
    for (auto it = m_runSpec.stages.cbegin(); it != m_runSpec.stages.cend(); ++it) {
        if (it->isFile()) {
            m_scene->setStageStatus(it.key(), fileStatus(false), {});
            m_outline->setStageStatus(it.key(), fileStatus(false));
        }
    }
    for (const Edge &e : m_runSpec.edges) {
        if (const FlowMeter *meter = m_scene->flow(e.id))
            m_outline->setEdgeFlow(e.id, meter->label(m_clock.elapsed()));
    }
    for (int process : m_stageOf.keys())
        showStatus(process);
    m_scene->setLocked(false);
    const ProcessGroup *group = m_session->group(m_group);
    const GroupCounts counts = m_session->counts(m_group);
    const int status = group && group->status ? *group->status : 0;
    const QString policy = PipelineSpec::policyName(m_runSpec.policy);
    if (group && group->stopped)
        say(tr("Stopped (status %1). Counters stay until the next Run or Clear Results.").arg(status), false);
    else if (group && !group->error.isEmpty())
        say(tr("Failed: %1 (status %2). Click a node to see its output.").arg(group->error).arg(status), true);
    else if (status != 0)
        say(tr("Ended with status %1 (%2): %3. Click a node to see its output.").arg(status).arg(policy, failures()), true);
    else
        say(tr("Ended with status 0: %1. Counters stay until the next Run or Clear Results.").arg(counts.text()), false);
    updateActions();
    Q_EMIT runningChanged(false);
}

QString PipelineEditor::failures() const
{
    // Which stages failed and how; one that read nothing because nothing was wired into it
    // says so, as that is the likely reason.
    QStringList out;
    int first = 0; // the first process reads the window's stdin line, not nothing
    for (auto it = m_runSpec.stages.cbegin(); it != m_runSpec.stages.cend() && !first; ++it)
        first = it->isFile() ? 0 : it.key();
    for (auto it = m_processOf.cbegin(); it != m_processOf.cend(); ++it) {
        const ProcessInfo *info = m_session->process(it.value());
        if (!info || !info->hasFailed())
            continue;
        const StageSpec &s = m_runSpec.stages[it.key()];
        QString text = tr("%1 (stage %2) %3").arg(s.displayName()).arg(it.key()).arg(StageStatus::of(info).text);
        if (m_runSpec.edgesTo(it.key()).isEmpty() && s.stdinFile.isEmpty() && it.key() != first)
            text += tr(", with nothing wired into its stdin");
        out << text;
    }
    if (out.size() > 3)
        out = out.mid(0, 3) << tr("%n more", nullptr, int(out.size()) - 3);
    return out.isEmpty() ? tr("no stage failed") : out.join(QStringLiteral("; "));
}

void PipelineEditor::clearResults()
{
    if (m_running)
        return;
    for (int process : m_stageOf.keys()) {
        if (OutputBuffer *out = m_session->output(process))
            disconnect(out, nullptr, this, nullptr);
    }
    m_group = 0;
    m_processOf.clear();
    m_stageOf.clear();
    m_lastLineDirty.clear();
    m_scene->clearResults();
    m_outline->clearResults();
    updateActions();
}

} // namespace Spawnscope::Ui
