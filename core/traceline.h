#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace Spawnscope {

// What a line of the trace format reports (shared/spec/trace.md): something the library
// reported about a child (an event), or something done to it (an action).
enum class TraceKind : quint8 {
    Spawn,
    Stdout,
    Stderr,
    Message,
    Disconnect,
    Error,
    Exit,
    Close,
    Callback,
    Result,
    Stop,
    // Actions:
    Send,
    Kill,
    StdinError,
    // Seen, not reported: a process a child started itself, found in /proc, and its going (its
    // exit status is its own parent's to collect, so there is none).
    Appeared,
    Gone,
    Other, // a kind this version does not know (read back only)
};

// One line of the trace format, as `spawnscope trace`, `spawnscope run --trace` and the
// timeline's export write it and as all of them read it back: `t`, who it is about (`process`,
// `stage`; on a lane's first line also `name`, `command`, `mode`), `event` or `action`, then the
// kind's own fields in the order they were added (Node's order, where Node prints them).
class TraceLine
{
public:
    double t = 0; // milliseconds
    TraceKind kind = TraceKind::Spawn;
    QString otherName; // for Other: the name as read
    std::optional<int> process;
    std::optional<int> stage;
    QString name;    // empty: not on this line
    QString command;
    QString mode;    // how it was started: spawn, exec, execFile, fork, batch

    TraceLine() = default;
    TraceLine(double t, TraceKind kind) : t(t), kind(kind) {}

    TraceLine &add(const QString &key, const QJsonValue &value);
    TraceLine &addRaw(const QString &key, const QByteArray &json); // already encoded, order kept
    // The fields of a QJsonObject, which keeps no order: in the order this format writes them.
    TraceLine &addFields(const QJsonObject &fields);
    QJsonObject fields() const;
    QJsonValue field(const QString &key) const;

    // One line, without its newline. A name's byte that is not UTF-8 (OsString's lone
    // surrogate) is written U+FFFD, as Node's trace shows it: the line is Unicode throughout.
    QByteArray toJson() const;
    // Nullopt with the reason when `line` is not a trace line (not a JSON object, no number
    // `t`, neither `event` nor `action`, `process` or `stage` not a number).
    static std::optional<TraceLine> fromJson(const QByteArray &line, QString *error);

    static QString kindName(TraceKind kind); // "spawn", "send", "stdin-error"...
    static bool isAction(TraceKind kind);
    static TraceKind kindFromName(const QString &name); // Other when unknown

private:
    QList<std::pair<QString, QByteArray>> m_fields;
};

} // namespace Spawnscope
