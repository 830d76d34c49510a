// The timeline view driven by synthetic wheel, mouse and key events, under offscreen.
#include <timeline.h>
#include <timelinelegend.h>
#include <timelinepanel.h>
#include <timelineview.h>

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QToolTip>
#include <QWheelEvent>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

void wheel(QWidget *w, const QPoint &at, int delta, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QWheelEvent event(at, w->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton, modifiers, Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &event);
}

// The kinds the timeline draws; fillEveryKind() puts kind k on lane k at 100 + 100 k ms.
const QList<TraceKind> kDrawn{TraceKind::Spawn, TraceKind::Message, TraceKind::Send, TraceKind::Disconnect,
                              TraceKind::Error, TraceKind::Exit,    TraceKind::Close, TraceKind::Kill};
const int KindCount = int(kDrawn.size());
const int ExitLane = int(kDrawn.indexOf(TraceKind::Exit));

// Every kind once, each on its own lane at its own time, so that markers never overlap.
void fillEveryKind(Timeline &t)
{
    int k = 0;
    for (TraceKind kind : kDrawn) {
        const int lane = t.addLane(100 + k, TimelineEvent::name(kind), {});
        QJsonObject fields;
        if (kind == TraceKind::Exit)
            fields = {{QStringLiteral("code"), 0}};
        t.addEventAt(lane, 100 + 100 * k, kind, fields);
        ++k;
    }
}

// A 1200x400 view over every kind of event.
struct Fixture
{
    Timeline timeline;
    TimelineView view;
    explicit Fixture(bool shown)
    {
        fillEveryKind(timeline);
        view.resize(1200, 400);
        view.setTimeline(&timeline);
        if (shown)
            view.show();
    }
};

} // namespace

class tst_TimelineView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // A projector's bigger text makes rows taller, so that their labels are not cut; markers
    // stay in the middle of their rows, and hit-testing follows.
    void rowsGrowWithTheText()
    {
        Fixture f(true);
        QCOMPARE(f.view.laneHeight(), TimelineView::LaneHeight);
        const double before = f.view.markerPosition(2, 0).y();
        QFont big = f.view.font();
        big.setPointSizeF(big.pointSizeF() * 2.5);
        f.view.setFont(big);
        QVERIFY(f.view.laneHeight() > TimelineView::LaneHeight);
        QVERIFY(f.view.laneHeight() >= f.view.fontMetrics().height());
        QVERIFY(f.view.axisHeight() >= f.view.fontMetrics().height());
        const QPointF after = f.view.markerPosition(2, 0);
        QCOMPARE(after.y(), double(f.view.axisHeight() + 2 * f.view.laneHeight()) + f.view.laneHeight() / 2.0);
        QVERIFY(after.y() > before);
        const auto hit = f.view.hitTest(after.toPoint());
        QVERIFY(hit);
        QCOMPARE(hit->lane, 2);
    }

    void markersForEveryKind_data()
    {
        QTest::addColumn<int>("kind");
        for (int k = 0; k < KindCount; ++k)
            QTest::newRow(qPrintable(TimelineEvent::name(kDrawn[k]))) << k;
    }
    void markersForEveryKind()
    {
        QFETCH(int, kind);
        Fixture f(false);
        Timeline &t = f.timeline;
        TimelineView &view = f.view;
        view.setFollowing(false);
        view.setView(0, 1); // 1 ms per pixel: the markers are 100 px apart
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QPointF at = view.markerPosition(kind, 0);
        QCOMPARE(at.x(), TimelineView::LabelWidth + 100.0 + 100 * kind);

        // Drawn in its colour where it is (the close bar and error cross have their colour on the centre).
        QImage image(view.viewport()->size(), QImage::Format_ARGB32);
        QPainter p(&image);
        view.render(&p, image.size(), 0);
        p.end();
        const QColor expected = TimelineView::colorOf(kDrawn[kind], t.lane(kind).events[0].fields);
        bool found = false;
        for (int dx = -4; dx <= 4 && !found; ++dx) {
            for (int dy = -4; dy <= 4 && !found; ++dy) {
                const QColor c = image.pixelColor(at.toPoint() + QPoint(dx, dy));
                found = std::abs(c.red() - expected.red()) < 8 && std::abs(c.green() - expected.green()) < 8 && std::abs(c.blue() - expected.blue()) < 8;
            }
        }
        QVERIFY2(found, "the marker's colour is not where the marker is");

        // Found by hovering there, with its details.
        const auto hit = view.hitTest(at.toPoint());
        QVERIFY(hit);
        QCOMPARE(hit->lane, kind);
        QCOMPARE(hit->event, 0);
        QVERIFY2(view.toolTipFor(*hit).contains(t.lane(kind).events[0].describe().section(QStringLiteral(" — "), 1).toHtmlEscaped()),
                 qPrintable(view.toolTipFor(*hit)));
        // Not found a little aside.
        QCOMPARE(view.hitTest(at.toPoint() + QPoint(40, 0))->event, -1);
    }

    void hoverShowsTheEventsDetails()
    {
        Fixture f(true);
        f.view.setFollowing(false);
        f.view.setView(0, 1);
        QVERIFY(QTest::qWaitForWindowExposed(&f.view));
        const QPoint at = f.view.markerPosition(ExitLane, 0).toPoint();
        QHelpEvent help(QEvent::ToolTip, at, f.view.viewport()->mapToGlobal(at));
        QApplication::sendEvent(f.view.viewport(), &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(QStringLiteral("exit, code 0")), qPrintable(QToolTip::text()));
        QVERIFY(QToolTip::text().contains(QStringLiteral("#%1 exit").arg(100 + ExitLane)));
        // Nothing there: no tip.
        const QPoint empty(TimelineView::LabelWidth + 30, at.y());
        QHelpEvent none(QEvent::ToolTip, empty, f.view.viewport()->mapToGlobal(empty));
        QApplication::sendEvent(f.view.viewport(), &none);
        QTRY_VERIFY(!QToolTip::isVisible());
    }

    void followingRestsOnceAllIsQuiet()
    {
        Timeline t;
        const int lane = t.addLane(1, QStringLiteral("p"), {});
        TimelineView view;
        view.resize(1200, 400);
        view.setTimeline(&t);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setView(0, 0.01); // 10 us a pixel: under 10 ms across
        view.setFollowing(true);
        t.addEventAt(lane, 5, TraceKind::Spawn);
        // Running: the right edge moves with the clock.
        const double now = t.now();
        QTRY_VERIFY(view.viewStart() + (view.viewport()->width() - TimelineView::LabelWidth) * 0.92 * view.msPerPixel() >= now);
        t.addEventAt(lane, 20, TraceKind::Close);
        QVERIFY(!t.anyLive());
        QTest::qWait(250); // a couple of follow ticks
        const double end = view.viewStart() + (view.viewport()->width() - TimelineView::LabelWidth) * 0.92 * view.msPerPixel();
        QVERIFY2(qAbs(end - 20) < 1e-6, qPrintable(QString::number(end))); // resting at the last event
        QVERIFY(view.markerPosition(lane, 1).x() < view.viewport()->width());
        QVERIFY(view.isFollowing());
    }

    void clickingAMarkerActivatesItsProcessOnce()
    {
        Fixture f(false);
        TimelineView &view = f.view;
        view.setView(0, 1);
        view.show();
        QSignalSpy activated(&view, &TimelineView::processActivated);
        const QPoint at = view.markerPosition(ExitLane, 0).toPoint() + QPoint(2, 1);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toInt(), 100 + ExitLane);
        QCOMPARE(activated.at(0).at(1).toDouble(), 100.0 + 100 * ExitLane); // the marker's time, not the cursor's
        // Clicking an empty stretch of a lane gives the time there.
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(TimelineView::LabelWidth + 50, at.y()));
        QCOMPARE(activated.count(), 2);
        QCOMPARE(activated.at(1).at(1).toDouble(), 50.0);
        // Below the last lane: nothing.
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(500, 395));
        QCOMPARE(activated.count(), 2);
    }

    // A descendant's sub-lane is drawn right under its parent's lane, before later lanes; its
    // markers are found there, say whose they are, and a click on one goes to the launched process.
    void subLanesAreDrawnUnderTheirParent()
    {
        Timeline timeline;
        const int parent = timeline.addLane(1, QStringLiteral("sh"), QStringLiteral("sh -c x"));
        const int later = timeline.addLane(2, QStringLiteral("ls"), QStringLiteral("ls"));
        const int sub = timeline.addSubLane(parent, 4242, QStringLiteral("sleep"), QStringLiteral("sleep 3"));
        timeline.addEventAt(parent, 50, TraceKind::Spawn, {{QStringLiteral("pid"), 4000}});
        timeline.addEventAt(later, 100, TraceKind::Spawn, {{QStringLiteral("pid"), 4001}});
        timeline.addEventAt(sub, 300, TraceKind::Appeared, {{QStringLiteral("pid"), 4242}, {QStringLiteral("ppid"), 4000}});
        timeline.addEventAt(sub, 500, TraceKind::Gone, {{QStringLiteral("pid"), 4242}});
        TimelineView view;
        view.resize(1200, 400);
        view.setTimeline(&timeline);
        view.setView(0, 1);
        view.show();
        const double rowMid = TimelineView::AxisHeight + TimelineView::LaneHeight / 2.0;
        QCOMPARE(view.markerPosition(sub, 0).y(), rowMid + TimelineView::LaneHeight);
        QCOMPARE(view.markerPosition(later, 0).y(), rowMid + 2 * TimelineView::LaneHeight);
        for (int event : {0, 1}) {
            const auto hit = view.hitTest(view.markerPosition(sub, event).toPoint());
            QVERIFY(hit);
            QCOMPARE(hit->lane, sub);
            QCOMPARE(hit->event, event);
            const QString tip = view.toolTipFor(*hit);
            QVERIFY2(tip.contains(QStringLiteral("pid 4242")) && tip.contains(QStringLiteral("started by #1")), qPrintable(tip));
        }
        QSignalSpy activated(&view, &TimelineView::processActivated);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.markerPosition(sub, 1).toPoint());
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toInt(), 1);
        // Both markers are painted in their own colours on the sub-lane's row.
        QImage image(view.viewport()->size(), QImage::Format_ARGB32);
        QPainter painter(&image);
        view.render(&painter, image.size(), 0);
        painter.end();
        for (int event : {0, 1}) {
            const QColor want = TimelineView::colorOf(timeline.lane(sub).events[size_t(event)].kind);
            const QPointF at = view.markerPosition(sub, event);
            bool found = false;
            for (int dx = -6; dx <= 6 && !found; ++dx) {
                for (int dy = -6; dy <= 6 && !found; ++dy)
                    found = image.pixelColor(int(at.x()) + dx, int(at.y()) + dy) == want;
            }
            QVERIFY2(found, qPrintable(TimelineEvent::name(timeline.lane(sub).events[size_t(event)].kind)));
        }
    }

    void wheelZoomsAroundTheCursor_data()
    {
        QTest::addColumn<int>("delta");
        QTest::addColumn<double>("factor");
        QTest::newRow("in") << 120 << 1.25;
        QTest::newRow("in twice as far") << 240 << 1.5625;
        QTest::newRow("out") << -120 << 0.8;
    }
    void wheelZoomsAroundTheCursor()
    {
        QFETCH(int, delta);
        QFETCH(double, factor);
        Fixture f(false);
        TimelineView &view = f.view;
        view.setFollowing(false); // while following, the live end keeps its place instead
        view.setView(1000, 2);
        QSignalSpy changed(&view, &TimelineView::viewChanged);
        const QPoint at(TimelineView::LabelWidth + 300, 60);
        const double before = view.viewStart() + 300 * view.msPerPixel();
        wheel(view.viewport(), at, delta);
        QCOMPARE(changed.count(), 1);
        QVERIFY(qAbs(view.msPerPixel() - 2 / factor) < 1e-9);
        QVERIFY(qAbs(view.viewStart() + 300 * view.msPerPixel() - before) < 1e-9); // the same moment under the cursor
    }

    void shiftWheelScrollsTheLanes()
    {
        Timeline t;
        for (int i = 0; i < 100; ++i)
            t.addLane(i + 1, QStringLiteral("p%1").arg(i), {});
        TimelineView view;
        view.resize(800, 300);
        view.setTimeline(&t);
        view.show();
        QCOMPARE(view.verticalScrollBar()->maximum(), 100 * TimelineView::LaneHeight - (view.viewport()->height() - TimelineView::AxisHeight));
        const double scale = view.msPerPixel();
        wheel(view.viewport(), QPoint(400, 100), -120, Qt::ShiftModifier);
        QCOMPARE(view.verticalScrollBar()->value(), 3 * TimelineView::LaneHeight);
        QCOMPARE(view.msPerPixel(), scale);
        QCOMPARE(view.hitTest(QPoint(400, TimelineView::AxisHeight + 1))->lane, 3);
    }

    void dragPansAndStopsFollowing()
    {
        Fixture f(true);
        TimelineView &view = f.view;
        QVERIFY(view.isFollowing()); // a live timeline follows from the start
        QSignalSpy following(&view, &TimelineView::followingChanged);
        QSignalSpy activated(&view, &TimelineView::processActivated);
        view.setView(500, 2);
        const double start = view.viewStart();
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, QPoint(600, 60));
        QTest::mouseMove(view.viewport(), QPoint(580, 60));
        QTest::mouseMove(view.viewport(), QPoint(500, 60));
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, QPoint(500, 60));
        QCOMPARE(view.viewStart(), start + 100 * 2);
        QCOMPARE(following.count(), 1);
        QCOMPARE(following.at(0).at(0).toBool(), false);
        QVERIFY(!view.isFollowing());
        QCOMPARE(activated.count(), 0); // a drag is not a click
    }

    void keys()
    {
        Fixture f(true);
        TimelineView &view = f.view;
        view.setFollowing(false);
        view.setView(0, 4);
        QTest::keyClick(&view, Qt::Key_Plus);
        QCOMPARE(view.msPerPixel(), 2.0);
        QTest::keyClick(&view, Qt::Key_Minus);
        QTest::keyClick(&view, Qt::Key_Minus);
        QCOMPARE(view.msPerPixel(), 8.0);
        QTest::keyClick(&view, Qt::Key_0); // fit all: the last event sits inside the plot
        const double lastX = view.markerPosition(KindCount - 1, 0).x();
        QVERIFY(lastX > view.viewport()->width() - 40 && lastX < view.viewport()->width());
        QVERIFY(view.markerPosition(0, 0).x() > TimelineView::LabelWidth);
        QTest::keyClick(&view, Qt::Key_F);
        QVERIFY(view.isFollowing());
        QTest::keyClick(&view, Qt::Key_Left);
        QVERIFY(!view.isFollowing());
    }

    void anImportedTimelineDoesNotFollow()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"t":0,"process":1,"name":"a","event":"spawn","pid":1})" "\n" R"({"t":900,"process":1,"event":"exit","code":0,"signal":null})" "\n");
        file.close();
        QString error;
        QWidget *window = TimelinePanel::openTrace(path, &error);
        QVERIFY2(window, qPrintable(error));
        auto *panel = qobject_cast<TimelinePanel *>(window);
        QVERIFY(!panel->view()->isFollowing());
        QVERIFY(panel->followButton()->isHidden());
        QCOMPARE(panel->view()->timeline()->eventCount(), 2);
        QVERIFY(window->windowTitle().startsWith(QStringLiteral("t.jsonl")));
        // Opened fitted, once it has its size: the first and the last event in view.
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        TimelineView *view = panel->view();
        const int width = view->viewport()->width();
        for (int event : {0, 1}) {
            const double x = view->markerPosition(0, event).x();
            QVERIFY2(x > TimelineView::LabelWidth && x < width, qPrintable(QStringLiteral("event %1 at x %2 of %3").arg(event).arg(x).arg(width)));
        }
        QVERIFY(!view->timeline()->isRecording()); // so no live line is drawn
        delete window;

        QFile bad(dir.filePath(QStringLiteral("bad.jsonl")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"t\":1,\"event\":\"spawn\"}\nnot json\n");
        bad.close();
        QVERIFY(!TimelinePanel::openTrace(bad.fileName(), &error));
        QVERIFY2(error.startsWith(QStringLiteral("line 2: not JSON")), qPrintable(error));
        QVERIFY(!TimelinePanel::openTrace(dir.filePath(QStringLiteral("missing.jsonl")), &error));
        QVERIFY(!error.isEmpty());
    }

    void exportsPngSvgAndJsonLines()
    {
        Timeline t;
        fillEveryKind(t);
        t.addOutputAt(0, false, 100, 400, 4096);
        t.addOutputAt(1, true, 150, 250, 10);
        TimelinePanel panel(&t);
        panel.resize(1200, 400);
        panel.show();
        QTemporaryDir dir;
        QString error;
        const QString png = dir.filePath(QStringLiteral("t.png"));
        QVERIFY2(panel.exportTo(png, &error), qPrintable(error));
        const QImage image(png);
        QCOMPARE(image.size(), panel.view()->exportSize());
        const int legend = TimelineLegend::sizeFor(panel.fontMetrics()).height();
        QCOMPARE(image.height(), legend + TimelineView::AxisHeight + KindCount * TimelineView::LaneHeight); // the legend, every lane
        QVERIFY(image.width() >= 1200);
        const QString svg = dir.filePath(QStringLiteral("t.svg"));
        QVERIFY2(panel.exportTo(svg, &error), qPrintable(error));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.contains("Spawnscope timeline"));
        const QString jsonl = dir.filePath(QStringLiteral("t.jsonl"));
        QVERIFY2(panel.exportTo(jsonl, &error), qPrintable(error));
        QFile jsonlFile(jsonl);
        QVERIFY(jsonlFile.open(QIODevice::ReadOnly));
        QCOMPARE(jsonlFile.readAll().count('\n'), KindCount + 2);
        QVERIFY(!panel.exportTo(dir.filePath(QStringLiteral("no/such/dir/t.jsonl")), &error));
        QVERIFY(!error.isEmpty());
    }

    // An export shows the whole session whatever the view shows (following, an empty strip of
    // the live end), unless the visible part is asked for.
    void exportShowsTheWholeSession()
    {
        Timeline t;
        fillEveryKind(t);
        TimelineView view;
        view.setTimeline(&t);
        view.resize(900, 400);
        view.show();
        view.setView(5000, 1); // far past every event
        QTemporaryDir dir;
        QString error;
        const QString whole = dir.filePath(QStringLiteral("whole.png"));
        const QString part = dir.filePath(QStringLiteral("part.png"));
        QVERIFY2(view.exportPng(whole, &error), qPrintable(error));
        QVERIFY2(view.exportPng(part, &error, TimelineView::ExportSpan::VisiblePart), qPrintable(error));
        const int legend = TimelineLegend::sizeFor(view.fontMetrics()).height();
        // In every lane's plot, a marker is drawn in the whole picture and none in the part (the
        // markers are the coloured or dark pixels; grid and life lines are light grey).
        auto inked = [&](const QImage &image, int lane) {
            const int y = legend + TimelineView::AxisHeight + lane * TimelineView::LaneHeight + TimelineView::LaneHeight / 2;
            int count = 0;
            for (int x = TimelineView::LabelWidth + 2; x < image.width() - 2; ++x)
                count += QColor(image.pixel(x, y)).hsvSaturation() > 80 || QColor(image.pixel(x, y)).lightness() < 0x90;
            return count;
        };
        const QImage wholeImage(whole);
        const QImage partImage(part);
        for (int lane = 0; lane < KindCount; ++lane) {
            QVERIFY2(inked(wholeImage, lane) >= 2, qPrintable(QStringLiteral("lane %1").arg(lane)));
            QCOMPARE(inked(partImage, lane), 0);
        }
        // A picture has no live line (the spawn marker on lane 0 is the only thing that green).
        const QRgb liveGreen = QColor(0x2e, 0x9d, 0x4f).rgb();
        for (int y = legend + TimelineView::AxisHeight + TimelineView::LaneHeight; y < wholeImage.height(); ++y) {
            for (int x = TimelineView::LabelWidth; x < wholeImage.width(); ++x)
                QVERIFY2(wholeImage.pixel(x, y) != liveGreen, qPrintable(QStringLiteral("a live line at x %1").arg(x)));
        }
    }

    void theAxisKeepsOneUnit_data()
    {
        QTest::addColumn<double>("msPerPixel");
        QTest::addColumn<double>("step");
        QTest::addColumn<QString>("unit");
        QTest::newRow("microseconds") << 0.001 << 0.1 << "ms";
        QTest::newRow("milliseconds") << 1.0 << 100.0 << "ms";
        QTest::newRow("a second") << 10.0 << 1000.0 << "s";
        QTest::newRow("seconds") << 100.0 << 10000.0 << "s";
        QTest::newRow("minutes") << 1000.0 << 120000.0 << "min";
        QTest::newRow("an hour") << 40000.0 << 3600000.0 << "h";
        QTest::newRow("days") << 1e6 << 48 * 3600000.0 << "h";
    }
    void theAxisKeepsOneUnit()
    {
        QFETCH(double, msPerPixel);
        QFETCH(double, step);
        QFETCH(QString, unit);
        const TimelineView::Axis axis = TimelineView::axisFor(msPerPixel);
        QCOMPARE(axis.step, step);
        QCOMPARE(axis.unitName, unit);
        QVERIFY(axis.step >= 90 * msPerPixel);
        // Ten ticks in a row: one unit, round numbers, evenly apart.
        for (int k = 0; k < 10; ++k) {
            const QString label = TimelineView::tickLabel(k * axis.step, axis);
            QVERIFY2(label.endsWith(QLatin1Char(' ') + unit), qPrintable(label));
            QCOMPARE(label.section(QLatin1Char(' '), 0, 0).toDouble(), k * axis.step / axis.unit);
        }
    }

    void manyEventsPaintWithoutLoss()
    {
        // 100 lanes, 100,000 events: painting every zoom level touches only what is visible
        // (timed by the bench target, not here), and nothing is dropped from the data.
        Timeline t;
        for (int lane = 0; lane < 100; ++lane) {
            t.addLane(lane + 1, QStringLiteral("p%1").arg(lane), {});
            for (int i = 0; i < 1000; ++i)
                t.addEventAt(lane, i * 10.0 + lane, kDrawn[i % KindCount]);
        }
        QCOMPARE(t.eventCount(), 100000);
        TimelineView view;
        view.resize(1200, 700);
        view.setTimeline(&t);
        view.setFollowing(false);
        QImage image(view.viewport()->size(), QImage::Format_ARGB32);
        for (double scale : {20.0, 1.0, 0.01}) {
            view.setView(5000, scale);
            QPainter p(&image);
            view.render(&p, image.size(), 40 * TimelineView::LaneHeight);
        }
        const auto hit = view.hitTest(view.markerPosition(45, 500).toPoint());
        QVERIFY(hit);
        QCOMPARE(hit->lane, 45);
        QCOMPARE(hit->event, 500);
    }

    void legendHasRoomForEveryEntry()
    {
        TimelineLegend legend;
        QVERIFY(legend.sizeHint().width() > 9 * 30);
        QVERIFY(legend.sizeHint().height() >= legend.fontMetrics().height());
    }
};

QTEST_MAIN(tst_TimelineView)
#include "tst_timelineview.moc"
