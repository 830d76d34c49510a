#pragma once

// The desktop window: `spawnscope`, `spawnscope gui [-- COMMAND...]`, with
// `--screenshot FILE --quit-after MS` to save a picture of the window and quit.
int runGui(int argc, char *argv[]);
