// The process list over a live session: rows, counts and cells follow what real children do.
#include "launchrequests.h"
#include "recorder.h"

#include <processlistmodel.h>

#include <session.h>

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

QString cell(const ProcessListModel &model, int process, int column)
{
    return model.indexOfProcess(process, column).data().toString();
}

QString groupCell(const ProcessListModel &model, int process, int column)
{
    return model.indexOfProcess(process).parent().siblingAtColumn(column).data().toString();
}

} // namespace

class tst_ProcessListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    // One child, start to end: every cell of its row, and its group's count, at each step.
    void oneChildThroughItsLife_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("exit");
        QTest::addColumn<QString>("groupState");
        QTest::newRow("exit 0") << QStringList{"exit", "0"} << "exited" << "0" << "1 done";
        QTest::newRow("exit 3") << QStringList{"exit", "3"} << "exited" << "3" << "1 failed";
        QTest::newRow("crash") << QStringList{"crash"} << "killed" << "SIGSEGV" << "1 failed";
    }
    void oneChildThroughItsLife()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, state);
        QFETCH(QString, exit);
        QFETCH(QString, groupState);
        Session session;
        ProcessListModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        const int id = session.launch(childRequest(LaunchMode::Spawn, args), &error);
        QVERIFY2(id, qPrintable(error));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, ProcessListModel::Name).data().toString().section(QStringLiteral("  —  "), 0, 0), QStringLiteral("Commands"));
        QCOMPARE(cell(model, id, ProcessListModel::Name), QStringLiteral("spawnscope-testchild"));
        QCOMPARE(cell(model, id, ProcessListModel::Mode), QStringLiteral("spawn"));
        QTRY_COMPARE(cell(model, id, ProcessListModel::State), state);
        QCOMPARE(cell(model, id, ProcessListModel::Exit), exit);
        QVERIFY(!cell(model, id, ProcessListModel::Pid).isEmpty());
        // The group's count follows without anyone touching the view.
        QCOMPARE(groupCell(model, id, ProcessListModel::State), groupState);
        QCOMPARE(groupCell(model, id, ProcessListModel::Name), QStringLiteral("Commands  —  ") + groupState); // the heading
        // The duration stops with the process.
        const QString duration = cell(model, id, ProcessListModel::Duration);
        QTest::qWait(1100);
        QCOMPARE(cell(model, id, ProcessListModel::Duration), duration);
    }

    void groupCountsFollowEveryChange()
    {
        Session session;
        ProcessListModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        const int first = session.launch(pipelineRequest({{"@", "sleep", "60000"}, {"@", "sleep", "60000"}}), &error);
        QVERIFY2(first, qPrintable(error));
        const int second = first + 1;
        QTRY_COMPARE(session.process(second)->state, ProcessInfo::State::Running);
        QTRY_COMPARE(session.process(first)->state, ProcessInfo::State::Running);
        QCOMPARE(groupCell(model, first, ProcessListModel::State), QStringLiteral("2 of 2 running"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(session.signal(second, SIGKILL));
        QTRY_COMPARE(cell(model, second, ProcessListModel::State), QStringLiteral("killed"));
        QCOMPARE(groupCell(model, first, ProcessListModel::State), QStringLiteral("1 running, 1 failed"));
        // The group's row was announced as changed, not left for a click to refresh.
        bool groupRowChanged = false;
        for (const QList<QVariant> &args : changed) {
            const QModelIndex topLeft = args.at(0).toModelIndex();
            groupRowChanged = groupRowChanged || (!topLeft.parent().isValid() && topLeft.column() <= ProcessListModel::State);
        }
        QVERIFY(groupRowChanged);
        QVERIFY(session.signal(first, SIGKILL));
        QTRY_COMPARE(groupCell(model, first, ProcessListModel::State), QStringLiteral("2 failed"));
    }

    void failedToStartSaysWhyAndStopsItsClock()
    {
        Session session;
        ProcessListModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        const int first = session.launch(pipelineRequest({{"@", "lines", "100"}, {"spawnscope-no-such-program", "7"}, {"@", "count"}}), &error);
        QVERIFY2(first, qPrintable(error));
        QTRY_VERIFY(!session.process(first + 2)->isLive());
        QTRY_VERIFY(!session.process(first)->isLive());
        QCOMPARE(cell(model, first + 1, ProcessListModel::State),
                 QStringLiteral("failed to start: spawn spawnscope-no-such-program ENOENT"));
        QCOMPARE(cell(model, first + 2, ProcessListModel::State),
                 QStringLiteral("not started: stage 2 (spawnscope-no-such-program) did not start: spawn spawnscope-no-such-program ENOENT"));
        QVERIFY(groupCell(model, first, ProcessListModel::State).contains(QStringLiteral("stage 2 (spawnscope-no-such-program) did not start")));
        QCOMPARE(cell(model, first + 1, ProcessListModel::Name), QStringLiteral("2. spawnscope-no-such-program"));
        const QString duration = cell(model, first + 1, ProcessListModel::Duration);
        QTest::qWait(1100);
        QCOMPARE(cell(model, first + 1, ProcessListModel::Duration), duration);
        // Errors read in the error colour, success does not.
        const QBrush red = model.indexOfProcess(first + 1, ProcessListModel::State).data(Qt::ForegroundRole).value<QBrush>();
        QVERIFY(red.color().red() > red.color().green());
    }

    void durationsTickOneRangePerGroup()
    {
        Session session;
        ProcessListModel model(&session);
        QString error;
        const int a = session.launch(childRequest(LaunchMode::Spawn, {"sleep", "60000"}), &error);
        const int b = session.launch(childRequest(LaunchMode::Spawn, {"exit", "0"}), &error);
        const int c = session.launch(childRequest(LaunchMode::Spawn, {"sleep", "60000"}), &error);
        QTRY_COMPARE(session.process(b)->state, ProcessInfo::State::Exited);
        QTRY_COMPARE(session.process(c)->state, ProcessInfo::State::Running);
        QSignalSpy ticks(&session, &Session::liveTick);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(ticks.wait(3000));
        // The tick's own range: rows a..c of the one group, the live columns only.
        bool found = false;
        for (const QList<QVariant> &args : changed) {
            const QModelIndex from = args.at(0).toModelIndex();
            const QModelIndex to = args.at(1).toModelIndex();
            if (from.column() == ProcessListModel::Duration && to.column() == ProcessListModel::Memory) {
                QCOMPARE(from.row(), model.indexOfProcess(a).row());
                QCOMPARE(to.row(), model.indexOfProcess(c).row());
                found = true;
            }
        }
        QVERIFY(found);
        session.signal(a, SIGKILL);
        session.signal(c, SIGKILL);
        QTRY_COMPARE(session.liveCount(), 0);
    }

    // What a process starts itself nests under its row, a grandchild under its child, with
    // state, pid, CPU and memory; gone once it ended, its lifetime stopped, never an exit code.
    // Rows are inserted as found, never by a reset.
    void descendantsNestUnderTheirProcess_data()
    {
        QTest::addColumn<int>("chains");
        QTest::addColumn<int>("depth");
        QTest::newRow("three children") << 3 << 1;
        QTest::newRow("child and grandchild") << 1 << 2;
    }
    void descendantsNestUnderTheirProcess()
    {
        QFETCH(int, chains);
        QFETCH(int, depth);
        Session session;
        ProcessListModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QString error;
        const int id = session.launch(childRequest(LaunchMode::Spawn, {"tree", QString::number(chains), QString::number(depth)}), &error);
        QVERIFY2(id, qPrintable(error));
        const QModelIndex processRow = model.indexOfProcess(id);
        QTRY_COMPARE(model.rowCount(processRow), chains);
        QModelIndex deepest = model.index(0, 0, processRow);
        for (int level = 1; level < depth; ++level) {
            QTRY_COMPARE(model.rowCount(deepest), 1);
            deepest = model.index(0, 0, deepest);
        }
        QTRY_COMPARE(deepest.siblingAtColumn(ProcessListModel::State).data().toString(), QStringLiteral("running"));
        QCOMPARE(model.rowCount(deepest), 0);
        const QList<DescendantInfo> found = session.descendants(id);
        QCOMPARE(found.size(), chains * depth);
        for (int i = 0; i < found.size(); ++i) {
            const QModelIndex row = model.indexOfDescendant(id, i);
            QVERIFY(row.isValid());
            QCOMPARE(row.data(ProcessListModel::DescendantPidRole).toLongLong(), found[i].pid);
            QVERIFY(!row.data(ProcessListModel::ProcessIdRole).isValid()); // commands act on launched processes
            QCOMPARE(row.data().toString(), QStringLiteral("spawnscope-test"));
            QCOMPARE(row.siblingAtColumn(ProcessListModel::Pid).data().toLongLong(), found[i].pid);
            QVERIFY(!row.siblingAtColumn(ProcessListModel::Started).data().toString().isEmpty());
            QCOMPARE(row.parent(), found[i].depth == 1 ? processRow.siblingAtColumn(0) : model.indexOfDescendant(id, i - 1));
        }
        QTRY_VERIFY(!model.indexOfDescendant(id, 0, ProcessListModel::Memory).data().toString().isEmpty());

        QVERIFY(session.closeStdin(id));
        QTRY_COMPARE(cell(model, id, ProcessListModel::State), QStringLiteral("exited"));
        for (int i = 0; i < found.size(); ++i) {
            QTRY_COMPARE(model.indexOfDescendant(id, i, ProcessListModel::State).data().toString(), QStringLiteral("gone"));
            QVERIFY(model.indexOfDescendant(id, i, ProcessListModel::Exit).data().toString().isEmpty());
            QVERIFY(model.indexOfDescendant(id, i, ProcessListModel::Cpu).data().toString().isEmpty());
        }
        // The lifetime is from its start to when it was first missed, whenever it is read.
        const DescendantInfo first = session.descendants(id).at(0);
        const qint64 ms = first.goneMs - first.startedMs;
        QVERIFY(ms >= 0);
        QCOMPARE(model.indexOfDescendant(id, 0, ProcessListModel::Duration).data(ProcessListModel::SortRole).toLongLong(), ms);
        QCOMPARE(model.indexOfDescendant(id, 0, ProcessListModel::Duration).data().toString(),
                 ms < 1000 ? QStringLiteral("%1 ms").arg(ms) : QStringLiteral("%1 s").arg(double(ms) / 1000, 0, 'f', 1));
        QCOMPARE(model.rowCount(processRow), chains);
        QCOMPARE(resets.count(), 0);
        QVERIFY(inserted.count() >= 2 && inserted.count() <= 2 + chains * depth); // group, process, then descendants
    }

    void headersAndRoles()
    {
        Session session;
        ProcessListModel model(&session);
        QCOMPARE(model.columnCount(), int(ProcessListModel::ColumnCount));
        QCOMPARE(model.headerData(ProcessListModel::Mode, Qt::Horizontal).toString(), QStringLiteral("Mode"));
        QCOMPARE(model.headerData(ProcessListModel::Memory, Qt::Horizontal).toString(), QStringLiteral("Memory"));
        QString error;
        const int id = session.launch(childRequest(LaunchMode::Spawn, {"out", "hello"}), &error);
        QTRY_COMPARE(session.process(id)->state, ProcessInfo::State::Exited);
        QTRY_COMPARE(model.indexOfProcess(id, ProcessListModel::Out).data(ProcessListModel::SortRole).toLongLong(), 5);
        QCOMPARE(model.indexOfProcess(id).data(ProcessListModel::ProcessIdRole).toInt(), id);
        QCOMPARE(model.indexOfProcess(id).data(ProcessListModel::GroupIdRole).toInt(), session.process(id)->group);
    }
};

QTEST_MAIN(tst_ProcessListModel)
#include "tst_processlistmodel.moc"
