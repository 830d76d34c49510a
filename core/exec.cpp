#include "spawnfunctions.h"

#include "childprocess_p.h"
#include "nodeerrors_p.h"

#include <QTimer>

namespace Spawnscope {

namespace {

// Node's execFile(): collects both streams up to maxBuffer and calls back exactly once.
class ExecCollector : public QObject
{
public:
    ExecCollector(ChildProcess *child, const QString &cmd, const ExecOptions &options, ExecCallback callback)
        : QObject(child), m_child(child), m_cmd(cmd), m_options(options), m_callback(std::move(callback))
    {
        // Connected before the caller can connect anything: the callback runs before the
        // caller's own closed() and errorOccurred() slots, as Node's listeners do.
        connect(child, &ChildProcess::stdoutData, this, [this](const QByteArray &chunk) { collect(0, chunk); });
        connect(child, &ChildProcess::stderrData, this, [this](const QByteArray &chunk) { collect(1, chunk); });
        connect(child, &ChildProcess::errorOccurred, this, [this](const ProcessError &error) {
            m_error = error;
            destroyOutput();
            finish(0, QString());
        });
        connect(child, &ChildProcess::closed, this, [this](int code, const QString &signal) { finish(code, signal); });
        if (options.timeout > 0) {
            auto *timer = new QTimer(this);
            timer->setSingleShot(true);
            connect(timer, &QTimer::timeout, this, [this] { kill(); });
            connect(child, &ChildProcess::exited, timer, &QTimer::stop);
            timer->start(options.timeout);
        }
    }

private:
    void collect(int stream, const QByteArray &chunk)
    {
        if (m_destroyed)
            return;
        QByteArray &buffer = m_output[stream];
        if (buffer.size() + chunk.size() > m_options.maxBuffer) {
            buffer.append(chunk.left(m_options.maxBuffer - buffer.size()));
            m_error = ProcessError::nodeError(QStringLiteral("ERR_CHILD_PROCESS_STDIO_MAXBUFFER"),
                                              QStringLiteral("%1 maxBuffer length exceeded")
                                                  .arg(stream == 0 ? QStringLiteral("stdout") : QStringLiteral("stderr")),
                                              QStringLiteral("RangeError"));
            kill();
            return;
        }
        buffer.append(chunk);
    }

    void destroyOutput()
    {
        m_destroyed = true;
        ChildProcessPrivate::get(m_child)->destroyOutput();
    }

    void kill()
    {
        // Signal first: a child that finds its pipe closed might otherwise die of SIGPIPE first.
        m_killed = true;
        m_child->kill(m_options.killSignal);
        destroyOutput();
    }

    void finish(int code, const QString &signal)
    {
        if (m_finished)
            return;
        m_finished = true;
        ExecResult result;
        result.standardOutput = m_output[0];
        result.standardError = m_output[1];
        result.encoding = m_options.encoding;
        if (m_error || code != 0 || !signal.isEmpty()) {
            ProcessError error;
            if (m_error) {
                error = *m_error;
            } else {
                error.message = QStringLiteral("Command failed: %1\n%2")
                                    .arg(m_cmd, ExecResult::decode(result.standardError, m_options.encoding));
                if (signal.isEmpty())
                    error.code = code < 0 ? QJsonValue(ProcessError::errnoName(-code)) : QJsonValue(code);
                else
                    error.code = QJsonValue::Null;
                error.killed = m_child->killed() || m_killed;
                error.signal = signal.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(signal);
            }
            error.cmd = m_cmd;
            result.error = error;
        }
        if (m_callback)
            m_callback(result);
    }

    ChildProcess *m_child;
    QString m_cmd;
    ExecOptions m_options;
    ExecCallback m_callback;
    QByteArray m_output[2];
    std::optional<ProcessError> m_error;
    bool m_destroyed = false;
    bool m_killed = false;
    bool m_finished = false;
};

ChildProcess *startExec(const QString &file, const QStringList &args, const QString &shell, const QString &cmd,
                        const ExecOptions &options, ExecCallback callback, QObject *parent)
{
    SpawnOptions spawnOptions;
    spawnOptions.cwd = options.cwd;
    spawnOptions.killWithParent = options.killWithParent;
    spawnOptions.processGroup = options.processGroup;
    spawnOptions.env = options.env;
    spawnOptions.uid = options.uid;
    spawnOptions.gid = options.gid;
    spawnOptions.shell = shell;
    spawnOptions.signal = options.signal;
    if (options.timeout < 0 || options.maxBuffer < 0) {
        // Node throws ERR_OUT_OF_RANGE; here the callback gets it, and nothing starts.
        ChildProcess *child = ChildProcessPrivate::create(parent);
        ChildProcessPrivate::get(child)->execCmd = cmd;
        new ExecCollector(child, cmd, options, std::move(callback));
        ChildProcessPrivate::get(child)->reject(
            options.timeout < 0 ? Internal::NodeErrors::outOfRange(QStringLiteral("timeout"), options.timeout)
                                : Internal::NodeErrors::outOfRange(QStringLiteral("maxBuffer"), options.maxBuffer));
        return child;
    }
    ChildProcess *child = spawn(file, args, spawnOptions, parent);
    ChildProcessPrivate::get(child)->execCmd = cmd;
    new ExecCollector(child, cmd, options, std::move(callback));
    return child;
}

} // namespace

ChildProcess *exec(const QString &command, const ExecOptions &options, ExecCallback callback, QObject *parent)
{
    const QString shell = options.shell.isEmpty() ? QStringLiteral("/bin/sh") : options.shell;
    return startExec(command, {}, shell, command, options, std::move(callback), parent);
}

ChildProcess *execFile(const QString &file, const QStringList &args, const ExecOptions &options,
                       ExecCallback callback, QObject *parent)
{
    const QString cmd = args.isEmpty() ? file : file + QLatin1Char(' ') + args.join(QLatin1Char(' '));
    return startExec(file, args, options.shell, cmd, options, std::move(callback), parent);
}

QString ExecResult::decode(const QByteArray &bytes, const QString &encoding)
{
    const QString e = encoding.toLower();
    if (e == QLatin1String("latin1") || e == QLatin1String("binary"))
        return QString::fromLatin1(bytes);
    if (e == QLatin1String("ascii")) {
        QByteArray masked = bytes;
        for (char &c : masked)
            c = char(c & 0x7f);
        return QString::fromLatin1(masked);
    }
    if (e == QLatin1String("hex"))
        return QString::fromLatin1(bytes.toHex());
    if (e == QLatin1String("base64"))
        return QString::fromLatin1(bytes.toBase64());
    return QString::fromUtf8(bytes);
}

} // namespace Spawnscope
