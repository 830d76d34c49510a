#include "pipelinelayout.h"

#include <QSet>

#include <algorithm>

namespace Spawnscope {

namespace {

struct Graph
{
    QList<int> ids;               // in id order
    QHash<int, QList<int>> next;  // stage -> stages it feeds, each once
    QHash<int, QList<int>> prev;
};

Graph graphOf(const PipelineSpec &spec)
{
    Graph g;
    g.ids = spec.stageIds();
    QSet<std::pair<int, int>> seen;
    for (const Edge &e : spec.edges) {
        if (!spec.stages.contains(e.id.from) || !spec.stages.contains(e.id.to) || seen.contains({e.id.from, e.id.to}))
            continue;
        seen.insert({e.id.from, e.id.to}); // stdout and stderr to one stage are one link here
        g.next[e.id.from].append(e.id.to);
        g.prev[e.id.to].append(e.id.from);
    }
    return g;
}

// The column of each stage: its longest path from a source (Kahn's order, ids breaking ties).
QHash<int, int> columnsOf(const Graph &g)
{
    QHash<int, int> indegree;
    for (int id : g.ids)
        indegree[id] = int(g.prev.value(id).size());
    QList<int> ready;
    for (int id : g.ids) {
        if (indegree[id] == 0)
            ready << id;
    }
    QHash<int, int> column;
    qsizetype at = 0;
    while (at < ready.size()) {
        const int id = ready[at++];
        for (int to : g.next.value(id)) {
            column[to] = std::max(column.value(to), column.value(id) + 1);
            if (--indegree[to] == 0)
                ready << to;
        }
    }
    for (int id : g.ids)
        column.insert(id, column.value(id)); // a stage on a cycle (not a valid pipeline) stays left
    return column;
}

} // namespace

QHash<int, std::pair<int, int>> PipelineLayout::grid(const PipelineSpec &spec, int sweeps)
{
    const Graph g = graphOf(spec);
    const QHash<int, int> column = columnsOf(g);
    int columns = 0;
    for (int c : column)
        columns = std::max(columns, c + 1);
    QList<QList<int>> order(columns);
    for (int id : g.ids)
        order[column[id]].append(id);
    QHash<int, double> rank; // the stage's place in its column
    auto renumber = [&](const QList<int> &ids) {
        for (int i = 0; i < ids.size(); ++i)
            rank[ids[i]] = i;
    };
    for (const QList<int> &ids : std::as_const(order))
        renumber(ids);
    // Each stage moves to the average place of its neighbours on one side; a stage with none
    // there keeps its own place. A stable sort keeps ties in their current order.
    auto sweep = [&](int c, const QHash<int, QList<int>> &neighbours) {
        QList<int> &ids = order[c];
        QHash<int, double> key;
        for (int id : ids) {
            const QList<int> ns = neighbours.value(id);
            if (ns.isEmpty()) {
                key[id] = rank[id];
                continue;
            }
            double sum = 0;
            for (int n : ns)
                sum += rank[n];
            key[id] = sum / double(ns.size());
        }
        std::stable_sort(ids.begin(), ids.end(), [&](int a, int b) { return key[a] < key[b]; });
        renumber(ids);
    };
    for (int pass = 0; pass < sweeps; ++pass) {
        for (int c = 1; c < columns; ++c)
            sweep(c, g.prev);
        for (int c = columns - 2; c >= 0; --c)
            sweep(c, g.next);
    }
    QHash<int, std::pair<int, int>> out;
    for (int c = 0; c < columns; ++c) {
        for (int i = 0; i < order[c].size(); ++i)
            out.insert(order[c][i], {c, i});
    }
    return out;
}

QHash<int, QPointF> PipelineLayout::compute(const PipelineSpec &spec, const Options &options)
{
    const QHash<int, std::pair<int, int>> cells = grid(spec, options.sweeps);
    QHash<int, int> height; // stages per column
    int tallest = 0;
    for (const auto &[c, r] : cells)
        tallest = std::max(tallest, ++height[c]);
    QHash<int, QPointF> out;
    for (auto it = cells.cbegin(); it != cells.cend(); ++it) {
        const auto [c, r] = it.value();
        const double offset = (tallest - height[c]) * options.rowHeight / 2; // columns centred
        out.insert(it.key(), QPointF(c * options.columnWidth, offset + r * options.rowHeight));
    }
    return out;
}

int PipelineLayout::crossings(const PipelineSpec &spec, const QHash<int, std::pair<int, int>> &grid)
{
    const Graph g = graphOf(spec);
    QList<std::pair<std::pair<int, int>, std::pair<int, int>>> links; // (column, rank) to (column, rank)
    for (auto it = g.next.cbegin(); it != g.next.cend(); ++it) {
        for (int to : it.value())
            links.append({grid.value(it.key()), grid.value(to)});
    }
    int count = 0;
    for (qsizetype i = 0; i < links.size(); ++i) {
        for (qsizetype j = i + 1; j < links.size(); ++j) {
            const auto &[a1, a2] = links[i];
            const auto &[b1, b2] = links[j];
            if (a1.first != b1.first || a2.first != b2.first)
                continue;
            if ((a1.second - b1.second) * (a2.second - b2.second) < 0)
                ++count;
        }
    }
    return count;
}

} // namespace Spawnscope
