#pragma once

#include <QString>

#include <optional>

namespace Spawnscope {

// How something is started: Node's four functions, a pipeline, or a batch of jobs.
enum class LaunchMode { Spawn, Exec, ExecFile, Fork, Pipeline, Batch };

QString launchModeName(LaunchMode mode); // "spawn", "exec", "execFile", "fork", "pipeline", "batch"
std::optional<LaunchMode> launchModeFromName(const QString &name);

} // namespace Spawnscope
