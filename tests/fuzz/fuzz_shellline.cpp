// A typed or pasted shell line (UTF-8), parsed as the command bar parses it, with a fixed
// environment and a folder of a few files for the globs.
//
// Properties: a line that does not parse says where (within the line) and why. One that parses
// is a chain of stages 1..n, each wired only to the next, each with a program or a command. When
// format() gives it back as a line, that line parses again, to the same pipeline when no stage
// runs under a shell, and formats to the same line.

#include "fuzz.h"

#include <shellline.h>

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace Spawnscope;

namespace {

const ShellLine::Context &context()
{
    static QTemporaryDir dir;
    static const ShellLine::Context c = [] {
        QDir(dir.path()).mkpath(QStringLiteral("sub"));
        for (const char *name : {"a.c", "b.c", ".h.c", "sub/d.c", "my file"})
            QFile(dir.filePath(QString::fromLatin1(name))).open(QIODevice::WriteOnly);
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), QStringLiteral("/home/u"));
        env.insert(QStringLiteral("X"), QStringLiteral("a  b"));
        env.insert(QStringLiteral("SPACED"), QStringLiteral(" a "));
        env.insert(QStringLiteral("EMPTY"), QString());
        env.insert(QStringLiteral("STAR"), QStringLiteral("*.c"));
        env.insert(QStringLiteral("Q"), QStringLiteral("it's \"q\" $X \\"));
        return ShellLine::Context{env, dir.path()};
    }();
    return c;
}

QString shownSpec(const PipelineSpec &spec)
{
    return QString::fromUtf8(spec.toJson());
}

bool hasShellStage(const PipelineSpec &spec)
{
    for (const StageSpec &s : spec.stages) {
        if (s.mode == StageSpec::Mode::Exec)
            return true;
    }
    return false;
}

void checkShape(const QString &line, const PipelineSpec &spec)
{
    const QString what = Fuzz::shown(line) + QLatin1Char('\n') + shownSpec(spec);
    FUZZ_CHECK(!spec.stages.isEmpty(), what);
    FUZZ_CHECK(spec.stages.firstKey() == 1 && spec.stages.lastKey() == spec.stages.size(), what);
    for (const Edge &e : spec.edges)
        FUZZ_CHECK(e.id.to == e.id.from + 1, what);
    FUZZ_CHECK(spec.edgesProblem().isEmpty(), what + spec.edgesProblem());
    for (const StageSpec &s : spec.stages) {
        if (s.mode == StageSpec::Mode::Exec)
            FUZZ_CHECK(!s.command.trimmed().isEmpty(), what);
        else
            FUZZ_CHECK(s.mode == StageSpec::Mode::Spawn && !s.program.isEmpty(), what);
    }
}

// A glob that starts at / or ~, or climbs out with .., can walk the whole disk: as slow under
// bash, and no finding.
bool globsOutside(const QString &line)
{
    static const QRegularExpression absolute(QStringLiteral("(^|[^A-Za-z0-9_.])/"));
    const bool glob = line.contains(QLatin1Char('*')) || line.contains(QLatin1Char('?')) || line.contains(QLatin1Char('['));
    return glob && (line.contains(QLatin1String("..")) || line.contains(QLatin1Char('~')) || absolute.match(line).hasMatch());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString line = QString::fromUtf8(Fuzz::bytes(data, size));
    if (globsOutside(line))
        return 0;
    ShellLine::Error error;
    QStringList notes;
    const std::optional<PipelineSpec> spec = ShellLine::parse(line, &error, context(), &notes);
    if (!spec) {
        FUZZ_CHECK(!error.message.isEmpty() && error.position >= 0 && error.position <= line.size(),
                   Fuzz::shown(line) + QLatin1Char('\n') + error.toString());
        return 0;
    }
    checkShape(line, *spec);

    QString why;
    const std::optional<QString> formatted = ShellLine::format(*spec, &why);
    if (!formatted) {
        FUZZ_CHECK(!why.isEmpty(), Fuzz::shown(line));
        return 0;
    }
    const QString what = QStringLiteral("line %1\nformatted %2\n").arg(Fuzz::shown(line), Fuzz::shown(*formatted));
    const std::optional<PipelineSpec> again = ShellLine::parse(*formatted, &error, context());
    FUZZ_CHECK(again, what + error.toString());
    if (!hasShellStage(*spec))
        FUZZ_CHECK(*again == *spec, what + shownSpec(*spec) + QStringLiteral("\nbecame\n") + shownSpec(*again));
    const std::optional<QString> formattedAgain = ShellLine::format(*again, &why);
    FUZZ_CHECK(formattedAgain == formatted, what + QStringLiteral("then ") + Fuzz::shown(formattedAgain.value_or(why)));
    return 0;
}
