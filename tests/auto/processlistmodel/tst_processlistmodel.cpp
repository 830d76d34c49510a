#include <processlistmodel.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Spawnscope::Ui;

class tst_ProcessListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void treeOfGroupsAndProcesses()
    {
        ProcessListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int commands = model.addGroup(QStringLiteral("Commands"), QStringLiteral("single"));
        const int pipeline = model.addGroup(QStringLiteral("Pipeline: a | b"), QStringLiteral("pipeline"));
        ProcessInfo a;
        a.group = commands;
        a.name = QStringLiteral("sleep");
        a.command = QStringLiteral("sleep 10");
        const int first = model.addProcess(a);
        a.group = pipeline;
        a.name = QStringLiteral("a");
        const int second = model.addProcess(a);
        a.name = QStringLiteral("b");
        const int third = model.addProcess(a);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowCount(model.index(0, 0)), 1);
        QCOMPARE(model.rowCount(model.index(1, 0)), 2);
        QCOMPARE(model.processIds(), (QList<int>{first, second, third}));
        QCOMPARE(model.indexOfProcess(third).parent().row(), 1);
        QCOMPARE(model.indexOfProcess(third).data().toString(), QStringLiteral("b"));
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("Pipeline: a | b"));
        QCOMPARE(model.addProcess(ProcessInfo{}), 0); // no such group
    }

    void statesThroughALife_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("signal");
        QTest::addColumn<QString>("stateText");
        QTest::addColumn<QString>("exitText");
        QTest::newRow("exited 0") << int(ProcessInfo::State::Exited) << 0 << "" << "exited" << "0";
        QTest::newRow("exited 3") << int(ProcessInfo::State::Exited) << 3 << "" << "exited" << "3";
        QTest::newRow("killed") << int(ProcessInfo::State::Killed) << -1 << "SIGKILL" << "killed" << "SIGKILL";
        QTest::newRow("failed") << int(ProcessInfo::State::FailedToStart) << -1 << "" << "failed to start" << "";
    }
    void statesThroughALife()
    {
        QFETCH(int, state);
        QFETCH(int, exitCode);
        QFETCH(QString, signal);
        QFETCH(QString, stateText);
        QFETCH(QString, exitText);
        ProcessListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ProcessInfo p;
        p.group = model.addGroup(QStringLiteral("Commands"), QStringLiteral("single"));
        p.name = QStringLiteral("x");
        p.started = QDateTime::currentDateTime();
        p.id = model.addProcess(p);
        auto cell = [&](int column) { return model.indexOfProcess(p.id, column).data().toString(); };
        QCOMPARE(cell(ProcessListModel::State), QStringLiteral("starting"));
        QCOMPARE(model.liveCount(), 1);
        QCOMPARE(model.index(0, ProcessListModel::State).data().toString(), QStringLiteral("1 of 1 running"));

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        p.state = ProcessInfo::State::Running;
        p.pid = 4242;
        p.cpuPercent = 12.5;
        p.rssBytes = 3 * 1024 * 1024;
        p.bytesOut = 2048;
        model.updateProcess(p);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(cell(ProcessListModel::State), QStringLiteral("running"));
        QCOMPARE(cell(ProcessListModel::Pid), QStringLiteral("4242"));
        QCOMPARE(cell(ProcessListModel::Cpu), QStringLiteral("12.5 %"));
        QVERIFY(cell(ProcessListModel::Memory).startsWith(QStringLiteral("3")));
        QVERIFY(cell(ProcessListModel::Out).startsWith(QStringLiteral("2")));
        QVERIFY(!cell(ProcessListModel::Duration).isEmpty());

        p.state = ProcessInfo::State(state);
        if (exitCode >= 0)
            p.exitCode = exitCode;
        p.signal = signal;
        p.ended = p.started.addMSecs(1500);
        model.updateProcess(p);
        QCOMPARE(cell(ProcessListModel::State), stateText);
        QCOMPARE(cell(ProcessListModel::Exit), exitText);
        QCOMPARE(cell(ProcessListModel::Duration), QStringLiteral("1.5 s"));
        QCOMPARE(cell(ProcessListModel::Cpu), QString()); // no longer live
        QCOMPARE(model.liveCount(), 0);
        QCOMPARE(model.index(0, ProcessListModel::State).data().toString(), QStringLiteral("1 done"));
    }

    void refreshTouchesOnlyLiveRows()
    {
        ProcessListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ProcessInfo p;
        p.group = model.addGroup(QStringLiteral("Commands"), QStringLiteral("single"));
        p.state = ProcessInfo::State::Running;
        model.addProcess(p);
        p.state = ProcessInfo::State::Exited;
        model.addProcess(p);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.refreshLive();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().first().toModelIndex().row(), 0);
    }

    void sortRoleAndHeaders()
    {
        ProcessListModel model;
        QCOMPARE(model.columnCount(), int(ProcessListModel::ColumnCount));
        QCOMPARE(model.headerData(ProcessListModel::Memory, Qt::Horizontal).toString(), QStringLiteral("Memory"));
        ProcessInfo p;
        p.group = model.addGroup(QStringLiteral("g"), QStringLiteral("single"));
        p.bytesOut = 5000;
        const int id = model.addProcess(p);
        QCOMPARE(model.indexOfProcess(id, ProcessListModel::Out).data(ProcessListModel::SortRole).toLongLong(), 5000);
        QCOMPARE(model.indexOfProcess(id).data(ProcessListModel::ProcessIdRole).toInt(), id);
        QCOMPARE(model.indexOfProcess(id).data(ProcessListModel::GroupIdRole).toInt(), p.group);
    }
};

QTEST_GUILESS_MAIN(tst_ProcessListModel)
#include "tst_processlistmodel.moc"
