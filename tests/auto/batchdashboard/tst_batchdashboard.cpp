// The dashboard of a real batch, offscreen: its texts and counts as it runs and at the end, a
// click on a bar, and Stop and Halt as a user presses them.
#include "launchrequests.h"
#include "recorder.h"

#include <batchdashboard.h>
#include <ganttview.h>

#include <batchjobsmodel.h>
#include <session.h>

#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

const QString kChild = QStringLiteral(TESTCHILD);

struct Fixture
{
    Session session;
    BatchDashboard dashboard{&session};
    int group = 0;

    bool show()
    {
        dashboard.resize(900, 500);
        dashboard.show();
        return QTest::qWaitForWindowExposed(&dashboard);
    }

    int launch(const QStringList &inputs, int jobs)
    {
        LaunchRequest r = batchRequest(QStringLiteral("%1 job {}").arg(kChild), inputs);
        r.batch.jobs = jobs;
        QString error;
        const int first = session.launch(r, &error);
        if (!first)
            return 0;
        group = session.process(first)->group;
        dashboard.setGroup(group);
        return first;
    }
};

} // namespace

class tst_BatchDashboard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void progressWhileRunningAndAtTheEnd()
    {
        QTemporaryDir dir;
        const QString gate = dir.filePath(QStringLiteral("gate"));
        Fixture f;
        QVERIFY(f.show());
        QStringList inputs{QStringLiteral("gate=") + gate};
        for (int i = 2; i <= 10; ++i)
            inputs << (i % 4 == 0 ? QStringLiteral("fail") : QStringLiteral("ok%1").arg(i));
        QVERIFY(f.launch(inputs, 2));
        QVERIFY(f.dashboard.titleLabel()->text().startsWith(QStringLiteral("Batch: ")));
        QCOMPARE(f.dashboard.titleLabel()->toolTip(), f.session.group(f.group)->title);
        QVERIFY(f.dashboard.stopButton()->isEnabled());
        QVERIFY(f.dashboard.haltButton()->isEnabled());
        // All but the gated job end; it still runs, and there is an ETA.
        QTRY_COMPARE_WITH_TIMEOUT(f.dashboard.countsLabel()->text(), QStringLiteral("7 done · 2 failed · 1 running · 0 queued"), 30000);
        QVERIFY2(f.dashboard.etaLabel()->text().startsWith(QStringLiteral("ETA ")) && f.dashboard.etaLabel()->text() != QStringLiteral("ETA –"),
                 qPrintable(f.dashboard.etaLabel()->text()));
        QCOMPARE(f.dashboard.progressBar()->value(), 9);
        QCOMPARE(f.dashboard.progressBar()->maximum(), 10);
        QFile(gate).open(QIODevice::WriteOnly);
        QTRY_COMPARE(f.dashboard.countsLabel()->text(), QStringLiteral("8 done · 2 failed · 0 running · 0 queued"));
        QTRY_VERIFY(f.dashboard.etaLabel()->text().startsWith(QStringLiteral("finished in ")));
        QCOMPARE(f.dashboard.progressBar()->value(), 10);
        QCOMPARE(f.dashboard.progressBar()->text(), QStringLiteral("10 of 10 ended"));
        QVERIFY(!f.dashboard.stopButton()->isEnabled());
        QVERIFY(!f.dashboard.haltButton()->isEnabled());
        QTRY_COMPARE(f.dashboard.jobTable()->model()->rowCount(), 10);
    }

    // A synthetic click on a job's bar makes it the current job and asks for its process.
    void aClickOnABarSelectsItsJob()
    {
        QTemporaryDir dir;
        const QString gate = dir.filePath(QStringLiteral("gate"));
        Fixture f;
        QVERIFY(f.show());
        const QString held = QStringLiteral("gate=") + gate;
        QVERIFY(f.launch({held, held, held}, 3));
        QTRY_COMPARE(f.dashboard.model()->rowCount(), 3);
        QSignalSpy activated(&f.dashboard, &BatchDashboard::processActivated);
        GanttView *gantt = f.dashboard.ganttView();
        const BatchJob *second = f.dashboard.model()->state()->job(2);
        const QRectF bar = gantt->barRect(2, 1);
        QVERIFY(!bar.isNull());
        QCOMPARE(gantt->seqAt(bar.center()), 2);
        QTest::mouseClick(gantt, Qt::LeftButton, {}, bar.center().toPoint());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).toInt(), second->process);
        QCOMPARE(gantt->selectedSeq(), 2);
        QCOMPARE(f.dashboard.jobTable()->currentIndex().siblingAtColumn(BatchJobsModel::Seq).data().toInt(), 2);
        // Nowhere near a bar: nothing.
        QTest::mouseClick(gantt, Qt::LeftButton, {}, QPoint(2, gantt->height() - 2));
        QCOMPARE(activated.size(), 1);
        // A row of the job log chosen by the user does the same, and marks the job's bars.
        QTableView *table = f.dashboard.jobTable();
        const QModelIndex third = table->model()->index(2, BatchJobsModel::Input);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(third).center());
        QCOMPARE(activated.size(), 2);
        QCOMPARE(activated.at(1).at(0).toInt(), f.dashboard.model()->state()->job(3)->process);
        QCOMPARE(gantt->selectedSeq(), 3);
        // The window following a selection of its own asks for nothing.
        f.dashboard.setCurrentProcess(second->process);
        QCOMPARE(gantt->selectedSeq(), 2);
        QCOMPARE(activated.size(), 2);
        QFile(gate).open(QIODevice::WriteOnly);
        QTRY_VERIFY(!f.dashboard.model()->isRunning());
    }

    void stopAndHalt_data()
    {
        QTest::addColumn<QString>("button");
        QTest::addColumn<QString>("counts");
        QTest::addColumn<AttemptOutcome>("outcome");
        QTest::newRow("stop") << "stop" << "0 done · 2 failed · 0 running · 0 queued · 3 skipped" << AttemptOutcome::Killed;
        QTest::newRow("halt") << "halt" << "2 done · 0 failed · 0 running · 0 queued · 3 skipped" << AttemptOutcome::Ok;
    }
    void stopAndHalt()
    {
        QFETCH(QString, button);
        QFETCH(QString, counts);
        QFETCH(AttemptOutcome, outcome);
        QTemporaryDir dir;
        const QString gate = dir.filePath(QStringLiteral("gate"));
        Fixture f;
        QVERIFY(f.show());
        const QString held = QStringLiteral("gate=") + gate;
        QVERIFY(f.launch({held, held, held, held, held}, 2));
        QTRY_COMPARE(f.dashboard.countsLabel()->text(), QStringLiteral("0 done · 0 failed · 2 running · 3 queued"));
        QCOMPARE(f.dashboard.etaLabel()->text(), QStringLiteral("ETA –"));
        if (button == QLatin1String("stop")) {
            QTest::mouseClick(f.dashboard.stopButton(), Qt::LeftButton);
        } else {
            QTest::mouseClick(f.dashboard.haltButton(), Qt::LeftButton);
            // Running jobs go on; nothing else starts.
            QCOMPARE(f.dashboard.etaLabel()->text(), QStringLiteral("halting"));
            QVERIFY(!f.dashboard.haltButton()->isEnabled());
            QVERIFY(f.dashboard.stopButton()->isEnabled());
            QTRY_COMPARE(f.dashboard.countsLabel()->text(), QStringLiteral("0 done · 0 failed · 2 running · 0 queued · 3 skipped"));
            QFile(gate).open(QIODevice::WriteOnly);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!f.dashboard.model()->isRunning(), 20000);
        QCOMPARE(f.dashboard.countsLabel()->text(), counts);
        QCOMPARE(f.dashboard.model()->rowCount(), 2);
        for (int row = 0; row < 2; ++row)
            QCOMPARE(f.dashboard.model()->jobAt(row)->outcome(), outcome);
        QVERIFY(!f.dashboard.stopButton()->isEnabled());
        QVERIFY(!f.dashboard.haltButton()->isEnabled());
    }

    void durationText_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("nothing") << qint64(0) << "0:00";
        QTest::newRow("a moment rounds up") << qint64(1) << "0:01";
        QTest::newRow("minutes") << qint64(62000) << "1:02";
        QTest::newRow("hours") << qint64(3723000) << "1:02:03";
    }
    void durationText()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(BatchDashboard::durationText(ms), text);
    }
};

QTEST_MAIN(tst_BatchDashboard)
#include "tst_batchdashboard.moc"
