#pragma once

#include "pipelinespec.h"

#include <QHash>
#include <QList>
#include <QPointF>

namespace Spawnscope {

// A layered drawing of a pipeline, left to right (Sugiyama's method, kept small): each stage goes
// in the column of its longest path from a source, the stages of a column are ordered by the
// average place of their neighbours, sweeping forth and back to uncross wires, and the columns
// are centred on one another. Deterministic: the same graph always gives the same picture.
class PipelineLayout
{
public:
    struct Options
    {
        double columnWidth = 260; // from one column's left edge to the next one's
        double rowHeight = 120;   // from one stage's top to the next one's below it
        int sweeps = 8;           // passes of ordering, each one forth and back
    };

    // Top-left positions by stage id, the first column at x = 0 and the tallest at y = 0.
    static QHash<int, QPointF> compute(const PipelineSpec &spec, const Options &options);
    static QHash<int, QPointF> compute(const PipelineSpec &spec) { return compute(spec, Options()); }
    // The column and the rank in it of each stage, as compute() places them.
    static QHash<int, std::pair<int, int>> grid(const PipelineSpec &spec, int sweeps = 8);
    // Pairs of edges between neighbouring columns that cross, for a grid (what the sweeps lower).
    static int crossings(const PipelineSpec &spec, const QHash<int, std::pair<int, int>> &grid);
};

} // namespace Spawnscope
