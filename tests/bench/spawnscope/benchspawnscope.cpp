// Spawnscope's side of tests/bench/run: `bench-spawnscope WORKLOAD HELPER [COUNT]` prints
// {"value":V,"rss_kb":K}. The same workloads exist in ../raw and ../node.

#include "peakrss.h"

#include <linesplitter.h>
#include <spawnfunctions.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>


using namespace Spawnscope;

namespace {

QString g_helper;

void report(double value)
{
    std::printf("{\"value\":%.6g,\"rss_kb\":%ld}\n", value, peakRssKb());
    std::fflush(stdout);
}

// Spawns /bin/true `total` times, `width` at a time; returns spawns per second.
double spawnMany(long total, int width)
{
    long started = 0;
    long closed = 0;
    QElapsedTimer clock;
    clock.start();
    std::function<void()> startOne = [&] {
        ++started;
        ChildProcess *child = spawn(QStringLiteral("/bin/true"));
        QObject::connect(child, &ChildProcess::closed, [&](int, const QString &) {
            if (++closed == total)
                QCoreApplication::quit();
            else if (started < total)
                startOne();
        });
    };
    for (int i = 0; i < width && started < total; ++i)
        startOne();
    QCoreApplication::exec();
    return total / (clock.nsecsElapsed() / 1e9);
}

double readStdout(long long bytes)
{
    long long received = 0;
    QElapsedTimer clock;
    clock.start();
    ChildProcess *child = spawn(g_helper, {QStringLiteral("flood"), QString::number(bytes)});
    QObject::connect(child, &ChildProcess::stdoutData, [&](const QByteArray &chunk) { received += chunk.size(); });
    QObject::connect(child, &ChildProcess::closed, [] { QCoreApplication::quit(); });
    QCoreApplication::exec();
    if (received != bytes)
        std::fprintf(stderr, "short read: %lld of %lld\n", received, bytes);
    return received / (clock.nsecsElapsed() / 1e9) / double(1 << 30);
}

double execMany(long total)
{
    long done = 0;
    QElapsedTimer clock;
    clock.start();
    std::function<void()> next = [&] {
        exec(QStringLiteral("echo hi"), {}, [&](const ExecResult &r) {
            if (r.standardOutput != "hi\n")
                std::fprintf(stderr, "unexpected output\n");
            if (++done == total)
                QCoreApplication::quit();
            else
                next();
        });
    };
    next();
    QCoreApplication::exec();
    return clock.nsecsElapsed() / 1e6 / double(total);
}

// Sends `total` messages to a counting child and waits for its count; returns messages/s
// (or MB/s when `payload` is large).
double sendMany(long total, const QJsonValue &payload, bool megabytes)
{
    ChildProcess *child = Spawnscope::fork(g_helper, {QStringLiteral("ipc-count")});
    double result = 0;
    QElapsedTimer clock;
    QObject::connect(child, &ChildProcess::message, [&](const QJsonValue &m) {
        const double seconds = clock.nsecsElapsed() / 1e9;
        if (m.toObject().value(QLatin1String("count")).toDouble() != double(total))
            std::fprintf(stderr, "count mismatch\n");
        result = megabytes ? total * payload.toString().size() / 1e6 / seconds : total / seconds;
        child->send(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("exit")}, {QStringLiteral("code"), 0}});
    });
    QObject::connect(child, &ChildProcess::closed, [] { QCoreApplication::quit(); });
    clock.start();
    for (long i = 0; i < total; ++i)
        child->send(megabytes ? payload : QJsonValue(QJsonObject{{QStringLiteral("i"), double(i)}}));
    child->send(QJsonObject{{QStringLiteral("done"), true}});
    QCoreApplication::exec();
    return result;
}

double pingPong(long total)
{
    ChildProcess *child = Spawnscope::fork(g_helper, {QStringLiteral("ipc-echo")});
    long round = 0;
    QElapsedTimer clock;
    double result = 0;
    QObject::connect(child, &ChildProcess::message, [&](const QJsonValue &) {
        if (++round == total) {
            result = clock.nsecsElapsed() / 1e3 / double(total);
            child->disconnectChannel();
            return;
        }
        child->send(QJsonObject{{QStringLiteral("i"), double(round)}});
    });
    QObject::connect(child, &ChildProcess::closed, [] { QCoreApplication::quit(); });
    clock.start();
    child->send(QJsonObject{{QStringLiteral("i"), 0}});
    QCoreApplication::exec();
    return result;
}

double splitLines(long total)
{
    LineSplitter splitter;
    long lines = 0;
    QElapsedTimer clock;
    clock.start();
    ChildProcess *child = spawn(g_helper, {QStringLiteral("lines"), QString::number(total)});
    QObject::connect(child, &ChildProcess::stdoutData, [&](const QByteArray &chunk) {
        splitter.feed(chunk, [&](QByteArrayView) { ++lines; });
    });
    QObject::connect(child, &ChildProcess::closed, [] { QCoreApplication::quit(); });
    QCoreApplication::exec();
    if (lines != total)
        std::fprintf(stderr, "line count %ld of %ld\n", lines, total);
    return lines / (clock.nsecsElapsed() / 1e9) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench-spawnscope WORKLOAD HELPER [COUNT]\n");
        return 2;
    }
    const QByteArray workload = argv[1];
    g_helper = QString::fromLocal8Bit(argv[2]);
    const long long count = argc > 3 ? std::atoll(argv[3]) : 0;
    if (workload == "spawn-seq") {
        report(spawnMany(count ? count : 2000, 1));
    } else if (workload == "spawn-seq-2g") {
        const size_t size = size_t(2) << 30;
        char *ballast = static_cast<char *>(std::malloc(size));
        std::memset(ballast, 1, size); // touched, like a big GUI's heap
        report(spawnMany(count ? count : 2000, 1));
        std::free(ballast);
    } else if (workload == "spawn-par64") {
        report(spawnMany(count ? count : 2000, 64));
    } else if (workload == "stdout") {
        report(readStdout(count ? count : (2LL << 30)));
    } else if (workload == "exec") {
        report(execMany(count ? count : 500));
    } else if (workload == "fork-small") {
        report(sendMany(count ? count : 200000, QJsonValue(), false));
    } else if (workload == "pingpong") {
        report(pingPong(count ? count : 20000));
    } else if (workload == "fork-1mb") {
        report(sendMany(count ? count : 200, QString(1000 * 1000, QLatin1Char('x')), true));
    } else if (workload == "lines") {
        report(splitLines(count ? count : 5000000));
    } else {
        std::fprintf(stderr, "unknown workload %s\n", workload.constData());
        return 2;
    }
    return 0;
}
