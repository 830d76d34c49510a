// spawn, exec and fork through the installed library, each checked; exit 0 when all held.
// Forked with --child, it is its own child on the message channel.
// Every header comes from the installed include/spawnscope/, nothing from the source tree.
#include <spawnscope/spawnfunctions.h>
#include <spawnscope/parentchannel.h>

#include <QCoreApplication>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>

using namespace Spawnscope;

namespace {

int failures = 0;

void check(bool ok, const char *what)
{
    std::printf("%s %s\n", ok ? "ok" : "FAILED", what);
    failures += ok ? 0 : 1;
}

int child(QCoreApplication &app)
{
    ParentChannel channel;
    QObject::connect(&channel, &ParentChannel::message, &app, [&](const QJsonValue &m) {
        channel.send(QJsonObject{{"twice", m.toObject().value("n").toInt() * 2}});
    });
    QObject::connect(&channel, &ParentChannel::disconnected, &app, [] { QCoreApplication::exit(0); });
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (app.arguments().contains(QStringLiteral("--child")))
        return child(app);

    const SyncResult sync = spawnSync(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("printf 'a\\nb\\n' | wc -l")});
    check(sync.status == 0 && sync.standardOutput.trimmed() == "2", "spawnSync sh -c 'printf ... | wc -l' says 2");

    int pending = 3;
    auto done = [&] {
        if (--pending == 0)
            QCoreApplication::exit(failures);
    };
    ChildProcess *echo = spawn(QStringLiteral("echo"), {QStringLiteral("hello")});
    auto out = std::make_shared<QByteArray>();
    QObject::connect(echo, &ChildProcess::stdoutData, &app, [out](const QByteArray &d) { *out += d; });
    QObject::connect(echo, &ChildProcess::closed, &app, [&, out](int code, const QString &) {
        check(code == 0 && *out == "hello\n", "spawn echo hello: its output, then close with 0");
        done();
    });
    exec(QStringLiteral("echo $((6 * 7))"), {}, [&](const ExecResult &r) {
        check(!r.error && r.standardOutput == "42\n", "exec 'echo $((6 * 7))' through the shell says 42");
        done();
    });
    // An executable that is not a .js module is forked as the program itself, with the channel.
    ChildProcess *forked = fork(QCoreApplication::applicationFilePath(), {QStringLiteral("--child")});
    QObject::connect(forked, &ChildProcess::message, &app, [&, forked](const QJsonValue &m) {
        check(m.toObject().value("twice").toInt() == 42, "fork: the child answers a message");
        forked->disconnectChannel();
    });
    QObject::connect(forked, &ChildProcess::closed, &app, [&](int code, const QString &) {
        check(code == 0, "fork: the child ends once disconnected");
        done();
    });
    forked->send(QJsonObject{{"n", 21}});
    QTimer::singleShot(30000, &app, [] {
        std::printf("FAILED: timed out\n");
        QCoreApplication::exit(1);
    });
    return app.exec();
}
