#pragma once

// Tests that compare with Node.js skip where `node` is absent, except where the run demands it
// (SPAWNSCOPE_REQUIRE_NODE=1, as CI sets): there a missing Node is a failure, so that a
// comparison never passes by not running.

#include <QtGlobal>
#include <QTest>

inline bool nodeRequired()
{
    return qEnvironmentVariableIntValue("SPAWNSCOPE_REQUIRE_NODE") != 0;
}

#define REQUIRE_NODE(available, what)                                                                     \
    do {                                                                                                   \
        if (!(available)) {                                                                                \
            if (nodeRequired())                                                                            \
                QFAIL(what " is required here (SPAWNSCOPE_REQUIRE_NODE=1) but is missing");                 \
            QSKIP(what " is missing");                                                                     \
        }                                                                                                  \
    } while (false)
