#pragma once

// Test support: a stage that runs a program, for building specs by hand.

#include <stagespec.h>

#include <QStringList>

inline Spawnscope::StageSpec stage(const QString &program, const QStringList &args = {})
{
    Spawnscope::StageSpec s;
    s.program = program;
    s.args = args;
    return s;
}
