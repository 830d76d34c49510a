#include <pipelineoutlinemodel.h>

#include <pipelinecommands.h>
#include <pipelinedocument.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QUndoStack>
#include <stages.h>

#include <QtTest>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

EdgeId out(int from, int to)
{
    return EdgeId{from, OutputStream::Stdout, to};
}

// The whole tree as text, one line a row, indented by depth: what a screen reader walks.
QStringList dump(const QAbstractItemModel &m, const QModelIndex &parent = {}, int depth = 0)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        out << QString(depth * 2, QLatin1Char(' ')) + i.data().toString() + QStringLiteral(" | ") + i.siblingAtColumn(1).data().toString();
        out += dump(m, i, depth + 1);
    }
    return out;
}

} // namespace

class tst_PipelineOutlineModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followsEveryEdit();
    void rowsOfATree();
    void countersAndStates();
};

void tst_PipelineOutlineModel::followsEveryEdit()
{
    // Every kind of change, done, undone and redone, under the model tester: rows inserted and
    // removed where they are, never a stale index.
    PipelineDocument doc;
    PipelineOutlineModel model(&doc);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QUndoStack *undo = doc.undoStack();
    auto *add = new EditGraphCommand(&doc, QStringLiteral("Add"));
    add->addStage(stage(QStringLiteral("seq"), {QStringLiteral("1"), QStringLiteral("9")}), {0, 0});
    add->addStage(stage(QStringLiteral("grep"), {QStringLiteral("3")}), {300, 0});
    add->addStage(stage(QStringLiteral("wc")), {600, 0});
    add->addEdge({{0, true}, OutputStream::Stdout, {1, true}});
    add->addEdge({{1, true}, OutputStream::Stdout, {2, true}});
    undo->push(add);
    undo->push(new ConnectCommand(&doc, EdgeId{1, OutputStream::Stderr, 3}));
    StageSpec file;
    file.mode = StageSpec::Mode::WriteFile;
    file.stdoutFile = {QStringLiteral("/tmp/x"), false};
    undo->push(new EditStageCommand(&doc, 3, stage(QStringLiteral("sort"))));
    undo->push(new RemoveItemsCommand(&doc, {2}, {}, {}));
    auto *sink = new EditGraphCommand(&doc, QStringLiteral("Add sink"));
    sink->addStage(file, {900, 0});
    sink->addEdge({{3, false}, OutputStream::Stdout, {0, true}});
    undo->push(sink);
    // A stage that becomes a file has other ports.
    StageSpec source;
    source.mode = StageSpec::Mode::ReadFile;
    source.stdinFile = QStringLiteral("/etc/hostname");
    undo->push(new RemoveItemsCommand(&doc, {}, {out(1, 2)}, {}));
    undo->push(new EditStageCommand(&doc, 1, source));
    const QStringList end = dump(model);
    while (undo->canUndo())
        undo->undo();
    QCOMPARE(model.rowCount(), 0);
    while (undo->canRedo())
        undo->redo();
    QCOMPARE(dump(model), end);
    QCOMPARE(resets.count(), 0);
    doc.setSpec(doc.toSpec()); // a new document: one reset
    QCOMPARE(resets.count(), 1);
    QCOMPARE(dump(model), end);
}

void tst_PipelineOutlineModel::rowsOfATree()
{
    PipelineDocument doc;
    PipelineSpec spec;
    spec.stages.insert(1, stage(QStringLiteral("seq"), {QStringLiteral("1"), QStringLiteral("9")}));
    spec.stages.insert(2, stage(QStringLiteral("grep"), {QStringLiteral("a b")}));
    StageSpec sink;
    sink.mode = StageSpec::Mode::WriteFile;
    sink.stdoutFile = {QStringLiteral("out.txt"), false};
    spec.stages.insert(3, sink);
    spec.edges = {Edge{out(1, 2)}, Edge{out(2, 3)}, Edge{EdgeId{1, OutputStream::Stderr, 3}}};
    doc.setSpec(spec);
    PipelineOutlineModel model(&doc);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QStringList expected{
        QStringLiteral("seq (stage 1) | ○ idle"),
        QStringLiteral("  stdin (fd 0) | not wired"),
        QStringLiteral("  stdout (fd 1) | 1 wire"),
        QStringLiteral("    → grep:stdin | no data yet"),
        QStringLiteral("  stderr (fd 2) | 1 wire"),
        QStringLiteral("    → out.txt:stdin | no data yet"),
        QStringLiteral("grep (stage 2) | ○ idle"),
        QStringLiteral("  stdin (fd 0) | 1 wire"),
        QStringLiteral("    ← seq:stdout | no data yet"),
        QStringLiteral("  stdout (fd 1) | 1 wire"),
        QStringLiteral("    → out.txt:stdin | no data yet"),
        QStringLiteral("  stderr (fd 2) | not wired: to the Output pane"),
        QStringLiteral("> out.txt | ○ idle"),
        QStringLiteral("  stdin (fd 0) | 2 wires"),
        QStringLiteral("    ← grep:stdout | no data yet"),
        QStringLiteral("    ← seq:stderr | no data yet"),
    };
    QCOMPARE(dump(model), expected);
    QCOMPARE(model.indexOfStage(2, PipelineOutlineModel::Detail).data().toString(), QStringLiteral("grep 'a b'"));
    QCOMPARE(model.stageAt(model.indexOfStage(2)), 2);
    QCOMPARE(model.edgeAt(model.indexOfEdge(out(2, 3))), std::optional<EdgeId>(out(2, 3)));
    QCOMPARE(model.indexOfEdge(out(2, 3), true).parent(), model.index(0, 0, model.indexOfStage(3)));
    QVERIFY(model.indexOfStage(1).data(Qt::AccessibleTextRole).toString().startsWith(QStringLiteral("Stage 1, seq")));
}

void tst_PipelineOutlineModel::countersAndStates()
{
    PipelineDocument doc;
    PipelineSpec spec;
    spec.stages.insert(1, stage(QStringLiteral("yes")));
    spec.stages.insert(2, stage(QStringLiteral("head")));
    spec.edges = {Edge{out(1, 2)}};
    doc.setSpec(spec);
    PipelineOutlineModel model(&doc);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setEdgeFlow(out(1, 2), QStringLiteral("1.2 MB · 3.4 MB/s"));
    QCOMPARE(changed.count(), 2); // its row under the writer and under the reader
    model.setEdgeFlow(out(1, 2), QStringLiteral("1.2 MB · 3.4 MB/s"));
    QCOMPARE(changed.count(), 2); // the same again: nothing
    QCOMPARE(model.indexOfEdge(out(1, 2), false, PipelineOutlineModel::State).data().toString(), QStringLiteral("1.2 MB · 3.4 MB/s"));
    QCOMPARE(model.indexOfEdge(out(1, 2), true, PipelineOutlineModel::State).data().toString(), QStringLiteral("1.2 MB · 3.4 MB/s"));
    model.setStageStatus(1, StageStatus{StageStatus::Kind::BrokenPipe, QStringLiteral("⚡"), QStringLiteral("SIGPIPE")});
    QCOMPARE(changed.count(), 3);
    QCOMPARE(model.indexOfStage(1, PipelineOutlineModel::State).data().toString(), QStringLiteral("⚡ SIGPIPE"));
    model.clearResults();
    QCOMPARE(model.indexOfStage(1, PipelineOutlineModel::State).data().toString(), QStringLiteral("○ idle"));
    QCOMPARE(model.indexOfEdge(out(1, 2), false, PipelineOutlineModel::State).data().toString(), QStringLiteral("no data yet"));
}

QTEST_MAIN(tst_PipelineOutlineModel)
#include "tst_pipelineoutlinemodel.moc"
