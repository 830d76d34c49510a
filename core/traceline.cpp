#include "traceline.h"

#include "jsonline.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace Spawnscope {

namespace {

struct KindName
{
    TraceKind kind;
    const char *name;
};

constexpr KindName kNames[] = {
    {TraceKind::Spawn, "spawn"},     {TraceKind::Stdout, "stdout"},   {TraceKind::Stderr, "stderr"},
    {TraceKind::Message, "message"}, {TraceKind::Disconnect, "disconnect"}, {TraceKind::Error, "error"},
    {TraceKind::Exit, "exit"},       {TraceKind::Close, "close"},     {TraceKind::Callback, "callback"},
    {TraceKind::Result, "result"},   {TraceKind::Stop, "stop"},       {TraceKind::Send, "send"},
    {TraceKind::Kill, "kill"},       {TraceKind::StdinError, "stdin-error"},
    {TraceKind::Appeared, "appeared"},   {TraceKind::Gone, "gone"},
};

// The order fields are written in when they come unordered: Node's, where Node prints them.
constexpr const char *kFieldOrder[] = {"pid", "data", "bytes", "duration", "message", "status", "code", "signal", "result",
                                       "stdout", "stderr", "graceMs", "error", "attempt"};

QByteArray number(double ms)
{
    // To the microsecond. A time so large that this overflows is written exactly instead: "inf"
    // is no JSON, and 15 digits of one near the largest double read back as infinity.
    const double rounded = std::round(ms * 1000) / 1000;
    return std::isfinite(rounded) ? QByteArray::number(rounded, 'g', 15) : QByteArray::number(ms, 'g', QLocale::FloatingPointShortest);
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The UTF-16 unit of the `\uXXXX` escape at json[at] (at its backslash), or -1.
int escapedUnit(const QByteArray &json, qsizetype at)
{
    if (at + 6 > json.size() || json[at] != '\\' || json[at + 1] != 'u')
        return -1;
    int unit = 0;
    for (qsizetype k = at + 2; k < at + 6; ++k) {
        const int v = hexValue(json[k]);
        if (v < 0)
            return -1;
        unit = unit * 16 + v;
    }
    return unit;
}

// Every lone surrogate in `json` (as Qt writes one: `\udce9`) as U+FFFD. A name's byte that is
// not UTF-8 (OsString) is such a surrogate, and the trace prints it as Node does: Node reads its
// arguments as UTF-8, so that byte is U+FFFD there. Readers that take only Unicode stay content.
QByteArray withoutLoneSurrogates(const QByteArray &json)
{
    if (!json.contains("\\u"))
        return json;
    QByteArray out;
    out.reserve(json.size());
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        const int unit = escapedUnit(json, i);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            const int next = escapedUnit(json, i + 6);
            if (next >= 0xDC00 && next <= 0xDFFF) { // a pair: a character
                out += json.mid(i, 12);
                i += 11;
                continue;
            }
        }
        if (unit >= 0xD800 && unit <= 0xDFFF) {
            out += "\xef\xbf\xbd"; // U+FFFD, as JSON.stringify writes it: unescaped
            i += 5;
            continue;
        }
        out += json.mid(i, 2); // any other escape, whole: `\\` must not start another
        ++i;
    }
    return out;
}

} // namespace

TraceLine &TraceLine::add(const QString &key, const QJsonValue &value)
{
    return addRaw(key, JsonLine::encode(value));
}

TraceLine &TraceLine::addRaw(const QString &key, const QByteArray &json)
{
    for (auto &field : m_fields) {
        if (field.first == key) {
            field.second = json;
            return *this;
        }
    }
    m_fields.append({key, json});
    return *this;
}

TraceLine &TraceLine::addFields(const QJsonObject &fields)
{
    for (const char *key : kFieldOrder) {
        const auto it = fields.constFind(QLatin1String(key));
        if (it != fields.constEnd())
            add(it.key(), *it);
    }
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        if (std::find_if(std::begin(kFieldOrder), std::end(kFieldOrder), [&](const char *k) { return it.key() == QLatin1String(k); })
            == std::end(kFieldOrder))
            add(it.key(), *it);
    }
    return *this;
}

QJsonObject TraceLine::fields() const
{
    QJsonObject o;
    for (const auto &[key, json] : m_fields)
        o.insert(key, QJsonDocument::fromJson("[" + json + "]").array().at(0));
    return o;
}

QJsonValue TraceLine::field(const QString &key) const
{
    for (const auto &[k, json] : m_fields) {
        if (k == key)
            return QJsonDocument::fromJson("[" + json + "]").array().at(0);
    }
    return QJsonValue(QJsonValue::Undefined);
}

QByteArray TraceLine::toJson() const
{
    JsonLine line;
    line.addRaw("t", number(t));
    if (process)
        line.add("process", *process);
    if (stage)
        line.add("stage", *stage);
    if (!name.isEmpty())
        line.add("name", name);
    if (!command.isEmpty())
        line.add("command", command);
    if (!mode.isEmpty())
        line.add("mode", mode);
    line.add(isAction(kind) ? "action" : "event", kind == TraceKind::Other ? otherName : kindName(kind));
    for (const auto &[key, json] : m_fields)
        line.addRaw(key, json);
    return withoutLoneSurrogates(line.toJson());
}

std::optional<TraceLine> TraceLine::fromJson(const QByteArray &text, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not JSON (%1 at column %2)").arg(parseError.errorString()).arg(parseError.offset + 1);
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("expected a JSON object");
        return std::nullopt;
    }
    QJsonObject o = doc.object();
    const QJsonValue t = o.take(QStringLiteral("t"));
    if (!t.isDouble() || t.toDouble() < 0) {
        *error = QStringLiteral("\"t\" must be a number of milliseconds, not %1").arg(QString::fromUtf8(JsonLine::encode(t)).left(40));
        return std::nullopt;
    }
    const QJsonValue event = o.take(QStringLiteral("event"));
    const QJsonValue action = o.take(QStringLiteral("action"));
    const QString what = event.isString() ? event.toString() : action.toString();
    if (what.isEmpty()) {
        *error = QStringLiteral("neither \"event\" nor \"action\"");
        return std::nullopt;
    }
    TraceLine line(t.toDouble(), kindFromName(what));
    if (line.kind == TraceKind::Other)
        line.otherName = what;
    for (const char *key : {"process", "stage"}) {
        const QJsonValue v = o.take(QLatin1String(key));
        if (v.isUndefined())
            continue;
        if (!v.isDouble()) {
            *error = QStringLiteral("\"%1\" must be a number").arg(QLatin1String(key));
            return std::nullopt;
        }
        (qstrcmp(key, "process") == 0 ? line.process : line.stage) = v.toInt();
    }
    line.name = o.take(QStringLiteral("name")).toString();
    line.command = o.take(QStringLiteral("command")).toString();
    line.mode = o.take(QStringLiteral("mode")).toString();
    line.addFields(o);
    return line;
}

QString TraceLine::kindName(TraceKind kind)
{
    for (const KindName &k : kNames) {
        if (k.kind == kind)
            return QLatin1String(k.name);
    }
    return {};
}

bool TraceLine::isAction(TraceKind kind)
{
    return kind == TraceKind::Send || kind == TraceKind::Kill || kind == TraceKind::StdinError;
}

TraceKind TraceLine::kindFromName(const QString &name)
{
    for (const KindName &k : kNames) {
        if (name == QLatin1String(k.name))
            return k.kind;
    }
    return TraceKind::Other;
}

} // namespace Spawnscope
