#include "tracecommand.h"

#include <jsonline.h>
#include <traceline.h>

#include <abortsignal.h>
#include <osstring.h>
#include <spawnfunctions.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimer>

#include <cstdio>

using namespace Spawnscope;

namespace {

struct TraceOptions
{
    QString mode = QStringLiteral("spawn");
    QString cwd;
    QList<std::pair<QString, QString>> env;
    bool envClear = false;
    std::optional<QString> shell; // "" for --shell: /bin/sh
    QString argv0;
    bool detached = false;
    std::optional<QStringList> stdio;
    std::optional<QByteArray> input;
    int timeout = 0;
    QString killSignal;
    std::optional<qsizetype> maxBuffer;
    QList<std::pair<QString, int>> kills;
    std::optional<int> abortAfter;
    QList<QJsonValue> sends;
    bool disconnect = false;
    QString execPath;
    QString file;
    QStringList args;
};

class UsageError
{
public:
    QString message;
};

QElapsedTimer g_clock;

void print(TraceLine line)
{
    line.t = double(g_clock.nsecsElapsed()) / 1e6;
    const QByteArray text = line.toJson() + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
}

TraceLine now(TraceKind kind)
{
    return TraceLine(0, kind);
}

QByteArray errorJson(const std::optional<ProcessError> &error)
{
    return error ? JsonLine::encodeObject(error->fields()) : QByteArray("null");
}

QJsonValue textOrNull(const QByteArray &bytes, bool present)
{
    return present ? QJsonValue(QString::fromUtf8(bytes)) : QJsonValue(QJsonValue::Null);
}

QJsonValue signalOrNull(const QString &signal)
{
    return signal.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(signal);
}

int statusFrom(std::optional<int> code, const QString &signal)
{
    if (code && *code >= 0)
        return *code;
    if (!signal.isEmpty())
        return 128 + ProcessSignal(signal).number();
    return 127;
}

TraceOptions parse(const QStringList &argv)
{
    TraceOptions o;
    int i = 0;
    for (; i < argv.size(); ++i) {
        const QString a = argv[i];
        if (a == QLatin1String("--")) {
            ++i;
            break;
        }
        if (!a.startsWith(QLatin1String("--")))
            break;
        const int eq = a.indexOf(QLatin1Char('='));
        const QString key = eq > 0 ? a.left(eq) : a;
        const std::optional<QString> inlineValue = eq > 0 ? std::optional<QString>(a.mid(eq + 1)) : std::nullopt;
        auto value = [&]() -> QString {
            if (inlineValue)
                return *inlineValue;
            if (++i < argv.size())
                return argv[i];
            throw UsageError{key + QLatin1String(" needs a value")};
        };
        auto whole = [&](const QString &s) {
            static const QRegularExpression digits(QStringLiteral("^\\d+\\z"));
            if (!digits.match(s).hasMatch())
                throw UsageError{QStringLiteral("%1 takes a whole number, not '%2'").arg(key, s)};
            return s.toLongLong();
        };
        if (key == QLatin1String("--mode")) {
            o.mode = value();
        } else if (key == QLatin1String("--cwd")) {
            o.cwd = value();
        } else if (key == QLatin1String("--env")) {
            const QString s = value();
            const int e = s.indexOf(QLatin1Char('='));
            if (e <= 0)
                throw UsageError{QStringLiteral("--env takes KEY=VALUE")};
            o.env.append({s.left(e), s.mid(e + 1)});
        } else if (key == QLatin1String("--env-clear")) {
            o.envClear = true;
        } else if (key == QLatin1String("--shell")) {
            o.shell = inlineValue.value_or(QString());
        } else if (key == QLatin1String("--argv0")) {
            o.argv0 = value();
        } else if (key == QLatin1String("--detached")) {
            o.detached = true;
        } else if (key == QLatin1String("--stdio")) {
            o.stdio = value().split(QLatin1Char(','));
        } else if (key == QLatin1String("--input")) {
            o.input = OsString::encode(value()); // bytes as they were given
        } else if (key == QLatin1String("--timeout")) {
            o.timeout = int(whole(value()));
        } else if (key == QLatin1String("--kill-signal")) {
            o.killSignal = value();
        } else if (key == QLatin1String("--max-buffer")) {
            o.maxBuffer = whole(value());
        } else if (key == QLatin1String("--kill")) {
            static const QRegularExpression form(QStringLiteral("^([A-Z0-9]+)@(\\d+)\\z"));
            const auto m = form.match(value());
            if (!m.hasMatch())
                throw UsageError{QStringLiteral("--kill takes SIGNAL@MS")};
            o.kills.append({m.captured(1), m.captured(2).toInt()});
        } else if (key == QLatin1String("--abort-after")) {
            o.abortAfter = int(whole(value()));
        } else if (key == QLatin1String("--send")) {
            const QString s = value();
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson("[" + s.toUtf8() + "]", &error);
            if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
                throw UsageError{QStringLiteral("--send takes JSON, not '%1'").arg(s)};
            o.sends.append(doc.array().at(0));
        } else if (key == QLatin1String("--disconnect")) {
            o.disconnect = true;
        } else if (key == QLatin1String("--exec-path")) {
            o.execPath = value();
        } else {
            throw UsageError{QStringLiteral("unknown option ") + key};
        }
    }
    const QStringList rest = argv.mid(i);
    if (rest.isEmpty())
        throw UsageError{QStringLiteral("nothing to run: give a program after --")};
    o.file = rest.first();
    o.args = rest.mid(1);
    static const QStringList modes = {"spawn", "exec", "execFile", "fork", "spawnSync", "execSync", "execFileSync"};
    if (!modes.contains(o.mode))
        throw UsageError{QStringLiteral("unknown mode '%1'").arg(o.mode)};
    if (!o.killSignal.isEmpty() && !ProcessSignal(o.killSignal).isValid())
        throw UsageError{QStringLiteral("unknown signal '%1'").arg(o.killSignal)};
    for (const auto &[sig, ms] : o.kills) {
        if (!ProcessSignal(sig).isValid())
            throw UsageError{QStringLiteral("unknown signal '%1'").arg(sig)};
    }
    if (o.stdio) {
        for (const QString &s : *o.stdio) {
            if (!StdioMode::fromString(s))
                throw UsageError{QStringLiteral("--stdio takes pipe, ignore or inherit, not '%1'").arg(s)};
        }
    }
    return o;
}

std::optional<QProcessEnvironment> environment(const TraceOptions &o)
{
    if (!o.envClear && o.env.isEmpty())
        return std::nullopt;
    QProcessEnvironment env = o.envClear ? QProcessEnvironment() : OsString::systemEnvironment();
    for (const auto &[key, value] : o.env)
        env.insert(key, value);
    return env;
}

StdioList stdioList(const TraceOptions &o)
{
    if (!o.stdio)
        return {StdioMode::Pipe, StdioMode::Pipe, StdioMode::Pipe};
    StdioList list;
    for (const QString &s : *o.stdio)
        list.append(*StdioMode::fromString(s));
    if (list.size() == 1)
        list = {list[0], list[0], list[0]};
    return list;
}

QString shellPath(const TraceOptions &o)
{
    if (!o.shell)
        return {};
    return o.shell->isEmpty() ? QStringLiteral("/bin/sh") : *o.shell;
}

int runSync(const TraceOptions &o)
{
    SyncOptions options;
    options.cwd = o.cwd;
    options.env = environment(o);
    options.shell = shellPath(o);
    options.argv0 = o.argv0;
    options.stdio = stdioList(o);
    options.timeout = o.timeout;
    if (!o.killSignal.isEmpty())
        options.killSignal = ProcessSignal(o.killSignal);
    if (o.maxBuffer)
        options.maxBuffer = *o.maxBuffer;
    if (o.input)
        options.input = *o.input;
    SyncResult r;
    TraceLine line = now(TraceKind::Result);
    if (o.mode == QLatin1String("spawnSync")) {
        r = spawnSync(o.file, o.args, options);
        line.add(QStringLiteral("status"), r.status ? QJsonValue(*r.status) : QJsonValue(QJsonValue::Null));
        line.add(QStringLiteral("signal"), signalOrNull(r.signal));
        line.add(QStringLiteral("stdout"), textOrNull(r.standardOutput, r.hasOutput));
        line.add(QStringLiteral("stderr"), textOrNull(r.standardError, r.hasOutput));
    } else {
        r = o.mode == QLatin1String("execSync") ? execSync((QStringList{o.file} + o.args).join(QLatin1Char(' ')), options)
                                                : execFileSync(o.file, o.args, options);
        line.add(QStringLiteral("status"), r.status ? QJsonValue(*r.status) : QJsonValue(QJsonValue::Null));
        line.add(QStringLiteral("signal"), signalOrNull(r.signal));
        line.add(QStringLiteral("stdout"), textOrNull(r.standardOutput, r.hasOutput));
        // Node returns only stdout on success; the thrown error carries stderr.
        line.add(QStringLiteral("stderr"), textOrNull(r.standardError, r.hasOutput && r.error));
    }
    line.addRaw(QStringLiteral("error"), errorJson(r.error));
    print(line);
    if (r.error && !r.status && r.signal.isEmpty())
        return 127;
    return statusFrom(r.status, r.signal);
}

int runAsync(const TraceOptions &o)
{
    int status = 1;
    int pendingTimers = int(o.kills.size()) + (o.abortAfter ? 1 : 0);
    bool closed = false;
    auto maybeQuit = [&] {
        if (closed && pendingTimers == 0)
            QCoreApplication::exit(status);
    };

    AbortSignal abort;
    ChildProcess *child = nullptr;
    const bool isExec = o.mode == QLatin1String("exec") || o.mode == QLatin1String("execFile");
    if (isExec) {
        ExecOptions options;
        options.cwd = o.cwd;
        options.env = environment(o);
        options.shell = shellPath(o);
        options.timeout = o.timeout;
        if (!o.killSignal.isEmpty())
            options.killSignal = ProcessSignal(o.killSignal);
        if (o.maxBuffer)
            options.maxBuffer = *o.maxBuffer;
        if (o.abortAfter)
            options.signal = &abort;
        auto done = [&status](const ExecResult &r) {
            TraceLine line = now(TraceKind::Callback);
            line.addRaw(QStringLiteral("error"), errorJson(r.error));
            line.add(QStringLiteral("stdout"), QString::fromUtf8(r.standardOutput));
            line.add(QStringLiteral("stderr"), QString::fromUtf8(r.standardError));
            print(line);
            if (!r.error)
                status = 0;
            else if (r.error->code.isDouble())
                status = r.error->code.toInt();
            else if (r.error->signal.isString())
                status = 128 + ProcessSignal(r.error->signal.toString()).number();
            else
                status = 1;
        };
        child = o.mode == QLatin1String("exec")
                    ? exec((QStringList{o.file} + o.args).join(QLatin1Char(' ')), options, done)
                    : execFile(o.file, o.args, options, done);
    } else {
        const bool fork = o.mode == QLatin1String("fork");
        StdioList stdio = stdioList(o);
        if (fork) {
            stdio.append(StdioMode::Ipc);
            if (o.stdio && o.stdio->size() == 1)
                stdio = {stdio[0], stdio[0], stdio[0], StdioMode::Ipc};
        }
        if (fork && (!o.execPath.isEmpty() || !forkRunsProgram(o.file, o.cwd))) {
            ForkOptions options;
            options.cwd = o.cwd;
            options.env = environment(o);
            options.argv0 = o.argv0;
            options.detached = o.detached;
            options.stdio = stdio;
            options.timeout = o.timeout;
            if (!o.killSignal.isEmpty())
                options.killSignal = ProcessSignal(o.killSignal);
            if (o.abortAfter)
                options.signal = &abort;
            options.execPath = o.execPath;
            child = Spawnscope::fork(o.file, o.args, options);
        } else {
            SpawnOptions options;
            options.cwd = o.cwd;
            options.env = environment(o);
            options.shell = shellPath(o);
            options.argv0 = o.argv0;
            options.detached = o.detached;
            options.stdio = stdio;
            options.timeout = o.timeout;
            if (!o.killSignal.isEmpty())
                options.killSignal = ProcessSignal(o.killSignal);
            if (o.abortAfter)
                options.signal = &abort;
            child = spawn(o.file, o.args, options);
        }
        QObject::connect(child, &ChildProcess::stdoutData, [](const QByteArray &d) {
            print(now(TraceKind::Stdout).add(QStringLiteral("data"), QString::fromUtf8(d)));
        });
        QObject::connect(child, &ChildProcess::stderrData, [](const QByteArray &d) {
            print(now(TraceKind::Stderr).add(QStringLiteral("data"), QString::fromUtf8(d)));
        });
    }
    child->setAutoDelete(false);

    QObject::connect(child, &ChildProcess::spawned, [child] {
        print(now(TraceKind::Spawn).add(QStringLiteral("pid"), double(child->pid())));
    });
    QObject::connect(child, &ChildProcess::message, [](const QJsonValue &m) {
        print(now(TraceKind::Message).add(QStringLiteral("message"), m));
    });
    QObject::connect(child, &ChildProcess::disconnected,
                     [] { print(now(TraceKind::Disconnect)); });
    QObject::connect(child, &ChildProcess::errorOccurred, [](const ProcessError &e) {
        print(now(TraceKind::Error).addRaw(QStringLiteral("error"), errorJson(e)));
    });
    QObject::connect(child, &ChildProcess::exited, [](int code, const QString &signal) {
        print(now(TraceKind::Exit)
                  .add(QStringLiteral("code"), signal.isEmpty() ? QJsonValue(code) : QJsonValue(QJsonValue::Null))
                  .add(QStringLiteral("signal"), signalOrNull(signal)));
    });
    QObject::connect(child, &ChildProcess::closed, [&, isExec](int code, const QString &signal) {
        print(now(TraceKind::Close)
                  .add(QStringLiteral("code"), signal.isEmpty() ? QJsonValue(code) : QJsonValue(QJsonValue::Null))
                  .add(QStringLiteral("signal"), signalOrNull(signal)));
        if (!isExec)
            status = statusFrom(signal.isEmpty() ? std::optional<int>(code) : std::nullopt, signal);
        closed = true;
        maybeQuit();
    });
    QObject::connect(child, &ChildProcess::stdinError, [](const ProcessError &e) {
        print(now(TraceKind::StdinError).addRaw(QStringLiteral("error"), errorJson(e)));
    });

    if (o.input)
        child->end(*o.input);
    if (o.mode == QLatin1String("fork")) {
        for (const QJsonValue &m : o.sends)
            child->send(m);
        if (o.disconnect)
            child->disconnectChannel();
    }
    for (const auto &[sig, after] : o.kills) {
        const QString name = sig;
        QTimer::singleShot(after, [&, name, child] {
            print(now(TraceKind::Kill)
                      .add(QStringLiteral("signal"), name)
                      .add(QStringLiteral("result"), child->kill(ProcessSignal(name))));
            --pendingTimers;
            maybeQuit();
        });
    }
    if (o.abortAfter) {
        QTimer::singleShot(*o.abortAfter, [&] {
            abort.abort();
            --pendingTimers;
            maybeQuit();
        });
    }
    const int result = QCoreApplication::exec();
    delete child;
    return result;
}

} // namespace

int runTraceCommand(const QStringList &args)
{
    g_clock.start();
    TraceOptions o;
    try {
        o = parse(args);
    } catch (const UsageError &e) {
        std::fprintf(stderr, "spawnscope trace: %s\n", qPrintable(OsString::readable(e.message)));
        return 2;
    }
    if (o.mode.endsWith(QLatin1String("Sync")))
        return runSync(o);
    return runAsync(o);
}
