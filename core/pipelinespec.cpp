#include "pipelinespec.h"

#include <QSet>

namespace Spawnscope {

std::optional<Edge> PipelineSpec::edge(const EdgeId &id) const
{
    for (const Edge &e : edges) {
        if (e.id == id)
            return e;
    }
    return std::nullopt;
}

QList<Edge> PipelineSpec::edgesFrom(int stage) const
{
    QList<Edge> out;
    for (const Edge &e : edges) {
        if (e.id.from == stage)
            out.append(e);
    }
    return out;
}

QList<Edge> PipelineSpec::edgesTo(int stage) const
{
    QList<Edge> out;
    for (const Edge &e : edges) {
        if (e.id.to == stage)
            out.append(e);
    }
    return out;
}

QString PipelineSpec::edgeProblem(const EdgeId &id) const
{
    if (!stages.contains(id.from))
        return QStringLiteral("no stage %1 to connect from").arg(id.from);
    if (!stages.contains(id.to))
        return QStringLiteral("no stage %1 to connect to").arg(id.to);
    if (id.stream != OutputStream::Stdout && id.stream != OutputStream::Stderr)
        return QStringLiteral("only stdout and stderr can be connected");
    if (id.from == id.to)
        return QStringLiteral("stage %1 cannot feed itself").arg(id.from);
    if (edge(id))
        return QStringLiteral("stage %1's %2 already feeds stage %3").arg(id.from).arg(streamName(id.stream)).arg(id.to);
    const StageSpec &from = stages[id.from];
    if (id.stream == OutputStream::Stdout && from.stdoutFile.isSet())
        return QStringLiteral("stage %1's stdout already goes to %2").arg(id.from).arg(from.stdoutFile.path);
    if (id.stream == OutputStream::Stderr && from.stderrFile.isSet())
        return QStringLiteral("stage %1's stderr already goes to %2").arg(id.from).arg(from.stderrFile.path);
    if (id.stream == OutputStream::Stderr && from.mergeStderr)
        return QStringLiteral("stage %1's stderr already follows its stdout (2>&1)").arg(id.from);
    if (!stages[id.to].stdinFile.isEmpty())
        return QStringLiteral("stage %1 reads %2").arg(id.to).arg(stages[id.to].stdinFile);
    // A cycle would wait on itself; the walk looks for a way back from `to` to `from`.
    QList<int> pending{id.to};
    QSet<int> seen;
    while (!pending.isEmpty()) {
        const int at = pending.takeLast();
        if (at == id.from)
            return QStringLiteral("connecting stage %1 to stage %2 would make a cycle").arg(id.from).arg(id.to);
        if (seen.contains(at))
            continue;
        seen.insert(at);
        for (const Edge &e : edges) {
            if (e.id.from == at)
                pending.append(e.id.to);
        }
    }
    return {};
}

QString PipelineSpec::problem() const
{
    if (stages.isEmpty())
        return QStringLiteral("the pipeline has no stages");
    for (auto it = stages.cbegin(); it != stages.cend(); ++it) {
        const StageSpec &s = it.value();
        const QString what = s.mode == StageSpec::Mode::Exec ? s.command : s.program;
        if (what.trimmed().isEmpty())
            return QStringLiteral("stage %1 has no %2").arg(it.key()).arg(s.mode == StageSpec::Mode::Exec ? QStringLiteral("command") : QStringLiteral("program"));
    }
    for (int i = 0; i < edges.size(); ++i) {
        PipelineSpec without = *this;
        without.edges.removeAt(i);
        const QString why = without.edgeProblem(edges[i].id);
        if (!why.isEmpty())
            return why;
    }
    return {};
}

QString PipelineSpec::policyName(StatusPolicy policy)
{
    switch (policy) {
    case StatusPolicy::Last: return QStringLiteral("last");
    case StatusPolicy::Pipefail: return QStringLiteral("pipefail");
    case StatusPolicy::All: return QStringLiteral("all");
    }
    return {};
}

std::optional<StatusPolicy> PipelineSpec::policyFromName(const QString &name)
{
    for (StatusPolicy p : {StatusPolicy::Last, StatusPolicy::Pipefail, StatusPolicy::All}) {
        if (policyName(p) == name)
            return p;
    }
    return std::nullopt;
}

QString PipelineSpec::streamName(OutputStream stream)
{
    return stream == OutputStream::Stderr ? QStringLiteral("stderr") : QStringLiteral("stdout");
}

} // namespace Spawnscope
