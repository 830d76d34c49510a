// The timeline with 100 processes and 100,000 events, two ways; each prints one JSON line.
//   bench-timeline synthetic   100 lanes of 1,000 events and 200 output bands each: the cost of
//                              recording, then frame times (synchronous repaints of a 1600x900
//                              view) at fit-all, at 1 s and 10 ms across, and while panning and
//                              zooming through it all.
//   bench-timeline live HELPER the main window running 100 forked `HELPER ipc-burst 1000 PAUSE`
//                              (100,000 messages, so 100,000 timeline events and more) with the
//                              timeline following live: event-loop lateness (a 10 ms timer
//                              measuring itself), then frame times of the finished session.
// Environment for the live case: BENCH_PREFIX is put before each command (the run script uses
// "nice -n 15 "); BENCH_STALLS=1 prints each lateness over 50 ms with when it happened;
// BENCH_NO_TIMELINE=1 hides the timeline dock, to tell its share from the rest of the window's.
#include <mainwindow.h>
#include <processlistmodel.h>
#include <session.h>
#include <timeline.h>
#include <timelinepanel.h>
#include <timelineview.h>

#include "peakrss.h"

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QScrollBar>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMap>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

struct Frames
{
    QList<double> ms;
    QMap<QString, QList<double>> byPhase;
    QString phase;
    void add(double v)
    {
        ms << v;
        byPhase[phase] << v;
    }
    QString phases() const
    {
        QString text;
        for (auto it = byPhase.cbegin(); it != byPhase.cend(); ++it) {
            QList<double> s = it.value();
            std::sort(s.begin(), s.end());
            text += QStringLiteral(",\"%1_median_ms\":%2,\"%1_p99_ms\":%3").arg(it.key()).arg(s[s.size() / 2], 0, 'f', 3).arg(s[qsizetype(double(s.size() - 1) * 0.99)], 0, 'f', 3);
        }
        return text;
    }
    double at(double q) const
    {
        QList<double> s = ms;
        std::sort(s.begin(), s.end());
        return s.isEmpty() ? 0 : s[qsizetype(double(s.size() - 1) * q)];
    }
};

// Repaints the view synchronously at a series of views; the time of each repaint.
Frames paintFrames(TimelineView *view)
{
    Frames f;
    auto frame = [&] {
        QElapsedTimer t;
        t.start();
        view->viewport()->repaint();
        f.add(double(t.nsecsElapsed()) / 1e6);
    };
    const double end = view->timeline()->endTime();
    const int plot = view->viewport()->width() - TimelineView::LabelWidth;
    view->setFollowing(false);
    f.phase = QStringLiteral("fit");
    for (int i = 0; i < 20; ++i) {
        view->fitAll();
        frame();
    }
    for (double span : {1000.0, 10.0}) {
        f.phase = QStringLiteral("span%1").arg(span);
        for (int i = 0; i < 20; ++i) {
            view->setView(end * i / 20, span / plot);
            frame();
        }
    }
    // Panning across the whole session at 1 s per view, 40 px a frame, scrolling through lanes.
    view->setView(0, 1000.0 / plot);
    f.phase = QStringLiteral("pan");
    for (int i = 0; view->viewStart() < end && i < 2000; ++i) {
        view->setView(view->viewStart() + 40 * view->msPerPixel(), view->msPerPixel());
        if (i % 10 == 0)
            view->verticalScrollBar()->setValue((i / 10) * TimelineView::LaneHeight % (view->verticalScrollBar()->maximum() + 1));
        frame();
    }
    // Zooming from fit-all down to 1 ms across and back, a wheel step a frame.
    view->fitAll();
    f.phase = QStringLiteral("zoom");
    for (int i = 0; i < 60; ++i) {
        view->zoomBy(1.25, TimelineView::LabelWidth + plot / 2);
        frame();
    }
    for (int i = 0; i < 60; ++i) {
        view->zoomBy(0.8, TimelineView::LabelWidth + plot / 2);
        frame();
    }
    return f;
}

void print(const char *mode, qint64 events, int lanes, const Frames &f, const QString &extra)
{
    std::printf("{\"mode\":\"%s\",\"events\":%lld,\"lanes\":%d,\"frames\":%lld,\"frame_median_ms\":%.3f,\"frame_p99_ms\":%.3f,"
                "\"frame_worst_ms\":%.3f%s%s,\"rss_kb\":%ld}\n",
                mode, events, lanes, qint64(f.ms.size()), f.at(0.5), f.at(0.99), f.at(1.0), qPrintable(extra), qPrintable(f.phases()), peakRssKb());
    std::fflush(stdout);
}

int synthetic()
{
    Timeline timeline;
    TimelinePanel panel(&timeline);
    panel.resize(1600, 900);
    panel.show();
    const long rssBefore = peakRssKb();
    QElapsedTimer clock;
    clock.start();
    for (int lane = 0; lane < 100; ++lane) {
        timeline.addLane(lane + 1, QStringLiteral("worker %1").arg(lane), QStringLiteral("/usr/bin/worker --id %1").arg(lane));
        for (int i = 0; i < 1000; ++i) {
            const double t = lane * 37.0 + i * 60.0 + (i * 7919 % 13);
            const auto kind = i == 0 ? TraceKind::Spawn : i == 999 ? TraceKind::Exit : (i % 2 ? TraceKind::Message : TraceKind::Send);
            timeline.addEventAt(lane, t, kind, {{QStringLiteral("message"), QJsonObject{{QStringLiteral("i"), i}}}});
            if (i % 5 == 0)
                timeline.addOutputAt(lane, i % 10 == 0, t, t + 20, 4096);
        }
    }
    const double recordUs = double(clock.nsecsElapsed()) / 1e3 / double(timeline.eventCount());
    QApplication::processEvents();
    const Frames f = paintFrames(panel.view());
    print("synthetic", timeline.eventCount(), timeline.laneCount(), f,
          QStringLiteral(",\"record_us_per_event\":%1,\"timeline_kb\":%2").arg(recordUs, 0, 'f', 3).arg(peakRssKb() - rssBefore));
    return 0;
}

int live(const QString &helper, int processes, int messages, int pauseUs)
{
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    window.resizeDocks({window.findChild<QDockWidget *>()}, {500}, Qt::Vertical);
    if (qEnvironmentVariableIsSet("BENCH_NO_TIMELINE"))
        window.findChild<QDockWidget *>()->hide();
    QList<qint64> lateness;
    QElapsedTimer tickClock;
    QElapsedTimer clock;
    double launchMs = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        if (tickClock.isValid()) {
            lateness << qMax<qint64>(0, tickClock.nsecsElapsed() / 1000000 - 10);
            if (qEnvironmentVariableIsSet("BENCH_STALLS") && lateness.last() > 50)
                std::fprintf(stderr, "stall %lld ms at %lld ms\n", lateness.last(), clock.elapsed());
        }
        tickClock.restart();
    });
    QTimer::singleShot(200, [&] {
        probe.start(10);
        clock.start();
        window.modeBox()->setCurrentText(QStringLiteral("fork"));
        for (int i = 0; i < processes; ++i) {
            window.commandLine()->setText(qEnvironmentVariable("BENCH_PREFIX") + QStringLiteral("%1 ipc-burst %2 %3").arg(helper).arg(messages).arg(pauseUs));
            window.runCommandBar();
        }
        launchMs = double(clock.nsecsElapsed()) / 1e6;
        auto *poll = new QTimer(&window);
        QObject::connect(poll, &QTimer::timeout, [&, poll] {
            if (window.session()->liveCount() > 0)
                return;
            poll->stop();
            probe.stop();
            const double seconds = double(clock.nsecsElapsed()) / 1e9;
            Timeline *timeline = window.session()->timeline();
            std::sort(lateness.begin(), lateness.end());
            const qint64 p99 = lateness.isEmpty() ? 0 : lateness[qsizetype(double(lateness.size() - 1) * 0.99)];
            const Frames f = paintFrames(window.timelinePanel()->view());
            print("live", timeline->eventCount(), timeline->laneCount(), f,
                  QStringLiteral(",\"launch_100_ms\":%5,\"seconds\":%1,\"events_per_s\":%2,\"lateness_p99_ms\":%3,\"lateness_worst_ms\":%4")
                      .arg(seconds, 0, 'f', 2)
                      .arg(double(timeline->eventCount()) / seconds, 0, 'f', 0)
                      .arg(p99)
                      .arg(lateness.isEmpty() ? 0 : lateness.last())
                      .arg(launchMs, 0, 'f', 1));
            window.session()->stopAll(500, [] { QApplication::exit(0); });
        });
        poll->start(20);
    });
    return QApplication::exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("SpawnscopeBench"));
    const QString mode = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("synthetic");
    if (mode == QLatin1String("live") && argc > 2)
        return live(QString::fromLocal8Bit(argv[2]), 100, argc > 4 ? std::atoi(argv[4]) : 1000, argc > 3 ? std::atoi(argv[3]) : 2000);
    return synthetic();
}
