#include "timeline.h"

#include <jsonline.h>

#include <QDateTime>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <map>

namespace Spawnscope::Ui {

namespace {

constexpr const char *KindNames[] = {"spawn", "message", "send", "disconnect", "error", "exit", "close", "kill"};

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

QString TimelineEvent::name(Kind kind)
{
    switch (kind) {
    case Spawn: return QStringLiteral("spawn");
    case MessageIn: return QStringLiteral("message from child");
    case MessageOut: return QStringLiteral("message to child");
    case Disconnect: return QStringLiteral("disconnect");
    case Error: return QStringLiteral("error");
    case Exit: return QStringLiteral("exit");
    case Close: return QStringLiteral("close");
    case Signal: return QStringLiteral("signal sent");
    case KindCount: break;
    }
    return {};
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
    case Spawn: what = QStringLiteral("spawn, pid %1").arg(qint64(fields.value(QStringLiteral("pid")).toDouble())); break;
    case MessageIn:
    case MessageOut:
        what = QStringLiteral("message %1 child: %2").arg(QLatin1String(kind == MessageIn ? "from" : "to"),
                                                           fields.contains(QStringLiteral("message"))
                                                               ? compact(fields.value(QStringLiteral("message")))
                                                               : QStringLiteral("%1 bytes (its content was not kept: the timeline's budget for contents was full)")
                                                                     .arg(qint64(fields.value(QStringLiteral("bytes")).toDouble())));
        break;
    case Disconnect: what = QStringLiteral("disconnect"); break;
    case Error: {
        const QJsonObject e = fields.value(QStringLiteral("error")).toObject();
        what = QStringLiteral("error: %1").arg(e.value(QStringLiteral("message")).toString());
        break;
    }
    case Exit: what = QStringLiteral("exit, %1").arg(exitText(fields)); break;
    case Close: what = QStringLiteral("close, %1").arg(exitText(fields)); break;
    case Signal:
        what = QStringLiteral("%1 sent%2").arg(fields.value(QStringLiteral("signal")).toString(),
                                               fields.value(QStringLiteral("result")).toBool(true) ? QString() : QStringLiteral(" (not delivered)"));
        break;
    case KindCount: break;
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

int Timeline::addLane(int process, const QString &name, const QString &command, int stage)
{
    TimelineLane lane;
    lane.process = process;
    lane.stage = stage;
    lane.name = name;
    lane.command = command;
    m_lanes.push_back(std::move(lane));
    const int index = int(m_lanes.size()) - 1;
    Q_EMIT laneAdded(index);
    Q_EMIT changed();
    return index;
}

int Timeline::laneOf(int process) const
{
    // Lanes are added in process order, so the newest are at the end: search from there.
    for (int i = laneCount() - 1; i >= 0; --i) {
        if (m_lanes[size_t(i)].process == process)
            return i;
    }
    return -1;
}

bool Timeline::anyLive() const
{
    return std::any_of(m_lanes.begin(), m_lanes.end(), [](const TimelineLane &l) {
        return l.events.empty() || (l.events.back().kind != TimelineEvent::Close && l.events.back().kind != TimelineEvent::Error);
    });
}

void Timeline::addEvent(int lane, TimelineEvent::Kind kind, const QJsonObject &fields)
{
    addEventAt(lane, now(), kind, fields);
}

void Timeline::addEventAt(int lane, double t, TimelineEvent::Kind kind, const QJsonObject &fields)
{
    if (lane < 0 || lane >= laneCount())
        return;
    auto &events = m_lanes[size_t(lane)].events;
    TimelineEvent e{t, kind, fields};
    if (kind == TimelineEvent::MessageIn || kind == TimelineEvent::MessageOut) {
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
        JsonLine line;
        line.add("t", rounded(item.t));
        line.add("process", lane.process);
        if (lane.stage >= 0)
            line.add("stage", lane.stage);
        if (!named[item.lane]) {
            // The lane's first line says what it is, so that a reader can label it.
            line.add("name", lane.name);
            line.add("command", lane.command);
            named[item.lane] = true;
        }
        if (item.band) {
            line.add("event", QLatin1String(item.err ? "stderr" : "stdout"));
            line.add("bytes", double(item.band->bytes));
            line.add("duration", rounded(item.band->end - item.band->start));
        } else {
            const TimelineEvent &e = *item.event;
            const bool action = e.kind == TimelineEvent::MessageOut || e.kind == TimelineEvent::Signal;
            line.add(action ? "action" : "event", QLatin1String(KindNames[e.kind]));
            for (auto it = e.fields.begin(); it != e.fields.end(); ++it)
                line.addRaw(it.key().toUtf8().constData(), JsonLine::encode(it.value()));
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
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(raw, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return fail(QStringLiteral("not JSON (%1 at column %2)").arg(parseError.errorString()).arg(parseError.offset + 1));
        if (!doc.isObject())
            return fail(QStringLiteral("expected a JSON object"));
        QJsonObject o = doc.object();
        const QJsonValue tv = o.take(QStringLiteral("t"));
        if (!tv.isDouble() || tv.toDouble() < 0)
            return fail(QStringLiteral("\"t\" must be a number of milliseconds, not %1").arg(compact(tv, 40)));
        const double t = tv.toDouble();
        const QString event = o.take(QStringLiteral("event")).toString();
        const QString action = o.take(QStringLiteral("action")).toString();
        if (event.isEmpty() && action.isEmpty())
            return fail(QStringLiteral("neither \"event\" nor \"action\""));
        const QJsonValue process = o.take(QStringLiteral("process"));
        const QJsonValue stage = o.take(QStringLiteral("stage"));
        const QString name = o.take(QStringLiteral("name")).toString();
        const QString command = o.take(QStringLiteral("command")).toString();
        if ((!process.isUndefined() && !process.isDouble()) || (!stage.isUndefined() && !stage.isDouble()))
            return fail(QStringLiteral("\"process\" and \"stage\" must be numbers"));

        TimelineEvent::Kind kind = TimelineEvent::KindCount;
        const QString what = event.isEmpty() ? action : event;
        for (int k = 0; k < TimelineEvent::KindCount; ++k) {
            if (what == QLatin1String(KindNames[k]))
                kind = TimelineEvent::Kind(k);
        }
        const bool output = event == QLatin1String("stdout") || event == QLatin1String("stderr");
        // A run's own lines (stage 0, the result) and the tracer's other records have no lane.
        if ((kind == TimelineEvent::KindCount && !output) || (process.isUndefined() && stage.toInt(-1) == 0))
            continue;

        const QString key = !process.isUndefined() ? QStringLiteral("p%1").arg(process.toInt())
                          : !stage.isUndefined()   ? QStringLiteral("s%1").arg(stage.toInt())
                                                   : QStringLiteral("trace");
        auto found = laneByKey.find(key);
        if (found == laneByKey.end()) {
            TimelineLane lane;
            lane.process = process.isUndefined() ? int(lanes.size()) + 1 : process.toInt();
            lane.stage = stage.toInt(-1);
            lane.name = !name.isEmpty() ? name : !stage.isUndefined() ? QStringLiteral("stage %1").arg(stage.toInt()) : QStringLiteral("child");
            lane.command = command;
            lanes.push_back(std::move(lane));
            found = laneByKey.emplace(key, lanes.size() - 1).first;
        }
        TimelineLane &lane = lanes[found->second];
        if (output) {
            const QJsonValue bytes = o.value(QStringLiteral("bytes"));
            const qint64 n = bytes.isDouble() ? qint64(bytes.toDouble()) : o.value(QStringLiteral("data")).toString().toUtf8().size();
            const double duration = std::max(0.0, o.value(QStringLiteral("duration")).toDouble());
            extend(event == QLatin1String("stderr") ? lane.err : lane.out, t, t + duration, n);
            end = std::max(end, t + duration);
            continue;
        }
        insertByTime(lane.events, TimelineEvent{t, kind, o});
        ++count;
        end = std::max(end, t);
    }
    if (lanes.empty()) {
        *error = QStringLiteral("no events in the file");
        return false;
    }
    m_lanes = std::move(lanes);
    m_eventCount = count;
    m_end = end;
    m_recording = false;
    for (int i = 0; i < laneCount(); ++i)
        Q_EMIT laneAdded(i);
    Q_EMIT changed();
    return true;
}

} // namespace Spawnscope::Ui
