#pragma once

#include "launchrequest.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Spawnscope {

// What the command bar makes of a typed line in one of its modes (spawn, exec, execFile, fork,
// batch): the request to launch and exactly what will run, or why it cannot run, where, and a
// way out. A spawn line with pipes becomes a pipeline; one that needs a shell's grammar runs
// under /bin/sh as Node's spawn with `shell` would run it.
struct CommandLine
{
    std::optional<LaunchRequest> request;
    QString preview;      // what will run: "pipeline of 3 stages: ...", "/bin/sh -c '...'"
    QStringList notes;    // what was expanded, which stages run under a shell
    QString error;        // why it cannot run; empty when it can
    int errorColumn = -1; // where in the line, 0-based, when the error has a place
    QString hint;         // a way out, when there is one

    bool ok() const { return request.has_value(); }
    static CommandLine parse(LaunchMode mode, const QString &line, const LaunchOptions &options);
};

} // namespace Spawnscope
