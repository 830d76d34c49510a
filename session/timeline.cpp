#include "timeline.h"

#include <jsonline.h>

#include <QDateTime>
#include <QIODevice>
#include <QJsonDocument>

#include <algorithm>
#include <map>

namespace Spawnscope {

namespace {

QString exitText(const QJsonObject &f)
{
    const QString signal = f.value(QStringLiteral("signal")).toString();
    if (!signal.isEmpty())
        return QStringLiteral("signal %1").arg(signal);
    return QStringLiteral("code %1").arg(f.value(QStringLiteral("code")).toInt());
}

QString compact(const QJsonValue &v, int most = 160)
{
    QString text = QString::fromUtf8(JsonLine::encode(v));
    if (text.size() > most)
        text = text.left(most - 1) + QChar(0x2026);
    return text;
}

// The band a new stretch of output joins, or a new one.
void extend(std::vector<ActivityBand> &bands, double start, double end, qint64 bytes)
{
    if (!bands.empty() && start - bands.back().end <= Timeline::BandGapMs && start >= bands.back().start) {
        bands.back().end = std::max(bands.back().end, end);
        bands.back().bytes += bytes;
        return;
    }
    bands.push_back({start, end, bytes});
}

// Events mostly come in order (appended); one that is a hair earlier still lands in its place.
void insertByTime(std::vector<TimelineEvent> &events, TimelineEvent e)
{
    if (events.empty() || events.back().t <= e.t) {
        events.push_back(std::move(e));
        return;
    }
    const auto at = std::upper_bound(events.begin(), events.end(), e.t, [](double v, const TimelineEvent &x) { return v < x.t; });
    events.insert(at, std::move(e));
}

double rounded(double ms)
{
    return std::round(ms * 1000) / 1000;
}

} // namespace

bool TimelineEvent::isDrawn(TraceKind kind)
{
    switch (kind) {
    case TraceKind::Spawn:
    case TraceKind::Message:
    case TraceKind::Send:
    case TraceKind::Disconnect:
    case TraceKind::Error:
    case TraceKind::Exit:
    case TraceKind::Close:
    case TraceKind::Kill:
    case TraceKind::Appeared:
    case TraceKind::Gone: return true;
    default: return false;
    }
}

QString TimelineEvent::name(TraceKind kind)
{
    switch (kind) {
    case TraceKind::Message: return QStringLiteral("message from child");
    case TraceKind::Send: return QStringLiteral("message to child");
    case TraceKind::Kill: return QStringLiteral("signal sent");
    case TraceKind::Appeared: return QStringLiteral("process appeared");
    case TraceKind::Gone: return QStringLiteral("process gone");
    default: return TraceLine::kindName(kind);
    }
}

QJsonObject TimelineEvent::endFields(int code, const QString &signal)
{
    return {{QStringLiteral("code"), signal.isEmpty() ? QJsonValue(code) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("signal"), signal.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(signal)}};
}

QString TimelineEvent::describe() const
{
    const QString at = t < 10000 ? QStringLiteral("%1 ms").arg(t, 0, 'f', 1) : QStringLiteral("%1 s").arg(t / 1000, 0, 'f', 3);
    QString what;
    switch (kind) {
    case TraceKind::Spawn: what = QStringLiteral("spawn, pid %1").arg(fields.value(QStringLiteral("pid")).toInteger()); break;
    case TraceKind::Message:
    case TraceKind::Send:
        what = QStringLiteral("message %1 child: %2").arg(QLatin1String(kind == TraceKind::Message ? "from" : "to"),
                                                           fields.contains(QStringLiteral("message"))
                                                               ? compact(fields.value(QStringLiteral("message")))
                                                               : QStringLiteral("%1 bytes (its content was not kept: the timeline's budget for contents was full)")
                                                                     .arg(qint64(fields.value(QStringLiteral("bytes")).toDouble())));
        break;
    case TraceKind::Disconnect: what = QStringLiteral("disconnect"); break;
    case TraceKind::Appeared: what = QStringLiteral("appeared, pid %1").arg(fields.value(QStringLiteral("pid")).toInteger()); break;
    case TraceKind::Gone: what = QStringLiteral("gone (its exit status was its parent's to collect)"); break;
    case TraceKind::Error: {
        const QJsonObject e = fields.value(QStringLiteral("error")).toObject();
        what = QStringLiteral("error: %1").arg(e.value(QStringLiteral("message")).toString());
        break;
    }
    case TraceKind::Exit: what = QStringLiteral("exit, %1").arg(exitText(fields)); break;
    case TraceKind::Close: what = QStringLiteral("close, %1").arg(exitText(fields)); break;
    case TraceKind::Kill:
        what = QStringLiteral("%1 sent%2").arg(fields.value(QStringLiteral("signal")).toString(),
                                               fields.value(QStringLiteral("result")).toBool(true) ? QString() : QStringLiteral(" (not delivered)"));
        break;
    default: what = TraceLine::kindName(kind); break;
    }
    return QStringLiteral("%1 — %2").arg(at, what);
}

Timeline::Timeline(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_startEpochMs = QDateTime::currentMSecsSinceEpoch();
}

double Timeline::now() const
{
    return m_clock.nsecsElapsed() / 1e6;
}

int Timeline::addLane(int process, const QString &name, const QString &command, int stage, const QString &mode)
{
    TimelineLane lane;
    lane.process = process;
    lane.stage = stage;
    lane.name = name;
    lane.command = command;
    lane.mode = mode;
    m_lanes.push_back(std::move(lane));
    const int index = int(m_lanes.size()) - 1;
    placeRow(index);
    Q_EMIT laneAdded(index);
    Q_EMIT changed();
    return index;
}

int Timeline::addSubLane(int parentLane, qint64 pid, const QString &name, const QString &command)
{
    if (parentLane < 0 || parentLane >= laneCount())
        return -1;
    const TimelineLane &parent = m_lanes[size_t(parentLane)];
    TimelineLane lane;
    lane.process = parent.process;
    lane.stage = parent.stage;
    lane.parentLane = parentLane;
    lane.depth = parent.depth + 1;
    lane.pid = pid;
    lane.name = name;
    lane.command = command;
    m_lanes.push_back(std::move(lane));
    const int index = int(m_lanes.size()) - 1;
    placeRow(index);
    Q_EMIT laneAdded(index);
    Q_EMIT changed();
    return index;
}

void Timeline::placeRow(int lane)
{
    const int parent = m_lanes[size_t(lane)].parentLane;
    if (parent < 0) {
        m_rows.push_back(lane);
        return;
    }
    // After the parent and everything already under it: rows deeper than the parent's.
    auto at = std::find(m_rows.begin(), m_rows.end(), parent);
    const int depth = m_lanes[size_t(parent)].depth;
    if (at != m_rows.end())
        ++at;
    while (at != m_rows.end() && m_lanes[size_t(*at)].depth > depth)
        ++at;
    m_rows.insert(at, lane);
}

int Timeline::rowOfLane(int lane) const
{
    const auto at = std::find(m_rows.begin(), m_rows.end(), lane);
    return at == m_rows.end() ? -1 : int(at - m_rows.begin());
}

void Timeline::renameLane(int lane, const QString &name, const QString &command)
{
    if (lane < 0 || lane >= laneCount())
        return;
    m_lanes[size_t(lane)].name = name;
    m_lanes[size_t(lane)].command = command;
    Q_EMIT changed();
}

int Timeline::laneOf(int process) const
{
    // Lanes are added in process order, so the newest are at the end: search from there.
    for (int i = laneCount() - 1; i >= 0; --i) {
        if (m_lanes[size_t(i)].process == process && m_lanes[size_t(i)].parentLane < 0)
            return i;
    }
    return -1;
}

bool Timeline::anyLive() const
{
    return std::any_of(m_lanes.begin(), m_lanes.end(), [](const TimelineLane &l) {
        return !l.ended && (l.events.empty() || (l.events.back().kind != TraceKind::Close && l.events.back().kind != TraceKind::Error
                                                            && l.events.back().kind != TraceKind::Gone));
    });
}

void Timeline::markEnded(int lane)
{
    if (lane >= 0 && lane < laneCount())
        m_lanes[size_t(lane)].ended = true;
}

void Timeline::addEvent(int lane, TraceKind kind, const QJsonObject &fields)
{
    addEventAt(lane, now(), kind, fields);
}

void Timeline::addEventAt(int lane, double t, TraceKind kind, const QJsonObject &fields)
{
    if (lane < 0 || lane >= laneCount())
        return;
    auto &events = m_lanes[size_t(lane)].events;
    if (kind == TraceKind::Spawn)
        m_lanes[size_t(lane)].ended = false; // a batch job's next attempt
    TimelineEvent e{t, kind, fields};
    if (kind == TraceKind::Message || kind == TraceKind::Send) {
        const auto message = fields.constFind(QStringLiteral("message"));
        if (message != fields.constEnd()) {
            const qint64 size = JsonLine::encode(*message).size();
            if (m_contentBytes + size > m_contentBudget)
                e.fields = {{QStringLiteral("bytes"), double(size)}};
            else
                m_contentBytes += size;
        }
    }
    insertByTime(events, std::move(e));
    ++m_eventCount;
    m_end = std::max(m_end, t);
    Q_EMIT changed();
}

void Timeline::addOutput(int lane, bool err, qint64 bytes)
{
    const double t = now();
    addOutputAt(lane, err, t, t, bytes);
}

void Timeline::addOutputAt(int lane, bool err, double start, double end, qint64 bytes)
{
    if (lane < 0 || lane >= laneCount())
        return;
    TimelineLane &l = m_lanes[size_t(lane)];
    extend(err ? l.err : l.out, start, end, bytes);
    m_end = std::max(m_end, end);
    Q_EMIT changed();
}

void Timeline::clear()
{
    m_lanes.clear();
    m_rows.clear();
    m_eventCount = 0;
    m_contentBytes = 0;
    m_end = 0;
    Q_EMIT changed();
}

void Timeline::writeJsonLines(QIODevice *device) const
{
    struct Item
    {
        double t;
        size_t lane;
        const TimelineEvent *event;
        const ActivityBand *band;
        bool err;
    };
    std::vector<Item> items;
    items.reserve(size_t(m_eventCount) + 64);
    for (size_t i = 0; i < m_lanes.size(); ++i) {
        for (const TimelineEvent &e : m_lanes[i].events)
            items.push_back({e.t, i, &e, nullptr, false});
        for (const ActivityBand &b : m_lanes[i].out)
            items.push_back({b.start, i, nullptr, &b, false});
        for (const ActivityBand &b : m_lanes[i].err)
            items.push_back({b.start, i, nullptr, &b, true});
    }
    std::stable_sort(items.begin(), items.end(), [](const Item &a, const Item &b) { return a.t < b.t; });
    std::vector<bool> named(m_lanes.size(), false);
    for (const Item &item : items) {
        const TimelineLane &lane = m_lanes[item.lane];
        TraceLine line(item.t, item.band ? (item.err ? TraceKind::Stderr : TraceKind::Stdout) : item.event->kind);
        line.process = lane.process;
        if (lane.stage >= 0)
            line.stage = lane.stage;
        if (!named[item.lane]) {
            // The lane's first line says what it is, so that a reader can label it.
            line.name = lane.name;
            line.command = lane.command;
            line.mode = lane.mode;
            named[item.lane] = true;
        }
        if (item.band) {
            line.add(QStringLiteral("bytes"), double(item.band->bytes));
            line.add(QStringLiteral("duration"), rounded(item.band->end - item.band->start));
        } else {
            line.addFields(item.event->fields);
        }
        device->write(line.toJson() + '\n');
    }
}

bool Timeline::readJsonLines(QIODevice *device, QString *error)
{
    std::vector<TimelineLane> lanes;
    std::map<QString, size_t> laneByKey;
    qsizetype count = 0;
    double end = 0;
    int lineNumber = 0;
    auto fail = [&](const QString &why) {
        *error = QStringLiteral("line %1: %2").arg(lineNumber).arg(why);
        return false;
    };
    while (!device->atEnd()) {
        const QByteArray raw = device->readLine().trimmed();
        ++lineNumber;
        if (raw.isEmpty())
            continue;
        QString why;
        const std::optional<TraceLine> line = TraceLine::fromJson(raw, &why);
        if (!line)
            return fail(why);
        const double t = line->t;
        const bool output = line->kind == TraceKind::Stdout || line->kind == TraceKind::Stderr;
        // A run's own lines (stage 0, the result) and the tracer's other records have no lane.
        if ((!TimelineEvent::isDrawn(line->kind) && !output) || (!line->process && line->stage.value_or(-1) == 0))
            continue;

        const QString key = line->process ? QStringLiteral("p%1").arg(*line->process)
                          : line->stage   ? QStringLiteral("s%1").arg(*line->stage)
                                          : QStringLiteral("trace");
        // A descendant's lines carry its pid: a sub-lane under its parent's lane.
        const bool seen = line->kind == TraceKind::Appeared || line->kind == TraceKind::Gone;
        const qint64 pid = seen ? line->fields().value(QStringLiteral("pid")).toInteger() : 0;
        const QString subKey = pid > 0 ? QStringLiteral("%1/%2").arg(key).arg(pid) : key;
        auto found = laneByKey.find(subKey);
        if (found == laneByKey.end() && pid > 0) {
            const qint64 ppid = line->fields().value(QStringLiteral("ppid")).toInteger();
            auto parent = laneByKey.find(QStringLiteral("%1/%2").arg(key).arg(ppid));
            if (parent == laneByKey.end())
                parent = laneByKey.find(key);
            TimelineLane lane;
            lane.process = line->process.value_or(int(lanes.size()) + 1);
            lane.pid = pid;
            lane.name = line->name.isEmpty() ? QStringLiteral("pid %1").arg(pid) : line->name;
            lane.command = line->command;
            if (parent != laneByKey.end()) {
                lane.parentLane = int(parent->second);
                lane.depth = lanes[parent->second].depth + 1;
                lane.stage = lanes[parent->second].stage;
            }
            lanes.push_back(std::move(lane));
            found = laneByKey.emplace(subKey, lanes.size() - 1).first;
        }
        if (found == laneByKey.end()) {
            TimelineLane lane;
            lane.process = line->process.value_or(int(lanes.size()) + 1);
            lane.stage = line->stage.value_or(-1);
            lane.name = !line->name.isEmpty() ? line->name : line->stage ? QStringLiteral("stage %1").arg(*line->stage) : QStringLiteral("child");
            lane.command = line->command;
            lane.mode = line->mode;
            lanes.push_back(std::move(lane));
            found = laneByKey.emplace(key, lanes.size() - 1).first;
        }
        TimelineLane &lane = lanes[found->second];
        const QJsonObject o = line->fields();
        if (output) {
            const QJsonValue bytes = o.value(QStringLiteral("bytes"));
            const qint64 n = bytes.isDouble() ? qint64(bytes.toDouble()) : o.value(QStringLiteral("data")).toString().toUtf8().size();
            const double duration = std::max(0.0, o.value(QStringLiteral("duration")).toDouble());
            extend(line->kind == TraceKind::Stderr ? lane.err : lane.out, t, t + duration, n);
            end = std::max(end, t + duration);
            continue;
        }
        insertByTime(lane.events, TimelineEvent{t, line->kind, o});
        ++count;
        end = std::max(end, t);
    }
    if (lanes.empty()) {
        *error = QStringLiteral("no events in the file");
        return false;
    }
    m_lanes = std::move(lanes);
    m_rows.clear();
    for (int i = 0; i < laneCount(); ++i)
        placeRow(i);
    m_eventCount = count;
    m_end = end;
    m_recording = false;
    for (int i = 0; i < laneCount(); ++i)
        Q_EMIT laneAdded(i);
    Q_EMIT changed();
    return true;
}

} // namespace Spawnscope
