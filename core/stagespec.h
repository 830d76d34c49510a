#pragma once

#include "processsignal.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <csignal>

namespace Spawnscope {

// A file a standard stream is redirected to, as the shell's `>` (append false) and `>>`.
struct FileRedirect
{
    QString path; // empty: not redirected
    bool append = false;

    bool isSet() const { return !path.isEmpty(); }
    friend bool operator==(const FileRedirect &, const FileRedirect &) = default;
};

// One child of a pipeline: how it is started and where its unconnected streams go.
struct StageSpec
{
    enum class Mode {
        Spawn,     // program + args, no shell
        Exec,      // `command` run by `shell` (/bin/sh when empty), as exec()
        ExecFile,  // program + args, no shell unless `shell` is set, as execFile()
        Fork,      // program (or a .js module under node) with the message channel
        ReadFile,  // no process: the file `stdinFile` as a source, its content on stdout's wires
        WriteFile, // no process: the file `stdoutFile` as a sink for what its stdin's wires carry
    };

    QString name;          // for display; the program's base name when empty
    Mode mode = Mode::Spawn;
    QString program;       // Spawn, ExecFile, Fork
    QStringList args;
    QString command;       // Exec
    QString cwd;
    QMap<QString, QString> env; // added to the parent's environment
    QString shell;
    int timeout = 0;       // ms; 0: none
    ProcessSignal killSignal = SIGTERM;

    QString stdinFile;     // `<file`; only for a stage no edge feeds
    FileRedirect stdoutFile;
    FileRedirect stderrFile;
    // `2>&1`: stderr goes wherever stdout goes (its file, its pipe, or the parent's stdout),
    // through the same open file or pipe, as the shell does.
    bool mergeStderr = false;
    QJsonObject extra; // fields of a file this version does not know: kept, and written back

    QString displayName() const;
    bool isFile() const { return mode == Mode::ReadFile || mode == Mode::WriteFile; }
    friend bool operator==(const StageSpec &, const StageSpec &) = default;

    static QString modeName(Mode mode);
    static bool modeFromName(const QString &name, Mode *mode);
};

} // namespace Spawnscope
