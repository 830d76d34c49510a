#include <pipelinelayout.h>

#include <QTest>

using namespace Spawnscope;

using Links = QList<std::pair<int, int>>;

namespace {

// "1>2 1>3 2>4": stages 1..n, the edges given as from>to (stdout).
PipelineSpec graph(int stages, const QList<std::pair<int, int>> &edges)
{
    PipelineSpec spec;
    for (int id = 1; id <= stages; ++id) {
        StageSpec s;
        s.program = QStringLiteral("p%1").arg(id);
        spec.stages.insert(id, s);
    }
    for (const auto &[from, to] : edges)
        spec.edges.append(Edge{{from, OutputStream::Stdout, to}});
    return spec;
}

} // namespace

class tst_PipelineLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void columnsFollowTheLongestPath_data()
    {
        QTest::addColumn<int>("stages");
        QTest::addColumn<Links>("edges");
        QTest::addColumn<QList<int>>("columns"); // of stages 1..n
        QTest::newRow("a chain") << 3 << Links{{1, 2}, {2, 3}} << QList<int>{0, 1, 2};
        QTest::newRow("fan-out") << 3 << Links{{1, 2}, {1, 3}} << QList<int>{0, 1, 1};
        QTest::newRow("fan-in") << 3 << Links{{1, 3}, {2, 3}} << QList<int>{0, 0, 1};
        QTest::newRow("a shortcut waits for the long way") << 4 << Links{{1, 2}, {2, 3}, {1, 3}, {3, 4}}
                                                          << QList<int>{0, 1, 2, 3};
        QTest::newRow("alone") << 2 << Links{} << QList<int>{0, 0};
    }
    void columnsFollowTheLongestPath()
    {
        QFETCH(int, stages);
        QFETCH(Links, edges);
        QFETCH(QList<int>, columns);
        const PipelineSpec spec = graph(stages, edges);
        const auto cells = PipelineLayout::grid(spec);
        for (int id = 1; id <= stages; ++id)
            QCOMPARE(cells.value(id).first, columns[id - 1]);
        // Every edge runs left to right, and no two stages share a place.
        for (const Edge &e : spec.edges)
            QVERIFY(cells.value(e.id.from).first < cells.value(e.id.to).first);
        const QList<std::pair<int, int>> places = cells.values();
        const QSet<std::pair<int, int>> distinct(places.cbegin(), places.cend());
        QCOMPARE(distinct.size(), qsizetype(stages));
    }

    void sweepsUncrossWires()
    {
        // 1 feeds 4, 2 feeds 3: in id order the wires cross; ordered, they do not.
        const PipelineSpec spec = graph(4, {{1, 4}, {2, 3}});
        QCOMPARE(PipelineLayout::crossings(spec, PipelineLayout::grid(spec, 0)), 1);
        QCOMPARE(PipelineLayout::crossings(spec, PipelineLayout::grid(spec)), 0);
        // Two interleaved fans.
        const PipelineSpec fans = graph(6, {{1, 6}, {1, 5}, {2, 4}, {3, 4}, {2, 6}});
        QVERIFY(PipelineLayout::crossings(fans, PipelineLayout::grid(fans)) <= PipelineLayout::crossings(fans, PipelineLayout::grid(fans, 0)));
    }

    void positionsAreAGridCentredByColumn()
    {
        const PipelineSpec spec = graph(4, {{1, 2}, {1, 3}, {1, 4}});
        PipelineLayout::Options o;
        o.columnWidth = 200;
        o.rowHeight = 100;
        const auto at = PipelineLayout::compute(spec, o);
        QCOMPARE(at.value(1), QPointF(0, 100)); // one stage beside three: in the middle
        QList<double> ys;
        for (int id : {2, 3, 4}) {
            QCOMPARE(at.value(id).x(), 200.0);
            ys << at.value(id).y();
        }
        std::sort(ys.begin(), ys.end());
        QCOMPARE(ys, (QList<double>{0, 100, 200}));
    }

    void deterministic()
    {
        const PipelineSpec spec = graph(8, {{1, 3}, {2, 3}, {3, 4}, {3, 5}, {4, 6}, {5, 6}, {2, 7}, {7, 8}});
        const auto first = PipelineLayout::compute(spec);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(PipelineLayout::compute(spec), first);
    }

    void largeGraphsLayOutQuickly()
    {
        // 500 stages in 50 chains of 10: every one placed, chains in rows.
        Links edges;
        for (int chainStart = 1; chainStart <= 500; chainStart += 10) {
            for (int k = 0; k < 9; ++k)
                edges.append({chainStart + k, chainStart + k + 1});
        }
        const PipelineSpec spec = graph(500, edges);
        const auto at = PipelineLayout::compute(spec);
        QCOMPARE(at.size(), 500);
        QCOMPARE(PipelineLayout::crossings(spec, PipelineLayout::grid(spec)), 0);
    }
};

QTEST_GUILESS_MAIN(tst_PipelineLayout)
#include "tst_pipelinelayout.moc"
