#include <stagestatus.h>

#include <session.h>

#include <launchrequests.h>

#include <QSignalSpy>
#include <QtTest>

using namespace Spawnscope;

class tst_StageStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromStates_data();
    void fromStates();
    void fromRealProcesses_data();
    void fromRealProcesses();
};

void tst_StageStatus::fromStates_data()
{
    using S = ProcessInfo::State;
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("exitCode"); // -1: none
    QTest::addColumn<QString>("signal");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("label");
    QTest::addColumn<bool>("bad");
    QTest::newRow("starting") << int(S::Starting) << -1 << "" << "" << "… starting" << false;
    QTest::newRow("running") << int(S::Running) << -1 << "" << "" << "▶ pid 4121" << false;
    QTest::newRow("stopped") << int(S::Stopped) << -1 << "" << "" << "‖ stopped, pid 4121" << false;
    QTest::newRow("exit 0") << int(S::Exited) << 0 << "" << "" << "✓ exit 0" << false;
    QTest::newRow("exit 3") << int(S::Exited) << 3 << "" << "" << "✗ exit 3" << true;
    QTest::newRow("SIGPIPE") << int(S::Killed) << -1 << "SIGPIPE" << "" << "⚡ SIGPIPE" << false;
    QTest::newRow("SIGKILL") << int(S::Killed) << -1 << "SIGKILL" << "" << "✗ SIGKILL" << true;
    QTest::newRow("ENOENT") << int(S::FailedToStart) << -1 << "" << "spawn nosuch ENOENT" << "⚠ ENOENT" << true;
    QTest::newRow("EACCES") << int(S::FailedToStart) << -1 << "" << "spawn ./x EACCES" << "⚠ EACCES" << true;
    QTest::newRow("no code") << int(S::FailedToStart) << -1 << "" << "something" << "⚠ failed to start" << true;
    QTest::newRow("not started") << int(S::NotStarted) << -1 << "" << "the run stopped" << "– not started" << true;
}

void tst_StageStatus::fromStates()
{
    QFETCH(int, state);
    QFETCH(int, exitCode);
    QFETCH(QString, signal);
    QFETCH(QString, error);
    QFETCH(QString, label);
    QFETCH(bool, bad);
    ProcessInfo p;
    p.state = ProcessInfo::State(state);
    p.pid = 4121;
    if (exitCode >= 0)
        p.exitCode = exitCode;
    p.signal = signal;
    p.error = error;
    const StageStatus s = StageStatus::of(&p);
    QCOMPARE(s.label(), label);
    QCOMPARE(s.isBad(), bad);
    QCOMPARE(StageStatus::of(nullptr).label(), QStringLiteral("○ idle"));
}

void tst_StageStatus::fromRealProcesses_data()
{
    QTest::addColumn<QString>("program");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("label");
    QTest::newRow("a program that is not there") << "spawnscope-no-such-program" << QStringList{} << "⚠ ENOENT";
    QTest::newRow("exit 5") << "@" << QStringList{"exit", "5"} << "✗ exit 5";
    QTest::newRow("killed by SIGTERM") << "@" << QStringList{"signal-self", "15"} << "✗ SIGTERM";
    QTest::newRow("success") << "@" << QStringList{"out", "x"} << "✓ exit 0";
}

void tst_StageStatus::fromRealProcesses()
{
    // What the session really records for a process, as a node's badge says it.
    QFETCH(QString, program);
    QFETCH(QStringList, args);
    QFETCH(QString, label);
    Session session;
    LaunchRequest r = childRequest(LaunchMode::Spawn, args);
    r.program = programOf(program);
    QString error;
    const int id = session.launch(r, &error);
    QVERIFY2(id, qPrintable(error));
    QTRY_VERIFY(!session.process(id)->isLive());
    QCOMPARE(StageStatus::of(session.process(id)).label(), label);
}

QTEST_MAIN(tst_StageStatus)
#include "tst_stagestatus.moc"
