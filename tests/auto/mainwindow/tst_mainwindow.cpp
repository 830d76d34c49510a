// The window driven as a user drives it, under QT_QPA_PLATFORM=offscreen.
#include "recorder.h"

#include <childprocess.h>
#include <mainwindow.h>
#include <messagelogmodel.h>
#include <messagepanel.h>
#include <outputbuffer.h>
#include <outputpane.h>
#include <processlistmodel.h>
#include <session.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>

#include <csignal>

using namespace Spawnscope::Ui;

namespace {
const QString child = QStringLiteral(TESTCHILD);
}

class tst_MainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void launchFromTheCommandBar()
    {
        MainWindow window;
        window.show();
        QAbstractItemModelTester tester(window.session()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.commandLine()->setFocus();
        QTest::keyClicks(window.commandLine(), QStringLiteral("%1 lines 3").arg(child));
        QVERIFY(window.previewLabel()->text().endsWith(QStringLiteral("lines 3")));
        QTest::keyClick(window.commandLine(), Qt::Key_Return);
        QCOMPARE(window.commandLine()->text(), QString());
        ProcessListModel *model = window.session()->model();
        QCOMPARE(model->processIds().size(), 1);
        const int id = model->processIds().first();
        QCOMPARE(window.selectedProcess(), id);
        QTRY_COMPARE(model->process(id)->state, ProcessInfo::State::Exited);
        QCOMPARE(model->process(id)->exitCode, 0);
        QVERIFY(model->process(id)->pid > 0);
        QTRY_COMPARE(window.mergedPane()->toPlainText(), QStringLiteral("line 1\nline 2\nline 3"));
        QCOMPARE(model->indexOfProcess(id, ProcessListModel::State).data().toString(), QStringLiteral("exited"));
    }

    void rowStatesThroughALife()
    {
        MainWindow window;
        QAbstractItemModelTester tester(window.session()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<ProcessInfo::State> seen;
        connect(window.session(), &Session::processChanged, this, [&](int id) {
            const ProcessInfo::State s = window.session()->model()->process(id)->state;
            if (seen.isEmpty() || seen.last() != s)
                seen << s;
        });
        window.commandLine()->setText(QStringLiteral("%1 sleep 60000").arg(child));
        const int id = window.runCommandBar();
        QVERIFY(id);
        QTRY_COMPARE(window.session()->model()->process(id)->state, ProcessInfo::State::Running);
        QVERIFY(window.session()->signal(id, SIGTERM));
        QTRY_COMPARE(window.session()->model()->process(id)->state, ProcessInfo::State::Killed);
        QCOMPARE(window.session()->model()->process(id)->signal, QStringLiteral("SIGTERM"));
        QCOMPARE(seen, (QList<ProcessInfo::State>{ProcessInfo::State::Starting, ProcessInfo::State::Running, ProcessInfo::State::Killed}));

        window.commandLine()->setText(QStringLiteral("/nonexistent/program"));
        const int missing = window.runCommandBar();
        QTRY_COMPARE(window.session()->model()->process(missing)->state, ProcessInfo::State::FailedToStart);
        QVERIFY(window.session()->model()->process(missing)->error.contains(QStringLiteral("ENOENT")));
    }

    void badLinesAreRefusedWithTheReason()
    {
        MainWindow window;
        window.commandLine()->setText(QStringLiteral("ls $HOME"));
        QVERIFY(window.previewLabel()->text().startsWith(QStringLiteral("cannot run: column 4")));
        QCOMPARE(window.runCommandBar(), 0);
        QCOMPARE(window.session()->model()->processIds().size(), 0);
        QCOMPARE(window.commandLine()->text(), QStringLiteral("ls $HOME")); // kept to fix
        window.modeBox()->setCurrentText(QStringLiteral("exec"));
        QCOMPARE(window.previewLabel()->text(), QStringLiteral("/bin/sh -c 'ls $HOME'"));
    }

    void outputArrivesInTheRightPaneInOrder()
    {
        MainWindow window;
        window.show();
        window.setSideBySide(true);
        window.commandLine()->setText(QStringLiteral("%1 both").arg(child));
        const int id = window.runCommandBar();
        QTRY_COMPARE(window.session()->model()->process(id)->state, ProcessInfo::State::Exited);
        QTRY_COMPARE(window.stdoutPane()->toPlainText(), QStringLiteral("to stdout"));
        QTRY_COMPARE(window.stderrPane()->toPlainText(), QStringLiteral("to stderr"));
        QTRY_COMPARE(window.mergedPane()->toPlainText().split(QLatin1Char('\n')).size(), 2);

        window.commandLine()->setText(QStringLiteral("%1 lines 20000").arg(child));
        const int many = window.runCommandBar();
        QTRY_COMPARE(window.session()->model()->process(many)->state, ProcessInfo::State::Exited);
        window.stdoutPane()->drain();
        const QStringList lines = window.stdoutPane()->toPlainText().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 20000);
        for (int i = 0; i < lines.size(); i += 997)
            QCOMPARE(lines[i], QStringLiteral("line %1").arg(i + 1));
    }

    void stdinLine()
    {
        MainWindow window;
        window.show();
        window.commandLine()->setText(QStringLiteral("%1 prefix got:").arg(child));
        const int id = window.runCommandBar();
        QTest::keyClicks(window.stdinLine(), QStringLiteral("hello"));
        QTest::keyClick(window.stdinLine(), Qt::Key_Return);
        QTRY_COMPARE(window.mergedPane()->toPlainText(), QStringLiteral("got:hello"));
        window.session()->child(id)->end();
        QTRY_COMPARE(window.session()->model()->process(id)->state, ProcessInfo::State::Exited);
    }

    void pipelineLineMakesAGroup()
    {
        MainWindow window;
        QAbstractItemModelTester tester(window.session()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.commandLine()->setText(QStringLiteral("%1 lines 5 | %1 prefix >> | %1 count").arg(child));
        QVERIFY(window.previewLabel()->text().startsWith(QStringLiteral("cannot run"))); // `>>` is a redirection
        window.commandLine()->setText(QStringLiteral("%1 lines 5 | %1 prefix : | %1 count").arg(child));
        QVERIFY(window.previewLabel()->text().startsWith(QStringLiteral("pipeline of 3 stage(s)")));
        const int first = window.runCommandBar();
        ProcessListModel *model = window.session()->model();
        QCOMPARE(model->processIds().size(), 3);
        QCOMPARE(model->rowCount(), 1);
        QVERIFY(model->index(0, 0).data().toString().startsWith(QStringLiteral("Pipeline: ")));
        QCOMPARE(model->rowCount(model->index(0, 0)), 3);
        const int last = model->processIds().last();
        QTRY_COMPARE(model->process(last)->state, ProcessInfo::State::Exited);
        QTRY_COMPARE(model->process(first)->state, ProcessInfo::State::Exited);
        window.selectProcess(last);
        QTRY_COMPARE(window.mergedPane()->toPlainText(), QStringLiteral("40 5"));
    }

    void filterByName()
    {
        MainWindow window;
        window.commandLine()->setText(QStringLiteral("%1 exit 0").arg(child));
        window.runCommandBar();
        window.commandLine()->setText(QStringLiteral("/bin/true"));
        window.runCommandBar();
        QTreeView *view = window.processView();
        const QModelIndex group = view->model()->index(0, 0);
        QCOMPARE(view->model()->rowCount(group), 2);
        auto *filter = window.findChild<QLineEdit *>();
        QVERIFY(filter);
        for (QLineEdit *edit : window.findChildren<QLineEdit *>()) {
            if (edit->placeholderText().startsWith(QStringLiteral("Filter")))
                filter = edit;
        }
        QTest::keyClicks(filter, QStringLiteral("TRUE"));
        QCOMPARE(view->model()->rowCount(view->model()->index(0, 0)), 1);
        QCOMPARE(view->model()->index(0, 0, view->model()->index(0, 0)).data().toString(), QStringLiteral("true"));
        QTRY_COMPARE(window.session()->liveCount(), 0);
    }

    void stopAllLeavesNoChild()
    {
        MainWindow window;
        for (const char *mode : {"ignore-term", "sleep"}) {
            window.commandLine()->setText(QStringLiteral("%1 %2 60000").arg(child, QLatin1String(mode)));
            window.runCommandBar();
        }
        window.commandLine()->setText(QStringLiteral("%1 sleep 60000 | %1 echo").arg(child));
        window.runCommandBar();
        QTRY_COMPARE(window.session()->liveCount(), 4);
        bool done = false;
        window.session()->stopAll(300, [&] { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QCOMPARE(window.session()->liveCount(), 0);
    }

    void messagesOfAForkedChild()
    {
        MainWindow window;
        window.show();
        window.modeBox()->setCurrentText(QStringLiteral("fork"));
        window.commandLine()->setText(QStringLiteral("%1 ipc-echo").arg(child));
        QVERIFY(window.previewLabel()->text().startsWith(QStringLiteral("fork with a message channel: ")));
        const int id = window.runCommandBar();
        QTRY_COMPARE(window.session()->model()->process(id)->state, ProcessInfo::State::Running);
        MessagePanel *panel = window.messagePanel();
        MessageLogModel *log = window.session()->messages(id);
        QVERIFY(log);
        QAbstractItemModelTester tester(log, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY(panel->sendButton()->isEnabled());

        // Not JSON: said under the box, nothing sent.
        QTest::keyClicks(panel->input(), QStringLiteral("{\"n\": 25"));
        QTest::keyClick(panel->input(), Qt::Key_Return);
        QVERIFY(!panel->errorLabel()->isHidden());
        QVERIFY2(panel->errorLabel()->text().startsWith(QStringLiteral("Not JSON")), qPrintable(panel->errorLabel()->text()));
        QCOMPARE(log->rowCount(), 0);
        QCOMPARE(panel->input()->text(), QStringLiteral("{\"n\": 25")); // kept to fix

        QTest::keyClicks(panel->input(), QStringLiteral("}"));
        QVERIFY(panel->errorLabel()->isHidden());
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
            window.findChild<QTabWidget *>()->setCurrentWidget(panel);
            panel->view()->setCurrentIndex(log->index(1, 0));
            panel->input()->setText(QStringLiteral("{\"cmd\": start}"));
            panel->sendInput();
            QTest::qWait(200);
            window.grab().save(dir + QStringLiteral("/messages.png"));
            panel->input()->clear();
        }

        QTest::mouseClick(panel->disconnectButton(), Qt::LeftButton);
        QTRY_VERIFY(!panel->sendButton()->isEnabled());
        QTRY_COMPARE(window.session()->model()->process(id)->state, ProcessInfo::State::Exited);
    }

    void launchOptionsApply()
    {
        QTemporaryDir dir;
        MainWindow window;
        LaunchOptions options;
        options.cwd = dir.path();
        options.environment = {{QStringLiteral("GREETING"), QStringLiteral("hello")}};
        window.session()->setOptions(options);
        Q_EMIT window.optionsChanged();
        window.commandLine()->setText(QStringLiteral("%1 cwd").arg(child));
        QVERIFY(window.previewLabel()->text().endsWith(QStringLiteral("in %1, GREETING=hello").arg(dir.path())));
        const int cwd = window.runCommandBar();
        QTRY_COMPARE(window.session()->model()->process(cwd)->state, ProcessInfo::State::Exited);
        window.mergedPane()->drain();
        QCOMPARE(window.mergedPane()->toPlainText(), QDir(dir.path()).canonicalPath());
        window.commandLine()->setText(QStringLiteral("%1 env GREETING").arg(child));
        const int env = window.runCommandBar();
        QTRY_COMPARE(window.session()->model()->process(env)->state, ProcessInfo::State::Exited);
        window.mergedPane()->drain();
        QCOMPARE(window.mergedPane()->toPlainText(), QStringLiteral("hello"));

        options = LaunchOptions();
        options.timeoutMs = 200;
        options.killSignal = QStringLiteral("SIGKILL");
        window.session()->setOptions(options);
        window.commandLine()->setText(QStringLiteral("%1 sleep 60000").arg(child));
        const int slow = window.runCommandBar();
        QTRY_COMPARE(window.session()->model()->process(slow)->state, ProcessInfo::State::Killed);
        QCOMPARE(window.session()->model()->process(slow)->signal, QStringLiteral("SIGKILL"));
    }

    void historyIsRemembered()
    {
        {
            MainWindow window;
            window.commandLine()->setText(QStringLiteral("/bin/true --first"));
            window.runCommandBar();
            QTRY_COMPARE(window.session()->liveCount(), 0);
        }
        QCOMPARE(QSettings().value(QStringLiteral("commands/history")).toStringList().first(), QStringLiteral("/bin/true --first"));
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
