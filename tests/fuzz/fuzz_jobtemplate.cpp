// A batch job template and one input, as `spawnscope batch [--shell] TEMPLATE ::: INPUT` gets them.
// An input is the first byte (the job's number), the template (UTF-8), then, after a 0xff byte (which
// UTF-8 never holds), the input.
//
// Properties:
// - quote() of any string is one word of exactly that string, for sh (a reference reading of
//   POSIX quoting) and for ShellLine::parse;
// - without a shell, a template means what the same line means with a plain word in place of each
//   `{...}`: the same words, each value in its place, the input appended when no token is left in
//   the words (nor one made by an expansion); and the job's line, as logged, parses back to its argv;
// - with a shell, the line given to sh means what the template means with a plain word in place
//   of each `{...}`, each value taken literally in its place, whatever the value holds: an input
//   never becomes shell syntax.

#include "fuzz.h"

#include <jobtemplate.h>
#include <shellline.h>

#include <QRegularExpression>
#include <QTemporaryDir>

#include <cstdlib>

using namespace Spawnscope;

namespace {

const QRegularExpression &tokens()
{
    static const QRegularExpression re(QStringLiteral("\\{(|\\.|/|//|/\\.|#)\\}"));
    return re;
}

// No file in this folder, so that a glob matches the same nothing with any value next to it.
QString emptyFolder()
{
    static QTemporaryDir dir;
    return dir.path();
}

const ShellLine::Context &context()
{
    static const ShellLine::Context c{QProcessEnvironment::systemEnvironment(), emptyFolder()};
    return c;
}

bool isInert(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || QStringView(u"_@%+=:,./-").contains(c);
}

// What POSIX sh reads from a word made only of characters that mean nothing to it, single-quoted
// stretches and backslash escapes; nullopt when anything else (an expansion, a blank, an operator)
// is in it.
std::optional<QString> shWord(const QString &w)
{
    if (w.isEmpty())
        return std::nullopt;
    QString out;
    for (qsizetype i = 0; i < w.size(); ++i) {
        const QChar c = w[i];
        if (c == QLatin1Char('\'')) {
            const qsizetype close = w.indexOf(QLatin1Char('\''), i + 1);
            if (close < 0)
                return std::nullopt;
            out += w.mid(i + 1, close - i - 1);
            i = close;
        } else if (c == QLatin1Char('\\')) {
            if (i + 1 >= w.size())
                return std::nullopt;
            if (w[++i] != QLatin1Char('\n'))
                out += w[i];
        } else if (isInert(c)) {
            out += c;
        } else {
            return std::nullopt;
        }
    }
    return out;
}

void checkQuote(const QString &s)
{
    const QString q = ShellLine::quote(s);
    const std::optional<QString> read = shWord(q);
    FUZZ_CHECK(read && *read == s, QStringLiteral("quote(%1) = %2").arg(Fuzz::shown(s), Fuzz::shown(q)));
    ShellLine::Error error;
    const auto spec = ShellLine::parse(QStringLiteral("x ") + q, &error, context());
    if (s.contains(QChar(0))) {
        FUZZ_CHECK(!spec, Fuzz::shown(s)); // no argument can hold one
        return;
    }
    FUZZ_CHECK(spec && spec->stages.size() == 1 && spec->stages.first().program == QLatin1String("x")
                   && spec->stages.first().args == QStringList{s},
               QStringLiteral("quote(%1) = %2, parsed: %3").arg(Fuzz::shown(s), Fuzz::shown(q), spec ? QString::fromUtf8(spec->toJson()) : error.toString()));
}

QString placeholder(qsizetype i)
{
    return QStringLiteral("%Qz%1%").arg(i);
}

struct Masked
{
    QString line;         // the template with a plain word in place of each token
    QStringList found;    // the tokens, in order
};

Masked masked(const QString &text)
{
    Masked m;
    qsizetype at = 0;
    auto it = tokens().globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        m.line += text.mid(at, match.capturedStart() - at) + placeholder(m.found.size());
        m.found << match.captured();
        at = match.capturedEnd();
    }
    m.line += text.mid(at);
    return m;
}

QString replaced(QString text, const QStringList &values)
{
    for (qsizetype i = values.size() - 1; i >= 0; --i)
        text.replace(placeholder(i), values[i]);
    return text;
}

PipelineSpec replaced(PipelineSpec spec, const QStringList &values)
{
    for (StageSpec &s : spec.stages) {
        s.program = replaced(s.program, values);
        for (QString &a : s.args)
            a = replaced(a, values);
        for (QString &v : s.env)
            v = replaced(v, values);
        s.command = replaced(s.command, values);
        s.stdinFile = replaced(s.stdinFile, values);
        s.stdoutFile.path = replaced(s.stdoutFile.path, values);
        s.stderrFile.path = replaced(s.stderrFile.path, values);
    }
    return spec;
}

bool isPlainCommand(const PipelineSpec &spec)
{
    if (spec.stages.size() != 1 || !spec.edges.isEmpty())
        return false;
    const StageSpec &s = spec.stages.first();
    return s.mode == StageSpec::Mode::Spawn && !s.stdoutFile.isSet() && !s.stderrFile.isSet() && !s.mergeStderr && s.stdinFile.isEmpty()
        && s.env.isEmpty();
}

bool hasShellStage(const PipelineSpec &spec)
{
    for (const StageSpec &s : spec.stages) {
        if (s.mode == StageSpec::Mode::Exec)
            return true;
    }
    return false;
}

void checkWithoutShell(const QString &text, const QString &input, int seq)
{
    if (text.contains(QLatin1String("Qz")) || input.contains(QLatin1String("Qz")))
        return; // the plain words would not be plain, or a value would look like one
    // fromLine matches globs in this process's folder: */*/*/* under a build folder, or one from
    // / or ~, takes as long as under bash, and says nothing.
    const bool glob = text.contains(QLatin1Char('*')) || text.contains(QLatin1Char('?')) || text.contains(QLatin1Char('['));
    if (glob && (text.contains(QLatin1Char('/')) || text.contains(QLatin1Char('~'))))
        return;
    QString error;
    const std::optional<JobTemplate> t = JobTemplate::fromLine(text, &error);
    const Masked m = masked(text);
    ShellLine::Error parseError;
    // fromLine reads the line in this process's environment and folder; so does this.
    const auto spec = ShellLine::parse(m.line, &parseError, {});
    bool plain = spec && isPlainCommand(*spec);
    // A token that an expansion or quotes made is not one the template wrote: refused.
    for (const QString &w : plain ? QStringList{spec->stages.first().program} + spec->stages.first().args : QStringList())
        plain = plain && !tokens().match(w).hasMatch();
    const QString what = QStringLiteral("template %1 (as %2)").arg(Fuzz::shown(text), Fuzz::shown(m.line));
    FUZZ_CHECK(bool(t) == plain, what + QStringLiteral(": ") + (t ? QStringLiteral("accepted") : error));
    // Files come and go in this process's folder between two readings of the line.
    if (!t || glob)
        return;
    const StageSpec &stage = spec->stages.first();
    const QStringList words = QStringList{stage.program} + stage.args;
    QStringList expectedWords;
    QStringList values;
    for (const QString &token : m.found)
        values << JobTemplate::substitute(token, input, seq, false);
    QStringList expectedArgv;
    for (const QString &w : words) {
        expectedWords << replaced(w, m.found);
        expectedArgv << replaced(w, values);
    }
    if (expectedWords == words) // no token left in the words (one in a comment is gone)
        expectedArgv << input;
    FUZZ_CHECK(t->words() == expectedWords, what + QStringLiteral(": words ") + Fuzz::shown(t->words().join(QLatin1Char('|'))));
    const QStringList argv = t->expand(input, seq);
    FUZZ_CHECK(argv == expectedArgv, what + QStringLiteral(" with ") + Fuzz::shown(input) + QStringLiteral(": ")
                                         + Fuzz::shown(argv.join(QLatin1Char('|'))) + QStringLiteral(", expected ")
                                         + Fuzz::shown(expectedArgv.join(QLatin1Char('|'))));

    if (argv.first().isEmpty() || input.contains(QChar(0)))
        return; // the job fails to start; its line does not parse
    const QString logged = t->commandLine(input, seq);
    const auto back = ShellLine::parse(logged, &parseError, context());
    FUZZ_CHECK(back && back->stages.size() == 1 && QStringList{back->stages.first().program} + back->stages.first().args == argv
                   && isPlainCommand(*back),
               what + QStringLiteral(" logged as ") + Fuzz::shown(logged));
}

void checkWithShell(const QString &text, const QString &input, int seq)
{
    QString error;
    const std::optional<JobTemplate> t = JobTemplate::fromLine(text, &error, QStringLiteral("/bin/sh"));
    if (!t)
        return;
    const QStringList argv = t->expand(input, seq);
    FUZZ_CHECK(argv.size() == 3 && argv[0] == QLatin1String("/bin/sh") && argv[1] == QLatin1String("-c"), argv.join(QLatin1Char('|')));
    const QString &line = argv[2];

    // A glob next to a value may match files with some values and not others, as in sh; and
    // no argument holds a NUL.
    if (input.contains(QChar(0)) || text.contains(QLatin1Char('*')) || text.contains(QLatin1Char('?')) || text.contains(QLatin1Char('['))
        || text.contains(QLatin1String("Qz")) || input.contains(QLatin1String("Qz")))
        return;
    Masked m = masked(text);
    QStringList values;
    for (const QString &token : m.found)
        values << JobTemplate::substitute(token, input, seq, false);
    if (m.found.isEmpty()) {
        m.line += QLatin1Char(' ') + placeholder(0);
        values << input;
    }
    ShellLine::Error parseError;
    const auto plain = ShellLine::parse(m.line, &parseError, context());
    if (!plain || hasShellStage(*plain))
        return; // what sh would make of it is not ours to say
    const PipelineSpec expected = replaced(*plain, values);
    const auto spec = ShellLine::parse(line, &parseError, context());
    // An empty value as a program or a file name: sh says "not found" or "no such file", and
    // ShellLine refuses the line.
    if (!spec && values.contains(QString()) && parseError.message.startsWith(QLatin1String("empty ")))
        return;
    const QString what = QStringLiteral("template %1 with %2 gave the line %3\n").arg(Fuzz::shown(text), Fuzz::shown(input), Fuzz::shown(line));
    FUZZ_CHECK(spec, what + parseError.toString());
    FUZZ_CHECK(*spec == expected, what + QString::fromUtf8(spec->toJson()) + QStringLiteral("\nexpected\n") + QString::fromUtf8(expected.toJson()));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // The same expansions wherever it runs.
    ::clearenv();
    ::setenv("HOME", "/home/u", 1);
    ::setenv("X", "a  b", 1);
    ::setenv("EMPTY", "", 1);
    ::setenv("PATH", "/usr/bin:/bin", 1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const int seq = data[0];
    const QByteArrayView rest = Fuzz::bytes(data + 1, size - 1);
    const qsizetype split = rest.indexOf('\xff');
    const QString text = QString::fromUtf8(split < 0 ? rest : rest.first(split));
    const QString input = split < 0 ? QString() : QString::fromUtf8(rest.sliced(split + 1));

    checkQuote(input);
    checkQuote(text);
    checkWithoutShell(text, input, seq);
    checkWithShell(text, input, seq);
    return 0;
}
