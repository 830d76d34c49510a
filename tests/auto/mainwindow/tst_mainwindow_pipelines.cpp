// The window driven as a user drives it: pipelines as documents in its tabs.
#include "tst_mainwindow.h"

#include "recorder.h"
#include "writefile.h"

#include <builderscene.h>
#include <builderview.h>
#include <canvasdriver.h>
#include <mainwindow.h>
#include <nodeitem.h>
#include <outputpane.h>
#include <pipelineeditor.h>
#include <processlistmodel.h>

#include <pipelinedocument.h>
#include <session.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QMessageBox>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoGroup>
#include <QUndoStack>
#include <QUrl>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

constexpr int RunTimeoutMs = 60000;

// A two-stage pipeline of the test child as a file: out TEXT | count.
QByteArray chainFile(const QString &text)
{
    PipelineSpec spec;
    StageSpec a, b;
    a.program = b.program = QStringLiteral(TESTCHILD);
    a.args = {QStringLiteral("out"), text};
    b.args = {QStringLiteral("count")};
    spec.stages.insert(1, a);
    spec.stages.insert(2, b);
    spec.edges = {Edge{EdgeId{1, OutputStream::Stdout, 2}}};
    return spec.toJson();
}

void paste(PipelineEditor *editor, const QString &line)
{
    QMimeData data;
    data.setText(line);
    QVERIFY(editor->scene()->paste(&data, QPointF(0, 0)));
}

} // namespace
void tst_MainWindow::newEditSaveClose()
{
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QCOMPARE(window.workspace()->count(), 1);
    QVERIFY(!window.action(MainWindow::Action::SavePipeline)->isEnabled());
    window.action(MainWindow::Action::NewPipeline)->trigger();
    QCOMPARE(window.workspace()->count(), 2);
    PipelineEditor *editor = window.currentEditor();
    QVERIFY(editor);
    QCOMPARE(window.undoGroup()->activeStack(), editor->document()->undoStack());
    QCOMPARE(window.windowTitle(), QStringLiteral("Untitled — Spawnscope"));
    paste(editor, QStringLiteral("seq 3 | wc -l"));
    QCOMPARE(window.workspace()->tabText(1), QStringLiteral("Untitled *"));
    QCOMPARE(window.windowTitle(), QStringLiteral("Untitled * — Spawnscope"));
    // Edit > Undo and Redo act on the pipeline in front.
    QVERIFY(window.action(MainWindow::Action::Undo)->isEnabled());
    QCOMPARE(window.action(MainWindow::Action::Undo)->text(), QStringLiteral("&Undo Add seq 3 | wc -l"));
    window.action(MainWindow::Action::Undo)->trigger();
    QVERIFY(editor->document()->spec().stages.isEmpty());
    QCOMPARE(window.workspace()->tabText(1), QStringLiteral("Untitled"));
    window.action(MainWindow::Action::Redo)->trigger();
    QCOMPARE(editor->document()->spec().stages.size(), 2);
    // The process list in front: no stack is active, the pipeline's keys are off.
    window.workspace()->setCurrentIndex(0);
    QVERIFY(!window.undoGroup()->activeStack());
    QVERIFY(!window.action(MainWindow::Action::RunPipeline)->isEnabled());
    window.workspace()->setCurrentIndex(1);
    QString error;
    QVERIFY2(window.savePipelineAs(editor, dir.filePath(QStringLiteral("count")), &error), qPrintable(error));
    const QString saved = dir.filePath(QStringLiteral("count.spawnscope.json"));
    QVERIFY(QFile::exists(saved));
    QCOMPARE(window.workspace()->tabText(1), QStringLiteral("count.spawnscope.json"));
    QCOMPARE(window.recentPipelines().value(0), saved);
    // Unsaved work is asked about: Cancel keeps the tab, Discard closes it.
    paste(editor, QStringLiteral("sort"));
    int asked = 0;
    window.setSaveQuestion([&](PipelineEditor *) { return ++asked == 1 ? QMessageBox::Cancel : QMessageBox::Discard; });
    QVERIFY(!window.closePipeline(editor));
    QCOMPARE(window.workspace()->count(), 2);
    QVERIFY(window.closePipeline(editor));
    QCOMPARE(asked, 2);
    QCOMPARE(window.workspace()->count(), 1);
    QVERIFY(window.undoGroup()->stacks().isEmpty());
    // The Edit menu, opened after its tab went, still works (it held that editor's actions).
    QMenu *edit = nullptr;
    for (QAction *a : window.menuBar()->actions()) {
        if (a->text() == QStringLiteral("&Edit"))
            edit = a->menu();
    }
    QVERIFY(edit);
    Q_EMIT edit->aboutToShow();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    Q_EMIT edit->aboutToShow();
    // Two unsaved pipelines are told apart.
    window.newPipeline();
    window.newPipeline();
    QCOMPARE(window.workspace()->tabText(2), QStringLiteral("Untitled 3"));
}

void tst_MainWindow::openingAFile()
{
    QTemporaryDir dir;
    const QString good = writeFile(dir, QStringLiteral("good.spawnscope.json"), chainFile(QStringLiteral("hi\n")));
    const QString bad = writeFile(dir, QStringLiteral("bad.spawnscope.json"),
                                  R"({"format":"spawnscope-pipeline","version":1,"stages":[{"id":1,"program":7}]})");
    MainWindow window;
    window.show();
    QString error;
    QVERIFY(!window.openPipeline(bad, &error));
    QVERIFY2(error.contains(QStringLiteral("stages[0].program")), qPrintable(error));
    QCOMPARE(window.workspace()->count(), 1); // no tab for a file that cannot be read
    // An untouched empty pipeline in front is used for it.
    window.newPipeline();
    PipelineEditor *editor = window.openPipeline(good, &error);
    QVERIFY2(editor, qPrintable(error));
    QCOMPARE(window.workspace()->count(), 2);
    QCOMPARE(window.workspace()->tabText(1), QStringLiteral("good.spawnscope.json"));
    QCOMPARE(editor->document()->spec().stages.size(), 2);
    // Laid out on load (the file has no places), and seen whole.
    QVERIFY(editor->document()->position(1).x() < editor->document()->position(2).x());
    // Opened again: the same tab.
    window.workspace()->setCurrentIndex(0);
    QCOMPARE(window.openPipeline(good, &error), editor);
    QCOMPARE(window.currentEditor(), editor);
    QCOMPARE(window.workspace()->count(), 2);
    // A bad file while one is open changes nothing in it.
    QVERIFY(!window.openPipeline(bad, &error));
    QCOMPARE(editor->document()->spec().stages.size(), 2);
}

void tst_MainWindow::fileDroppedOnTheWindowOpens()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("dropped.spawnscope.json"), chainFile(QStringLiteral("x\n")));
    MainWindow window;
    window.show();
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(window.currentEditor());
    QCOMPARE(window.currentEditor()->document()->path(), QFileInfo(path).absoluteFilePath());
    // Dropped on a canvas, it opens as well.
    const QString other = writeFile(dir, QStringLiteral("other.spawnscope.json"), chainFile(QStringLiteral("y\n")));
    QMimeData onCanvas;
    onCanvas.setUrls({QUrl::fromLocalFile(other)});
    QVERIFY(CanvasDriver::drop(window.currentEditor()->view(), &onCanvas, QPointF(0, 0)));
    QCOMPARE(window.workspace()->count(), 3);
    QCOMPARE(window.currentEditor()->document()->path(), QFileInfo(other).absoluteFilePath());
}

void tst_MainWindow::runFromTheWindowShowsEachStage()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("run.spawnscope.json"), chainFile(QStringLiteral("one\ntwo\n")));
    MainWindow window;
    window.show();
    QString error;
    PipelineEditor *editor = window.openPipeline(path, &error);
    QVERIFY(editor);
    QSignalSpy running(editor, &PipelineEditor::runningChanged);
    QVERIFY(window.action(MainWindow::Action::RunPipeline)->isEnabled());
    window.action(MainWindow::Action::RunPipeline)->trigger(); // F5
    QCOMPARE(running.count(), 1);
    QVERIFY(!window.undoGroup()->activeStack()); // no undo of what is running
    QTRY_COMPARE_WITH_TIMEOUT(running.count(), 2, RunTimeoutMs);
    QCOMPARE(window.undoGroup()->activeStack(), editor->document()->undoStack());
    QVERIFY(window.action(MainWindow::Action::RunPipeline)->isEnabled());
    QVERIFY(!window.action(MainWindow::Action::StopPipeline)->isEnabled());
    // The run is a group in the process list, titled by the file.
    const int counter = editor->processOfStage(2);
    const ProcessInfo *info = window.session()->process(counter);
    QVERIFY(info);
    QCOMPARE(window.session()->group(info->group)->title, QStringLiteral("Pipeline: run.spawnscope.json"));
    QCOMPARE(editor->scene()->node(2)->status().label(), QStringLiteral("✓ exit 0"));
    // A click on its node shows its output on the right.
    editor->view()->fitAll();
    CanvasDriver::click(editor->view(), CanvasDriver::centre(editor->scene(), 2));
    QCOMPARE(window.selectedProcess(), counter);
    QTRY_COMPARE(window.mergedPane()->toPlainText(), QStringLiteral("8 2"));
    QCOMPARE(window.currentEditor(), editor); // the pipeline stays in front
}

void tst_MainWindow::closingTheWindowAsksAboutUnsavedPipelines()
{
    MainWindow window;
    window.show();
    PipelineEditor *editor = window.newPipeline();
    paste(editor, QStringLiteral("seq 2"));
    int asked = 0;
    window.setSaveQuestion([&](PipelineEditor *e) {
        [&] { QCOMPARE(e, editor); }();
        return ++asked == 1 ? QMessageBox::Cancel : QMessageBox::Discard;
    });
    QVERIFY(!window.close());
    QVERIFY(window.isVisible());
    QVERIFY(window.close());
    QCOMPARE(asked, 2);
}

void tst_MainWindow::copyOnTheCanvasCopiesStages()
{
    MainWindow window;
    window.show();
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    PipelineEditor *editor = window.newPipeline();
    paste(editor, QStringLiteral("seq 5 | wc -l"));
    editor->view()->setFocus();
    QVERIFY(editor->canvasHasFocus());
    QApplication::clipboard()->clear();
    window.action(MainWindow::Action::Copy)->trigger();
    const QMimeData *copied = QApplication::clipboard()->mimeData();
    QVERIFY(copied && copied->hasFormat(QLatin1String(BuilderScene::PipelineMime)));
    QCOMPARE(copied->text(), QStringLiteral("seq 5 | wc -l"));
}

void tst_MainWindow::fitsALaptopScreen()
{
    // With a pipeline open (its docks, the inspector's long form) the window still fits a
    // 1366x768 screen.
    MainWindow window;
    window.show();
    PipelineEditor *editor = window.newPipeline();
    paste(editor, QStringLiteral("seq 3 | wc -l"));
    editor->scene()->selectStages({1});
    QCoreApplication::processEvents();
    QVERIFY2(window.minimumSizeHint().height() <= 740, qPrintable(QString::number(window.minimumSizeHint().height())));
    QVERIFY2(window.minimumSizeHint().width() <= 1360, qPrintable(QString::number(window.minimumSizeHint().width())));
    QVERIFY2(window.minimumHeight() <= 740, qPrintable(QString::number(window.minimumHeight())));
}

void tst_MainWindow::outputSaysWhoseItIs()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("two.spawnscope.json"), chainFile(QStringLiteral("a\n")));
    MainWindow window;
    window.show();
    QString error;
    PipelineEditor *editor = window.openPipeline(path, &error);
    QVERIFY(editor);
    QCOMPARE(window.outputTitle()->text(), QStringLiteral("No process chosen: run a command, or click a process or a pipeline's node."));
    QSignalSpy running(editor, &PipelineEditor::runningChanged);
    QVERIFY(editor->run());
    QTRY_COMPARE_WITH_TIMEOUT(running.count(), 2, RunTimeoutMs);
    window.selectProcess(editor->processOfStage(1));
    const ProcessInfo *first = window.session()->process(editor->processOfStage(1));
    const QString name = QFileInfo(QStringLiteral(TESTCHILD)).fileName();
    QCOMPARE(window.outputTitle()->text(), QStringLiteral("#%1 %2, pid %3: exited · its stdout went to %2:stdin, not here").arg(first->id).arg(name).arg(first->pid));
    window.selectProcess(editor->processOfStage(2));
    QVERIFY(!window.outputTitle()->text().contains(QStringLiteral("not here")));
}

void tst_MainWindow::noShortcutIsAmbiguous()
{
    // Two actions with one key where both are live: neither would fire. The window's own
    // keys, and each canvas's keys against the window's.
    MainWindow window;
    window.show();
    PipelineEditor *editor = window.newPipeline();
    QHash<QKeySequence, QString> windowKeys;
    for (QAction *a : window.actions()) {
        for (const QKeySequence &key : a->shortcuts()) {
            QVERIFY2(!windowKeys.contains(key), qPrintable(QStringLiteral("%1: %2 and %3").arg(key.toString(), windowKeys.value(key), a->text())));
            windowKeys.insert(key, a->text());
        }
    }
    QHash<QKeySequence, QString> canvasKeys;
    for (QAction *a : editor->actions()) {
        for (const QKeySequence &key : a->shortcuts()) {
            QVERIFY2(!windowKeys.contains(key), qPrintable(QStringLiteral("%1: %2 and the canvas's %3").arg(key.toString(), windowKeys.value(key), a->text())));
            QVERIFY2(!canvasKeys.contains(key), qPrintable(key.toString()));
            canvasKeys.insert(key, a->text());
        }
    }
    QVERIFY(windowKeys.contains(QKeySequence(Qt::Key_F5)));
    QVERIFY(windowKeys.contains(QKeySequence::Save));
    QVERIFY(canvasKeys.contains(QKeySequence(Qt::CTRL | Qt::Key_L)));
}
