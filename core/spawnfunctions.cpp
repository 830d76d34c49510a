#include "spawnfunctions.h"

#include "childprocess_p.h"
#include "osstring.h"

#include <QDir>
#include <QRegularExpression>

#include <sys/stat.h>
#include <unistd.h>

namespace Spawnscope {

ChildProcess *spawn(const QString &file, const QStringList &args, const SpawnOptions &options, QObject *parent)
{
    auto *child = ChildProcessPrivate::create(parent);
    ChildProcessPrivate::get(child)->start(file, args, options);
    return child;
}

ChildProcess *fork(const QString &modulePath, const QStringList &args, const ForkOptions &options, QObject *parent)
{
    SpawnOptions spawnOptions;
    spawnOptions.cwd = options.cwd;
    spawnOptions.env = options.env;
    spawnOptions.argv0 = options.argv0;
    spawnOptions.detached = options.detached;
    spawnOptions.killWithParent = options.killWithParent;
    spawnOptions.processGroup = options.processGroup;
    spawnOptions.uid = options.uid;
    spawnOptions.gid = options.gid;
    spawnOptions.timeout = options.timeout;
    spawnOptions.killSignal = options.killSignal;
    spawnOptions.signal = options.signal;
    spawnOptions.serialization = options.serialization;
    spawnOptions.maxMessageBytes = options.maxMessageBytes;
    if (options.stdio) {
        spawnOptions.stdio = *options.stdio;
    } else {
        const StdioMode mode = options.silent ? StdioMode::Pipe : StdioMode::Inherit;
        spawnOptions.stdio = {mode, mode, mode, StdioMode::Ipc};
    }

    bool hasChannel = false;
    for (const StdioMode &mode : spawnOptions.stdio)
        hasChannel = hasChannel || mode.kind == StdioMode::Ipc;
    if (!hasChannel) {
        auto *child = ChildProcessPrivate::create(parent);
        ChildProcessPrivate::get(child)->reject(ProcessError::nodeError(
            QStringLiteral("ERR_CHILD_PROCESS_IPC_REQUIRED"),
            QStringLiteral("Forked processes must have an IPC channel, missing value 'ipc' in options.stdio")));
        return child;
    }

    if (!options.execPath.isEmpty() || !forkRunsProgram(modulePath, options.cwd)) {
        const QString execPath = options.execPath.isEmpty() ? QStringLiteral("node") : options.execPath;
        return spawn(execPath, options.execArgv + QStringList{modulePath} + args, spawnOptions, parent);
    }
    return spawn(modulePath, args, spawnOptions, parent);
}

bool forkRunsProgram(const QString &modulePath, const QString &cwd)
{
    static const QRegularExpression script(QStringLiteral("\\.[cm]?js\\z"));
    if (script.match(OsString::replaced(modulePath)).hasMatch()) // a lone surrogate would match nothing
        return false;
    // By the name's bytes, which need not be UTF-8.
    const QByteArray file = OsString::encode(cwd.isEmpty() || QDir::isAbsolutePath(modulePath) ? modulePath : QDir(cwd).filePath(modulePath));
    struct stat st{};
    return ::stat(file.constData(), &st) == 0 && S_ISREG(st.st_mode) && ::access(file.constData(), X_OK) == 0;
}

} // namespace Spawnscope
