#include <builderscene.h>
#include <builderview.h>
#include <nodeitem.h>
#include <pipelineeditor.h>
#include <peekview.h>
#include <pipelineoutlinemodel.h>
#include <stageinspector.h>
#include <wireitem.h>

#include <outputbuffer.h>
#include <pipelinecommands.h>
#include <pipelinedocument.h>
#include <session.h>

#include <canvasdriver.h>
#include <recorder.h>

#include <QAction>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <csignal>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

constexpr int RunTimeoutMs = 60000;

// An editor in a window, on a session of its own.
struct Editor
{
    Session session;
    PipelineEditor editor{&session};
    QSignalSpy running{&editor, &PipelineEditor::runningChanged};

    Editor()
    {
        editor.resize(1300, 800);
        editor.show();
    }
    PipelineDocument *document() { return editor.document(); }
    BuilderScene *scene() { return editor.scene(); }
    void paste(const QString &line)
    {
        QMimeData data;
        data.setText(line);
        QVERIFY(editor.scene()->paste(&data, QPointF(0, 0)));
    }
    // A chain of stages from words; "@" is the test child.
    void chain(const QList<QStringList> &stages)
    {
        PipelineSpec spec;
        int id = 1;
        for (const QStringList &words : stages) {
            StageSpec s;
            if (words.first().startsWith(QLatin1Char('>'))) {
                s.mode = StageSpec::Mode::WriteFile;
                s.stdoutFile = {words.first().mid(1), false};
            } else {
                s.program = words.first() == QLatin1String("@") ? QStringLiteral(TESTCHILD) : words.first();
                s.args = words.mid(1);
            }
            spec.stages.insert(id, s);
            if (id > 1)
                spec.edges.append(Edge{EdgeId{id - 1, OutputStream::Stdout, id}});
            ++id;
        }
        document()->setSpec(spec);
    }
    // Runs it and waits for the end: true when it started and ended.
    bool runToEnd()
    {
        running.clear();
        QString error;
        if (!editor.run(&error)) {
            qWarning() << "run refused:" << error;
            return false;
        }
        if (!QTest::qWaitFor([this] { return running.count() >= 2 || (running.count() == 1 && !editor.isRunning()); }, RunTimeoutMs))
            return false;
        return !editor.isRunning();
    }
    QString output(int stage)
    {
        OutputBuffer *out = session.output(editor.processOfStage(stage));
        if (!out)
            return {};
        out->processPending();
        QStringList lines;
        for (const OutputBuffer::Line &l : out->linesFrom(0, 1000000)) {
            if (l.stream == OutputBuffer::Stdout)
                lines << l.text;
        }
        return lines.join(QLatin1Char('\n'));
    }
    QString badge(int stage) { return scene()->node(stage)->status().label(); }
};

QByteArray bash(const QString &line)
{
    QProcess p;
    p.start(QStringLiteral("bash"), {QStringLiteral("-o"), QStringLiteral("pipefail"), QStringLiteral("-c"), line});
    p.waitForFinished(RunTimeoutMs);
    return p.readAllStandardOutput();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(missing)");
}

EdgeId out(int from, int to)
{
    return EdgeId{from, OutputStream::Stdout, to};
}

} // namespace

class tst_PipelineEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }
    void pastedLineRunsAsBashDoes();
    void fanOutToTwoFilesIsTee();
    void stoppedReaderBlocksItsWriter();
    void nodesSayHowStagesEnded_data();
    void nodesSayHowStagesEnded();
    void problemsBlockRun();
    void lockedWhileRunningAndStop();
    void countersStayUntilCleared();
    void clickingANodeShowsItsProcess();
    void saveThenLoadIsEqual();
    void badFileChangesNothing_data();
    void badFileChangesNothing();
    void exportImage_data();
    void exportImage();
    void titleSaysUnsaved();
    void contextMenus();
    void peekAtATappedWire();
    void connectFromTheKeyboard();
    void fanOutEndsAsTeeDoes();
    void tabShowsTheNodesProcess();
};

void tst_PipelineEditor::pastedLineRunsAsBashDoes()
{
    const QString line = QStringLiteral("seq 1 100000 | grep 7 | wc -l");
    Editor e;
    e.paste(line);
    QCOMPARE(e.document()->spec().stages.size(), 3);
    QVERIFY(e.runToEnd());
    QCOMPARE(e.running.count(), 2);
    QCOMPARE(e.running.at(0).at(0).toBool(), true);
    QCOMPARE(e.running.at(1).at(0).toBool(), false);
    QCOMPARE(e.output(3) + QLatin1Char('\n'), QString::fromUtf8(bash(line)));
    for (int stage : {1, 2, 3}) {
        QCOMPARE(e.badge(stage), QStringLiteral("✓ exit 0"));
        QCOMPARE(e.editor.outlineModel()->indexOfStage(stage, PipelineOutlineModel::State).data().toString(), QStringLiteral("✓ exit 0"));
    }
    // Every byte each wire carried, as the shell counts it.
    const qint64 seqBytes = bash(QStringLiteral("seq 1 100000 | wc -c")).trimmed().toLongLong();
    const qint64 grepBytes = bash(QStringLiteral("seq 1 100000 | grep 7 | wc -c")).trimmed().toLongLong();
    QCOMPARE(e.scene()->flow(out(1, 2))->stats().bytes, seqBytes);
    QCOMPARE(e.scene()->flow(out(2, 3))->stats().bytes, grepBytes);
    // Direct pipes: the writer's own count, an upper bound, and said to be one.
    QVERIFY(e.scene()->wire(out(1, 2))->label().startsWith(QStringLiteral("≤ ") + FlowMeter::bytesText(seqBytes)));
    QVERIFY2(e.editor.statusLine().startsWith(QStringLiteral("Ended with status 0")), qPrintable(e.editor.statusLine()));
    QVERIFY(!e.editor.statusIsError());
    QVERIFY(!e.scene()->isLocked());
}

void tst_PipelineEditor::fanOutToTwoFilesIsTee()
{
    QTemporaryDir dir;
    const QString a = dir.filePath(QStringLiteral("a")), b = dir.filePath(QStringLiteral("b"));
    Editor e;
    PipelineSpec spec;
    StageSpec flood;
    flood.program = QStringLiteral(TESTCHILD);
    flood.args = {QStringLiteral("flood"), QStringLiteral("3000000")};
    spec.stages.insert(1, flood);
    for (int id : {2, 3}) {
        StageSpec sink;
        sink.mode = StageSpec::Mode::WriteFile;
        sink.stdoutFile = {id == 2 ? a : b, false};
        spec.stages.insert(id, sink);
        spec.edges.append(Edge{out(1, id)});
    }
    e.document()->setSpec(spec);
    QVERIFY(e.runToEnd());
    QCOMPARE(e.badge(1), QStringLiteral("✓ exit 0"));
    QCOMPARE(e.badge(2), QStringLiteral("✓ closed"));
    // What tee makes of the same stream.
    const QString ta = dir.filePath(QStringLiteral("ta")), tb = dir.filePath(QStringLiteral("tb"));
    bash(QStringLiteral("'%1' flood 3000000 | tee '%2' > '%3'").arg(QStringLiteral(TESTCHILD), ta, tb));
    const QByteArray tee = readFile(ta);
    QCOMPARE(tee.size(), 3000000);
    QCOMPARE(readFile(tb), tee);
    QVERIFY(readFile(a) == tee);
    QVERIFY(readFile(b) == tee);
    QCOMPARE(e.scene()->flow(out(1, 2))->stats().bytes, 3000000);
    QCOMPARE(e.scene()->flow(out(1, 3))->stats().bytes, 3000000);
}

void tst_PipelineEditor::stoppedReaderBlocksItsWriter()
{
    // More than a pipe holds, then a rest: a writer that never ends would keep a slow reader's
    // pipe full after SIGCONT too, on a loaded machine.
    Editor e;
    e.chain({{QStringLiteral("@"), QStringLiteral("lines-then-sleep"), QStringLiteral("400000"), QStringLiteral("600000")}, {QStringLiteral("@"), QStringLiteral("count")}});
    QVERIFY(e.editor.run());
    const int reader = e.editor.processOfStage(2);
    QTRY_VERIFY_WITH_TIMEOUT(e.session.process(reader)->state == ProcessInfo::State::Running, RunTimeoutMs);
    WireItem *wire = e.scene()->wire(out(1, 2));
    QVERIFY(e.session.signal(reader, SIGSTOP));
    // Full pipe, writer asleep in write(): red, "blocked", and the writer's node says so.
    QTRY_VERIFY_WITH_TIMEOUT(wire->isBlocked(), RunTimeoutMs);
    QVERIFY(e.scene()->node(1)->isBlocked());
    QVERIFY2(wire->fill() > 0.9, qPrintable(QString::number(wire->fill())));
    QVERIFY(wire->toolTip().contains(QStringLiteral("blocked")));
    QTRY_COMPARE_WITH_TIMEOUT(e.badge(2).left(1), QStringLiteral("‖"), RunTimeoutMs);
    // Nothing moves while it waits: a second later its label says so, with no new stats.
    QTRY_VERIFY_WITH_TIMEOUT(wire->label().endsWith(QStringLiteral("idle")), RunTimeoutMs);
    QVERIFY(e.session.signal(reader, SIGCONT));
    QTRY_VERIFY_WITH_TIMEOUT(!wire->isBlocked(), RunTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!e.scene()->node(1)->isBlocked(), RunTimeoutMs);
    e.editor.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!e.editor.isRunning(), RunTimeoutMs);
    QVERIFY(!wire->isBlocked());
}

void tst_PipelineEditor::nodesSayHowStagesEnded_data()
{
    QTest::addColumn<QList<QStringList>>("stages");
    QTest::addColumn<QStringList>("badges");
    QTest::addColumn<QString>("lastLine"); // under the first stage
    QTest::addColumn<bool>("failed");      // said in the error colour
    QTest::newRow("success") << QList<QStringList>{{"@", "out", "hi\n"}, {"@", "count"}} << QStringList{"✓ exit 0", "✓ exit 0"} << QString() << false;
    QTest::newRow("reader quits: SIGPIPE")
        << QList<QStringList>{{"@", "flood", "100000000"}, {"@", "head", "1"}} << QStringList{"⚡ SIGPIPE", "✓ exit 0"} << QString() << true;
    QTest::newRow("exit 3") << QList<QStringList>{{"@", "exit", "3"}} << QStringList{"✗ exit 3"} << QString() << true;
    QTest::newRow("last stderr line") << QList<QStringList>{{"@", "stderr", "first\nsecond: went wrong\n", "2"}, {"@", "count"}}
                                      << QStringList{"✗ exit 2", "✓ exit 0"} << QStringLiteral("second: went wrong") << true;
}

void tst_PipelineEditor::nodesSayHowStagesEnded()
{
    QFETCH(QList<QStringList>, stages);
    QFETCH(QStringList, badges);
    QFETCH(QString, lastLine);
    QFETCH(bool, failed);
    Editor e;
    e.chain(stages);
    QVERIFY(e.runToEnd());
    for (int i = 0; i < badges.size(); ++i)
        QCOMPARE(e.badge(i + 1), badges[i]);
    QCOMPARE(e.scene()->node(1)->lastLine(), lastLine);
    QCOMPARE(e.editor.statusIsError(), failed);
}

void tst_PipelineEditor::problemsBlockRun()
{
    Editor e;
    e.chain({{QStringLiteral("no-such-program-spawnscope")}, {QStringLiteral("@"), QStringLiteral("count")}});
    e.editor.refreshProblems();
    QListWidget *problems = e.editor.problemList();
    QCOMPARE(problems->count(), 1);
    QVERIFY(problems->item(0)->text().contains(QStringLiteral("no-such-program-spawnscope is not found in PATH")));
    QVERIFY(!e.editor.action(PipelineEditor::Action::Run)->isEnabled());
    QVERIFY(e.editor.action(PipelineEditor::Action::Run)->toolTip().startsWith(QStringLiteral("Cannot run:")));
    QVERIFY(!e.scene()->node(1)->problem().isEmpty());
    QString error;
    QVERIFY(!e.editor.run(&error));
    QVERIFY(e.editor.statusIsError());
    QVERIFY(e.editor.statusLine().startsWith(QStringLiteral("Cannot run: ")));
    QCOMPARE(e.session.processCount(), 0);
    // A click on the problem shows its node.
    e.scene()->clearSelection();
    const QRect row = problems->visualItemRect(problems->item(0));
    QTest::mouseClick(problems->viewport(), Qt::LeftButton, {}, row.center());
    QCOMPARE(e.scene()->selectedStages(), QList<int>{1});
    // Fixed, it may run.
    StageSpec fixed = e.document()->spec().stages.value(1);
    fixed.program = QStringLiteral(TESTCHILD);
    fixed.args = {QStringLiteral("out"), QStringLiteral("x")};
    e.document()->undoStack()->push(new EditStageCommand(e.document(), 1, fixed));
    QTRY_VERIFY(e.editor.action(PipelineEditor::Action::Run)->isEnabled());
    QVERIFY(e.scene()->node(1)->problem().isEmpty());
}

void tst_PipelineEditor::lockedWhileRunningAndStop()
{
    // More than a pipe holds, then a rest: a writer that never ends would keep a slow reader's
    // pipe full after SIGCONT too, on a loaded machine.
    Editor e;
    e.chain({{QStringLiteral("@"), QStringLiteral("lines-then-sleep"), QStringLiteral("400000"), QStringLiteral("600000")}, {QStringLiteral("@"), QStringLiteral("count")}});
    QVERIFY(e.editor.run());
    QVERIFY(e.scene()->isLocked());
    QVERIFY(!e.editor.action(PipelineEditor::Action::Run)->isEnabled());
    QVERIFY(e.editor.action(PipelineEditor::Action::Stop)->isEnabled());
    e.scene()->selectStages({2});
    QVERIFY(!e.editor.inspector()->isEnabled()); // what runs is what the node says
    QVERIFY(!e.scene()->deleteSelection());
    QVERIFY(e.editor.statusLine().contains(QStringLiteral("Stop to edit")));
    QVERIFY(e.editor.statusIsError());
    QCOMPARE(e.document()->spec().stages.size(), 2);
    e.editor.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!e.editor.isRunning(), RunTimeoutMs);
    QVERIFY(!e.scene()->isLocked());
    QVERIFY2(e.editor.statusLine().startsWith(QStringLiteral("Stopped")), qPrintable(e.editor.statusLine()));
    QCOMPARE(e.badge(1), QStringLiteral("✗ SIGTERM"));
    QVERIFY(e.editor.inspector()->isEnabled());
    QVERIFY(e.scene()->deleteSelection());
}

void tst_PipelineEditor::countersStayUntilCleared()
{
    Editor e;
    e.chain({{QStringLiteral("@"), QStringLiteral("flood"), QStringLiteral("2000000")}, {QStringLiteral("@"), QStringLiteral("count")}});
    QVERIFY(e.runToEnd());
    WireItem *wire = e.scene()->wire(out(1, 2));
    QVERIFY(wire->hasFlow());
    QVERIFY2(wire->label().startsWith(QStringLiteral("≤ 2.0 MB · ")), qPrintable(wire->label()));
    QVERIFY2(wire->label().endsWith(QStringLiteral(" mean")) || wire->label().endsWith(QStringLiteral("done")), qPrintable(wire->label()));
    // Long after, a finished run's label still says what it carried, never "idle".
    QCOMPARE(e.scene()->flow(out(1, 2))->label(std::numeric_limits<qint64>::max() / 2), wire->label());
    QAction *clear = e.editor.action(PipelineEditor::Action::ClearResults);
    QVERIFY(clear->isEnabled());
    clear->trigger();
    QVERIFY(!wire->hasFlow());
    QCOMPARE(e.badge(1), QStringLiteral("○ idle"));
    QCOMPARE(e.editor.outlineModel()->indexOfStage(1, PipelineOutlineModel::State).data().toString(), QStringLiteral("○ idle"));
    QCOMPARE(e.editor.processOfStage(1), 0);
    QVERIFY(!clear->isEnabled());
}

void tst_PipelineEditor::clickingANodeShowsItsProcess()
{
    Editor e;
    e.chain({{QStringLiteral("@"), QStringLiteral("out"), QStringLiteral("a\n")}, {QStringLiteral("@"), QStringLiteral("count")}});
    QVERIFY(e.runToEnd());
    QSignalSpy chosen(&e.editor, &PipelineEditor::processSelected);
    e.editor.view()->fitAll();
    CanvasDriver::click(e.editor.view(), CanvasDriver::centre(e.scene(), 2));
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.first().at(0).toInt(), e.editor.processOfStage(2));
    QCOMPARE(e.session.process(chosen.first().at(0).toInt())->stage, 2);
}

void tst_PipelineEditor::saveThenLoadIsEqual()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p.spawnscope.json"));
    Editor e;
    e.paste(QStringLiteral("seq 1 10 | grep -v 3 | wc -l > count.txt"));
    e.scene()->addNote(QPointF(0, -150), QStringLiteral("counts what is left"));
    e.scene()->selectStages({2});
    e.scene()->nudgeSelection(QPointF(0, 30));
    QVERIFY(e.document()->isModified());
    QString error;
    QVERIFY2(e.editor.saveTo(path, &error), qPrintable(error));
    QVERIFY(!e.document()->isModified());
    Editor again;
    QVERIFY2(again.editor.load(path, &error), qPrintable(error));
    QCOMPARE(again.document()->toSpec(), e.document()->toSpec());
    QCOMPARE(again.document()->positions(), e.document()->positions());
    QCOMPARE(again.document()->notes(), e.document()->notes());
    QVERIFY(!again.document()->isModified());
    QCOMPARE(again.editor.title(), QStringLiteral("p.spawnscope.json"));
    QCOMPARE(again.scene()->stageIds().size(), 3);
}

void tst_PipelineEditor::badFileChangesNothing_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("names");
    QTest::newRow("args not a list") << QByteArray(R"({"format":"spawnscope-pipeline","version":1,"stages":[{"id":1,"program":"ls","args":5}]})")
                                     << "stages[0].args";
    QTest::newRow("edge to nowhere") << QByteArray(R"({"format":"spawnscope-pipeline","version":1,"stages":[{"id":1,"program":"ls"}],"edges":[{"from":1,"to":9}]})")
                                     << "edges[0]";
    QTest::newRow("not JSON") << QByteArray("{\"format\": ") << "line 1";
}

void tst_PipelineEditor::badFileChangesNothing()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, names);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.spawnscope.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(json);
    f.close();
    Editor e;
    e.paste(QStringLiteral("seq 3 | wc"));
    const PipelineSpec before = e.document()->toSpec();
    const int steps = e.document()->undoStack()->count();
    QString error;
    QVERIFY(!e.editor.load(path, &error));
    QVERIFY2(error.contains(names), qPrintable(error));
    QCOMPARE(e.document()->toSpec(), before);
    QCOMPARE(e.document()->undoStack()->count(), steps);
    QVERIFY(e.document()->path().isEmpty());
}

void tst_PipelineEditor::exportImage_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("svg") << "canvas.svg";
    QTest::newRow("png") << "canvas.png";
}

void tst_PipelineEditor::exportImage()
{
    QFETCH(QString, name);
    QTemporaryDir dir;
    Editor e;
    QString error;
    QVERIFY(!e.editor.exportImage(dir.filePath(name), &error));
    QCOMPARE(error, QStringLiteral("the canvas is empty"));
    e.paste(QStringLiteral("seq 3 | wc -l"));
    QVERIFY2(e.editor.exportImage(dir.filePath(name), &error), qPrintable(error));
    const QByteArray bytes = readFile(dir.filePath(name));
    if (name.endsWith(QLatin1String(".svg"))) {
        QVERIFY(bytes.contains("<svg"));
        QVERIFY(bytes.contains("seq"));
    } else {
        const QImage image = QImage::fromData(bytes);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 2 * (NodeItem::Width * 2));
    }
    // The selection, drawn without its frame, is kept.
    QCOMPARE(e.scene()->selectedStages(), (QList<int>{1, 2}));
}

void tst_PipelineEditor::titleSaysUnsaved()
{
    Editor e;
    QSignalSpy titles(&e.editor, &PipelineEditor::titleChanged);
    QCOMPARE(e.editor.title(), QStringLiteral("Untitled"));
    e.paste(QStringLiteral("seq 3"));
    QCOMPARE(e.editor.title(), QStringLiteral("Untitled *"));
    QCOMPARE(titles.count(), 1);
    QCOMPARE(titles.last().at(0).toString(), QStringLiteral("Untitled *"));
    e.document()->undoStack()->undo();
    QCOMPARE(titles.count(), 2);
    QCOMPARE(e.editor.title(), QStringLiteral("Untitled"));
}

void tst_PipelineEditor::contextMenus()
{
    Editor e;
    e.chain({{QStringLiteral("@"), QStringLiteral("out"), QStringLiteral("x\n")}, {QStringLiteral("@"), QStringLiteral("count")}});
    auto texts = [](QMenu &menu) {
        QStringList out;
        for (QAction *a : menu.actions()) {
            if (!a->isSeparator())
                out << a->text().remove(QLatin1Char('&')) + (a->isEnabled() ? QString() : QStringLiteral(" (off)"));
        }
        return out;
    };
    QMenu onNode;
    e.editor.fillContextMenu(&onNode, CanvasDriver::centre(e.scene(), 2));
    QCOMPARE(texts(onNode), (QStringList{"Settings...", "Connect To", "Show Output (off)", "Cut", "Copy", "Duplicate", "Delete", "Delete and Reconnect"}));
    QMenu onWire;
    e.editor.fillContextMenu(&onWire, e.scene()->wire(out(1, 2))->midpoint());
    QCOMPARE(texts(onWire), (QStringList{"Tap: count its lines and keep the last ones", "Peek at Its Last Lines (off)", "Delete"}));
    QMenu onCanvas;
    e.editor.fillContextMenu(&onCanvas, QPointF(-500, -500));
    QCOMPARE(texts(onCanvas), (QStringList{"Add Stage...", "Add Note", "Paste", "Lay Out", "Fit All", "Export Image..."}));
    // After a run the node's output is there.
    QVERIFY(e.runToEnd());
    QMenu again;
    e.editor.fillContextMenu(&again, CanvasDriver::centre(e.scene(), 2));
    QSignalSpy chosen(&e.editor, &PipelineEditor::processSelected);
    again.actions().at(2)->trigger();
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.first().at(0).toInt(), e.editor.processOfStage(2));
}

void tst_PipelineEditor::connectFromTheKeyboard()
{
    // seq → grep exists; C on wc offers its stdout to seq (a cycle? no: wc is fed by nothing)
    // and to grep; on grep, seq is off (a cycle) with the reason.
    Editor e;
    e.chain({{QStringLiteral("seq"), QStringLiteral("3")}, {QStringLiteral("grep"), QStringLiteral("1")}});
    auto *add = new EditGraphCommand(e.document(), QStringLiteral("Add wc"));
    StageSpec wc;
    wc.program = QStringLiteral("wc");
    add->addStage(wc, QPointF(0, 300));
    e.document()->undoStack()->push(add);
    QMenu menu;
    e.editor.fillConnectMenu(&menu, 2);
    QStringList entries;
    for (QAction *a : menu.actions()) {
        if (!a->isSeparator() && !a->menu())
            entries << a->text() + (a->isEnabled() ? QString() : QStringLiteral(" (off: %1)").arg(a->toolTip()));
    }
    QCOMPARE(entries.size(), 2);
    QVERIFY2(entries[0].startsWith(QStringLiteral("seq (stage 1) (off: ")) && entries[0].contains(QStringLiteral("cycle")), qPrintable(entries[0]));
    QCOMPARE(entries[1], QStringLiteral("wc (stage 3)"));
    for (QAction *a : menu.actions()) {
        if (a->text() == QStringLiteral("wc (stage 3)"))
            a->trigger();
    }
    QVERIFY(e.document()->spec().edge(out(2, 3)));
    QCOMPARE(e.document()->undoStack()->text(e.document()->undoStack()->count() - 1), QStringLiteral("Connect grep:stdout → wc:stdin"));
}

void tst_PipelineEditor::peekAtATappedWire()
{
    Editor e;
    e.chain({{QStringLiteral("@"), QStringLiteral("lines"), QStringLiteral("5000")}, {QStringLiteral("@"), QStringLiteral("count")}});
    QVERIFY(e.scene()->setTapped(out(1, 2), true));
    PeekView *view = e.editor.peek(out(1, 2));
    QVERIFY(view->isVisible());
    QCOMPARE(e.editor.peek(out(1, 2)), view); // one window a wire
    QVERIFY(e.runToEnd());
    QTRY_VERIFY(view->text().endsWith(QStringLiteral("line 5000")));
    QCOMPARE(view->text().split(QLatin1Char('\n')).size(), 20);
    QVERIFY(view->text().startsWith(QStringLiteral("line 4981")));
    // The tapped wire counts lines.
    QCOMPARE(e.scene()->flow(out(1, 2))->stats().lines, 5000);
    QVERIFY(e.scene()->wire(out(1, 2))->label().contains(QStringLiteral("5000 lines")));
    qint64 bytes = 0;
    for (int i = 1; i <= 5000; ++i)
        bytes += QStringLiteral("line %1\n").arg(i).size();
    QCOMPARE(e.output(2), QStringLiteral("%1 5000").arg(bytes));
}

void tst_PipelineEditor::fanOutEndsAsTeeDoes()
{
    // `yes | tee out | head -n 3`: head quits, and so does everything else, by itself.
    QTemporaryDir dir;
    Editor e;
    PipelineSpec spec;
    StageSpec yes, head, sink;
    yes.program = QStringLiteral("yes");
    head.program = QStringLiteral("head");
    head.args = {QStringLiteral("-n"), QStringLiteral("3")};
    sink.mode = StageSpec::Mode::WriteFile;
    sink.stdoutFile = {dir.filePath(QStringLiteral("out.txt")), false};
    spec.stages.insert(1, yes);
    spec.stages.insert(2, head);
    spec.stages.insert(3, sink);
    spec.edges = {Edge{out(1, 2)}, Edge{out(1, 3)}};
    e.document()->setSpec(spec);
    QVERIFY(e.runToEnd());
    QCOMPARE(e.badge(1), QStringLiteral("⚡ SIGPIPE"));
    QCOMPARE(e.badge(2), QStringLiteral("✓ exit 0"));
    QCOMPARE(e.output(2), QStringLiteral("y\ny\ny"));
    const QByteArray written = readFile(dir.filePath(QStringLiteral("out.txt")));
    QVERIFY(written.startsWith("y\ny\ny\n"));
    QCOMPARE(e.scene()->flow(out(1, 3))->stats().bytes, written.size());
}

void tst_PipelineEditor::tabShowsTheNodesProcess()
{
    Editor e;
    e.chain({{QStringLiteral("@"), QStringLiteral("out"), QStringLiteral("a\n")}, {QStringLiteral("@"), QStringLiteral("count")}});
    QSignalSpy chosen(&e.editor, &PipelineEditor::processSelected);
    e.editor.view()->setFocus();
    QTest::keyClick(e.editor.view(), Qt::Key_Tab);
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.last().at(0).toInt(), 0); // not run yet: no process
    QCOMPARE(e.editor.inspector()->stage(), 1);
    QVERIFY(e.runToEnd());
    QTest::keyClick(e.editor.view(), Qt::Key_Tab);
    QCOMPARE(chosen.last().at(0).toInt(), e.editor.processOfStage(2));
    QCOMPARE(e.editor.inspector()->stage(), 2);
}

QTEST_MAIN(tst_PipelineEditor)
#include "tst_pipelineeditor.moc"
