// The window's lessons and its groups of forked children, driven as a teacher drives them.
#include "tst_mainwindow.h"

#include "recorder.h"
#include "writefile.h"

#include <builderscene.h>
#include <commandbar.h>
#include <forkdialog.h>
#include <lessonpanel.h>
#include <messagepanel.h>
#include <mainwindow.h>
#include <outputpane.h>
#include <pipelineeditor.h>
#include <processlistmodel.h>
#include <wireitem.h>

#include <messagelogmodel.h>
#include <session.h>

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <csignal>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

constexpr int RunTimeoutMs = 60000;
const QString child = QStringLiteral(TESTCHILD);

QAction *entry(QMenu *menu, const QString &text)
{
    for (QAction *a : menu->actions()) {
        if (a->text() == text)
            return a;
    }
    return nullptr;
}

// Answers the modal dialog that `open` opens, with `answer`, once it is up.
template<typename Dialog, typename Answer>
void answerDialog(QObject *context, Answer answer)
{
    QTimer::singleShot(0, context, [answer] {
        QTRY_VERIFY(qobject_cast<Dialog *>(QApplication::activeModalWidget()));
        answer(qobject_cast<Dialog *>(QApplication::activeModalWidget()));
    });
}

} // namespace

void tst_MainWindow::theFirstRunOpensOnTheLesson()
{
    QSettings().remove(QStringLiteral("lessons/seen"));
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.lessonDock()->isVisible());
        LessonPanel *panel = window.lessonPanel();
        QCOMPARE(panel->currentStep(), -1);
        QCOMPARE(panel->titleLabel()->text(), QStringLiteral("Start here: Child processes"));
        QCOMPARE(panel->runButton()->text(), QStringLiteral("Begin"));
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QCOMPARE(panel->currentStep(), 0);
        QCOMPARE(panel->runButton()->text(), QStringLiteral("Run"));
        window.lessonDock()->close(); // the user closes it, then the window
        QVERIFY(window.close());
    }
    // Only the first time: then it is where the user left it, and Help > Lessons (F1) brings it.
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!window.lessonDock()->isVisible());
    QAction *lessons = window.action(MainWindow::Action::Lessons);
    QCOMPARE(lessons->shortcut(), QKeySequence(Qt::Key_F1));
    lessons->trigger();
    QVERIFY(window.lessonDock()->isVisible());
}

void tst_MainWindow::aPipelineStepRunsInTheBuilder()
{
    MainWindow window;
    window.show();
    LessonPanel *panel = window.lessonPanel();
    window.lessonDock()->show();
    QVERIFY(panel->showStep(QStringLiteral("pipe")));
    QSignalSpy finished(panel, &LessonPanel::stepFinished);
    QTest::mouseClick(panel->runButton(), Qt::LeftButton);
    PipelineEditor *editor = window.currentEditor();
    QVERIFY(editor); // opened in the builder, in front
    QCOMPARE(window.pipelineEditors().size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);
    QCOMPARE(finished.first().at(0).toInt(), 0);
    QCOMPARE(editor->scene()->stageIds().size(), 2);
    // Its wire says what went through it.
    const EdgeId wire{1, OutputStream::Stdout, 2};
    QVERIFY(editor->scene()->wire(wire));
    QTRY_VERIFY2(editor->scene()->wire(wire)->label().contains(QStringLiteral("B")), qPrintable(editor->scene()->wire(wire)->label()));
    QVERIFY2(panel->statusLabel()->text().contains(QStringLiteral("status 0")), qPrintable(panel->statusLabel()->text()));
    const ProcessGroup *group = window.session()->group(editor->runGroup());
    QVERIFY(group);
    QCOMPARE(group->processes.size(), 2);
    QVERIFY(!editor->document()->isModified()); // nothing to ask about on quit
    // Run again: the same tab, not one more.
    QTest::mouseClick(panel->runButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, RunTimeoutMs);
    QCOMPARE(window.pipelineEditors().size(), 1);
}

void tst_MainWindow::aForkStepShowsItsMessages()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("fib.lesson"),
                                   "Lesson: Small numbers\nStep: fork\nTitle: Fork\nRun: fork fibonacci\nUntil: answered\nMessages:\n    {n: 5}\n    {n: 10}\n");
    MainWindow window;
    window.show();
    QString error;
    QVERIFY2(window.openLesson(path, &error), qPrintable(error));
    QVERIFY(window.lessonDock()->isVisible());
    LessonPanel *panel = window.lessonPanel();
    panel->runner()->setSetup({QString(), QStringLiteral(SPAWNSCOPE_FIB), false});
    panel->showStep(0);
    QSignalSpy started(panel, &LessonPanel::stepStarted);
    QSignalSpy finished(panel, &LessonPanel::stepFinished);
    QTest::mouseClick(panel->runButton(), Qt::LeftButton);
    QCOMPARE(started.count(), 1);
    QVERIFY(!panel->runButton()->isEnabled());
    QVERIFY(panel->stopButton()->isEnabled());
    QCOMPARE(window.tabs()->currentWidget(), static_cast<QWidget *>(window.messagePanel()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, RunTimeoutMs);
    QCOMPARE(finished.first().at(0).toInt(), 0);
    QCOMPARE(started.count(), 1);
    const int first = started.first().at(0).toInt();
    const ProcessGroup *group = window.session()->group(window.session()->process(first)->group);
    QCOMPARE(group->kind, GroupKind::Forks);
    QMap<int, double> answers;
    for (int id : group->processes) {
        QCOMPARE(window.session()->process(id)->state, ProcessInfo::State::Exited);
        const QJsonObject a = window.session()->messages(id)->message(1).toObject();
        answers.insert(a.value("n").toInt(), a.value("fib").toDouble());
    }
    QCOMPARE(answers, (QMap<int, double>{{5, 8}, {10, 89}}));
    QVERIFY(window.tabs()->tabText(window.tabs()->indexOf(window.messagePanel())).contains(QStringLiteral("pid")));
    QVERIFY(panel->runButton()->isEnabled());
    QVERIFY(!panel->stopButton()->isEnabled());
}

void tst_MainWindow::aBrokenLessonSaysWhereAndKeepsTheOpenOne()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("broken.lesson"), "Lesson: Mine\nStep: a\nTitle: A\nRun: forks x\n");
    MainWindow window;
    window.show();
    LessonPanel *panel = window.lessonPanel();
    const QString before = panel->lesson().title;
    const qsizetype steps = panel->lesson().steps.size();
    QString error;
    QVERIFY(!window.openLesson(path, &error));
    QVERIFY2(error.contains(QStringLiteral("broken.lesson: line 4")), qPrintable(error));
    QVERIFY(panel->errorLabel()->isVisible());
    QVERIFY(panel->errorLabel()->text().contains(QStringLiteral("line 4")));
    QVERIFY(panel->errorLabel()->text().contains(QStringLiteral("color:")));
    QCOMPARE(panel->lesson().title, before);
    QCOMPARE(panel->lesson().steps.size(), steps);
}

void tst_MainWindow::textScalesForAProjectorAndIsRemembered()
{
    const QFont base = QApplication::font();
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.textScale(), 1.0);
        const double paneSize = window.mergedPane()->font().pointSizeF();
        window.activateWindow();
        QTest::keyClick(&window, Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(window.textScale(), 1.15);
        QTest::keyClick(&window, Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(window.textScale(), 1.3);
        QCOMPARE(QApplication::font().pointSizeF(), base.pointSizeF() * 1.3);
        QCOMPARE(window.mergedPane()->font().pointSizeF(), paneSize * 1.3);
        QCOMPARE(window.lessonPanel()->codeTabs()->widget(0)->font().pointSizeF(), paneSize * 1.3);
        QTest::keyClick(&window, Qt::Key_Minus, Qt::ControlModifier);
        QCOMPARE(window.textScale(), 1.15);
    }
    {
        MainWindow window; // as it was left
        QCOMPARE(window.textScale(), 1.15);
        QCOMPARE(QApplication::font().pointSizeF(), base.pointSizeF() * 1.15);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateWindow();
        QTest::keyClick(&window, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(window.textScale(), 1.0);
        QCOMPARE(QApplication::font().pointSizeF(), base.pointSizeF());
        QVERIFY(!window.action(MainWindow::Action::TextReset)->isEnabled());
    }
    QCOMPARE(QSettings().value(QStringLiteral("view/textScale")).toDouble(), 1.0);
}

void tst_MainWindow::forkSeveralThenReachTheGroupAtOnce()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(!window.commandBar()->forkSeveralButton()->isVisible()); // spawn mode
    window.commandBar()->setMode(LaunchMode::Fork);
    QVERIFY(window.commandBar()->forkSeveralButton()->isVisible());
    window.commandLine()->setText(QStringLiteral("%1 ipc-echo").arg(child));
    QSignalSpy groups(window.session(), &Session::groupAdded);
    QSignalSpy finished(window.session(), &Session::groupFinished);
    answerDialog<ForkDialog>(this, [](ForkDialog *d) {
        QCOMPARE(d->moduleLine()->text(), QStringLiteral("%1 ipc-echo").arg(child));
        d->countBox()->setValue(4);
        QCOMPARE(d->messagesEdit()->toPlainText().count(QLatin1Char('\n')), 3); // a line per child
        d->messagesEdit()->setPlainText(QStringLiteral("{n: 1}\n{n: 2}\nnot json\n"));
        d->accept(); // refused: the dialog stays and says where
        QVERIFY(d->isVisible());
        QVERIFY2(d->problemLabel()->text().contains(QStringLiteral("Message line 3")), qPrintable(d->problemLabel()->text()));
        d->messagesEdit()->setPlainText(QStringLiteral("{n: 1}\n{n: 2}\n{n: 3}\n"));
        QCOMPARE(d->countBox()->value(), 3);
        QTest::mouseClick(d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    });
    QTest::mouseClick(window.commandBar()->forkSeveralButton(), Qt::LeftButton);
    QCOMPARE(groups.count(), 1);
    const int group = groups.first().at(0).toInt();
    const QList<int> children = window.session()->group(group)->processes;
    QCOMPARE(children.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QTRY_COMPARE(window.session()->messages(children[i])->rowCount(), 2);
        QCOMPARE(window.session()->messages(children[i])->message(1), QJsonValue(QJsonObject{{"n", i + 1}}));
    }

    // The group's row: one message to all, then all disconnected; the menu checks again when
    // an entry is chosen.
    QMenu menu;
    window.fillGroupMenu(&menu, group);
    QAction *sendAll = entry(&menu, QStringLiteral("Send Message to All..."));
    QVERIFY(sendAll && sendAll->isEnabled());
    answerDialog<QInputDialog>(this, [](QInputDialog *d) {
        d->setTextValue(QStringLiteral("{all: true}"));
        d->accept();
    });
    sendAll->trigger();
    for (int p : children) {
        QTRY_COMPARE(window.session()->messages(p)->rowCount(), 4);
        QCOMPARE(window.session()->messages(p)->message(3), QJsonValue(QJsonObject{{"all", true}}));
    }
    QCOMPARE(finished.count(), 0);
    entry(&menu, QStringLiteral("Disconnect All"))->trigger();
    QTRY_COMPARE(finished.count(), 1);
    for (int p : children)
        QCOMPARE(window.session()->process(p)->state, ProcessInfo::State::Exited);
    QMenu after;
    window.fillGroupMenu(&after, group);
    QVERIFY(!entry(&after, QStringLiteral("Disconnect All"))->isEnabled());
    QVERIFY(!entry(&after, QStringLiteral("Kill All (SIGKILL)"))->isEnabled());
    // The group row is titled by the module and the count, and says how they ended.
    const QModelIndex row = window.processModel()->index(0, 0);
    QVERIFY2(row.data().toString().contains(QStringLiteral("× 3")), qPrintable(row.data().toString()));
    QVERIFY2(row.data().toString().contains(QStringLiteral("3 done")), qPrintable(row.data().toString()));
}

void tst_MainWindow::multipleSelectionActsOnEach()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QList<int> ids;
    for (int i = 0; i < 3; ++i) {
        window.commandLine()->setText(QStringLiteral("%1 sleep 60000").arg(child));
        ids << window.runCommandBar();
        QTRY_COMPARE(window.session()->process(ids.last())->state, ProcessInfo::State::Running);
    }
    QTreeView *view = window.processView();
    auto rectOf = [&](int id) {
        window.selectProcess(id);
        return view->visualRect(view->currentIndex());
    };
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rectOf(ids[0]).center());
    const QRect third = view->visualRect(view->currentIndex().siblingAtRow(view->currentIndex().row() + 2));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::ControlModifier, third.center());
    QCOMPARE(window.selectedProcesses(), (QList<int>{ids[0], ids[2]}));
    QMenu menu;
    window.fillSelectionMenu(&menu, window.selectedProcesses());
    QAction *kill = entry(&menu, QStringLiteral("Kill 2 (SIGKILL)"));
    QVERIFY(kill);
    kill->trigger();
    QTRY_COMPARE(window.session()->process(ids[0])->state, ProcessInfo::State::Killed);
    QTRY_COMPARE(window.session()->process(ids[2])->state, ProcessInfo::State::Killed);
    QCOMPARE(window.session()->process(ids[0])->signal, QStringLiteral("SIGKILL"));
    QCOMPARE(window.session()->process(ids[1])->state, ProcessInfo::State::Running); // not selected
    window.session()->stop(ids[1]);
    QTRY_COMPARE(window.session()->process(ids[1])->state, ProcessInfo::State::Killed);
}
