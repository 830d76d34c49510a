#pragma once

#include "stdiomode.h"

namespace Spawnscope {

struct PipelineRunOptions
{
    bool killWithParent = false; // as SpawnOptions::killWithParent, for every stage
    int stopGraceMs = 2000;    // stop(): SIGTERM to the group, then SIGKILL after this long
    // stdin of the first stage that is a process when no edge or file feeds it: Ignore (/dev/null), Inherit (the
    // parent's) or Pipe (write with stage(id)->write()). Other unfed stages read /dev/null,
    // as the shell's `a >f | b` gives b an empty pipe.
    StdioMode firstStdin = StdioMode::Ignore;
    // Outputs with no edge and no file: Pipe (the output() signal) or Inherit.
    StdioMode freeOutput = StdioMode::Pipe;
    int tapLines = 20;         // lines a tapped edge keeps for EdgeStats::lastLines
};

} // namespace Spawnscope
