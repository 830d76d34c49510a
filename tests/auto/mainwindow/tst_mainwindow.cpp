// The window driven as a user drives it: its processes, its output, its timeline.
#include "tst_mainwindow.h"

#include "launchrequests.h"
#include "processes.h"
#include "recorder.h"

#include <appearance.h>
#include <batchdashboard.h>
#include <batchjobsmodel.h>
#include <ganttview.h>
#include <childprocess.h>
#include <commandbar.h>
#include <mainwindow.h>
#include <messagelogmodel.h>
#include <messagepanel.h>
#include <outputbuffer.h>
#include <outputpane.h>
#include <processlistmodel.h>
#include <session.h>
#include <timeline.h>
#include <timelinepanel.h>
#include <timelineview.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMap>
#include <QMenu>
#include <QSignalSpy>
#include <QTextBlock>
#include <QTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>

#include <csignal>

#include <unistd.h>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {
const QString child = QStringLiteral(TESTCHILD);
}

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
}

void tst_MainWindow::cleanup()
{
    QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000);
}

void tst_MainWindow::launchFromTheCommandBar()
{
    MainWindow window;
    window.show();
    QAbstractItemModelTester tester(window.processModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    window.commandLine()->setFocus();
    QTest::keyClicks(window.commandLine(), QStringLiteral("%1 lines 3").arg(child));
    QVERIFY(window.commandBar()->plainPreview().endsWith(QStringLiteral("lines 3")));
    QTest::keyClick(window.commandLine(), Qt::Key_Return);
    QCOMPARE(window.commandLine()->text(), QString());
    ProcessListModel *model = window.processModel();
    Session *session = window.session();
    QCOMPARE(session->processIds().size(), 1);
    const int id = session->processIds().first();
    QCOMPARE(window.selectedProcess(), id);
    QTRY_COMPARE(session->process(id)->state, ProcessInfo::State::Exited);
    QCOMPARE(session->process(id)->exitCode, 0);
    QVERIFY(session->process(id)->pid > 0);
    QTRY_COMPARE(window.mergedPane()->toPlainText(), QStringLiteral("line 1\nline 2\nline 3"));
    QCOMPARE(model->indexOfProcess(id, ProcessListModel::State).data().toString(), QStringLiteral("exited"));
}

void tst_MainWindow::rowStatesThroughALife()
{
    MainWindow window;
    QAbstractItemModelTester tester(window.processModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<ProcessInfo::State> seen;
    connect(window.session(), &Session::processAdded, this, [&](int id) { seen << window.session()->process(id)->state; });
    connect(window.session(), &Session::processChanged, this, [&](int id) {
        const ProcessInfo::State s = window.session()->process(id)->state;
        if (seen.isEmpty() || seen.last() != s)
            seen << s;
    });
    window.commandLine()->setText(QStringLiteral("%1 sleep 60000").arg(child));
    const int id = window.runCommandBar();
    QVERIFY(id);
    QTRY_COMPARE(window.session()->process(id)->state, ProcessInfo::State::Running);
    QVERIFY(window.session()->signal(id, SIGTERM));
    QTRY_COMPARE(window.session()->process(id)->state, ProcessInfo::State::Killed);
    QCOMPARE(window.session()->process(id)->signal, QStringLiteral("SIGTERM"));
    QCOMPARE(seen, (QList<ProcessInfo::State>{ProcessInfo::State::Starting, ProcessInfo::State::Running, ProcessInfo::State::Killed}));

    window.commandLine()->setText(QStringLiteral("/nonexistent/program"));
    const int missing = window.runCommandBar();
    QTRY_COMPARE(window.session()->process(missing)->state, ProcessInfo::State::FailedToStart);
    QVERIFY(window.session()->process(missing)->error.contains(QStringLiteral("ENOENT")));
}

void tst_MainWindow::badLinesAreRefusedWithTheReason()
{
    MainWindow window;
    window.commandLine()->setText(QStringLiteral("ls 'x"));
    QVERIFY(window.commandBar()->plainPreview().startsWith(QStringLiteral("Cannot run: column 4")));
    QCOMPARE(window.runCommandBar(), 0);
    QCOMPARE(window.session()->processIds().size(), 0);
    QCOMPARE(window.commandLine()->text(), QStringLiteral("ls 'x")); // kept to fix
    window.modeBox()->setCurrentText(QStringLiteral("exec"));
    QCOMPARE(window.commandBar()->plainPreview(), QStringLiteral("/bin/sh -c 'ls '\\''x'"));
}

void tst_MainWindow::outputArrivesInTheRightPaneInOrder()
{
    MainWindow window;
    window.show();
    window.setSideBySide(true);
    window.commandLine()->setText(QStringLiteral("%1 both").arg(child));
    const int id = window.runCommandBar();
    QTRY_COMPARE(window.session()->process(id)->state, ProcessInfo::State::Exited);
    QTRY_COMPARE(window.stdoutPane()->toPlainText(), QStringLiteral("to stdout"));
    QTRY_COMPARE(window.stderrPane()->toPlainText(), QStringLiteral("to stderr"));
    QTRY_COMPARE(window.mergedPane()->toPlainText().split(QLatin1Char('\n')).size(), 2);

    window.commandLine()->setText(QStringLiteral("%1 lines 20000").arg(child));
    const int many = window.runCommandBar();
    QTRY_COMPARE(window.session()->process(many)->state, ProcessInfo::State::Exited);
    window.stdoutPane()->drain();
    const QStringList lines = window.stdoutPane()->toPlainText().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 20000);
    for (int i = 0; i < lines.size(); i += 997)
        QCOMPARE(lines[i], QStringLiteral("line %1").arg(i + 1));
}

void tst_MainWindow::stdinLine()
{
    MainWindow window;
    window.show();
    window.commandLine()->setText(QStringLiteral("%1 prefix got:").arg(child));
    const int id = window.runCommandBar();
    QTest::keyClicks(window.stdinLine(), QStringLiteral("hello"));
    QTest::keyClick(window.stdinLine(), Qt::Key_Return);
    QTRY_COMPARE(window.mergedPane()->toPlainText(), QStringLiteral("got:hello"));
    window.session()->child(id)->end();
    QTRY_COMPARE(window.session()->process(id)->state, ProcessInfo::State::Exited);
}

void tst_MainWindow::pipelineLineMakesAGroup()
{
    MainWindow window;
    QAbstractItemModelTester tester(window.processModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    window.commandLine()->setText(QStringLiteral("%1 lines 5 | %1 prefix >> | %1 count").arg(child));
    QVERIFY(window.commandBar()->plainPreview().startsWith(QStringLiteral("Cannot run"))); // `>>` is a redirection
    window.commandLine()->setText(QStringLiteral("%1 lines 5 | %1 prefix : | %1 count").arg(child));
    QVERIFY(window.commandBar()->plainPreview().startsWith(QStringLiteral("pipeline of 3 stages")));
    const int first = window.runCommandBar();
    ProcessListModel *model = window.processModel();
    Session *session = window.session();
    QCOMPARE(session->processIds().size(), 3);
    QCOMPARE(model->rowCount(), 1);
    QVERIFY(model->index(0, 0).data().toString().startsWith(QStringLiteral("Pipeline: ")));
    QCOMPARE(model->rowCount(model->index(0, 0)), 3);
    const int last = session->processIds().last();
    QTRY_COMPARE(session->process(last)->state, ProcessInfo::State::Exited);
    QTRY_COMPARE(session->process(first)->state, ProcessInfo::State::Exited);
    window.selectProcess(last);
    QTRY_COMPARE(window.mergedPane()->toPlainText(), QStringLiteral("40 5"));
}

void tst_MainWindow::filterByName()
{
    MainWindow window;
    window.commandLine()->setText(QStringLiteral("%1 exit 0").arg(child));
    window.runCommandBar();
    window.commandLine()->setText(QStringLiteral("/bin/true"));
    window.runCommandBar();
    QTreeView *view = window.processView();
    const QModelIndex group = view->model()->index(0, 0);
    QCOMPARE(view->model()->rowCount(group), 2);
    QTest::keyClicks(window.filterLine(), QStringLiteral("TRUE"));
    QCOMPARE(view->model()->rowCount(view->model()->index(0, 0)), 1);
    QCOMPARE(view->model()->index(0, 0, view->model()->index(0, 0)).data().toString(), QStringLiteral("true"));
    QTRY_COMPARE(window.session()->liveCount(), 0);
}

void tst_MainWindow::stopAllLeavesNoChild()
{
    // Run from an interactive terminal, this process would be its foreground job, whose
    // children the window keeps in its own group (tst_runcommand holds that case); here each
    // child leads a group of its own, as when the window is started from the desktop.
    ::setpgid(0, 0);
    MainWindow window;
    for (const char *mode : {"ignore-term", "sleep"}) {
        window.commandLine()->setText(QStringLiteral("%1 %2 60000").arg(child, QLatin1String(mode)));
        window.runCommandBar();
    }
    window.commandLine()->setText(QStringLiteral("%1 sleep 60000 | %1 echo").arg(child));
    window.runCommandBar();
    // What children start themselves stops too: a grandchild that ignores SIGTERM under a
    // child that does not, and a shell's background job.
    window.commandLine()->setText(QStringLiteral("%1 family 60000").arg(child));
    window.runCommandBar();
    window.modeBox()->setCurrentText(QStringLiteral("exec"));
    window.commandLine()->setText(QStringLiteral("%1 sleep 60000 & wait").arg(child));
    window.runCommandBar();
    QTRY_COMPARE(window.session()->liveCount(), 6);
    QTRY_COMPARE(descendantsRunning(::getpid(), child).size(), 7); // the shell is not the test child
    const QList<pid_t> started = descendantsRunning(::getpid(), child);
    bool done = false;
    window.session()->stopAll(300, [&] { done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QCOMPARE(window.session()->liveCount(), 0);
    QTRY_COMPARE(stillRunning(started), QList<pid_t>());
}

void tst_MainWindow::messagesOfAForkedChild()
{
    MainWindow window;
    window.show();
    window.modeBox()->setCurrentText(QStringLiteral("fork"));
    window.commandLine()->setText(QStringLiteral("%1 ipc-echo").arg(child));
    QVERIFY(window.commandBar()->plainPreview().startsWith(QStringLiteral("fork with a message channel: ")));
    const int id = window.runCommandBar();
    QTRY_COMPARE(window.session()->process(id)->state, ProcessInfo::State::Running);
    MessagePanel *panel = window.messagePanel();
    MessageLogModel *log = window.session()->messages(id);
    QVERIFY(log);
    QAbstractItemModelTester tester(log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY(panel->sendButton()->isEnabled());

    // Not a message: said under the box with its column, nothing sent.
    QTest::keyClicks(panel->input(), QStringLiteral("{n: 25"));
    QTest::keyClick(panel->input(), Qt::Key_Return);
    QVERIFY(!panel->errorLabel()->isHidden());
    QVERIFY2(panel->errorLabel()->text().startsWith(QStringLiteral("Not a message (column 7: unterminated object")), qPrintable(panel->errorLabel()->text()));
    QVERIFY(panel->errorLabel()->text().contains(QStringLiteral("{\"n\": 10}")));
    QCOMPARE(log->rowCount(), 0);
    QCOMPARE(panel->input()->text(), QStringLiteral("{n: 25")); // kept to fix

    // The lesson's own form: what goes over the channel shows as it is typed.
    panel->input()->setCursorPosition(panel->input()->text().size());
    QTest::keyClicks(panel->input(), QStringLiteral("}"));
    QCOMPARE(panel->errorLabel()->text(), QStringLiteral("sends {\"n\":25}"));
    QTest::keyClick(panel->input(), Qt::Key_Return);
    QCOMPARE(log->rowCount(), 1);
    QCOMPARE(log->direction(0), MessageLogModel::ToChild);
    QTRY_COMPARE(log->rowCount(), 2); // echoed back
    QCOMPARE(log->direction(1), MessageLogModel::FromChild);
    QCOMPARE(log->message(1).toObject().value(QStringLiteral("n")).toInt(), 25);

    panel->input()->setText(QStringLiteral("\"a string\""));
    QVERIFY(panel->sendInput());
    QTRY_COMPARE(log->rowCount(), 4);
    if (const QString dir = qEnvironmentVariable("SPAWNSCOPE_SCREENSHOTS"); !dir.isEmpty()) {
        window.resize(1280, 640);
        window.tabs()->setCurrentWidget(panel);
        panel->view()->setCurrentIndex(log->index(1, 0));
        panel->input()->setText(QStringLiteral("{\"cmd\": start}"));
        panel->sendInput();
        QTest::qWait(200);
        window.grab().save(dir + QStringLiteral("/messages.png"));
        panel->input()->clear();
    }

    QTest::mouseClick(panel->disconnectButton(), Qt::LeftButton);
    QTRY_VERIFY(!panel->sendButton()->isEnabled());
    QTRY_COMPARE(window.session()->process(id)->state, ProcessInfo::State::Exited);
}

void tst_MainWindow::launchOptionsApply()
{
    QTemporaryDir dir;
    MainWindow window;
    LaunchOptions options;
    options.cwd = dir.path();
    options.environment = {{QStringLiteral("GREETING"), QStringLiteral("hello")}};
    window.setLaunchOptions(options);
    Q_EMIT window.optionsChanged();
    window.commandLine()->setText(QStringLiteral("%1 cwd").arg(child));
    QVERIFY(window.commandBar()->plainPreview().endsWith(QStringLiteral("in %1, GREETING=hello").arg(dir.path())));
    const int cwd = window.runCommandBar();
    QTRY_COMPARE(window.session()->process(cwd)->state, ProcessInfo::State::Exited);
    window.mergedPane()->drain();
    QCOMPARE(window.mergedPane()->toPlainText(), QDir(dir.path()).canonicalPath());
    window.commandLine()->setText(QStringLiteral("%1 env GREETING").arg(child));
    const int env = window.runCommandBar();
    QTRY_COMPARE(window.session()->process(env)->state, ProcessInfo::State::Exited);
    window.mergedPane()->drain();
    QCOMPARE(window.mergedPane()->toPlainText(), QStringLiteral("hello"));

    options = LaunchOptions();
    options.timeoutMs = 200;
    options.killSignal = QStringLiteral("SIGKILL");
    window.setLaunchOptions(options);
    window.commandLine()->setText(QStringLiteral("%1 sleep 60000").arg(child));
    const int slow = window.runCommandBar();
    QTRY_COMPARE(window.session()->process(slow)->state, ProcessInfo::State::Killed);
    QCOMPARE(window.session()->process(slow)->signal, QStringLiteral("SIGKILL"));
}

void tst_MainWindow::historyIsRemembered()
{
    {
        MainWindow window;
        window.commandLine()->setText(QStringLiteral("/bin/true --first"));
        window.runCommandBar();
        QTRY_COMPARE(window.session()->liveCount(), 0);
    }
    QCOMPARE(QSettings().value(QStringLiteral("commands/history")).toStringList().first(), QStringLiteral("/bin/true --first"));
}

void tst_MainWindow::timelineRecordsEveryKindOfEvent()
{
    MainWindow window;
    window.show();
    Timeline *timeline = window.session()->timeline();
    auto kinds = [timeline](int process) {
        QList<TraceKind> list;
        for (const TimelineEvent &e : timeline->lane(timeline->laneOf(process)).events)
            list << e.kind;
        return list;
    };
    using K = TraceKind;

    window.commandLine()->setText(QStringLiteral("%1 stderr oops 3").arg(child));
    const int failing = window.runCommandBar();
    window.commandLine()->setText(QStringLiteral("no-such-program-for-spawnscope"));
    const int missing = window.runCommandBar();
    window.commandLine()->setText(QStringLiteral("%1 sleep 60000").arg(child));
    const int signalled = window.runCommandBar();
    window.modeBox()->setCurrentText(QStringLiteral("fork"));
    window.commandLine()->setText(QStringLiteral("%1 ipc-echo").arg(child));
    const int forked = window.runCommandBar();
    QVERIFY(failing && missing && signalled && forked);
    QCOMPARE(timeline->laneCount(), 4);

    QTRY_COMPARE(kinds(failing), (QList<TraceKind>{K::Spawn, K::Exit, K::Close}));
    const TimelineLane &failingLane = timeline->lane(timeline->laneOf(failing));
    QCOMPARE(failingLane.events[1].fields.value(QStringLiteral("code")).toInt(), 3);
    QCOMPARE(failingLane.events[0].fields.value(QStringLiteral("pid")).toInteger(), window.session()->process(failing)->pid);
    QCOMPARE(failingLane.err.size(), size_t(1));
    QCOMPARE(failingLane.err[0].bytes, 4);
    QVERIFY(failingLane.out.empty());

    QTRY_COMPARE(kinds(missing), (QList<TraceKind>{K::Error, K::Close}));
    QCOMPARE(timeline->lane(timeline->laneOf(missing)).events[0].fields.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
             QStringLiteral("ENOENT"));

    QTRY_COMPARE(window.session()->process(signalled)->state, ProcessInfo::State::Running);
    QVERIFY(window.session()->signal(signalled, SIGTERM));
    QTRY_COMPARE(kinds(signalled), (QList<TraceKind>{K::Spawn, K::Kill, K::Exit, K::Close}));
    QCOMPARE(timeline->lane(timeline->laneOf(signalled)).events[2].fields.value(QStringLiteral("signal")).toString(), QStringLiteral("SIGTERM"));

    MessagePanel *panel = window.messagePanel();
    QTRY_VERIFY(panel->sendButton()->isEnabled());
    panel->input()->setText(QStringLiteral("{\"hello\": 1}"));
    QVERIFY(panel->sendInput());
    QTRY_COMPARE(kinds(forked), (QList<TraceKind>{K::Spawn, K::Send, K::Message}));
    QTest::mouseClick(panel->disconnectButton(), Qt::LeftButton);
    QTRY_COMPARE(kinds(forked), (QList<TraceKind>{K::Spawn, K::Send, K::Message, K::Disconnect, K::Exit, K::Close}));
    QCOMPARE(timeline->eventCount(), 3 + 2 + 4 + 6);

    if (const QString dir = qEnvironmentVariable("SPAWNSCOPE_SCREENSHOTS"); !dir.isEmpty()) {
        // A fuller session for the picture: a pipeline, output in bursts, a crash.
        window.modeBox()->setCurrentText(QStringLiteral("spawn"));
        for (const QString &line : {QStringLiteral("%1 lines 300000 | %1 prefix ok: | %1 head 4"), QStringLiteral("%1 lines-then-sleep 3 250"),
                                    QStringLiteral("%1 crash"), QStringLiteral("%1 lines 50000")}) {
            window.commandLine()->setText(line.arg(child));
            window.runCommandBar();
            QTest::qWait(120);
        }
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->liveCount(), 0, 20000);
        window.resize(1280, 900);
        window.resizeDocks({window.findChild<QDockWidget *>()}, {400}, Qt::Vertical);
        window.setSideBySide(false);
        window.selectProcess(forked + 3); // the pipeline's last stage
        window.mergedPane()->drain();
        window.timelinePanel()->view()->setFollowing(false);
        window.timelinePanel()->view()->fitAll();
        QTest::qWait(300);
        window.grab().save(dir + QStringLiteral("/timeline.png"));
        Appearance::apply(Appearance::Mode::Dark);
        QTest::qWait(300);
        window.grab().save(dir + QStringLiteral("/dark.png"));
        Appearance::apply(Appearance::Mode::System);
    }

    // Selecting a process marks its lane.
    window.selectProcess(failing);
    QVERIFY(window.timelinePanel()->view()->hitTest(window.timelinePanel()->view()->markerPosition(0, 0).toPoint()));
}

void tst_MainWindow::clickingTheTimelineShowsThatMomentsOutput()
{
    MainWindow window;
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.commandLine()->setText(QStringLiteral("%1 echo").arg(child));
    const int id = window.runCommandBar();
    QTRY_COMPARE(window.session()->process(id)->state, ProcessInfo::State::Running);
    Timeline *timeline = window.session()->timeline();
    // A reference into the timeline would not survive the next lane: ask each time.
    auto lane = [timeline, id]() -> const TimelineLane & { return timeline->lane(timeline->laneOf(id)); };
    Spawnscope::ChildProcess *c = window.session()->child(id);
    for (const char *word : {"first\n", "second\n", "third\n"}) {
        const size_t bands = lane().out.size();
        c->write(word);
        QTRY_COMPARE(lane().out.size(), bands + 1);
        QTest::qWait(int(Timeline::BandGapMs) + 150); // each line its own stretch of output
    }
    c->end();
    QTRY_COMPARE(window.session()->process(id)->state, ProcessInfo::State::Exited);

    // Another process is selected; a click on the first lane, just before "second" came,
    // selects it again and puts that line in the middle of the pane.
    window.commandLine()->setText(QStringLiteral("%1 out other").arg(child));
    const int other = window.runCommandBar();
    QCOMPARE(window.selectedProcess(), other);
    window.tabs()->setCurrentWidget(window.messagePanel());
    TimelineView *view = window.timelinePanel()->view();
    view->setFollowing(false);
    view->setView(lane().out[0].start - 50, 1);
    QSignalSpy activated(view, &TimelineView::processActivated);
    const double before = lane().out[1].start - 40;
    const QPoint at(TimelineView::LabelWidth + int(before - view->viewStart()), int(view->markerPosition(timeline->laneOf(id), 0).y()));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(window.selectedProcess(), id);
    QCOMPARE(window.tabs()->currentWidget(), window.outputTab());
    QCOMPARE(window.visiblePane()->textCursor().block().text(), QStringLiteral("second"));
    // The exit marker: the last line.
    const int exitIndex = int(lane().events.size()) - 2;
    QCOMPARE(lane().events[size_t(exitIndex)].kind, TraceKind::Exit);
    view->setView(lane().events[size_t(exitIndex)].t - 100, 1);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->markerPosition(timeline->laneOf(id), exitIndex).toPoint());
    QCOMPARE(window.visiblePane()->textCursor().block().text(), QStringLiteral("third"));
}

void tst_MainWindow::signalMenuSendsTheChosenSignal()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.commandLine()->setText(QStringLiteral("%1 sleep 60000").arg(child));
    const int id = window.runCommandBar();
    QTRY_COMPARE(window.session()->process(id)->state, ProcessInfo::State::Running);
    QTreeView *view = window.processView();
    const QRect row = view->visualRect(view->currentIndex());
    QString chosen;
    QTimer::singleShot(100, this, [&] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        QVERIFY(menu);
        QMenu *signalsMenu = nullptr;
        for (QAction *a : menu->actions()) {
            if (a->menu() && a->text() == QStringLiteral("Send Signal"))
                signalsMenu = a->menu();
        }
        QVERIFY(signalsMenu);
        QVERIFY(signalsMenu->isEnabled());
        QStringList names;
        for (QAction *a : signalsMenu->actions())
            names << a->text();
        QVERIFY(names.contains(QStringLiteral("SIGHUP (1)")));
        QVERIFY(names.contains(QStringLiteral("SIGKILL (9)")));
        QVERIFY(names.contains(QStringLiteral("SIGSTOP (19)")));
        for (QAction *a : signalsMenu->actions()) {
            if (a->text() == QStringLiteral("SIGUSR1 (10)")) {
                chosen = a->text();
                a->trigger();
            }
        }
        menu->close();
    });
    Q_EMIT view->customContextMenuRequested(row.center());
    QCOMPARE(chosen, QStringLiteral("SIGUSR1 (10)"));
    QTRY_COMPARE(window.session()->process(id)->state, ProcessInfo::State::Killed);
    QCOMPARE(window.session()->process(id)->signal, QStringLiteral("SIGUSR1"));
}

void tst_MainWindow::batchJobsMakeAGroup()
{
    MainWindow window;
    window.show();
    QAbstractItemModelTester tester(window.processModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    window.modeBox()->setCurrentText(QStringLiteral("batch"));
    window.commandLine()->setText(QStringLiteral("%1 stderr {}- {} ::: 0 3 0 7").arg(child));
    QVERIFY2(window.commandBar()->plainPreview().startsWith(QStringLiteral("batch of 4 job(s), ")), qPrintable(window.commandBar()->plainPreview()));
    QVERIFY(window.commandBar()->plainPreview().contains(QStringLiteral("the first: %1 stderr 0- 0").arg(child)));
    const int first = window.runCommandBar();
    QVERIFY(first);
    ProcessListModel *model = window.processModel();
    Session *session = window.session();
    QTRY_COMPARE(session->processIds().size(), 4);
    QTRY_COMPARE(window.session()->liveCount(), 0);
    QMap<QString, int> codes; // by command, for the jobs finish in any order
    for (int id : session->processIds()) {
        const ProcessInfo *p = session->process(id);
        QCOMPARE(p->mode, LaunchMode::Batch);
        QCOMPARE(p->state, ProcessInfo::State::Exited);
        QVERIFY(p->pid > 0);
        codes.insert(p->command.section(QLatin1Char(' '), -1), p->exitCode.value_or(-1));
        QTRY_COMPARE(window.session()->output(id)->nextSeq(), 1); // its own stderr, kept apart
        QCOMPARE(window.session()->output(id)->linesFrom(0, 1).first().text, p->command.section(QLatin1Char(' '), -2, -2));
        const TimelineLane &lane = window.session()->timeline()->lane(window.session()->timeline()->laneOf(id));
        QCOMPARE(lane.events.front().kind, TraceKind::Spawn);
        QCOMPARE(lane.events.back().kind, TraceKind::Close);
        QCOMPARE(lane.err.size(), size_t(1));
    }
    QCOMPARE(codes, (QMap<QString, int>{{QStringLiteral("0"), 0}, {QStringLiteral("3"), 3}, {QStringLiteral("7"), 7}}));
    const QModelIndex group = model->indexOfProcess(first).parent();
    QCOMPARE(model->rowCount(group), 4);
    QTRY_COMPARE(group.siblingAtColumn(ProcessListModel::State).data().toString(), QStringLiteral("2 done, 2 failed"));
    QVERIFY(group.data().toString().startsWith(QStringLiteral("Batch: ")));
}

// A batch brings its dashboard up beside the timeline; a click on a job's bar shows that job's
// output, which is there while the job still runs.
void tst_MainWindow::aBatchShowsItsDashboard()
{
    QTemporaryDir dir;
    const QString gate = dir.filePath(QStringLiteral("gate"));
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.batchDock()->hide(); // an earlier test's saved layout may have left it open
    QString error;
    const int single = window.session()->launch(childRequest(LaunchMode::Spawn, {"out", "single"}), &error);
    QVERIFY(single);
    QVERIFY(!window.batchDock()->isVisible()); // other work leaves it alone
    window.modeBox()->setCurrentText(QStringLiteral("batch"));
    window.commandLine()->setText(QStringLiteral("%1 wait-for %2 {} ::: first second").arg(child, gate));
    const int first = window.runCommandBar();
    QVERIFY(first);
    const int group = window.session()->process(first)->group;
    QTRY_VERIFY(window.batchDock()->isVisible());
    BatchDashboard *dashboard = window.batchDashboard();
    QCOMPARE(dashboard->group(), group);
    QTRY_COMPARE(dashboard->model()->progress().running, 2);
    QTRY_COMPARE(dashboard->model()->rowCount(), 2);
    GanttView *gantt = dashboard->ganttView();
    QTRY_VERIFY(gantt->isVisible() && gantt->width() > GanttView::LabelWidth);
    const int job1 = dashboard->model()->state()->job(1)->process;
    window.selectProcess(single);
    QTest::mouseClick(gantt, Qt::LeftButton, {}, gantt->barRect(1, 1).center().toPoint());
    QCOMPARE(window.selectedProcess(), job1);
    QTRY_COMPARE(window.mergedPane()->toPlainText(), QStringLiteral("first"));
    QVERIFY(window.session()->process(job1)->isLive());
    // Choosing another process of the batch marks its job.
    const int job2 = dashboard->model()->state()->job(2)->process;
    window.selectProcess(job2);
    QCOMPARE(gantt->selectedSeq(), 2);
    QFile(gate).open(QIODevice::WriteOnly);
    QTRY_COMPARE(window.session()->liveCount(), 0);
    QTRY_VERIFY(dashboard->etaLabel()->text().startsWith(QStringLiteral("finished in ")));
    QCOMPARE(window.mergedPane()->toPlainText(), QStringLiteral("second"));
}

void tst_MainWindow::badBatchLinesSayWhy_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("error");
    QTest::newRow("no separator") << QStringLiteral("gzip {}") << QStringLiteral("a batch is TEMPLATE ::: INPUT...");
    QTest::newRow("no inputs") << QStringLiteral("gzip {} :::") << QStringLiteral("no inputs after :::");
    QTest::newRow("a bad quote") << QStringLiteral("gzip {} ::: 'a.txt") << QStringLiteral("column 13: unterminated single quote in the inputs");
    QTest::newRow("no command") << QStringLiteral("::: a b") << QString();
}

void tst_MainWindow::badBatchLinesSayWhy()
{
    QFETCH(QString, line);
    QFETCH(QString, error);
    MainWindow window;
    window.modeBox()->setCurrentText(QStringLiteral("batch"));
    window.commandLine()->setText(line);
    QVERIFY2(window.commandBar()->plainPreview().startsWith(QStringLiteral("Cannot run: ") + error), qPrintable(window.commandBar()->plainPreview()));
    QCOMPARE(window.runCommandBar(), 0);
    QCOMPARE(window.session()->processIds().size(), 0);
    QCOMPARE(window.commandLine()->text(), line); // kept, to fix
}

void tst_MainWindow::restartStopsAndRunsAgain()
{
    MainWindow window;
    window.commandLine()->setText(QStringLiteral("%1 sleep 60000").arg(child));
    const int id = window.runCommandBar();
    Session *session = window.session();
    QTRY_COMPARE(session->process(id)->state, ProcessInfo::State::Running);
    const qint64 oldPid = session->process(id)->pid;
    window.restart(id);
    QTRY_COMPARE(session->processIds().size(), 2);
    QCOMPARE(session->process(id)->state, ProcessInfo::State::Killed);
    QCOMPARE(session->process(id)->signal, QStringLiteral("SIGTERM"));
    const int again = session->processIds().last();
    QTRY_COMPARE(session->process(again)->state, ProcessInfo::State::Running);
    QVERIFY(session->process(again)->pid != oldPid);
    QCOMPARE(session->process(again)->command, session->process(id)->command);
    window.session()->signal(again, SIGKILL);
    QTRY_COMPARE(window.session()->liveCount(), 0);
    // An ended process is simply run again.
    window.restart(again);
    QTRY_COMPARE(session->processIds().size(), 3);
    window.session()->signal(session->processIds().last(), SIGKILL);
    QTRY_COMPARE(window.session()->liveCount(), 0);
}

void tst_MainWindow::floodStaysUnderTheScrollbackAndTheStatusShowsTheRate()
{
    QSettings().setValue(QStringLiteral("view/scrollback"), 2000);
    MainWindow window;
    window.show();
    QCOMPARE(window.session()->scrollback(), 2000);
    window.setSideBySide(false);
    window.commandLine()->setText(QStringLiteral("%1 lines-then-sleep 50000 1500").arg(child));
    const int id = window.runCommandBar();
    // While it still runs, the second's output shows as a rate.
    QTRY_VERIFY_WITH_TIMEOUT(window.statusText().contains(QStringLiteral("output ")), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(window.session()->process(id)->state, ProcessInfo::State::Exited, 10000);
    window.mergedPane()->drain();
    QCOMPARE(window.session()->output(id)->nextSeq(), 50000);
    QVERIFY(window.mergedPane()->shownLines() <= 2000);
    QCOMPARE(window.mergedPane()->document()->lastBlock().text(), QStringLiteral("line 50000"));
    QCOMPARE(window.mergedPane()->document()->firstBlock().text(), QStringLiteral("line 48001"));
    // Nothing is lost: Save Output writes all 50,000 lines from the spool.
    QTemporaryDir dir;
    QString error;
    QVERIFY(window.session()->output(id)->save(dir.filePath(QStringLiteral("all.txt")), true, true, &error));
    QFile saved(dir.filePath(QStringLiteral("all.txt")));
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll().count('\n'), 50000);
    QSettings().remove(QStringLiteral("view/scrollback"));
}

QTEST_MAIN(tst_MainWindow)
