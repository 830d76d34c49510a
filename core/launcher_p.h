#pragma once

// Internal: starting one child with its standard streams and message channel wired.

#include "stdiomode.h"

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

#include <sys/types.h>

namespace Spawnscope::Internal {

struct LaunchSlot
{
    enum Kind { Pipe, Ignore, Inherit, Channel, Fd } kind = Pipe;
    int fd = -1; // Fd: the parent's descriptor to hand over
};

struct LaunchSpec
{
    QString file;                 // as given; searched in PATH when it has no '/'
    QStringList argv;             // argv[0] included
    QString cwd;
    std::optional<QProcessEnvironment> env; // nullopt: the parent's
    QStringList extraEnv;         // KEY=VALUE appended last (the channel announcement)
    QList<LaunchSlot> stdio;
    bool detached = false;
    bool killWithParent = false;  // SIGKILL when the spawning thread ends
    std::optional<pid_t> processGroup; // 0: a new group led by the child
    std::optional<uint> uid;
    std::optional<uint> gid;
};

struct Launched
{
    pid_t pid = -1;
    int pidfd = -1;
    int error = 0;              // errno when the child could not be started
    QList<int> parentFds;       // per slot: our end of a pipe or channel, else -1
};

struct CommandLine
{
    QString spawnfile;
    QStringList argv; // argv[0] included
};

// What Node runs for (file, args): with a shell, `shell -c "file args..."` joined by single
// spaces and not quoted, as Node does; argv0, when given, replaces argv[0] either way.
CommandLine commandLine(const QString &file, const QStringList &args, const QString &shell, const QString &argv0);

// The launch slot for a `stdio` entry (an Ipc entry becomes the channel's socket).
LaunchSlot launchSlot(const StdioMode &mode);

// Starts the child. On failure every descriptor it made is closed again.
Launched launch(const LaunchSpec &spec);

// The executable posix_spawn would run for `file` under `pathVariable`, or an errno.
QByteArray resolveProgram(const QString &file, const QByteArray &pathVariable, int *error);

} // namespace Spawnscope::Internal
