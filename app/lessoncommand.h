#pragma once

#include <QStringList>

// `spawnscope lesson --list | ID [--trace]`: a lesson's steps, or one step run headless, its
// output printed (its events as JSON Lines with --trace); the exit status is the step's.
int runLessonCommand(const QStringList &args);
