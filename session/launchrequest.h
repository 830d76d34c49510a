#pragma once

#include "launchmode.h"
#include "launchoptions.h"

#include <jobtemplate.h>
#include <pipelinespec.h>

#include <QString>
#include <QStringList>

#include <optional>

namespace Spawnscope {

// A batch: one job per input from a command template, as many at once as there are cores.
struct BatchSpec
{
    JobTemplate command;
    QStringList inputs;
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
    LaunchOptions options;
    QString title;         // how the list names it: the line typed, or the pipeline's name
};

} // namespace Spawnscope
