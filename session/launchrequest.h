#pragma once

#include "launchmode.h"
#include "launchoptions.h"

#include <jobtemplate.h>
#include <pipelinespec.h>
#include <pooloptions.h>

#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Spawnscope {

// A batch: one job per input from a command template, as many at once as there are cores
// unless `jobs` says otherwise.
struct BatchSpec
{
    JobTemplate command;
    QStringList inputs;
    int jobs = 0;    // 0: the number of cores
    int retries = 1; // attempts per job
    HaltPolicy halt = HaltPolicy::Never;
};

// Everything Session::launch() needs, as plain values: a typed line, a drawn graph or a file
// all come down to one of these, and Run Again starts the same one again.
struct LaunchRequest
{
    LaunchMode mode = LaunchMode::Spawn;
    QString program;       // Spawn, ExecFile, Fork (with options.shell: the command for it)
    QStringList args;
    QString command;       // Exec: the line for the shell
    PipelineSpec pipeline; // Pipeline
    BatchSpec batch;       // Batch
    // Fork: one child of `program` per message, in a group of their own, each sent its message
    // once it has started (a lesson's three fibonacci children); empty: one child, sent nothing.
    QList<QJsonValue> forkMessages;
    bool disconnectWhenAnswered = false; // each child's channel closed after its first message back
    LaunchOptions options;
    QString title;         // how the list names it: the line typed, or the pipeline's name
};

} // namespace Spawnscope
