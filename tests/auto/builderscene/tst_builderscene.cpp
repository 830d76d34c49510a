#include <builderscene.h>
#include <builderview.h>
#include <nodeitem.h>
#include <noteitem.h>
#include <stagepalette.h>
#include <wireitem.h>

#include <pipelinecommands.h>
#include <pipelinedocument.h>

#include <canvasdriver.h>

#include <QMimeData>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>

using namespace Spawnscope;
using namespace Spawnscope::Ui;
using namespace CanvasDriver;

namespace {

using Links = QList<std::pair<int, int>>;

// A document on a canvas in a window, at 100%, with the stages given placed in a row.
struct Canvas
{
    PipelineDocument document;
    BuilderScene scene{&document};
    BuilderView view{&scene};

    explicit Canvas(const QStringList &programs = {}, const Links &links = {})
    {
        PipelineSpec spec;
        int id = 1;
        for (const QString &p : programs) {
            StageSpec s;
            s.program = p;
            spec.stages.insert(id, s);
            spec.layout.insert(QString::number(id), QJsonObject{{QStringLiteral("x"), (id - 1) * 360.0}, {QStringLiteral("y"), (id % 2) * 140.0}});
            ++id;
        }
        for (const auto &[from, to] : links)
            spec.edges.append(Edge{EdgeId{from, OutputStream::Stdout, to}});
        document.setSpec(spec);
        view.resize(1400, 700);
        view.show();
        view.setZoom(1, view.viewport()->rect().center());
        view.centerOn(560, 100);
    }
    QUndoStack *undo() { return document.undoStack(); }
    QList<EdgeId> edges() const
    {
        QList<EdgeId> out;
        for (const Edge &e : document.spec().edges)
            out << e.id;
        return out;
    }
};

EdgeId out(int from, int to)
{
    return EdgeId{from, OutputStream::Stdout, to};
}

} // namespace

class tst_BuilderScene : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dropFromPalette_data();
    void dropFromPalette();
    void wire_data();
    void wire();
    void refusedWire_data();
    void refusedWire();
    void knifeCutsTheWiresItCrosses();
    void wireTakenOffItsStdin();
    void wireDroppedOnEmptyCanvasAddsWired();
    void moveIsOneStepOnRelease();
    void nodeDroppedOnWireGoesIn();
    void mixedDeleteIsOneSafeStep();
    void pasteShellLine();
    void pasteRefusesABadLine();
    void copyPasteAndDuplicate();
    void lockedWhileRunning();
    void tabFollowsTheFlow();
    void arrowsNudgeAsOneStep();
    void itemsFollowUndoAndRedo();
    void deleteAndReconnect_data();
    void deleteAndReconnect();
    void tapIsOneStep();
    void escapeDuringADragPutsItBack();
    void runResultsOnItems();
};

void tst_BuilderScene::dropFromPalette_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("undoText");
    QTest::newRow("grep") << "grep" << "Add grep";
    QTest::newRow("file sink") << "file-sink" << "Add > file";
    QTest::newRow("file source") << "file-source" << "Add < file";
    QTest::newRow("worker op") << "worker-hash" << "Add hash (worker)";
}

void tst_BuilderScene::dropFromPalette()
{
    QFETCH(QString, key);
    QFETCH(QString, undoText);
    Canvas c;
    StagePalette palette;
    QTreeWidgetItem *item = palette.itemFor(key);
    QVERIFY(item);
    // What the palette puts in a drag, as the canvas receives it.
    const QModelIndex index = palette.tree()->model()->index(palette.tree()->indexOfTopLevelItem(item->parent()), 0).model()->index(
        item->parent()->indexOfChild(item), 0, palette.tree()->model()->index(palette.tree()->indexOfTopLevelItem(item->parent()), 0));
    std::unique_ptr<QMimeData> data(palette.tree()->model()->mimeData({index}));
    QVERIFY(data);
    const QPointF where(300, 200);
    QVERIFY(drop(&c.view, data.get(), where));
    QCOMPARE(c.document.spec().stages.size(), 1);
    const int id = c.document.spec().stageIds().first();
    QCOMPARE(c.document.spec().stages.value(id), StageTemplate::find(key)->spec);
    // Centred where it was dropped, on the grid.
    const QPointF placed = c.document.position(id);
    QCOMPARE(placed, QPointF(std::round((where.x() - NodeItem::Width / 2) / 10) * 10, std::round((where.y() - NodeItem::Height / 2) / 10) * 10));
    QCOMPARE(c.scene.node(id)->pos(), placed);
    QCOMPARE(c.undo()->count(), 1);
    QCOMPARE(c.undo()->text(0), undoText);
    QCOMPARE(c.scene.selectedStages(), QList<int>{id});
    c.undo()->undo();
    QVERIFY(c.document.spec().stages.isEmpty());
    QVERIFY(!c.scene.node(id));
}

void tst_BuilderScene::wire_data()
{
    QTest::addColumn<int>("fromStage");
    QTest::addColumn<int>("fromPort");
    QTest::addColumn<int>("toStage");
    QTest::addColumn<int>("toPort");
    QTest::addColumn<bool>("onBody"); // released over the node, away from its ports
    QTest::addColumn<QString>("expected");
    QTest::newRow("stdout to stdin") << 1 << int(Port::Stdout) << 2 << int(Port::Stdin) << false << "Connect seq:stdout → wc:stdin";
    QTest::newRow("stderr to stdin") << 1 << int(Port::Stderr) << 2 << int(Port::Stdin) << false << "Connect seq:stderr → wc:stdin";
    QTest::newRow("backwards, stdin to stdout") << 2 << int(Port::Stdin) << 1 << int(Port::Stdout) << false << "Connect seq:stdout → wc:stdin";
    QTest::newRow("released on the body") << 1 << int(Port::Stdout) << 2 << int(Port::Stdin) << true << "Connect seq:stdout → wc:stdin";
}

void tst_BuilderScene::wire()
{
    QFETCH(int, fromStage);
    QFETCH(int, fromPort);
    QFETCH(int, toStage);
    QFETCH(int, toPort);
    QFETCH(bool, onBody);
    QFETCH(QString, expected);
    Canvas c({QStringLiteral("seq"), QStringLiteral("wc")});
    QSignalSpy said(&c.scene, &BuilderScene::message);
    const QPointF target = onBody ? centre(&c.scene, toStage) : port(&c.scene, toStage, Port(toPort));
    drag(&c.view, port(&c.scene, fromStage, Port(fromPort)), target);
    QCOMPARE(c.undo()->count(), 1);
    QCOMPARE(c.undo()->text(0), expected);
    QCOMPARE(c.document.spec().edges.size(), 1);
    WireItem *w = c.scene.wire(c.document.spec().edges.first().id);
    QVERIFY(w);
    QVERIFY(w->isVisible());
    QCOMPARE(w->from(), port(&c.scene, 1, fromPort == int(Port::Stderr) ? Port::Stderr : Port::Stdout));
    QCOMPARE(w->to(), port(&c.scene, 2, Port::Stdin));
    QCOMPARE(said.count(), 1); // "Connected ...", once
    QCOMPARE(said.first().at(1).toBool(), false);
    // The draft is gone and no port is still highlighted.
    for (QGraphicsItem *item : c.scene.items())
        QVERIFY(item->type() != WireItem::Type || !static_cast<WireItem *>(item)->isDraft());
}

void tst_BuilderScene::refusedWire_data()
{
    QTest::addColumn<Links>("links");
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("to");
    QTest::addColumn<QString>("reason");
    QTest::newRow("cycle") << Links{{1, 2}, {2, 3}} << 3 << 1 << "cycle";
    QTest::newRow("self-loop") << Links{} << 2 << 2 << "itself";
    QTest::newRow("duplicate") << Links{{1, 2}} << 1 << 2 << "already";
}

void tst_BuilderScene::refusedWire()
{
    QFETCH(Links, links);
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(QString, reason);
    Canvas c({QStringLiteral("seq"), QStringLiteral("grep"), QStringLiteral("wc")}, links);
    const PipelineSpec before = c.document.toSpec();
    QSignalSpy said(&c.scene, &BuilderScene::message);
    drag(&c.view, port(&c.scene, from, Port::Stdout), port(&c.scene, to, Port::Stdin));
    QCOMPARE(said.count(), 1);
    const QString text = said.first().at(0).toString();
    QVERIFY2(said.first().at(1).toBool(), "a refusal is an error");
    // The core's own reason, after what was tried.
    const QString core = before.edgeProblem(out(from, to));
    QVERIFY(!core.isEmpty());
    QCOMPARE(text, QStringLiteral("Cannot connect %1: %2").arg(ConnectCommand::describe(before, out(from, to)), core));
    QVERIFY2(text.contains(reason, Qt::CaseInsensitive), qPrintable(text));
    QCOMPARE(c.document.toSpec(), before);
    QCOMPARE(c.undo()->count(), 0);
}

void tst_BuilderScene::knifeCutsTheWiresItCrosses()
{
    // seq fans out to grep and wc; grep feeds sort. The knife crosses seq's two wires only.
    Canvas c({QStringLiteral("seq"), QStringLiteral("grep"), QStringLiteral("wc"), QStringLiteral("sort")}, {{1, 2}, {1, 3}, {2, 4}});
    c.document.setPosition(1, {0, 100});
    c.document.setPosition(2, {400, 0});
    c.document.setPosition(3, {400, 240});
    c.document.setPosition(4, {800, 0});
    const PipelineSpec before = c.document.toSpec();
    drag(&c.view, QPointF(300, -60), QPointF(300, 420), Qt::AltModifier);
    QCOMPARE(c.edges(), QList<EdgeId>{out(2, 4)});
    QCOMPARE(c.undo()->count(), 1);
    QCOMPARE(c.undo()->text(0), QStringLiteral("Cut 2 wires"));
    // No knife left on the canvas.
    for (QGraphicsItem *item : c.scene.items())
        QVERIFY(item->type() != QGraphicsLineItem::Type);
    c.undo()->undo();
    QCOMPARE(c.document.toSpec(), before);
    QVERIFY(c.scene.wire(out(1, 2)) && c.scene.wire(out(1, 3)));
}

void tst_BuilderScene::wireTakenOffItsStdin()
{
    Canvas c({QStringLiteral("seq"), QStringLiteral("grep"), QStringLiteral("wc")}, {{1, 2}});
    // Dragged from grep's stdin to wc's: the wire goes there, one step.
    drag(&c.view, port(&c.scene, 2, Port::Stdin), port(&c.scene, 3, Port::Stdin));
    QCOMPARE(c.edges(), QList<EdgeId>{out(1, 3)});
    QCOMPARE(c.undo()->count(), 1);
    QVERIFY(c.undo()->text(0).startsWith(QStringLiteral("Reconnect seq:stdout → grep:stdin")));
    QVERIFY(c.scene.wire(out(1, 3))->isVisible());
    // Dragged off onto empty canvas: disconnected.
    drag(&c.view, port(&c.scene, 3, Port::Stdin), QPointF(500, 500));
    QVERIFY(c.edges().isEmpty());
    QCOMPARE(c.undo()->text(1), QStringLiteral("Disconnect seq:stdout → wc:stdin"));
    c.undo()->undo();
    c.undo()->undo();
    QCOMPARE(c.edges(), QList<EdgeId>{out(1, 2)});
    QVERIFY(c.scene.wire(out(1, 2))->isVisible());
}

void tst_BuilderScene::wireDroppedOnEmptyCanvasAddsWired()
{
    Canvas c({QStringLiteral("seq")});
    QSignalSpy asked(&c.scene, &BuilderScene::quickAddRequested);
    const QPointF empty(600, 300);
    drag(&c.view, port(&c.scene, 1, Port::Stdout), empty);
    QCOMPARE(asked.count(), 1);
    const auto wiredTo = asked.first().at(1).value<std::optional<BuilderScene::PortRef>>();
    QVERIFY(wiredTo);
    QCOMPARE(wiredTo->stage, 1);
    QCOMPARE(wiredTo->port, Port::Stdout);
    QCOMPARE(c.undo()->count(), 0);
    QVERIFY(c.scene.addChoice({StageTemplate::find(QStringLiteral("wc")), {}}, asked.first().at(0).toPointF(), wiredTo));
    QCOMPARE(c.document.spec().stages.size(), 2);
    const int added = c.document.spec().stageIds().last();
    QCOMPARE(c.edges(), QList<EdgeId>{out(1, added)});
    QCOMPARE(c.undo()->count(), 1);
    QCOMPARE(c.undo()->text(0), QStringLiteral("Add wc after seq"));
    // A sink has no stdout: a wire from a stdin cannot bring one.
    QVERIFY(!c.scene.addChoice({StageTemplate::find(QStringLiteral("file-sink")), {}}, empty, BuilderScene::PortRef{1, Port::Stdin}));
    QCOMPARE(c.undo()->count(), 1);
}

void tst_BuilderScene::moveIsOneStepOnRelease()
{
    Canvas c({QStringLiteral("seq"), QStringLiteral("wc")}, {{1, 2}});
    const QPointF a = c.document.position(1), b = c.document.position(2);
    click(&c.view, centre(&c.scene, 1));
    click(&c.view, centre(&c.scene, 2), Qt::ControlModifier);
    QCOMPARE(c.scene.selectedStages(), (QList<int>{1, 2}));
    drag(&c.view, centre(&c.scene, 1), centre(&c.scene, 1) + QPointF(100, 50));
    QCOMPARE(c.document.position(1), a + QPointF(100, 50));
    QCOMPARE(c.document.position(2), b + QPointF(100, 50));
    QCOMPARE(c.undo()->count(), 1);
    QCOMPARE(c.undo()->text(0), QStringLiteral("Move 2 items"));
    // The wire followed its ends.
    QCOMPARE(c.scene.wire(out(1, 2))->from(), port(&c.scene, 1, Port::Stdout));
    // A second drag is a second step: drags never merge.
    drag(&c.view, centre(&c.scene, 2), centre(&c.scene, 2) + QPointF(-30, 0));
    QCOMPARE(c.undo()->count(), 2);
    c.undo()->undo();
    c.undo()->undo();
    QCOMPARE(c.document.position(1), a);
    QCOMPARE(c.scene.node(2)->pos(), b);
}

void tst_BuilderScene::nodeDroppedOnWireGoesIn()
{
    Canvas c({QStringLiteral("seq"), QStringLiteral("wc"), QStringLiteral("grep")}, {{1, 2}});
    c.document.setPosition(1, {0, 0});
    c.document.setPosition(2, {700, 0});
    c.document.setPosition(3, {350, 300});
    const PipelineSpec before = c.document.toSpec();
    const QPointF mid = c.scene.wire(out(1, 2))->midpoint();
    drag(&c.view, centre(&c.scene, 3), mid);
    QCOMPARE(c.edges(), (QList<EdgeId>{out(1, 3), out(3, 2)}));
    QCOMPARE(c.undo()->count(), 1);
    QCOMPARE(c.undo()->text(0), QStringLiteral("Insert grep into seq:stdout → wc:stdin"));
    c.undo()->undo();
    QCOMPARE(c.document.toSpec(), before);
    QCOMPARE(c.scene.node(3)->pos(), QPointF(350, 300));
}

void tst_BuilderScene::mixedDeleteIsOneSafeStep()
{
    Canvas c({QStringLiteral("seq"), QStringLiteral("grep"), QStringLiteral("wc"), QStringLiteral("sort")}, {{1, 2}, {2, 3}, {3, 4}});
    c.scene.addNote({0, 300}, QStringLiteral("a lesson"));
    const int note = c.document.notes().first().id;
    c.undo()->clear();
    c.document.undoStack()->setClean();
    const PipelineSpec before = c.document.toSpec();
    // A node, a wire that is not its own, and a note: one Delete.
    const QSignalBlocker quiet(&c.scene);
    c.scene.node(2)->setSelected(true);
    c.scene.wire(out(3, 4))->setSelected(true);
    c.scene.noteItem(note)->setSelected(true);
    c.view.setFocus();
    QVERIFY(c.scene.deleteSelection());
    QCOMPARE(c.document.spec().stageIds(), (QList<int>{1, 3, 4}));
    QVERIFY(c.edges().isEmpty());
    QVERIFY(!c.document.hasNote(note));
    QCOMPARE(c.undo()->count(), 1);
    QCOMPARE(c.undo()->text(0), QStringLiteral("Delete grep, 3 wires, 1 note"));
    c.undo()->undo();
    QCOMPARE(c.document.toSpec(), before);
    QVERIFY(c.scene.node(2) && c.scene.wire(out(1, 2)) && c.scene.wire(out(3, 4)) && c.scene.noteItem(note));
    c.undo()->redo();
    QCOMPARE(c.scene.items().size(), 3); // the three nodes left, and nothing else
}

void tst_BuilderScene::pasteShellLine()
{
    Canvas c;
    QMimeData data;
    data.setText(QStringLiteral("seq 1 100000 | grep 7 | wc -l"));
    QVERIFY(c.scene.paste(&data, QPointF(100, 100)));
    const PipelineSpec &spec = c.document.spec();
    QCOMPARE(spec.stages.size(), 3);
    QStringList programs;
    for (const StageSpec &s : spec.stages)
        programs << s.program;
    QCOMPARE(programs, (QStringList{QStringLiteral("seq"), QStringLiteral("grep"), QStringLiteral("wc")}));
    QCOMPARE(spec.stages.value(1).args, (QStringList{QStringLiteral("1"), QStringLiteral("100000")}));
    QCOMPARE(c.edges(), (QList<EdgeId>{out(1, 2), out(2, 3)}));
    QCOMPARE(c.undo()->count(), 1);
    // Laid out left to right.
    QVERIFY(c.document.position(1).x() < c.document.position(2).x());
    QVERIFY(c.document.position(2).x() < c.document.position(3).x());
    QCOMPARE(c.scene.selectedStages(), (QList<int>{1, 2, 3}));
}

void tst_BuilderScene::pasteRefusesABadLine()
{
    Canvas c({QStringLiteral("seq")});
    QSignalSpy said(&c.scene, &BuilderScene::message);
    QMimeData data;
    data.setText(QStringLiteral("seq 1 10 | | wc"));
    QVERIFY(!c.scene.paste(&data, QPointF(0, 0)));
    QCOMPARE(said.count(), 1);
    QVERIFY(said.first().at(1).toBool());
    QVERIFY2(said.first().at(0).toString().contains(QStringLiteral("column")), qPrintable(said.first().at(0).toString()));
    QCOMPARE(c.document.spec().stages.size(), 1);
    QCOMPARE(c.undo()->count(), 0);
}

void tst_BuilderScene::copyPasteAndDuplicate()
{
    Canvas c({QStringLiteral("seq"), QStringLiteral("wc")}, {{1, 2}});
    c.document.pipeline()->setStage(1, [] { StageSpec s; s.program = QStringLiteral("seq"); s.args = {QStringLiteral("1"), QStringLiteral("10")}; return s; }());
    c.scene.selectStages({1, 2});
    std::unique_ptr<QMimeData> data(c.scene.copySelection());
    QVERIFY(data);
    QVERIFY(data->hasFormat(QLatin1String(BuilderScene::PipelineMime)));
    QCOMPARE(data->text(), QStringLiteral("seq 1 10 | wc"));
    QVERIFY(c.scene.paste(data.get(), QPointF(0, 400)));
    QCOMPARE(c.document.spec().stageIds(), (QList<int>{1, 2, 3, 4}));
    QCOMPARE(c.edges(), (QList<EdgeId>{out(1, 2), out(3, 4)}));
    QCOMPARE(c.document.spec().stages.value(3), c.document.spec().stages.value(1));
    // Pasted with its top-left corner where asked, its stages as they stood.
    QCOMPARE(c.document.position(3), QPointF(0, 400) + c.document.position(1) - QPointF(0, 0));
    // The pasted ones are selected: duplicate them at +20, +20.
    QCOMPARE(c.scene.selectedStages(), (QList<int>{3, 4}));
    QVERIFY(c.scene.duplicateSelection());
    QCOMPARE(c.document.position(5), c.document.position(3) + QPointF(20, 20));
    QCOMPARE(c.document.position(6) - c.document.position(5), c.document.position(4) - c.document.position(3));
    QCOMPARE(c.undo()->count(), 2);
}

void tst_BuilderScene::lockedWhileRunning()
{
    Canvas c({QStringLiteral("seq"), QStringLiteral("wc")});
    c.scene.setLocked(true);
    QSignalSpy said(&c.scene, &BuilderScene::message);
    drag(&c.view, port(&c.scene, 1, Port::Stdout), port(&c.scene, 2, Port::Stdin));
    QCOMPARE(said.count(), 1);
    QVERIFY(said.first().at(0).toString().contains(QStringLiteral("Stop to edit")));
    QVERIFY(c.edges().isEmpty());
    c.scene.selectStages({1});
    QVERIFY(!c.scene.deleteSelection());
    QCOMPARE(said.count(), 2);
    // Moving stays allowed.
    const QPointF was = c.document.position(2);
    drag(&c.view, centre(&c.scene, 2), centre(&c.scene, 2) + QPointF(0, 60));
    QCOMPARE(c.document.position(2), was + QPointF(0, 60));
    QCOMPARE(c.undo()->count(), 1);
}

void tst_BuilderScene::tabFollowsTheFlow()
{
    // Data flows 3 → 1 → 2, with 4 on its own: each stage after what feeds it, the lowest id
    // first among those ready.
    Canvas c({QStringLiteral("grep"), QStringLiteral("wc"), QStringLiteral("seq"), QStringLiteral("yes")}, {{3, 1}, {1, 2}});
    QCOMPARE(c.scene.flowOrder(), (QList<int>{3, 1, 2, 4}));
    c.view.setFocus();
    QList<int> visited;
    for (int i = 0; i < 5; ++i) {
        QTest::keyClick(&c.view, Qt::Key_Tab);
        visited << c.scene.selectedStages().value(0);
    }
    QCOMPARE(visited, (QList<int>{3, 1, 2, 4, 3}));
    QTest::keyClick(&c.view, Qt::Key_Backtab);
    QCOMPARE(c.scene.selectedStages(), QList<int>{4});
    // On an empty canvas Tab asks for quick-add instead.
    Canvas empty;
    QSignalSpy asked(&empty.scene, &BuilderScene::quickAddRequested);
    empty.view.setFocus();
    QTest::keyClick(&empty.view, Qt::Key_Tab);
    QCOMPARE(asked.count(), 1);
}

void tst_BuilderScene::arrowsNudgeAsOneStep()
{
    Canvas c({QStringLiteral("seq")});
    const QPointF was = c.document.position(1);
    c.scene.selectStages({1});
    c.view.setFocus();
    QTest::keyClick(&c.view, Qt::Key_Right);
    QTest::keyClick(&c.view, Qt::Key_Right);
    QTest::keyClick(&c.view, Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(c.document.position(1), was + QPointF(20, 50));
    QCOMPARE(c.undo()->count(), 1); // nudges within a second of each other merge
    c.undo()->undo();
    QCOMPARE(c.document.position(1), was);
}

void tst_BuilderScene::itemsFollowUndoAndRedo()
{
    // Every kind of step, undone to the start and redone to the end: the document matches each
    // snapshot, and the canvas has an item for exactly what the document has.
    Canvas c({QStringLiteral("seq"), QStringLiteral("grep")});
    QList<PipelineSpec> snapshots{c.document.toSpec()};
    auto step = [&] { snapshots << c.document.toSpec(); };
    drag(&c.view, port(&c.scene, 1, Port::Stdout), port(&c.scene, 2, Port::Stdin));
    step();
    QMimeData line;
    line.setText(QStringLiteral("sort | uniq -c"));
    QVERIFY(c.scene.paste(&line, QPointF(0, 400)));
    step();
    drag(&c.view, port(&c.scene, 2, Port::Stdout), port(&c.scene, 3, Port::Stdin));
    step();
    drag(&c.view, centre(&c.scene, 4), centre(&c.scene, 4) + QPointF(40, 40));
    step();
    StageSpec edited = c.document.spec().stages.value(2);
    edited.args = {QStringLiteral("-v"), QStringLiteral("x")};
    c.undo()->push(new EditStageCommand(&c.document, 2, edited));
    step();
    c.scene.addNote({0, -200}, QStringLiteral("read me"));
    step();
    c.undo()->push(new PipelinePropertiesCommand(&c.document, StatusPolicy::All, 131072));
    step();
    QVERIFY(c.scene.layOut());
    step();
    drag(&c.view, QPointF(-100, -400), QPointF(-100, -400) + QPointF(1, 1)); // nothing: no step
    c.scene.selectStages({1}, {out(2, 3)});
    QVERIFY(c.scene.deleteSelection());
    step();
    QCOMPARE(c.undo()->count(), snapshots.size() - 1);

    auto itemsMatch = [&] {
        const PipelineSpec &spec = c.document.spec();
        QCOMPARE(c.scene.stageIds().size(), spec.stages.size());
        for (int id : spec.stageIds()) {
            QVERIFY(c.scene.node(id));
            QCOMPARE(c.scene.node(id)->spec(), spec.stages.value(id));
            QCOMPARE(c.scene.node(id)->pos(), c.document.position(id));
        }
        for (const Edge &e : spec.edges)
            QVERIFY(c.scene.wire(e.id));
        int wires = 0;
        for (QGraphicsItem *item : c.scene.items())
            wires += item->type() == WireItem::Type;
        QCOMPARE(wires, spec.edges.size());
    };
    for (qsizetype i = snapshots.size() - 1; i > 0; --i) {
        c.undo()->undo();
        QCOMPARE(c.document.toSpec(), snapshots[i - 1]);
        itemsMatch();
    }
    for (qsizetype i = 1; i < snapshots.size(); ++i) {
        c.undo()->redo();
        QCOMPARE(c.document.toSpec(), snapshots[i]);
        itemsMatch();
    }
}

void tst_BuilderScene::deleteAndReconnect_data()
{
    QTest::addColumn<Links>("links");
    QTest::addColumn<Links>("after");
    QTest::addColumn<QString>("undoText");
    QTest::newRow("a chain") << Links{{1, 2}, {2, 3}} << Links{{1, 3}} << "Delete grep, reconnecting seq:stdout → wc:stdin";
    QTest::newRow("two in, one out") << Links{{1, 2}, {4, 2}, {2, 3}} << Links{{1, 3}, {4, 3}}
                                     << "Delete grep, reconnecting seq:stdout → wc:stdin, yes:stdout → wc:stdin";
    QTest::newRow("nothing to join") << Links{{1, 2}} << Links{} << "Delete grep";
    QTest::newRow("already joined") << Links{{1, 2}, {2, 3}, {1, 3}} << Links{{1, 3}} << "Delete grep, reconnecting ";
}

void tst_BuilderScene::deleteAndReconnect()
{
    QFETCH(Links, links);
    QFETCH(Links, after);
    QFETCH(QString, undoText);
    Canvas c({QStringLiteral("seq"), QStringLiteral("grep"), QStringLiteral("wc"), QStringLiteral("yes")}, links);
    const PipelineSpec before = c.document.toSpec();
    c.scene.selectStages({2});
    QVERIFY(c.scene.deleteAndReconnect());
    QVERIFY(!c.document.spec().stages.contains(2));
    QList<EdgeId> expected;
    for (const auto &[from, to] : after)
        expected << out(from, to);
    std::sort(expected.begin(), expected.end());
    QList<EdgeId> now = c.edges();
    std::sort(now.begin(), now.end());
    QCOMPARE(now, expected);
    QCOMPARE(c.undo()->count(), 1);
    QVERIFY2(c.undo()->text(0).startsWith(undoText), qPrintable(c.undo()->text(0)));
    c.undo()->undo();
    QCOMPARE(c.document.toSpec(), before);
}

void tst_BuilderScene::tapIsOneStep()
{
    Canvas c({QStringLiteral("seq"), QStringLiteral("wc")}, {{1, 2}});
    WireItem *w = c.scene.wire(out(1, 2));
    QVERIFY(!w->isTapped());
    QVERIFY(c.scene.setTapped(out(1, 2), true));
    QVERIFY(c.document.spec().edge(out(1, 2))->tapped);
    QVERIFY(w->isTapped());
    QCOMPARE(c.undo()->text(0), QStringLiteral("Tap seq:stdout → wc:stdin"));
    QVERIFY(!c.scene.setTapped(out(1, 2), true)); // nothing to do: no step
    QCOMPARE(c.undo()->count(), 1);
    c.undo()->undo();
    QVERIFY(!w->isTapped());
    c.scene.setLocked(true);
    QVERIFY(!c.scene.setTapped(out(1, 2), true));
}

void tst_BuilderScene::escapeDuringADragPutsItBack()
{
    Canvas c({QStringLiteral("seq"), QStringLiteral("wc")}, {{1, 2}});
    const QPointF was = c.document.position(1);
    QWidget *vp = c.view.viewport();
    const QPointF from = centre(&c.scene, 1);
    QTest::mousePress(vp, Qt::LeftButton, {}, at(&c.view, from));
    QTest::mouseMove(vp, at(&c.view, from + QPointF(60, 30)));
    QTest::mouseMove(vp, at(&c.view, from + QPointF(120, 60)));
    QVERIFY(c.scene.node(1)->pos() != was);
    QTest::keyClick(&c.view, Qt::Key_Escape);
    QTest::mouseRelease(vp, Qt::LeftButton, {}, at(&c.view, from + QPointF(120, 60)));
    QCOMPARE(c.scene.node(1)->pos(), was);
    QCOMPARE(c.document.position(1), was);
    QCOMPARE(c.scene.wire(out(1, 2))->from(), port(&c.scene, 1, Port::Stdout));
    QCOMPARE(c.undo()->count(), 0);
}

void tst_BuilderScene::runResultsOnItems()
{
    Canvas c({QStringLiteral("yes"), QStringLiteral("head")}, {{1, 2}});
    EdgeStats s;
    s.bytes = 12'300'000;
    s.bytesExact = true;
    s.lines = 41'200;
    s.queued = 65536;
    s.capacity = 65536;
    s.writerBlocked = true;
    c.scene.setEdgeStats({{out(1, 2), s}}, 1000);
    WireItem *w = c.scene.wire(out(1, 2));
    QVERIFY(w->hasFlow());
    QVERIFY(w->isBlocked());
    QCOMPARE(w->fill(), 1.0);
    QVERIFY(c.scene.node(1)->isBlocked());
    QVERIFY(!c.scene.node(2)->isBlocked());
    QCOMPARE(w->label(), QStringLiteral("12.3 MB · 41.2 k lines")); // one sample: no rate yet
    s.bytes += 5'000'000;
    s.lines += 10'000;
    c.scene.setEdgeStats({{out(1, 2), s}}, 1100);
    QVERIFY2(w->label().startsWith(QStringLiteral("17.3 MB · 51.2 k lines · ")) && w->label().endsWith(QStringLiteral("MB/s")), qPrintable(w->label()));
    c.scene.setEdgeStats({}, 2200); // a second without bytes
    QCOMPARE(w->label(), QStringLiteral("17.3 MB · 51.2 k lines · idle"));
    c.scene.setStageStatus(1, StageStatus{StageStatus::Kind::BrokenPipe, QStringLiteral("⚡"), QStringLiteral("SIGPIPE")}, {});
    c.scene.setStageLastLine(2, QStringLiteral("head: done"));
    c.scene.finishFlow();
    QVERIFY(!w->isBlocked());
    QVERIFY(!c.scene.node(1)->isBlocked());
    QVERIFY(w->hasFlow()); // the counters stay after the run
    QCOMPARE(c.scene.node(1)->status().label(), QStringLiteral("⚡ SIGPIPE"));
    c.scene.clearResults();
    QVERIFY(!w->hasFlow());
    QCOMPARE(c.scene.node(1)->status(), StageStatus::idle());
    QVERIFY(c.scene.node(2)->lastLine().isEmpty());
}

QTEST_MAIN(tst_BuilderScene)
#include "tst_builderscene.moc"
