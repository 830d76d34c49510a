#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Spawnscope {

// How the processes of a group were started: the window's single commands, one pipeline run,
// one batch, or children forked together (each with its own first message).
enum class GroupKind { Commands, Pipeline, Batch, Forks };

// What a group's processes are doing, counted from their states at this moment.
struct GroupCounts
{
    int running = 0; // starting and running
    int stopped = 0;
    int done = 0;    // ended well
    int failed = 0;  // ProcessInfo::hasFailed()
    int queued = 0;  // batch jobs not started yet
    int total = 0;

    QString text() const; // "1 of 3 running", "2 done, 1 failed", "4 done, 1 running, 5 queued"
};

struct ProcessGroup
{
    int id = 0;
    QString title;
    GroupKind kind = GroupKind::Commands;
    QList<int> processes; // in the order they were added
    QString error;        // why the run failed as a whole (a pipeline stage that did not start)
    int queued = 0;       // batch: jobs not started yet
    std::optional<int> status; // a pipeline run that ended: its status, by its policy
    bool stopped = false;      // a pipeline run ended by Stop
};

} // namespace Spawnscope
