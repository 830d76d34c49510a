#include "lesson.h"

#include "sessionlogging.h"

#include "jsliteral.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

namespace Spawnscope {

namespace {

const QStringList kStepFields{QStringLiteral("Title"), QStringLiteral("Run"),     QStringLiteral("Messages"), QStringLiteral("Until"),
                              QStringLiteral("Stop"),  QStringLiteral("Serve"),  QStringLiteral("Makes"),   QStringLiteral("Look"),     QStringLiteral("Explain"),
                              QStringLiteral("Node"),  QStringLiteral("C++"),     QStringLiteral("Shell")};

bool indented(const QString &line)
{
    return line.startsWith(QLatin1String("    ")) || line.startsWith(QLatin1Char('\t'));
}

QString unindent(const QString &line)
{
    return line.startsWith(QLatin1Char('\t')) ? line.mid(1) : line.mid(4);
}

// "2MB", "512K", "1 MiB", "100": bytes; -1 when it is none of these.
qint64 sizeOf(const QString &text)
{
    static const QRegularExpression size(QStringLiteral("\\A(\\d+)\\s*(|B|K|KB|KiB|M|MB|MiB)\\z"), QRegularExpression::CaseInsensitiveOption);
    const auto m = size.match(text.trimmed());
    if (!m.hasMatch())
        return -1;
    const qint64 n = m.captured(1).toLongLong();
    const QString unit = m.captured(2).toUpper();
    if (unit.startsWith(QLatin1Char('K')))
        return n * 1024;
    if (unit.startsWith(QLatin1Char('M')))
        return n * 1024 * 1024;
    return n;
}

struct Field
{
    QString name;
    QString value; // one line, or the block's lines joined
    bool block = false;
    int line = 0;
    QList<int> lines; // a block's lines, by number
};

std::optional<LessonRun> runOf(const Field &f, QString *why)
{
    const QString text = f.value.trimmed();
    const QString kind = text.section(QLatin1Char(' '), 0, 0);
    const QString rest = text.section(QLatin1Char(' '), 1).trimmed();
    LessonRun run;
    if (kind == QLatin1String("pipeline")) {
        run.kind = LessonRun::Kind::Pipeline;
    } else if (kind == QLatin1String("fork")) {
        run.kind = LessonRun::Kind::Fork;
        run.module = rest;
    } else if (const auto mode = launchModeFromName(kind); mode && *mode != LaunchMode::Fork && *mode != LaunchMode::Pipeline) {
        run.mode = *mode;
    } else {
        *why = QStringLiteral("Run: \"%1\" is not one of spawn, exec, execFile, pipeline, batch, fork").arg(kind);
        return std::nullopt;
    }
    if (rest.isEmpty()) {
        *why = run.kind == LessonRun::Kind::Fork ? QStringLiteral("Run: fork needs a module (fibonacci, or a path)")
                                                 : QStringLiteral("Run: %1 needs a command line after it").arg(kind);
        return std::nullopt;
    }
    if (run.kind != LessonRun::Kind::Fork)
        run.line = rest;
    return run;
}

} // namespace

const LessonStep *Lesson::step(const QString &id) const
{
    for (const LessonStep &s : steps) {
        if (s.id == id)
            return &s;
    }
    return nullptr;
}

QString Lesson::runText(const LessonRun &run)
{
    switch (run.kind) {
    case LessonRun::Kind::Pipeline: return QStringLiteral("pipeline %1").arg(run.line);
    case LessonRun::Kind::Fork: return QStringLiteral("fork %1").arg(run.module);
    case LessonRun::Kind::Command: break;
    }
    return QStringLiteral("%1 %2").arg(launchModeName(run.mode), run.line);
}

std::optional<Lesson> Lesson::parse(const QString &text, QString *error)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    auto fail = [&](int line, const QString &message) {
        *error = QStringLiteral("line %1: %2").arg(line).arg(message);
        return std::nullopt;
    };
    // Fields first, each with its line, blocks gathered; then their meaning.
    QList<Field> fields;
    static const QRegularExpression head(QStringLiteral("\\A([A-Za-z+]+):(.*)\\z"));
    for (int i = 0; i < lines.size(); ++i) {
        QString line = lines[i];
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (indented(line))
            return fail(i + 1, QStringLiteral("an indented line belongs to a block, after a field such as Explain: alone on its line"));
        const auto m = head.match(line);
        if (!m.hasMatch())
            return fail(i + 1, QStringLiteral("\"%1\" is not a field (Name: value)").arg(line.left(40)));
        Field f{m.captured(1), m.captured(2).trimmed(), false, i + 1, {}};
        if (f.value.isEmpty()) {
            f.block = true;
            QStringList block;
            while (i + 1 < lines.size() && (indented(lines[i + 1]) || lines[i + 1].trimmed().isEmpty())) {
                ++i;
                QString l = lines[i];
                if (l.endsWith(QLatin1Char('\r')))
                    l.chop(1);
                block << (l.trimmed().isEmpty() ? QString() : unindent(l));
                f.lines << i + 1;
            }
            while (!block.isEmpty() && block.last().isEmpty()) {
                block.removeLast();
                f.lines.removeLast();
            }
            if (block.isEmpty())
                return fail(f.line, QStringLiteral("%1: is empty; write its value after the colon, or an indented block below it").arg(f.name));
            f.value = block.join(QLatin1Char('\n'));
        }
        fields << f;
    }
    if (fields.isEmpty() || fields.first().name != QLatin1String("Lesson"))
        return fail(fields.isEmpty() ? 1 : fields.first().line, QStringLiteral("a lesson starts with Lesson: and its title"));

    Lesson lesson;
    lesson.title = fields.first().value;
    LessonStep *step = nullptr;
    QSet<QString> seen; // fields of the current step
    static const QRegularExpression id(QStringLiteral("\\A[a-z0-9][a-z0-9-]*\\z"));
    auto finish = [&]() -> std::optional<QString> {
        if (!step)
            return std::nullopt;
        if (step->title.isEmpty())
            return QStringLiteral("step %1 has no Title").arg(step->id);
        if (!seen.contains(QStringLiteral("Run")))
            return QStringLiteral("step %1 has no Run").arg(step->id);
        if (step->run.kind == LessonRun::Kind::Fork && step->run.messages.isEmpty())
            return QStringLiteral("step %1 forks, and needs Messages: one line a child").arg(step->id);
        return std::nullopt;
    };
    for (qsizetype n = 1; n < fields.size(); ++n) {
        const Field &f = fields[n];
        if (f.name == QLatin1String("Lesson"))
            return fail(f.line, QStringLiteral("a file holds one lesson: a second Lesson: is not allowed"));
        if (f.name == QLatin1String("About")) {
            if (step)
                return fail(f.line, QStringLiteral("About: belongs to the lesson, before its first Step:"));
            lesson.about = f.value;
            continue;
        }
        if (f.name == QLatin1String("Step")) {
            if (const auto why = finish())
                return fail(step->line, *why);
            if (!id.match(f.value).hasMatch())
                return fail(f.line, QStringLiteral("Step: \"%1\" is not an id (lowercase letters, digits and -)").arg(f.value));
            if (lesson.step(f.value))
                return fail(f.line, QStringLiteral("there is already a step %1").arg(f.value));
            lesson.steps.append(LessonStep{});
            step = &lesson.steps.last();
            step->id = f.value;
            step->line = f.line;
            seen.clear();
            continue;
        }
        if (!kStepFields.contains(f.name))
            return fail(f.line, QStringLiteral("unknown field \"%1\" (Lesson, About, Step, %2)").arg(f.name, kStepFields.join(QStringLiteral(", "))));
        if (!step)
            return fail(f.line, QStringLiteral("%1: belongs to a step; start one with Step: and an id").arg(f.name));
        if (seen.contains(f.name))
            return fail(f.line, QStringLiteral("step %1 has %2: twice").arg(step->id, f.name));
        seen.insert(f.name);
        if (f.name == QLatin1String("Title")) {
            step->title = f.value;
        } else if (f.name == QLatin1String("Run")) {
            if (f.block)
                return fail(f.line, QStringLiteral("Run: takes one line"));
            QString why;
            const auto run = runOf(f, &why);
            if (!run)
                return fail(f.line, why);
            // Fields that came before Run: keep them.
            const LessonRun before = step->run;
            step->run = *run;
            step->run.messages = before.messages;
            step->run.untilAnswered = before.untilAnswered;
            step->run.stopAfterMs = before.stopAfterMs;
            step->run.makes = before.makes;
            step->run.serve = before.serve;
        } else if (f.name == QLatin1String("Messages")) {
            const QStringList items = f.value.split(QLatin1Char('\n'));
            for (int k = 0; k < items.size(); ++k) {
                if (items[k].trimmed().isEmpty())
                    continue;
                const int at = f.block ? f.lines.value(k, f.line) : f.line;
                JsLiteral::Error bad;
                const auto value = JsLiteral::parse(items[k], &bad);
                if (!value)
                    return fail(at, QStringLiteral("Messages: column %1: %2").arg(bad.position + 1 + (f.block ? 4 : 0)).arg(bad.message));
                step->run.messages << *value;
            }
        } else if (f.name == QLatin1String("Until")) {
            if (f.value != QLatin1String("answered"))
                return fail(f.line, QStringLiteral("Until: \"%1\" is not answered").arg(f.value));
            step->run.untilAnswered = true;
        } else if (f.name == QLatin1String("Serve")) {
            if (f.value != QLatin1String("files"))
                return fail(f.line, QStringLiteral("Serve: \"%1\" is not files").arg(f.value));
            step->run.serve = true;
        } else if (f.name == QLatin1String("Stop")) {
            bool ok = false;
            const int ms = f.value.toInt(&ok);
            if (!ok || ms <= 0)
                return fail(f.line, QStringLiteral("Stop: \"%1\" is not a number of milliseconds").arg(f.value));
            step->run.stopAfterMs = ms;
        } else if (f.name == QLatin1String("Makes")) {
            const QStringList items = f.value.split(QLatin1Char('\n'));
            for (int k = 0; k < items.size(); ++k) {
                const QString item = items[k].trimmed();
                if (item.isEmpty())
                    continue;
                const int at = f.block ? f.lines.value(k, f.line) : f.line;
                const QString name = item.section(QLatin1Char(' '), 0, 0);
                const QString what = item.section(QLatin1Char(' '), 1).trimmed();
                const bool copied = what == QLatin1String("from lesson");
                const qint64 bytes = copied ? 0 : sizeOf(what);
                if (bytes < 0 || name.contains(QLatin1Char('/')) || name.startsWith(QLatin1Char('.')))
                    return fail(at, QStringLiteral("Makes: \"%1\" is not NAME SIZE (a plain file name, and 2MB, 512K or 100) or NAME from lesson").arg(item));
                // Where the lesson's own file is comes with the lesson's path, in load().
                step->run.makes << LessonFile{name, bytes, copied ? name : QString()};
            }
        } else if (f.name == QLatin1String("Look")) {
            step->look = f.value;
        } else if (f.name == QLatin1String("Explain")) {
            step->explain = f.value;
        } else if (f.name == QLatin1String("Node")) {
            step->node = f.value;
        } else if (f.name == QLatin1String("C++")) {
            step->cpp = f.value;
        } else if (f.name == QLatin1String("Shell")) {
            step->shell = f.value;
        }
    }
    if (const auto why = finish())
        return fail(step->line, *why);
    for (const LessonStep &s : std::as_const(lesson.steps)) {
        if (s.run.kind != LessonRun::Kind::Fork && (!s.run.messages.isEmpty() || s.run.untilAnswered))
            return fail(s.line, QStringLiteral("step %1: Messages and Until are for Run: fork").arg(s.id));
        if (!s.run.serve && s.run.line.contains(QLatin1String("@url")))
            return fail(s.line, QStringLiteral("step %1: @url is the address of the step's files: it needs Serve: files").arg(s.id));
    }
    if (lesson.steps.isEmpty())
        return fail(fields.first().line, QStringLiteral("the lesson has no steps; each starts with Step: and an id"));
    return lesson;
}

std::optional<Lesson> Lesson::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QString why;
    auto lesson = parse(QString::fromUtf8(file.readAll()), &why);
    if (!lesson) {
        *error = QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), why);
        return std::nullopt;
    }
    // The files a lesson brings along sit next to it (in the resources, for a bundled one).
    const QDir folder = QFileInfo(path).dir();
    for (LessonStep &step : lesson->steps) {
        for (LessonFile &f : step.run.makes) {
            if (!f.source.isEmpty())
                f.source = folder.filePath(f.source);
        }
    }
    lesson->source = path;
    return lesson;
}

QList<Lesson> Lesson::bundled()
{
    QList<Lesson> out;
    QDirIterator it(QStringLiteral(":/lessons"), {QStringLiteral("*.lesson")});
    QStringList paths;
    while (it.hasNext())
        paths << it.next();
    paths.sort();
    for (const QString &path : std::as_const(paths)) {
        QString error;
        if (auto lesson = load(path, &error))
            out << *lesson;
        else
            qCWarning(lcLesson, "a bundled lesson does not parse: %s", qPrintable(error));
    }
    return out;
}

} // namespace Spawnscope
