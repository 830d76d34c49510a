#include "pipelinespec.h"

#include <QHash>
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

namespace {

// The reasons an edge may not exist that need only the edge and its two stages.
QString localEdgeProblem(const PipelineSpec &spec, const EdgeId &id)
{
    if (!spec.stages.contains(id.from))
        return QStringLiteral("no stage %1 to connect from").arg(id.from);
    if (!spec.stages.contains(id.to))
        return QStringLiteral("no stage %1 to connect to").arg(id.to);
    if (id.stream != OutputStream::Stdout && id.stream != OutputStream::Stderr)
        return QStringLiteral("only stdout and stderr can be connected");
    if (id.from == id.to)
        return QStringLiteral("stage %1 cannot feed itself").arg(id.from);
    const StageSpec &from = spec.stages[id.from];
    if (from.mode == StageSpec::Mode::WriteFile)
        return QStringLiteral("stage %1 writes the file %2: nothing comes out of it").arg(id.from).arg(from.stdoutFile.path);
    if (from.mode == StageSpec::Mode::ReadFile && id.stream == OutputStream::Stderr)
        return QStringLiteral("stage %1 reads the file %2: it has no stderr").arg(id.from).arg(from.stdinFile);
    if (spec.stages[id.to].mode == StageSpec::Mode::ReadFile)
        return QStringLiteral("stage %1 reads the file %2: nothing goes into it").arg(id.to).arg(spec.stages[id.to].stdinFile);
    if (from.mode == StageSpec::Mode::ReadFile && spec.stages[id.to].mode == StageSpec::Mode::WriteFile)
        return QStringLiteral("a file straight into a file runs nothing: put a stage between them (cat)");
    if (id.stream == OutputStream::Stdout && from.stdoutFile.isSet())
        return QStringLiteral("stage %1's stdout already goes to %2").arg(id.from).arg(from.stdoutFile.path);
    if (id.stream == OutputStream::Stderr && from.stderrFile.isSet())
        return QStringLiteral("stage %1's stderr already goes to %2").arg(id.from).arg(from.stderrFile.path);
    if (id.stream == OutputStream::Stderr && from.mergeStderr)
        return QStringLiteral("stage %1's stderr already follows its stdout (2>&1)").arg(id.from);
    if (!spec.stages[id.to].stdinFile.isEmpty() && spec.stages[id.to].mode != StageSpec::Mode::ReadFile)
        return QStringLiteral("stage %1 reads %2").arg(id.to).arg(spec.stages[id.to].stdinFile);
    return {};
}

QString duplicateProblem(const EdgeId &id)
{
    return QStringLiteral("stage %1's %2 already feeds stage %3").arg(id.from).arg(PipelineSpec::streamName(id.stream)).arg(id.to);
}

QString cycleProblem(const EdgeId &id)
{
    return QStringLiteral("connecting stage %1 to stage %2 would make a cycle").arg(id.from).arg(id.to);
}

} // namespace

QString PipelineSpec::edgeProblem(const EdgeId &id) const
{
    if (const QString why = localEdgeProblem(*this, id); !why.isEmpty())
        return why;
    if (edge(id))
        return duplicateProblem(id);
    // A cycle would wait on itself: is there a way from `to` back to `from`? One pass over the
    // edges builds the successors, one walk visits each stage at most once.
    QHash<int, QList<int>> next;
    for (const Edge &e : edges)
        next[e.id.from].append(e.id.to);
    QList<int> pending{id.to};
    QSet<int> seen{id.to};
    while (!pending.isEmpty()) {
        const int at = pending.takeLast();
        if (at == id.from)
            return cycleProblem(id);
        for (int to : next.value(at)) {
            if (!seen.contains(to)) {
                seen.insert(to);
                pending.append(to);
            }
        }
    }
    return {};
}

QString PipelineSpec::edgesProblem(int *index) const
{
    QSet<EdgeId> seen;
    seen.reserve(edges.size());
    QHash<int, QList<int>> next; // stage -> indexes of its outgoing edges
    for (int i = 0; i < edges.size(); ++i) {
        const EdgeId &id = edges[i].id;
        QString why = localEdgeProblem(*this, id);
        if (why.isEmpty() && seen.contains(id))
            why = duplicateProblem(id);
        if (!why.isEmpty()) {
            if (index)
                *index = i;
            return why;
        }
        seen.insert(id);
        next[id.from].append(i);
    }
    // Depth-first, without recursion (a chain may be long): an edge back to a stage still on
    // the path closes a cycle.
    enum Colour { White, Grey, Black };
    QHash<int, Colour> colour;
    colour.reserve(stages.size());
    for (auto it = stages.cbegin(); it != stages.cend(); ++it) {
        if (colour.value(it.key(), White) != White)
            continue;
        QList<std::pair<int, int>> path{{it.key(), 0}}; // stage, next outgoing edge to try
        colour[it.key()] = Grey;
        while (!path.isEmpty()) {
            auto &[at, k] = path.last();
            const QList<int> out = next.value(at);
            if (k >= out.size()) {
                colour[at] = Black;
                path.removeLast();
                continue;
            }
            const int e = out[k++];
            const int to = edges[e].id.to;
            const Colour c = colour.value(to, White);
            if (c == Grey) {
                if (index)
                    *index = e;
                return cycleProblem(edges[e].id);
            }
            if (c == White) {
                colour[to] = Grey;
                path.append({to, 0});
            }
        }
    }
    return {};
}

QString PipelineSpec::problem() const
{
    if (stages.isEmpty())
        return QStringLiteral("the pipeline has no stages");
    bool anyProcess = false;
    for (auto it = stages.cbegin(); it != stages.cend(); ++it) {
        const StageSpec &s = it.value();
        if (s.mode == StageSpec::Mode::ReadFile) {
            if (s.stdinFile.trimmed().isEmpty())
                return QStringLiteral("stage %1 reads a file but names none").arg(it.key());
            continue;
        }
        if (s.mode == StageSpec::Mode::WriteFile) {
            if (!s.stdoutFile.isSet())
                return QStringLiteral("stage %1 writes a file but names none").arg(it.key());
            continue;
        }
        anyProcess = true;
        const QString what = s.mode == StageSpec::Mode::Exec ? s.command : s.program;
        if (what.trimmed().isEmpty())
            return QStringLiteral("stage %1 has no %2").arg(it.key()).arg(s.mode == StageSpec::Mode::Exec ? QStringLiteral("command") : QStringLiteral("program"));
    }
    if (!anyProcess)
        return QStringLiteral("the pipeline has only files: nothing would run");
    return edgesProblem();
}

PipelineSpec PipelineSpec::withFilesAsRedirections() const
{
    PipelineSpec out = *this;
    for (auto it = stages.cbegin(); it != stages.cend(); ++it) {
        const StageSpec &file = it.value();
        if (!file.isFile())
            continue;
        const QList<Edge> joined = file.mode == StageSpec::Mode::ReadFile ? edgesFrom(it.key()) : edgesTo(it.key());
        if (joined.size() != 1)
            continue;
        const Edge &e = joined.first();
        const int other = file.mode == StageSpec::Mode::ReadFile ? e.id.to : e.id.from;
        StageSpec &neighbour = out.stages[other];
        if (neighbour.isFile())
            continue;
        if (file.mode == StageSpec::Mode::ReadFile) {
            if (edgesTo(other).size() != 1)
                continue;
            neighbour.stdinFile = file.stdinFile;
        } else {
            bool alone = true; // the output feeds nothing but this file
            for (const Edge &o : edgesFrom(other))
                alone = alone && (o.id.stream != e.id.stream || o.id.to == it.key());
            if (!alone || (e.id.stream == OutputStream::Stdout ? neighbour.stdoutFile.isSet() : neighbour.stderrFile.isSet()))
                continue;
            (e.id.stream == OutputStream::Stdout ? neighbour.stdoutFile : neighbour.stderrFile) = file.stdoutFile;
        }
        out.edges.removeAll(e);
        out.stages.remove(it.key());
    }
    return out;
}

QString PipelineSpec::stageProblem(int id, const StageSpec &stage) const
{
    bool fedByEdge = false;
    bool stdoutPiped = false;
    bool stderrPiped = false;
    for (const Edge &e : edges) {
        fedByEdge = fedByEdge || e.id.to == id;
        if (e.id.from == id)
            (e.id.stream == OutputStream::Stdout ? stdoutPiped : stderrPiped) = true;
    }
    if (fedByEdge && !stage.stdinFile.isEmpty() && stage.mode != StageSpec::Mode::ReadFile)
        return QStringLiteral("stage %1 is fed by a wire; it cannot also read %2").arg(id).arg(stage.stdinFile);
    if (fedByEdge && stage.mode == StageSpec::Mode::ReadFile)
        return QStringLiteral("stage %1 is fed by a wire: it cannot become a file to read").arg(id);
    if ((stdoutPiped || stderrPiped) && stage.mode == StageSpec::Mode::WriteFile)
        return QStringLiteral("stage %1 feeds a wire: it cannot become a file to write").arg(id);
    if (stdoutPiped && stage.stdoutFile.isSet() && stage.mode != StageSpec::Mode::WriteFile)
        return QStringLiteral("stage %1's stdout feeds a wire; it cannot also go to %2").arg(id).arg(stage.stdoutFile.path);
    if (stderrPiped && stage.stderrFile.isSet())
        return QStringLiteral("stage %1's stderr feeds a wire; it cannot also go to %2").arg(id).arg(stage.stderrFile.path);
    if (stderrPiped && stage.mergeStderr)
        return QStringLiteral("stage %1's stderr feeds a wire; it cannot also follow stdout (2>&1)").arg(id);
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
