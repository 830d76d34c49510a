// The builder's headless model: every edit an undoable command that touches only the model,
// and undo giving back exactly what was.
#include <pipelinecommands.h>
#include <pipelinedocument.h>

#include <shellline.h>

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <stages.h>

#include <QTest>
#include <QUndoStack>

#include <functional>

using namespace Spawnscope;

namespace {

// Everything the model holds, as one comparable value.
QByteArray snapshot(const PipelineDocument &d)
{
    return d.toSpec().toJson();
}

// seq | grep 7 | wc -l, placed, with a note.
void fill(PipelineDocument &d)
{
    PipelineSpec spec;
    spec.stages = {{1, stage(QStringLiteral("seq"), {QStringLiteral("100")})}, {2, stage(QStringLiteral("grep"), {QStringLiteral("7")})},
                   {3, stage(QStringLiteral("wc"), {QStringLiteral("-l")})}};
    spec.edges = {Edge{{1, OutputStream::Stdout, 2}}, Edge{{2, OutputStream::Stdout, 3}}, Edge{{1, OutputStream::Stderr, 3}, true}};
    spec.layout = QJsonObject{{QStringLiteral("1"), QJsonObject{{QStringLiteral("x"), 0}, {QStringLiteral("y"), 0}}},
                              {QStringLiteral("2"), QJsonObject{{QStringLiteral("x"), 300}, {QStringLiteral("y"), 0}}},
                              {QStringLiteral("3"), QJsonObject{{QStringLiteral("x"), 600}, {QStringLiteral("y"), 0}}},
                              {QStringLiteral("notes"), QJsonArray{QJsonObject{{QStringLiteral("id"), 1}, {QStringLiteral("x"), 10}, {QStringLiteral("y"), 200},
                                                                              {QStringLiteral("text"), QStringLiteral("counts the sevens")}}}}};
    d.setSpec(spec);
}

using Make = std::function<QUndoCommand *(PipelineDocument &)>;
using Links = QList<std::pair<int, int>>;

} // namespace

Q_DECLARE_METATYPE(Make)

class tst_PipelineDocument : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Every command, done, undone and redone twice: the model is exactly as before, and as
    // after, each time; and each says what it does.
    void everyCommandUndoesExactly_data()
    {
        QTest::addColumn<Make>("make");
        QTest::addColumn<QString>("text");
        QTest::newRow("add a stage") << Make([](PipelineDocument &d) {
            auto *c = new EditGraphCommand(&d, QStringLiteral("Add sort"));
            c->addStage(stage(QStringLiteral("sort")), QPointF(50, 400));
            return c;
        }) << "Add sort";
        QTest::newRow("add a stage wired from a port") << Make([](PipelineDocument &d) {
            auto *c = new EditGraphCommand(&d, QStringLiteral("Add tee"));
            c->addStage(stage(QStringLiteral("tee"), {QStringLiteral("x")}), QPointF(900, 0));
            c->addEdge({{3, false}, OutputStream::Stdout, {0, true}});
            return c;
        }) << "Add tee";
        QTest::newRow("paste three wired stages") << Make([](PipelineDocument &d) {
            auto *c = new EditGraphCommand(&d, QStringLiteral("Paste"));
            for (const char *p : {"ls", "sort", "uniq"})
                c->addStage(stage(QString::fromLatin1(p)), QPointF(0, 500));
            c->addEdge({{0, true}, OutputStream::Stdout, {1, true}});
            c->addEdge({{1, true}, OutputStream::Stdout, {2, true}});
            return c;
        }) << "Paste";
        QTest::newRow("drop a stage on a wire") << Make([](PipelineDocument &d) {
            auto *c = new EditGraphCommand(&d, QStringLiteral("Insert sort"));
            c->removeEdge({1, OutputStream::Stdout, 2});
            c->addStage(stage(QStringLiteral("sort")), QPointF(150, 100));
            c->addEdge({{1, false}, OutputStream::Stdout, {0, true}});
            c->addEdge({{0, true}, OutputStream::Stdout, {2, false}});
            return c;
        }) << "Insert sort";
        QTest::newRow("connect") << Make([](PipelineDocument &d) { return new ConnectCommand(&d, {2, OutputStream::Stderr, 3}); })
                                 << "Connect grep:stderr → wc:stdin";
        QTest::newRow("delete a mixed selection") << Make([](PipelineDocument &d) {
            return new RemoveItemsCommand(&d, {2}, {{1, OutputStream::Stderr, 3}}, {1});
        }) << "Delete grep, 3 wires, 1 note";
        QTest::newRow("delete a wire") << Make([](PipelineDocument &d) { return new RemoveItemsCommand(&d, {}, {{2, OutputStream::Stdout, 3}}, {}); })
                                       << "Delete the wire grep:stdout → wc:stdin";
        QTest::newRow("move") << Make([](PipelineDocument &d) {
            return new MoveCommand(&d, {{1, d.position(1)}}, {{1, QPointF(40, 60)}}, {{1, d.note(1).position}}, {{1, QPointF(0, 0)}},
                                   MoveCommand::Kind::Drag);
        }) << "Move 2 items";
        QTest::newRow("lay out") << Make([](PipelineDocument &d) {
            const auto to = d.laidOut();
            QHash<int, QPointF> from;
            for (auto it = to.cbegin(); it != to.cend(); ++it)
                from.insert(it.key(), d.position(it.key()));
            return new MoveCommand(&d, from, to, {}, {}, MoveCommand::Kind::Layout);
        }) << "Lay Out";
        QTest::newRow("edit a stage") << Make([](PipelineDocument &d) {
            StageSpec s = d.spec().stages[2];
            s.args = {QStringLiteral("-c"), QStringLiteral("7")};
            s.cwd = QStringLiteral("/tmp");
            return new EditStageCommand(&d, 2, s);
        }) << "Edit grep";
        QTest::newRow("add a note") << Make([](PipelineDocument &d) {
            return new NoteCommand(&d, {d.nextNoteId(), QPointF(5, 5), QStringLiteral("hello")});
        }) << "Add Note";
        QTest::newRow("edit a note") << Make([](PipelineDocument &d) {
            PipelineDocument::Note n = d.note(1);
            n.text = QStringLiteral("changed");
            return new NoteCommand(&d, n);
        }) << "Edit Note";
        QTest::newRow("pipeline settings") << Make([](PipelineDocument &d) {
            return new PipelinePropertiesCommand(&d, StatusPolicy::All, 1 << 20);
        }) << "Edit Pipeline Settings";
    }
    void everyCommandUndoesExactly()
    {
        QFETCH(Make, make);
        QFETCH(QString, text);
        PipelineDocument d;
        fill(d);
        const QByteArray before = snapshot(d);
        QUndoCommand *command = make(d);
        QCOMPARE(command->text(), text);
        d.undoStack()->push(command);
        const QByteArray after = snapshot(d);
        QVERIFY(after != before);
        QVERIFY(d.spec().problem().isEmpty());
        for (int round = 0; round < 2; ++round) {
            d.undoStack()->undo();
            QCOMPARE(snapshot(d), before);
            d.undoStack()->redo();
            QCOMPARE(snapshot(d), after);
        }
    }

    void stagesComeBackUnderTheirIds()
    {
        PipelineDocument d;
        fill(d);
        d.undoStack()->push(new RemoveItemsCommand(&d, {3}, {}, {}));
        auto *add = new EditGraphCommand(&d, QStringLiteral("Add cat"));
        add->addStage(stage(QStringLiteral("cat")), QPointF());
        d.undoStack()->push(add);
        QCOMPARE(add->stageIds(), QList<int>{4}); // never 3 again: an undo may want it back
        d.undoStack()->undo();
        d.undoStack()->undo();
        QVERIFY(d.spec().stages.contains(3));
        QCOMPARE(d.spec().stages[3].program, QStringLiteral("wc"));
        QCOMPARE(d.position(3), QPointF(600, 0));
        QCOMPARE(d.spec().edges.size(), 3);
        QVERIFY(d.spec().edge({1, OutputStream::Stderr, 3})->tapped); // a tap comes back too
    }

    void nudgesWithinASecondAreOneStep()
    {
        PipelineDocument d;
        fill(d);
        for (int i = 1; i <= 3; ++i)
            d.undoStack()->push(new MoveCommand(&d, {{1, d.position(1)}}, {{1, QPointF(10 * i, 0)}}, {}, {}, MoveCommand::Kind::Nudge));
        QCOMPARE(d.undoStack()->count(), 1);
        QCOMPARE(d.position(1), QPointF(30, 0));
        d.undoStack()->undo();
        QCOMPARE(d.position(1), QPointF(0, 0));
        // Drags never merge.
        d.undoStack()->push(new MoveCommand(&d, {{1, QPointF(0, 0)}}, {{1, QPointF(5, 5)}}, {}, {}, MoveCommand::Kind::Drag));
        d.undoStack()->push(new MoveCommand(&d, {{1, QPointF(5, 5)}}, {{1, QPointF(9, 9)}}, {}, {}, MoveCommand::Kind::Drag));
        QCOMPARE(d.undoStack()->count(), 2);
    }

    void refusedEditsChangeNothing_data()
    {
        QTest::addColumn<Links>("edges"); // from>to, stdout
        QTest::addColumn<QString>("problem");
        QTest::newRow("a cycle") << Links{{3, 1}} << "would make a cycle";
        QTest::newRow("a duplicate") << Links{{1, 2}} << "already feeds";
        QTest::newRow("itself") << Links{{2, 2}} << "cannot feed itself";
    }
    void refusedEditsChangeNothing()
    {
        QFETCH(Links, edges);
        QFETCH(QString, problem);
        PipelineDocument d;
        fill(d);
        EditGraphCommand c(&d, QStringLiteral("x"));
        for (const auto &[from, to] : edges)
            c.addEdge({{from, false}, OutputStream::Stdout, {to, false}});
        const QByteArray before = snapshot(d);
        QVERIFY2(c.problem().contains(problem), qPrintable(c.problem()));
        QCOMPARE(snapshot(d), before);
    }

    void saveThenLoadIsTheSame()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.spawnscope.json"));
        PipelineDocument d;
        fill(d);
        QSignalSpy modified(&d, &PipelineDocument::modifiedChanged);
        QSignalSpy pathChanged(&d, &PipelineDocument::pathChanged);
        d.undoStack()->push(new ConnectCommand(&d, {2, OutputStream::Stderr, 3}));
        QVERIFY(d.isModified());
        QCOMPARE(modified.count(), 1);
        QString error;
        QVERIFY2(d.save(path, &error), qPrintable(error));
        QVERIFY(!d.isModified());
        QCOMPARE(modified.count(), 2);
        QCOMPARE(pathChanged.count(), 1);
        QCOMPARE(d.title(), QStringLiteral("p.spawnscope.json"));
        PipelineDocument loaded;
        QVERIFY2(loaded.load(path, &error), qPrintable(error));
        QCOMPARE(snapshot(loaded), snapshot(d));
        QCOMPARE(loaded.notes().size(), 1);
        QCOMPARE(loaded.notes().first().text, QStringLiteral("counts the sevens"));
        QVERIFY(!loaded.isModified());
        QCOMPARE(loaded.undoStack()->count(), 0);
    }

    void aFileWithoutPlacesIsLaidOut()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bare.spawnscope.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format":"spawnscope-pipeline","version":1,"stages":[{"id":1,"program":"a"},{"id":2,"program":"b"},{"id":3,"program":"c"}],
                    "edges":[{"from":1,"to":2},{"from":2,"to":3}],"team":"kept"})");
        f.close();
        PipelineDocument d;
        QString error;
        QVERIFY2(d.load(path, &error), qPrintable(error));
        QVERIFY(d.hasPosition(1) && d.hasPosition(2) && d.hasPosition(3));
        QVERIFY(d.position(1).x() < d.position(2).x() && d.position(2).x() < d.position(3).x());
        QCOMPARE(d.position(1).y(), d.position(3).y());
        QVERIFY(QString::fromUtf8(d.toSpec().toJson()).contains(QStringLiteral("\"team\"")));
    }

    void aBadFileChangesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.spawnscope.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format":"spawnscope-pipeline","version":1,"stages":[{"id":1,"program":"a","args":"-l"}]})");
        f.close();
        PipelineDocument d;
        fill(d);
        const QByteArray before = snapshot(d);
        QSignalSpy reset(&d, &PipelineDocument::reset);
        QString error;
        QVERIFY(!d.load(path, &error));
        QCOMPARE(error, QStringLiteral("bad.spawnscope.json: stages[0].args: expected an array of strings"));
        QCOMPARE(snapshot(d), before);
        QCOMPARE(reset.count(), 0);
    }

    void problemsSayWhatKeepsItFromRunning()
    {
        PipelineDocument d;
        QCOMPARE(d.problems().size(), 1); // nothing to run yet
        PipelineSpec spec;
        StageSpec missing = stage(QStringLiteral("spawnscope-no-such-program"));
        StageSpec lost = stage(QStringLiteral("ls"));
        lost.cwd = QStringLiteral("/nonexistent/dir");
        StageSpec source;
        source.mode = StageSpec::Mode::ReadFile;
        source.stdinFile = QStringLiteral("/nonexistent/in.txt");
        spec.stages = {{1, missing}, {2, lost}, {3, source}, {4, stage(QStringLiteral("cat"))}};
        spec.edges = {Edge{{3, OutputStream::Stdout, 4}}};
        d.setSpec(spec);
        QList<PipelineDocument::Problem> expected{
            {1, QStringLiteral("spawnscope-no-such-program (stage 1): the program spawnscope-no-such-program is not found in PATH")},
            {2, QStringLiteral("ls (stage 2): the directory /nonexistent/dir does not exist")},
            {3, QStringLiteral("in.txt (stage 3): the file /nonexistent/in.txt does not exist")},
        };
        QCOMPARE(d.problems(), expected);
        spec.stages = {{1, stage(QStringLiteral("ls"))}};
        spec.edges.clear();
        d.setSpec(spec);
        QCOMPARE(d.problems(), QList<PipelineDocument::Problem>());
    }

    void itsShellLine()
    {
        PipelineDocument d;
        fill(d);
        QString why;
        QVERIFY(!d.shellLine(&why)); // stderr of seq goes to wc as well
        QVERIFY(why.contains(QStringLiteral("stage 1 (seq) feeds a stage other than the next one")));
        d.undoStack()->push(new RemoveItemsCommand(&d, {}, {{1, OutputStream::Stderr, 3}}, {}));
        QCOMPARE(d.shellLine(&why).value_or(why), QStringLiteral("seq 100 | grep 7 | wc -l"));
    }
};

QTEST_GUILESS_MAIN(tst_PipelineDocument)
#include "tst_pipelinedocument.moc"
