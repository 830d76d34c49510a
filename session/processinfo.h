#pragma once

#include "launchmode.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace Spawnscope {

// One process of the session, as the window shows it.
struct ProcessInfo
{
    enum class State {
        Starting,      // asked to start; not yet spawned
        Running,
        Stopped,       // by SIGSTOP, SIGTSTP...: alive, not running
        Exited,        // ended by itself, with exitCode
        Killed,        // ended by `signal`
        FailedToStart, // the program could not be started: `error` says why
        NotStarted,    // never tried: its pipeline failed first, or a batch halted (`error` says why)
    };

    int id = 0;        // the session's number for it, stable for its life
    int group = 0;     // the group it was started in
    int stage = -1;    // its stage in a pipeline, or -1
    QString name;      // the program's base name
    QString command;   // the command line as run
    LaunchMode mode = LaunchMode::Spawn; // a pipeline's stage: its own mode (spawn, exec...)
    State state = State::Starting;
    qint64 pid = 0;
    std::optional<int> exitCode;
    QString signal;    // the signal that ended it
    QString error;     // why it did not start (or was not started)
    QDateTime started;
    QDateTime ended;   // set whenever the state is final: a duration never grows after that
    qint64 bytesOut = 0;
    qint64 bytesErr = 0;
    // Exited, but its output is still open: something it started holds its stdout (exit comes
    // before close); cleared at close.
    bool outputOpen = false;
    double cpuPercent = -1; // -1: not sampled yet
    qint64 rssBytes = -1;

    bool isLive() const { return state == State::Starting || state == State::Running || state == State::Stopped; }
    // Ended badly: could not start, was not started, a signal, or a non-zero exit.
    bool hasFailed() const;
    qint64 durationMs(const QDateTime &now) const;
    QString stateText() const; // "exit 3", "SIGPIPE", "failed to start"...
    static QString stateName(State state);
};

} // namespace Spawnscope
