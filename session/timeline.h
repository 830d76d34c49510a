#pragma once

#include <traceline.h>

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <vector>

class QIODevice;

namespace Spawnscope {

// What happened to one process, at a time in milliseconds since the timeline began. The kinds
// drawn are the trace format's spawn, message, send, disconnect, error, exit, close and kill.
struct TimelineEvent
{
    double t = 0;
    TraceKind kind = TraceKind::Spawn;
    QJsonObject fields; // the trace line's other fields: pid, code, signal, message, error

    static bool isDrawn(TraceKind kind);
    static QString name(TraceKind kind); // as the legend says it
    // The trace's exit and close fields: a code or a signal, the other null.
    static QJsonObject endFields(int code, const QString &signal);
    QString describe() const;       // one line for a tooltip
};

// A stretch of time in which a stream kept producing output.
struct ActivityBand
{
    double start = 0;
    double end = 0;
    qint64 bytes = 0;
};

struct TimelineLane
{
    int process = 0;  // the session's process id (or the id a trace file used)
    int stage = -1;   // the stage within its pipeline, when it is one
    QString name;
    QString command;
    QString mode;     // how it was started: spawn, exec, execFile, fork, batch
    std::vector<TimelineEvent> events; // ordered by t
    std::vector<ActivityBand> out;
    std::vector<ActivityBand> err;
    bool ended = false; // its process is over, whatever its last event (one never started has none)
    // A sub-lane, for a process that the lane's process started itself (or one of those did):
    // the lane it hangs under, and its pid. `process` is still the launched process's id.
    int parentLane = -1;
    qint64 pid = 0;
    int depth = 0; // 0 for a launched process's lane, 1 for its children's, 2 below those...
};

// The session's events, one lane per process, on one time axis: headless, so that the view, the
// exports and the tests share it. Live recording stamps events with the timeline's own clock;
// an imported trace brings its own times.
class Timeline : public QObject
{
    Q_OBJECT
public:
    // Output arriving within this gap of a band's end extends it rather than starting another.
    static constexpr double BandGapMs = 100;
    // Message contents kept, in bytes of JSON; beyond it a message event keeps only its size,
    // so that a child sending without end cannot take all memory.
    static constexpr qint64 DefaultContentBudget = 64 * 1024 * 1024;

    explicit Timeline(QObject *parent = nullptr);

    double now() const; // ms since the timeline began
    qint64 startEpochMs() const { return m_startEpochMs; }

    int addLane(int process, const QString &name, const QString &command, int stage = -1, const QString &mode = {});
    // A lane under `parentLane`, shown after it and its earlier sub-lanes: for a process that
    // the parent lane's process started itself.
    int addSubLane(int parentLane, qint64 pid, const QString &name, const QString &command);
    void renameLane(int lane, const QString &name, const QString &command); // a process that exec'd
    int laneOf(int process) const; // the process's own lane (never a sub-lane), -1 when none
    // The order lanes are shown in: each one's sub-lanes right under it.
    int laneAtRow(int row) const { return m_rows[size_t(row)]; }
    int rowOfLane(int lane) const;
    int laneCount() const { return int(m_lanes.size()); }
    const TimelineLane &lane(int index) const { return m_lanes[size_t(index)]; }
    void addEvent(int lane, TraceKind kind, const QJsonObject &fields = {});
    void addEventAt(int lane, double t, TraceKind kind, const QJsonObject &fields = {});
    void addOutput(int lane, bool err, qint64 bytes);
    void addOutputAt(int lane, bool err, double start, double end, qint64 bytes);

    qsizetype eventCount() const { return m_eventCount; }
    void setContentBudget(qint64 bytes) { m_contentBudget = bytes; }
    qint64 contentBytes() const { return m_contentBytes; }
    double endTime() const { return m_end; } // the latest moment anything happened
    bool anyLive() const; // a lane whose process is not over
    void markEnded(int lane); // its process is over (also one that never started and has no events)
    bool isRecording() const { return m_recording; } // false for an imported trace
    void clear();

    // JSON Lines in the trace format (shared/spec/trace.md), in time order, each line carrying
    // the `process` (and `stage`) it belongs to; output as byte counts over a `duration`.
    void writeJsonLines(QIODevice *device) const;
    // Replaces the content with a trace read back (this format, `spawnscope trace` or
    // `spawnscope run --trace`); on an error, says where and changes nothing.
    bool readJsonLines(QIODevice *device, QString *error);

Q_SIGNALS:
    // Exactly once per lane (sub-lanes too), after it was added.
    void laneAdded(int lane);
    // After every added event or output, and after clear() and a successful read.
    void changed();

private:
    std::vector<TimelineLane> m_lanes;
    std::vector<int> m_rows; // lane indices in the order they are shown
    void placeRow(int lane);
    QElapsedTimer m_clock;
    qint64 m_startEpochMs = 0;
    qsizetype m_eventCount = 0;
    double m_end = 0;
    bool m_recording = true;
    qint64 m_contentBudget = DefaultContentBudget;
    qint64 m_contentBytes = 0;
};

} // namespace Spawnscope
