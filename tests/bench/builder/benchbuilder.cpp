// The pipeline builder under load; each mode prints one JSON line.
//   bench-builder graph N     N stages (chains of 20, 20 to a row, as QtNodes' own benchmark)
//                             pasted into an editor of 1600x900: the paste, then synchronous
//                             repaints of the canvas at fit-all and at 100%, with every wire's
//                             counters changed before each "counters" frame, a move of all, and
//                             undo and redo of the paste.
//   bench-builder flow BYTES  `head -c BYTES /dev/zero | cat | wc -c` drawn and run with every
//                             counter on screen (labels at 100%, the outline open): its rate, and
//                             the event loop's lateness (a 10 ms timer measuring itself).
#include <builderscene.h>
#include <builderview.h>
#include <pipelineeditor.h>

#include <pipelinedocument.h>
#include <session.h>

#include "peakrss.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMimeData>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <cstdio>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

struct Series
{
    QList<double> ms;
    double at(double q) const
    {
        QList<double> s = ms;
        std::sort(s.begin(), s.end());
        return s.isEmpty() ? 0 : s[qsizetype(double(s.size() - 1) * q)];
    }
    QString json(const char *name) const
    {
        return QStringLiteral(",\"%1_median_ms\":%2,\"%1_p99_ms\":%3").arg(QLatin1String(name)).arg(at(0.5), 0, 'f', 3).arg(at(0.99), 0, 'f', 3);
    }
};

double timed(const std::function<void()> &work)
{
    QElapsedTimer t;
    t.start();
    work();
    return double(t.nsecsElapsed()) / 1e6;
}

PipelineSpec graph(int n)
{
    PipelineSpec spec;
    for (int i = 1; i <= n; ++i) {
        StageSpec s;
        s.program = QStringLiteral("cat");
        spec.stages.insert(i, s);
        if ((i - 1) % 20)
            spec.edges.append(Edge{EdgeId{i - 1, OutputStream::Stdout, i}});
        spec.layout.insert(QString::number(i), QJsonObject{{QStringLiteral("x"), ((i - 1) % 20) * 360.0}, {QStringLiteral("y"), ((i - 1) / 20) * 140.0}});
    }
    return spec;
}

int graphMode(int n)
{
    Session session;
    PipelineEditor editor(&session);
    editor.resize(1600, 900);
    editor.show();
    QApplication::processEvents();
    BuilderScene *scene = editor.scene();
    BuilderView *view = editor.view();
    QMimeData data;
    data.setData(QLatin1String(BuilderScene::PipelineMime), graph(n).toJson());
    const double buildMs = timed([&] {
        scene->paste(&data, QPointF(0, 0));
        QApplication::processEvents();
    });
    auto frame = [&] { return timed([&] { view->viewport()->repaint(); }); };
    view->fitAll();
    const double firstFit = frame();
    Series fit;
    for (int i = 0; i < 40; ++i)
        fit.ms << frame();
    // Every wire's counters change, as the core's stats do ten times a second.
    QHash<EdgeId, EdgeStats> stats;
    for (const Edge &e : editor.document()->spec().edges)
        stats.insert(e.id, EdgeStats{});
    Series fitCounters;
    qint64 clock = 0;
    auto changeAll = [&] {
        clock += 100;
        for (auto it = stats.begin(); it != stats.end(); ++it) {
            it->bytes += 1234567;
            it->lines += 4321;
            it->queued = (clock * 37 + it.key().from * 4096) % 65536;
            it->capacity = 65536;
        }
        scene->setEdgeStats(stats, clock);
    };
    for (int i = 0; i < 40; ++i)
        fitCounters.ms << timed([&] {
            changeAll();
            view->viewport()->repaint();
        });
    view->setZoom(1, view->viewport()->rect().center());
    view->centerOn(scene->node(1));
    Series full, fullCounters;
    for (int i = 0; i < 40; ++i)
        full.ms << frame();
    for (int i = 0; i < 40; ++i)
        fullCounters.ms << timed([&] {
            changeAll();
            view->viewport()->repaint();
        });
    view->fitAll();
    scene->selectStages(scene->stageIds());
    Series moveAll;
    for (int i = 0; i < 10; ++i)
        moveAll.ms << timed([&] {
            scene->nudgeSelection(QPointF(10, 0));
            view->viewport()->repaint();
        });
    QUndoStack *undo = editor.document()->undoStack();
    while (undo->index() > 1)
        undo->undo(); // the moves
    const double undoMs = timed([&] {
        undo->undo();
        QApplication::processEvents();
    });
    const double redoMs = timed([&] {
        undo->redo();
        QApplication::processEvents();
    });
    std::printf("{\"mode\":\"graph\",\"stages\":%d,\"wires\":%lld,\"build_ms\":%.1f,\"first_fit_ms\":%.2f%s%s%s%s%s,\"undo_paste_ms\":%.1f,"
                "\"redo_paste_ms\":%.1f,\"rss_kb\":%ld}\n",
                n, qint64(stats.size()), buildMs, firstFit, qPrintable(fit.json("fit")), qPrintable(fitCounters.json("fit_counters")),
                qPrintable(full.json("full")), qPrintable(fullCounters.json("full_counters")), qPrintable(moveAll.json("move_all")), undoMs, redoMs,
                peakRssKb());
    std::fflush(stdout);
    return 0;
}

int flowMode(qint64 bytes)
{
    Session session;
    PipelineEditor editor(&session);
    editor.resize(1600, 900);
    editor.show();
    QMimeData data;
    data.setText(QStringLiteral("head -c %1 /dev/zero | cat | wc -c").arg(bytes));
    editor.scene()->paste(&data, QPointF(0, 0));
    QApplication::processEvents();
    editor.view()->setZoom(1, editor.view()->viewport()->rect().center());
    editor.view()->centerOn(editor.scene()->node(2));
    QList<double> lateness;
    QElapsedTimer tick;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        if (tick.isValid())
            lateness << std::max(0.0, double(tick.nsecsElapsed()) / 1e6 - 10);
        tick.restart();
    });
    QElapsedTimer clock;
    double seconds = 0;
    int labelsSeen = 0;
    QObject::connect(editor.scene(), &QGraphicsScene::changed, [&] { ++labelsSeen; });
    QObject::connect(&editor, &PipelineEditor::runningChanged, [&](bool running) {
        if (running)
            return;
        seconds = double(clock.nsecsElapsed()) / 1e9;
        probe.stop();
        QApplication::exit(0);
    });
    QTimer::singleShot(300, [&] {
        probe.start(10);
        clock.start();
        QString error;
        if (!editor.run(&error)) {
            std::fprintf(stderr, "cannot run: %s\n", qPrintable(error));
            QApplication::exit(1);
        }
    });
    if (QApplication::exec() != 0)
        return 1;
    std::sort(lateness.begin(), lateness.end());
    const auto q = [&](double p) { return lateness.isEmpty() ? 0 : lateness[qsizetype(double(lateness.size() - 1) * p)]; };
    std::printf("{\"mode\":\"flow\",\"bytes\":%lld,\"seconds\":%.3f,\"gib_per_s\":%.3f,\"lateness_p99_ms\":%.1f,\"lateness_worst_ms\":%.1f,"
                "\"lateness_median_ms\":%.1f,\"scene_updates\":%d,\"rss_kb\":%ld}\n",
                bytes, seconds, double(bytes) / double(1LL << 30) / seconds, q(0.99), q(1.0), q(0.5), labelsSeen, peakRssKb());
    std::fflush(stdout);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("SpawnscopeBench"));
    const QString mode = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("graph");
    if (mode == QLatin1String("flow"))
        return flowMode(argc > 2 ? QByteArray(argv[2]).toLongLong() : (8LL << 30));
    return graphMode(argc > 2 ? std::atoi(argv[2]) : 500);
}
