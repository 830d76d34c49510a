#pragma once

#include "processerror.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace Spawnscope {

// One attempt at one job, once it has ended.
struct JobResult
{
    int seq = 0;           // the job's number, from 1, in input order
    int attempt = 1;
    int slot = -1;         // the pool's lane it ran in (see WorkerPool::jobStarted), -1 if none
    QString input;
    QString command;       // as a shell line, for logs
    qint64 pid = 0;        // the child (or the worker) that ran it
    double startTime = 0;  // seconds since the epoch
    double runtime = 0;    // seconds
    std::optional<int> exitCode;
    QString signal;        // the signal that ended it, or empty
    qint64 bytesOut = 0;   // all of it, even beyond what `out` keeps
    qint64 bytesErr = 0;
    QByteArray out;        // the job's own output, kept apart from every other job's
    QByteArray err;
    QJsonValue reply;      // worker mode: the worker's answer
    QString error;         // why it failed without an exit status: not started, timed out, worker error
    std::optional<ProcessError> startError; // the child could not be started (Node's error, errno included)
    bool timedOut = false;

    bool ok() const { return error.isEmpty() && signal.isEmpty() && exitCode.value_or(1) == 0; }
    int signalNumber() const;
};

struct PoolProgress
{
    int total = 0;
    int done = 0;    // ended for good, successfully
    int failed = 0;  // ended for good, after every attempt failed
    int running = 0;
    int queued = 0;  // not yet started (including retries waiting)
    int skipped = 0; // never started because of a halt
    qint64 elapsedMs = 0;
    qint64 etaMs = -1; // -1 until a job has ended
};

} // namespace Spawnscope
