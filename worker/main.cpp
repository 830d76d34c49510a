// spawnscope-worker: a forked worker for `spawnscope batch --worker` and WorkerPool. It reads
// {"id", "op", "input"[, "output", "timeout"]} messages and answers each with
// {"id", "ok": true, "result": {...}} or {"id", "ok": false, "error": "..."}, one job at a time,
// until the channel closes. Run by hand, `spawnscope-worker OP INPUT` does one job and prints
// its answer.
#include "fetcher.h"
#include "fileops.h"

#include <osstring.h>
#include <parentchannel.h>

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <functional>

namespace {

constexpr int DefaultFetchTimeoutMs = 30000;       // of silence
constexpr int DefaultFetchDeadlineMs = 3600 * 1000; // in all

using Reply = std::function<void(const QJsonObject &)>;

const QStringList kOps{QStringLiteral("hash"),  QStringLiteral("count"), QStringLiteral("gzip"),  QStringLiteral("upper"),
                       QStringLiteral("fetch"), QStringLiteral("noop"),  QStringLiteral("sleep"), QStringLiteral("fail")};

void runJob(Fetcher &fetcher, const QJsonObject &job, const Reply &reply)
{
    const QJsonValue id = job.value(QStringLiteral("id"));
    const QString op = job.value(QStringLiteral("op")).toString();
    const QString input = job.value(QStringLiteral("input")).toString();
    auto answer = [id, reply](const QJsonObject &result, const QString &error) {
        QJsonObject out{{QStringLiteral("id"), id}, {QStringLiteral("ok"), error.isEmpty()}};
        if (error.isEmpty())
            out.insert(QStringLiteral("result"), result);
        else
            out.insert(QStringLiteral("error"), error);
        reply(out);
    };
    QString error;
    if (op == QLatin1String("hash")) {
        const QJsonObject r = FileOps::hash(input, &error);
        answer(r, error);
    } else if (op == QLatin1String("count")) {
        const QJsonObject r = FileOps::count(input, &error);
        answer(r, error);
    } else if (op == QLatin1String("gzip")) {
        const QJsonObject r = FileOps::gzip(input, &error);
        answer(r, error);
    } else if (op == QLatin1String("upper")) {
        const QJsonObject r = FileOps::upper(input, &error);
        answer(r, error);
    } else if (op == QLatin1String("fetch")) {
        // A timeout the job gives bounds the whole fetch, as one expects of it, not only silence.
        const QJsonValue given = job.value(QStringLiteral("timeout"));
        const int timeout = given.toInt(DefaultFetchTimeoutMs);
        if (!given.isUndefined() && (!given.isDouble() || timeout <= 0)) {
            answer({}, QStringLiteral("fetch: timeout must be a number of milliseconds above 0"));
            return;
        }
        const int deadline = given.isUndefined() ? DefaultFetchDeadlineMs : timeout;
        fetcher.fetch(input, job.value(QStringLiteral("output")).toString(), timeout, deadline, answer);
    } else if (op == QLatin1String("noop")) {
        answer({{QStringLiteral("input"), input}}, {});
    } else if (op == QLatin1String("sleep")) {
        QTimer::singleShot(input.toInt(), qApp, [answer] { answer({}, {}); });
    } else if (op == QLatin1String("fail")) {
        answer({}, input.isEmpty() ? QStringLiteral("failed on purpose") : input);
    } else {
        answer({}, QStringLiteral("unknown op \"%1\" (%2)").arg(op, kOps.join(QStringLiteral(", "))));
    }
}

} // namespace

int main(int argc, char *argv[])
{
    Fetcher::initialize();
    QCoreApplication app(argc, argv);
    Spawnscope::ParentChannel channel;
    Fetcher fetcher;
    if (!channel.isConnected()) {
        // Names are bytes, which need not be UTF-8: kept as they came (OsString).
        const QStringList args = Spawnscope::OsString::arguments(argc, argv).mid(1);
        if (args == QStringList{QStringLiteral("--ops")}) {
            for (const QString &op : kOps)
                std::printf("%s\n", qPrintable(op));
            return 0;
        }
        if (args.size() < 2 || args.size() % 2) {
            std::fputs("usage: spawnscope-worker OP INPUT [--timeout MS] [--output FILE]\n"
                       "       spawnscope-worker --ops    (lists the operations)\n"
                       "       (or forked with a message channel by spawnscope batch --worker)\n", stderr);
            return 2;
        }
        QJsonObject job{{QStringLiteral("id"), 1}, {QStringLiteral("op"), args[0]}, {QStringLiteral("input"), args[1]}};
        for (int i = 2; i + 1 < args.size(); i += 2) {
            if (args[i] == QLatin1String("--timeout"))
                job.insert(QStringLiteral("timeout"), args[i + 1].toInt());
            else if (args[i] == QLatin1String("--output"))
                job.insert(QStringLiteral("output"), args[i + 1]);
        }
        // From inside the event loop: a synchronous job's exit() must not come before exec().
        QTimer::singleShot(0, &app, [&fetcher, job] {
            runJob(fetcher, job, [](const QJsonObject &answer) {
                std::printf("%s\n", QJsonDocument(answer).toJson(QJsonDocument::Compact).constData());
                std::fflush(stdout);
                QCoreApplication::exit(answer.value(QStringLiteral("ok")).toBool() ? 0 : 1);
            });
        });
        return QCoreApplication::exec();
    }

    // One job at a time: the pool sends the next only after the answer, but a parent that does
    // not wait is served in order all the same.
    QList<QJsonObject> pending;
    bool busy = false;
    std::function<void()> next = [&] {
        if (busy || pending.isEmpty())
            return;
        busy = true;
        runJob(fetcher, pending.takeFirst(), [&](const QJsonObject &answer) {
            channel.send(answer);
            busy = false;
            QTimer::singleShot(0, qApp, next);
        });
    };
    QObject::connect(&channel, &Spawnscope::ParentChannel::message, &app, [&](const QJsonValue &m) {
        if (!m.isObject()) {
            channel.send(QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("error"), QStringLiteral("a job must be a JSON object")}});
            return;
        }
        pending.append(m.toObject());
        next();
    });
    QObject::connect(&channel, &Spawnscope::ParentChannel::disconnected, &app, [] {
        // Whatever job still runs is abandoned: the parent no longer listens.
        QCoreApplication::exit(0);
    });
    QObject::connect(&channel, &Spawnscope::ParentChannel::errorOccurred, &app, [](const Spawnscope::ProcessError &e) {
        std::fprintf(stderr, "spawnscope-worker: %s\n", qPrintable(e.message));
    });
    return QCoreApplication::exec();
}
