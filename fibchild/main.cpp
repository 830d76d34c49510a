// spawnscope-fib: the lesson's forked child (resources/lessons/fork-child.js) in C++, for a
// machine without node: each {"n": N} it is sent is answered with {"fib": F, "n": N}, F computed
// the slow way on purpose, as the lesson's child does; it ends when its channel closes.
#include <parentchannel.h>

#include <QCoreApplication>
#include <QJsonObject>

#include <cstdio>

namespace {

qint64 fibonacci(int n)
{
    return n <= 1 ? 1 : fibonacci(n - 1) + fibonacci(n - 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    Spawnscope::ParentChannel channel;
    if (!channel.isConnected()) {
        std::fputs("spawnscope-fib: start me with fork() (a message channel on NODE_CHANNEL_FD);\n"
                   "send {\"n\": 10} and I answer {\"fib\": 89, \"n\": 10}\n", stderr);
        return 2;
    }
    QObject::connect(&channel, &Spawnscope::ParentChannel::message, [&channel](const QJsonValue &m) {
        const int n = m.toObject().value(QStringLiteral("n")).toInt();
        channel.send(QJsonObject{{QStringLiteral("fib"), double(fibonacci(n))}, {QStringLiteral("n"), n}});
    });
    QObject::connect(&channel, &Spawnscope::ParentChannel::disconnected, &app, &QCoreApplication::quit);
    return QCoreApplication::exec();
}
