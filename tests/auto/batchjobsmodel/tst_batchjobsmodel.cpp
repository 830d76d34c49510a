// The job log of a real batch as a table: rows as jobs start, every column at the end, the
// counts and the ETA while it runs, and updates gathered per flush.
#include "launchrequests.h"
#include "recorder.h"

#include <batchjobsmodel.h>
#include <session.h>

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Spawnscope;

namespace {

const QString kChild = QStringLiteral(TESTCHILD);

QString cell(const BatchJobsModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

} // namespace

class tst_BatchJobsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    // Twenty jobs on three slots: the first holds its slot until the end, every fifth fails
    // twice, every fourth fails once and then succeeds.
    void aBatchWithFailuresAndRetries()
    {
        QTemporaryDir dir;
        const QString gate = dir.filePath(QStringLiteral("gate"));
        QStringList inputs{QStringLiteral("gate=") + gate};
        for (int i = 2; i <= 20; ++i) {
            if (i % 5 == 0)
                inputs << QStringLiteral("fail");
            else if (i % 4 == 0)
                inputs << QStringLiteral("once=%1/%2").arg(dir.path()).arg(i);
            else
                inputs << QStringLiteral("ok%1").arg(i);
        }
        LaunchRequest r = batchRequest(QStringLiteral("%1 job {}").arg(kChild), inputs);
        r.batch.jobs = 3;
        r.batch.retries = 2;
        Session session;
        BatchJobsModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QString error;
        const int first = session.launch(r, &error);
        QVERIFY2(first, qPrintable(error));
        const int group = session.process(first)->group;
        model.setGroup(group);
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.group(), group);
        const int rowsAtFirst = model.rowCount(); // the jobs started with the launch
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QList<qint64> progressAt;
        QElapsedTimer clock;
        clock.start();
        connect(&model, &BatchJobsModel::progressChanged, this, [&] { progressAt << clock.elapsed(); });

        // Everything but the gated job ends; that one still runs, and the ETA is there.
        QTRY_COMPARE_WITH_TIMEOUT(model.progress().done + model.progress().failed, 19, 60000);
        QVERIFY(model.isRunning());
        QCOMPARE(model.progress().running, 1);
        QCOMPARE(model.progress().queued, 0);
        QVERIFY2(model.etaMs() >= 0, qPrintable(QString::number(model.etaMs())));
        QTRY_COMPARE(model.rowCount(), 20);
        QCOMPARE(cell(model, 0, BatchJobsModel::Exit), QStringLiteral("running"));
        QCOMPARE(model.index(0, 0).data(BatchJobsModel::OutcomeRole).toInt(), int(AttemptOutcome::Running));
        QFile(gate).open(QIODevice::WriteOnly);
        QTRY_VERIFY(!model.isRunning());
        QCOMPARE(model.etaMs(), 0);
        QCOMPARE(resets.size(), 1); // rows came in batches, never as a reset
        int insertedRows = 0;
        for (const auto &args : std::as_const(inserted))
            insertedRows += args.at(2).toInt() - args.at(1).toInt() + 1;
        QCOMPARE(rowsAtFirst + insertedRows, 20);
        QCOMPARE(model.progress().done, 16);
        QCOMPARE(model.progress().failed, 4);
        QCOMPARE(model.progress().running, 0);

        // The rows, in the order the jobs started: here, input order.
        for (int row = 0; row < 20; ++row) {
            const int seq = row + 1;
            const QString input = inputs[row];
            const bool fails = seq % 5 == 0;
            const bool retried = fails || (seq % 4 == 0 && seq != 20);
            QCOMPARE(model.index(row, BatchJobsModel::Seq).data().toInt(), seq);
            QCOMPARE(model.rowOfSeq(seq), row);
            const int slot = model.index(row, BatchJobsModel::Slot).data().toInt();
            QVERIFY2(slot >= 1 && slot <= 3, qPrintable(QString::number(slot)));
            QCOMPARE(cell(model, row, BatchJobsModel::Input), input);
            QCOMPARE(model.index(row, BatchJobsModel::Attempts).data().toInt(), retried ? 2 : 1);
            QCOMPARE(cell(model, row, BatchJobsModel::Exit), fails ? QStringLiteral("3") : QStringLiteral("0"));
            QCOMPARE(model.index(row, 0).data(BatchJobsModel::OutcomeRole).toInt(), int(fails ? AttemptOutcome::Failed : AttemptOutcome::Ok));
            // The last attempt's bytes, as the job log counts them.
            QCOMPARE(model.index(row, BatchJobsModel::BytesOut).data().toLongLong(), qint64(QStringLiteral("job %1\n").arg(input).toUtf8().size()));
            QCOMPARE(model.index(row, BatchJobsModel::BytesErr).data().toLongLong(), fails ? qint64(11) : qint64(0));
            QVERIFY(!cell(model, row, BatchJobsModel::Start).isEmpty());
            QVERIFY(model.index(row, BatchJobsModel::Runtime).data(BatchJobsModel::SortRole).toLongLong() >= 0);
            const BatchJob *job = model.jobAt(row);
            QCOMPARE(job->process, model.index(row, 0).data(BatchJobsModel::ProcessIdRole).toInt());
            QCOMPARE(model.rowOfProcess(job->process), row);
            if (retried)
                QCOMPARE(job->attempts.first().outcome, AttemptOutcome::Failed);
            for (const BatchAttempt &a : job->attempts)
                QVERIFY(a.endMs >= a.startMs && a.slot >= 0 && a.slot < 3);
        }
        // The gated job ran from the start to the end, longer than any other.
        QVERIFY(model.index(0, BatchJobsModel::Runtime).data(BatchJobsModel::SortRole).toLongLong()
                >= model.index(19, BatchJobsModel::Start).data(BatchJobsModel::SortRole).toLongLong() - model.index(0, BatchJobsModel::Start).data(BatchJobsModel::SortRole).toLongLong());

        // At most one progressChanged() per flush while it ran, and one as it finished.
        QVERIFY(!progressAt.isEmpty());
        for (int i = 1; i + 1 < progressAt.size(); ++i)
            QVERIFY2(progressAt[i] - progressAt[i - 1] >= BatchJobsModel::FlushMs * 9 / 10,
                     qPrintable(QStringLiteral("%1 ms apart").arg(progressAt[i] - progressAt[i - 1])));
    }

    void outcomes_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<int>("timeoutMs");
        QTest::addColumn<QString>("exit");
        QTest::addColumn<AttemptOutcome>("outcome");
        QTest::newRow("ok") << QStringLiteral("%1 job ok") << 0 << "0" << AttemptOutcome::Ok;
        QTest::newRow("exit status") << QStringLiteral("%1 job fail") << 0 << "3" << AttemptOutcome::Failed;
        QTest::newRow("signal") << QStringLiteral("%1 crash") << 0 << "SIGSEGV" << AttemptOutcome::Killed;
        QTest::newRow("timed out") << QStringLiteral("%1 sleep 60000") << 300 << "SIGTERM (timed out)" << AttemptOutcome::TimedOut;
        QTest::newRow("not started") << QStringLiteral("spawnscope-no-such-program %1") << 0 << "did not start" << AttemptOutcome::Failed;
    }
    void outcomes()
    {
        QFETCH(QString, line);
        QFETCH(int, timeoutMs);
        QFETCH(QString, exit);
        QFETCH(AttemptOutcome, outcome);
        LaunchRequest r = batchRequest(line.arg(kChild), {QStringLiteral("x")});
        r.options.timeoutMs = timeoutMs;
        Session session;
        BatchJobsModel model(&session);
        QString error;
        const int first = session.launch(r, &error);
        QVERIFY2(first, qPrintable(error));
        model.setGroup(session.process(first)->group);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isRunning(), 20000);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(cell(model, 0, BatchJobsModel::Exit), exit);
        QCOMPARE(model.index(0, 0).data(BatchJobsModel::OutcomeRole).value<int>(), int(outcome));
        QCOMPARE(model.jobAt(0)->outcome(), outcome);
    }

    // A batch chosen after it ended has its rows at once; anything else has none.
    void setGroup_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<int>("rows");
        QTest::newRow("a finished batch") << "batch" << 3;
        QTest::newRow("a single command's group") << "command" << 0;
        QTest::newRow("no group") << "none" << 0;
    }
    void setGroup()
    {
        QFETCH(QString, what);
        QFETCH(int, rows);
        Session session;
        QString error;
        const int batch = session.launch(batchRequest(QStringLiteral("%1 job {}").arg(kChild), {"a", "b", "c"}), &error);
        const int batchGroup = session.process(batch)->group;
        QTRY_VERIFY(!session.isGroupRunning(batchGroup));
        const int command = session.launch(childRequest(LaunchMode::Spawn, {"exit", "0"}), &error);
        QTRY_VERIFY(!session.process(command)->isLive());
        BatchJobsModel model(&session);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy progress(&model, &BatchJobsModel::progressChanged);
        model.setGroup(what == QLatin1String("batch") ? batchGroup : what == QLatin1String("command") ? session.process(command)->group : 0);
        QCOMPARE(model.rowCount(), rows);
        QCOMPARE(model.isRunning(), false);
        QCOMPARE(progress.size(), rows ? 1 : 0); // a change of batch is one; no batch, none
        if (rows) {
            QCOMPARE(model.progress().done, 3);
            QCOMPARE(cell(model, 2, BatchJobsModel::Input), QStringLiteral("c"));
        }
    }
};

QTEST_GUILESS_MAIN(tst_BatchJobsModel)
#include "tst_batchjobsmodel.moc"
