#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace Spawnscope::Ui {

// One process of the session as the process list shows it.
struct ProcessInfo
{
    enum class State { Starting, Running, Exited, Killed, FailedToStart };

    int id = 0;        // the session's number for it, stable for its life
    int group = 0;     // the group it was started in
    QString name;      // the program's base name
    QString command;   // the command line as run
    QString mode;      // spawn, exec, execFile, fork, pipeline, batch
    State state = State::Starting;
    qint64 pid = 0;
    std::optional<int> exitCode;
    QString signal;
    QString error;     // why it did not start
    QDateTime started;
    QDateTime ended;
    qint64 bytesOut = 0;
    qint64 bytesErr = 0;
    double cpuPercent = -1; // -1: not sampled yet
    qint64 rssBytes = -1;

    bool isLive() const { return state == State::Starting || state == State::Running; }
    qint64 durationMs(const QDateTime &now) const;
    static QString stateName(State state);
};

} // namespace Spawnscope::Ui
