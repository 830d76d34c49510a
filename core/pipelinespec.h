#pragma once

#include "stagespec.h"

#include <QByteArray>
#include <QHashFunctions>
#include <QJsonObject>
#include <QList>
#include <QMap>

#include <optional>

namespace Spawnscope {

enum class OutputStream { Stdout = 1, Stderr = 2 };

// An edge from one stage's stdout or stderr to another stage's stdin. The three fields are the
// edge's identity: there is at most one such edge.
struct EdgeId
{
    int from = -1;
    OutputStream stream = OutputStream::Stdout;
    int to = -1;

    friend auto operator<=>(const EdgeId &, const EdgeId &) = default;
    friend size_t qHash(const EdgeId &e, size_t seed = 0)
    {
        return qHashMulti(seed, e.from, int(e.stream), e.to);
    }
};

struct Edge
{
    EdgeId id;
    bool tapped = false; // relayed through the parent so that it can be counted and watched
    QJsonObject extra = {}; // fields of a file this version does not know: kept, and written back
    friend bool operator==(const Edge &, const Edge &) = default;
};

// How a run's overall status is chosen from its stages' statuses.
enum class StatusPolicy {
    Last,     // the last stage's, as sh
    Pipefail, // the last non-zero one, as bash's pipefail
    All,      // the first non-zero one: zero only when every stage succeeded
};

// A pipeline as a plain value: what a `*.spawnscope.json` file holds and what a run starts.
// Stage ids are positive and stable; `stages` keeps them in pipeline order.
struct PipelineSpec
{
    static constexpr int FormatVersion = 1;

    QString name;
    QMap<int, StageSpec> stages;
    QList<Edge> edges;
    StatusPolicy policy = StatusPolicy::Pipefail;
    // Bytes each pipe between stages holds; 0: the system's default (64 KiB on Linux), as a
    // shell's pipes, so that statuses match the shell's.
    int pipeCapacity = 0;
    QJsonObject layout; // kept for the editor, ignored by the core
    QJsonObject extra;  // fields of a file this version does not know: kept, and written back

    QList<int> stageIds() const { return stages.keys(); }
    int nextStageId() const { return stages.isEmpty() ? 1 : stages.lastKey() + 1; }
    std::optional<Edge> edge(const EdgeId &id) const;
    QList<Edge> edgesFrom(int stage) const;
    QList<Edge> edgesTo(int stage) const;
    // Why this edge may not be added, or an empty string. Linear in the edges.
    QString edgeProblem(const EdgeId &id) const;
    // Why the edges as they are cannot be (a missing stage, a duplicate, a cycle...), with the
    // index of the edge at fault; empty when they are fine. Linear in stages and edges.
    QString edgesProblem(int *index = nullptr) const;
    // Why `stage` may not be stage `id` with the edges as they are (a file where a wire already
    // goes), or an empty string.
    QString stageProblem(int id, const StageSpec &stage) const;
    // Why this pipeline cannot run, or an empty string. Linear in stages and edges.
    QString problem() const;
    // The same pipeline with file nodes folded into their neighbours' redirections where one
    // edge joins them (`< in`, `> out`), as a shell line says it; the rest unchanged.
    PipelineSpec withFilesAsRedirections() const;

    QByteArray toJson() const;
    // Parses a document; on failure returns nullopt and sets `error` to a message naming the
    // line and column, or the field ("stages[2].args[0]"), at fault.
    static std::optional<PipelineSpec> fromJson(const QByteArray &json, QString *error);

    friend bool operator==(const PipelineSpec &, const PipelineSpec &) = default;

    static QString policyName(StatusPolicy policy);
    static std::optional<StatusPolicy> policyFromName(const QString &name);
    static QString streamName(OutputStream stream);
};

} // namespace Spawnscope
