// The output pane under a flood: `bench-pane HELPER [LINES]` opens the main window, runs
// `HELPER lines LINES` in it and prints one JSON line: lines/s reaching the pane, the event
// loop's worst and 99th-percentile lateness (a 10 ms timer measuring itself), the lines the
// pane holds at the end, and peak RSS.
#include <mainwindow.h>
#include <outputbuffer.h>
#include <outputpane.h>
#include <processlistmodel.h>
#include <session.h>

#include "peakrss.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QTextBlock>
#include <QTimer>

#include <algorithm>
#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("SpawnscopeBench"));
    const QString helper = QString::fromLocal8Bit(argv[1]);
    const qint64 lines = argc > 2 ? QByteArray(argv[2]).toLongLong() : 5000000;
    Spawnscope::Ui::MainWindow window;
    window.resize(1280, 780);
    window.show();

    QList<qint64> lateness;
    QElapsedTimer tickClock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        if (tickClock.isValid())
            lateness << qMax<qint64>(0, tickClock.nsecsElapsed() / 1000000 - 10);
        tickClock.restart();
    });

    QElapsedTimer clock;
    QTimer::singleShot(200, [&] {
        probe.start(10);
        clock.start();
        window.commandLine()->setText(QStringLiteral("%1 lines %2").arg(helper).arg(lines));
        const int id = window.runCommandBar();
        Spawnscope::OutputBuffer *buffer = window.session()->output(id);
        // Done when the child has ended and the pane has taken the last line.
        auto *poll = new QTimer(&window);
        QObject::connect(poll, &QTimer::timeout, [&, id, buffer, poll] {
            const auto *p = window.session()->process(id);
            if (p->isLive() || buffer->nextSeq() < lines)
                return;
            if (window.mergedPane()->document()->lastBlock().text() != QStringLiteral("line %1").arg(lines))
                return;
            poll->stop();
            const double seconds = double(clock.nsecsElapsed()) / 1e9;
            const double childSeconds = double(p->durationMs(QDateTime::currentDateTime())) / 1000.0;
            std::sort(lateness.begin(), lateness.end());
            const qint64 worst = lateness.isEmpty() ? 0 : lateness.last();
            const qint64 p99 = lateness.isEmpty() ? 0 : lateness[qsizetype(double(lateness.size() - 1) * 0.99)];
            const qint64 median = lateness.isEmpty() ? 0 : lateness[lateness.size() / 2];
            std::printf("{\"value\":%.6g,\"child_lines_per_s\":%.6g,\"worst_ms\":%lld,\"p99_ms\":%lld,\"median_ms\":%lld,\"samples\":%lld,\"pane_lines\":%d,\"rss_kb\":%ld}\n",
                        double(lines) / seconds, double(lines) / childSeconds, worst, p99, median, qint64(lateness.size()),
                        window.mergedPane()->shownLines(), peakRssKb());
            std::fflush(stdout);
            QApplication::exit(0);
        });
        poll->start(20);
    });
    return QApplication::exec();
}
