// The `*.spawnscope.json` document: PipelineSpec::toJson and PipelineSpec::fromJson.
#include "pipelinespec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace Spawnscope {

namespace {

const QString formatName = QStringLiteral("spawnscope-pipeline");

QJsonValue redirectJson(const FileRedirect &r)
{
    if (!r.append)
        return r.path;
    return QJsonObject{{QStringLiteral("file"), r.path}, {QStringLiteral("append"), true}};
}

const QStringList kRootKeys{QStringLiteral("format"), QStringLiteral("version"), QStringLiteral("name"), QStringLiteral("policy"),
                             QStringLiteral("pipeCapacity"), QStringLiteral("stages"), QStringLiteral("edges"), QStringLiteral("layout")};
const QStringList kStageKeys{QStringLiteral("id"),      QStringLiteral("mode"),    QStringLiteral("name"),   QStringLiteral("command"),
                             QStringLiteral("program"), QStringLiteral("args"),    QStringLiteral("cwd"),    QStringLiteral("env"),
                             QStringLiteral("shell"),   QStringLiteral("timeout"), QStringLiteral("killSignal"), QStringLiteral("stdin"),
                             QStringLiteral("stdout"),  QStringLiteral("stderr")};
const QStringList kEdgeKeys{QStringLiteral("from"), QStringLiteral("stream"), QStringLiteral("to"), QStringLiteral("tap")};

// What a file holds beyond what this version reads, to be written back as it was.
QJsonObject unknownFields(const QJsonObject &o, const QStringList &known)
{
    QJsonObject extra;
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            extra.insert(it.key(), it.value());
    }
    return extra;
}

void addExtra(QJsonObject *o, const QJsonObject &extra)
{
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        if (!o->contains(it.key()))
            o->insert(it.key(), it.value());
    }
}

QJsonObject stageJson(int id, const StageSpec &s)
{
    QJsonObject o{{QStringLiteral("id"), id}, {QStringLiteral("mode"), StageSpec::modeName(s.mode)}};
    if (!s.name.isEmpty())
        o.insert(QStringLiteral("name"), s.name);
    if (s.mode == StageSpec::Mode::Exec) {
        o.insert(QStringLiteral("command"), s.command);
    } else if (s.isFile()) {
        // A file node is its path: `stdin` for a source, `stdout` for a sink, below.
    } else {
        o.insert(QStringLiteral("program"), s.program);
        o.insert(QStringLiteral("args"), QJsonArray::fromStringList(s.args));
    }
    if (!s.cwd.isEmpty())
        o.insert(QStringLiteral("cwd"), s.cwd);
    if (!s.env.isEmpty()) {
        QJsonObject env;
        for (auto it = s.env.cbegin(); it != s.env.cend(); ++it)
            env.insert(it.key(), it.value());
        o.insert(QStringLiteral("env"), env);
    }
    if (!s.shell.isEmpty())
        o.insert(QStringLiteral("shell"), s.shell);
    if (s.timeout > 0)
        o.insert(QStringLiteral("timeout"), s.timeout);
    if (s.killSignal.number() != SIGTERM) {
        // The number when it has no name, so what is saved always loads (or says why not).
        const QString name = s.killSignal.name();
        o.insert(QStringLiteral("killSignal"), name.isEmpty() ? QJsonValue(s.killSignal.number()) : QJsonValue(name));
    }
    if (!s.stdinFile.isEmpty())
        o.insert(QStringLiteral("stdin"), s.stdinFile);
    if (s.stdoutFile.isSet())
        o.insert(QStringLiteral("stdout"), redirectJson(s.stdoutFile));
    if (s.mergeStderr)
        o.insert(QStringLiteral("stderr"), QJsonObject{{QStringLiteral("sameAs"), QStringLiteral("stdout")}});
    else if (s.stderrFile.isSet())
        o.insert(QStringLiteral("stderr"), redirectJson(s.stderrFile));
    addExtra(&o, s.extra);
    return o;
}

// Reads fields and remembers the first thing wrong, with the path to it.
class Reader
{
public:
    QString error;

    bool fail(const QString &path, const QString &what)
    {
        if (error.isEmpty())
            error = QStringLiteral("%1: %2").arg(path, what);
        return false;
    }
    bool string(const QJsonObject &o, const QString &key, const QString &path, QString *out, bool required = false)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return required ? fail(path + QLatin1Char('.') + key, QStringLiteral("missing")) : true;
        if (!v.isString())
            return fail(path + QLatin1Char('.') + key, QStringLiteral("expected a string"));
        *out = v.toString();
        return noNul(*out, path + QLatin1Char('.') + key);
    }
    // A C string ends at a NUL: the rest would be cut silently. Node refuses it too.
    bool noNul(const QString &text, const QString &path)
    {
        return !text.contains(QChar(0)) || fail(path, QStringLiteral("contains a NUL byte"));
    }
    bool integer(const QJsonValue &v, const QString &path, int *out, int min)
    {
        if (v.isUndefined())
            return true;
        const double d = v.toDouble(-1e300);
        // The range first: converting a double outside qint64's range is undefined.
        if (!v.isDouble() || d < min || d > 2147483647 || d != double(qint64(d)))
            return fail(path, min > 0 ? QStringLiteral("expected a positive integer") : QStringLiteral("expected an integer >= %1").arg(min));
        *out = int(d);
        return true;
    }
    bool redirect(const QJsonValue &v, const QString &path, FileRedirect *out)
    {
        if (v.isUndefined())
            return true;
        if (v.isString()) {
            out->path = v.toString();
            return (!out->path.isEmpty() || fail(path, QStringLiteral("empty file name"))) && noNul(out->path, path);
        }
        if (!v.isObject())
            return fail(path, QStringLiteral("expected a file name or {\"file\": ..., \"append\": ...}"));
        const QJsonObject o = v.toObject();
        if (!string(o, QStringLiteral("file"), path, &out->path, true))
            return false;
        if (out->path.isEmpty())
            return fail(path + QStringLiteral(".file"), QStringLiteral("empty file name"));
        const QJsonValue append = o.value(QStringLiteral("append"));
        if (!append.isUndefined() && !append.isBool())
            return fail(path + QStringLiteral(".append"), QStringLiteral("expected true or false"));
        out->append = append.toBool();
        return true;
    }

    bool stage(const QJsonValue &value, const QString &path, int *id, StageSpec *s)
    {
        if (!value.isObject())
            return fail(path, QStringLiteral("expected an object"));
        const QJsonObject o = value.toObject();
        if (o.value(QStringLiteral("id")).isUndefined())
            return fail(path + QStringLiteral(".id"), QStringLiteral("missing"));
        if (!integer(o.value(QStringLiteral("id")), path + QStringLiteral(".id"), id, 1))
            return false;
        QString mode = QStringLiteral("spawn");
        if (!string(o, QStringLiteral("mode"), path, &mode))
            return false;
        if (!StageSpec::modeFromName(mode, &s->mode))
            return fail(path + QStringLiteral(".mode"), QStringLiteral("\"%1\" is not one of spawn, exec, execFile, fork, readFile, writeFile").arg(mode));
        if (!string(o, QStringLiteral("name"), path, &s->name))
            return false;
        if (s->mode == StageSpec::Mode::Exec) {
            if (!string(o, QStringLiteral("command"), path, &s->command, true))
                return false;
        } else if (s->isFile()) {
            const QString key = s->mode == StageSpec::Mode::ReadFile ? QStringLiteral("stdin") : QStringLiteral("stdout");
            if (o.value(key).isUndefined())
                return fail(path + QLatin1Char('.') + key, QStringLiteral("missing: a %1 node names its file here").arg(StageSpec::modeName(s->mode)));
        } else {
            if (!string(o, QStringLiteral("program"), path, &s->program, true))
                return false;
            const QJsonValue args = o.value(QStringLiteral("args"));
            if (!args.isUndefined() && !args.isArray())
                return fail(path + QStringLiteral(".args"), QStringLiteral("expected an array of strings"));
            const QJsonArray list = args.toArray();
            for (int i = 0; i < list.size(); ++i) {
                if (!list[i].isString())
                    return fail(QStringLiteral("%1.args[%2]").arg(path).arg(i), QStringLiteral("expected a string"));
                if (!noNul(list[i].toString(), QStringLiteral("%1.args[%2]").arg(path).arg(i)))
                    return false;
                s->args.append(list[i].toString());
            }
        }
        if (!string(o, QStringLiteral("cwd"), path, &s->cwd) || !string(o, QStringLiteral("shell"), path, &s->shell))
            return false;
        const QJsonValue env = o.value(QStringLiteral("env"));
        if (!env.isUndefined() && !env.isObject())
            return fail(path + QStringLiteral(".env"), QStringLiteral("expected an object of strings"));
        const QJsonObject envObject = env.toObject();
        for (auto it = envObject.begin(); it != envObject.end(); ++it) {
            if (!it.value().isString())
                return fail(path + QStringLiteral(".env.") + it.key(), QStringLiteral("expected a string"));
            if (!noNul(it.key(), path + QStringLiteral(".env")) || !noNul(it.value().toString(), path + QStringLiteral(".env.") + it.key()))
                return false;
            s->env.insert(it.key(), it.value().toString());
        }
        if (!integer(o.value(QStringLiteral("timeout")), path + QStringLiteral(".timeout"), &s->timeout, 0))
            return false;
        const QJsonValue sig = o.value(QStringLiteral("killSignal"));
        if (!sig.isUndefined()) {
            const ProcessSignal parsed = sig.isDouble() ? ProcessSignal(sig.toInt(-1)) : ProcessSignal(sig.toString());
            // As Node (ERR_UNKNOWN_SIGNAL): only the named signals; 0 would kill nothing on a
            // timeout, and the real-time ones have no name to save.
            if (!parsed.isValid() || parsed.name().isEmpty() || (!sig.isDouble() && !sig.isString()))
                return fail(path + QStringLiteral(".killSignal"), QStringLiteral("not a signal name or number"));
            s->killSignal = parsed;
        }
        if (!string(o, QStringLiteral("stdin"), path, &s->stdinFile))
            return false;
        if (!redirect(o.value(QStringLiteral("stdout")), path + QStringLiteral(".stdout"), &s->stdoutFile))
            return false;
        const QJsonValue err = o.value(QStringLiteral("stderr"));
        if (err.isObject() && err.toObject().contains(QStringLiteral("sameAs"))) {
            if (err.toObject().value(QStringLiteral("sameAs")) != QLatin1String("stdout"))
                return fail(path + QStringLiteral(".stderr.sameAs"), QStringLiteral("only \"stdout\" is allowed"));
            s->mergeStderr = true;
        } else if (!redirect(err, path + QStringLiteral(".stderr"), &s->stderrFile)) {
            return false;
        }
        s->extra = unknownFields(o, kStageKeys);
        return true;
    }
};

QString lineAndColumn(const QByteArray &text, int offset)
{
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

} // namespace

QByteArray PipelineSpec::toJson() const
{
    QJsonObject root{{QStringLiteral("format"), formatName}, {QStringLiteral("version"), FormatVersion}};
    if (!name.isEmpty())
        root.insert(QStringLiteral("name"), name);
    root.insert(QStringLiteral("policy"), policyName(policy));
    if (pipeCapacity > 0)
        root.insert(QStringLiteral("pipeCapacity"), pipeCapacity);
    QJsonArray stageList;
    for (auto it = stages.cbegin(); it != stages.cend(); ++it)
        stageList.append(stageJson(it.key(), it.value()));
    root.insert(QStringLiteral("stages"), stageList);
    QJsonArray edgeList;
    for (const Edge &e : edges) {
        QJsonObject o{{QStringLiteral("from"), e.id.from},
                      {QStringLiteral("stream"), streamName(e.id.stream)},
                      {QStringLiteral("to"), e.id.to}};
        if (e.tapped)
            o.insert(QStringLiteral("tap"), true);
        addExtra(&o, e.extra);
        edgeList.append(o);
    }
    root.insert(QStringLiteral("edges"), edgeList);
    if (!layout.isEmpty())
        root.insert(QStringLiteral("layout"), layout);
    addExtra(&root, extra);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<PipelineSpec> PipelineSpec::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("%1: %2").arg(lineAndColumn(json, parseError.offset), parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("the document is not a JSON object");
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    Reader r;
    PipelineSpec spec;
    if (root.value(QStringLiteral("format")) != formatName) {
        *error = QStringLiteral("format: expected \"%1\"").arg(formatName);
        return std::nullopt;
    }
    const QJsonValue version = root.value(QStringLiteral("version"));
    if (version.isUndefined()) {
        *error = QStringLiteral("version: missing (this Spawnscope writes %1)").arg(FormatVersion);
        return std::nullopt;
    }
    if (!version.isDouble() || version.toDouble() < 1 || version.toDouble() != double(version.toInt())) {
        *error = QStringLiteral("version: expected a positive integer");
        return std::nullopt;
    }
    if (version.toInt() > FormatVersion) {
        *error = QStringLiteral("version: %1 is newer than this Spawnscope reads (%2); update Spawnscope")
                     .arg(version.toInt()).arg(FormatVersion);
        return std::nullopt;
    }
    QString policy = QStringLiteral("pipefail");
    if (!r.string(root, QStringLiteral("name"), QStringLiteral("$"), &spec.name)
        || !r.string(root, QStringLiteral("policy"), QStringLiteral("$"), &policy)) {
        *error = r.error.mid(2);
        return std::nullopt;
    }
    if (const auto p = policyFromName(policy)) {
        spec.policy = *p;
    } else {
        *error = QStringLiteral("policy: \"%1\" is not one of last, pipefail, all").arg(policy);
        return std::nullopt;
    }
    if (!r.integer(root.value(QStringLiteral("pipeCapacity")), QStringLiteral("pipeCapacity"), &spec.pipeCapacity, 1)) {
        *error = r.error;
        return std::nullopt;
    }
    const QJsonValue stages = root.value(QStringLiteral("stages"));
    if (!stages.isArray()) {
        *error = QStringLiteral("stages: expected an array");
        return std::nullopt;
    }
    const QJsonArray stageList = stages.toArray();
    for (int i = 0; i < stageList.size(); ++i) {
        const QString path = QStringLiteral("stages[%1]").arg(i);
        int id = 0;
        StageSpec s;
        if (!r.stage(stageList[i], path, &id, &s)) {
            *error = r.error;
            return std::nullopt;
        }
        if (spec.stages.contains(id)) {
            *error = QStringLiteral("%1.id: %2 is used twice").arg(path).arg(id);
            return std::nullopt;
        }
        spec.stages.insert(id, s);
    }
    const QJsonValue edges = root.value(QStringLiteral("edges"));
    if (!edges.isUndefined() && !edges.isArray()) {
        *error = QStringLiteral("edges: expected an array");
        return std::nullopt;
    }
    const QJsonArray edgeList = edges.toArray();
    for (int i = 0; i < edgeList.size(); ++i) {
        const QString path = QStringLiteral("edges[%1]").arg(i);
        const QJsonObject o = edgeList[i].toObject();
        Edge e;
        QString stream = QStringLiteral("stdout");
        if (!edgeList[i].isObject()) {
            r.fail(path, QStringLiteral("expected an object"));
        } else if (o.value(QStringLiteral("from")).isUndefined() || o.value(QStringLiteral("to")).isUndefined()) {
            r.fail(path, QStringLiteral("needs \"from\" and \"to\""));
        } else if (r.integer(o.value(QStringLiteral("from")), path + QStringLiteral(".from"), &e.id.from, 1)
                   && r.integer(o.value(QStringLiteral("to")), path + QStringLiteral(".to"), &e.id.to, 1)
                   && r.string(o, QStringLiteral("stream"), path, &stream)) {
            if (stream == QLatin1String("stdout"))
                e.id.stream = OutputStream::Stdout;
            else if (stream == QLatin1String("stderr"))
                e.id.stream = OutputStream::Stderr;
            else
                r.fail(path + QStringLiteral(".stream"), QStringLiteral("\"%1\" is not stdout or stderr").arg(stream));
            const QJsonValue tap = o.value(QStringLiteral("tap"));
            if (!tap.isUndefined() && !tap.isBool())
                r.fail(path + QStringLiteral(".tap"), QStringLiteral("expected true or false"));
            e.tapped = tap.toBool();
            e.extra = unknownFields(o, kEdgeKeys);
        }
        if (!r.error.isEmpty()) {
            *error = r.error;
            return std::nullopt;
        }
        spec.edges.append(e);
    }
    // Checked all at once: one edge at a time would walk the graph once per edge.
    int bad = -1;
    if (const QString why = spec.edgesProblem(&bad); !why.isEmpty()) {
        *error = QStringLiteral("edges[%1]: %2").arg(bad).arg(why);
        return std::nullopt;
    }
    const QJsonValue layout = root.value(QStringLiteral("layout"));
    if (!layout.isUndefined() && !layout.isObject()) {
        *error = QStringLiteral("layout: expected an object");
        return std::nullopt;
    }
    spec.layout = layout.toObject();
    spec.extra = unknownFields(root, kRootKeys);
    return spec;
}

} // namespace Spawnscope
