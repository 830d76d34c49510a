// The chart of a real batch: a bar per attempt in the slot it ran in, hit testing, the click
// signal, and a few hundred jobs painted.
#include "launchrequests.h"
#include "recorder.h"

#include <ganttview.h>

#include <batchjobsmodel.h>
#include <session.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

const QString kChild = QStringLiteral(TESTCHILD);

} // namespace

class tst_GanttView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void barsAreInTheirSlots()
    {
        QTemporaryDir dir;
        Session session;
        BatchJobsModel model(&session);
        GanttView view;
        view.setModel(&model);
        view.resize(800, 200);
        LaunchRequest r = batchRequest(QStringLiteral("%1 job {}").arg(kChild),
                                       {"ok", "fail", QStringLiteral("once=%1").arg(dir.filePath("x")), "ok", "ok", "ok"});
        r.batch.jobs = 3;
        r.batch.retries = 2;
        QString error;
        const int first = session.launch(r, &error);
        model.setGroup(session.process(first)->group);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isRunning(), 20000);
        QCOMPARE(view.sizeHint().height(), GanttView::AxisHeight + 3 * GanttView::SlotHeight + 4);
        for (const BatchJob &job : model.state()->jobs) {
            for (const BatchAttempt &a : job.attempts) {
                const QRectF bar = view.barRect(job.seq, a.number);
                QVERIFY(!bar.isNull());
                QVERIFY(bar.width() >= 3);
                QCOMPARE(int(bar.top() - GanttView::AxisHeight) / GanttView::SlotHeight, a.slot);
                QVERIFY(bar.left() >= GanttView::LabelWidth && bar.right() <= view.width());
            }
        }
        QVERIFY(view.barRect(2, 3).isNull()); // no third attempt
        QVERIFY(view.barRect(99, 1).isNull());
        QCOMPARE(view.seqAt(QPointF(1, 1)), 0);
    }

    // Once per click on a bar; none elsewhere, nor for other buttons.
    void jobClicked()
    {
        QTemporaryDir dir;
        const QString gate = dir.filePath(QStringLiteral("gate"));
        Session session;
        BatchJobsModel model(&session);
        GanttView view;
        view.setModel(&model);
        view.resize(800, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        LaunchRequest r = batchRequest(QStringLiteral("%1 job {}").arg(kChild), {"gate=" + gate, "gate=" + gate});
        r.batch.jobs = 2;
        QString error;
        const int first = session.launch(r, &error);
        model.setGroup(session.process(first)->group);
        QTRY_COMPARE(model.rowCount(), 2);
        QSignalSpy clicked(&view, &GanttView::jobClicked);
        const QPoint onFirst = view.barRect(1, 1).center().toPoint();
        QTest::mouseClick(&view, Qt::RightButton, {}, onFirst);
        QCOMPARE(clicked.size(), 0);
        QTest::mouseClick(&view, Qt::LeftButton, {}, onFirst);
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.at(0).at(0).toInt(), 1);
        QCOMPARE(view.selectedSeq(), 1);
        QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(view.width() - 2, view.height() - 2));
        QCOMPARE(clicked.size(), 1);
        QFile(gate).open(QIODevice::WriteOnly);
        QTRY_VERIFY(!model.isRunning());
    }

    void manyJobsPaint()
    {
        Session session;
        BatchJobsModel model(&session);
        GanttView view;
        view.setModel(&model);
        view.resize(1200, 300);
        QStringList inputs;
        for (int i = 1; i <= 300; ++i)
            inputs << QString::number(i);
        LaunchRequest r = batchRequest(QStringLiteral("%1 job {}").arg(kChild), inputs);
        r.batch.jobs = 8;
        QString error;
        model.setGroup(session.process(session.launch(r, &error))->group);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isRunning(), 120000);
        QCOMPARE(model.rowCount(), 300);
        const QImage image = view.grab().toImage();
        QCOMPARE(image.size(), QSize(1200, 300));
        // Bars are there in the ok colour, somewhere in the first slot.
        const QColor ok = GanttView::outcomeColor(AttemptOutcome::Ok, view.palette());
        bool found = false;
        const int y = GanttView::AxisHeight + GanttView::SlotHeight / 2;
        for (int x = GanttView::LabelWidth; x < image.width() && !found; ++x)
            found = image.pixelColor(x, y) == ok;
        QVERIFY(found);
    }
};

QTEST_MAIN(tst_GanttView)
#include "tst_ganttview.moc"
