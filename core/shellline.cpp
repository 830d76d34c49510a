#include "shellline.h"

#include "osstring.h"
#include "shellscan_p.h"
#include "shellwords_p.h"

#include <QRegularExpression>

#include <algorithm>

namespace Spawnscope {

namespace {

using Internal::ShellToken;

// Where a descriptor points while a command's redirections are applied left to right; two
// descriptors with the same `id` share one open file or pipe.
struct Target
{
    enum Kind { Parent, Pipe, File } kind = Parent;
    int id = 0;
    FileRedirect file;
};

} // namespace

QString ShellLine::Error::toString() const
{
    return QStringLiteral("column %1: %2").arg(position + 1).arg(message);
}

std::optional<PipelineSpec> ShellLine::parse(const QString &line, Error *error, const Context &context, QStringList *notes)
{
    const std::optional<Internal::ShellScan> scan = Internal::ShellScan::run(line, error);
    if (!scan)
        return std::nullopt;
    const Internal::ShellContext shellContext{context.env.value_or(OsString::systemEnvironment()), context.cwd};
    auto shellStage = [](const QString &command) {
        StageSpec stage;
        stage.mode = StageSpec::Mode::Exec;
        stage.command = command;
        return stage;
    };
    PipelineSpec spec;
    if (scan->wholeLineAt >= 0) {
        // A list decides at run time which of its pipelines run; the shell runs it whole, so its
        // pipes are never split across `;`, `&&` or `||`.
        spec.stages.insert(1, shellStage(line.left(scan->end).trimmed()));
        if (notes)
            notes->append(QStringLiteral("column %1: %2, so the whole line runs under /bin/sh -c").arg(scan->wholeLineAt + 1).arg(scan->wholeLineReason));
        return spec;
    }

    int nextTargetId = 3;
    bool previousPipes = false;
    for (qsizetype e = 0; e < scan->elements.size(); ++e) {
        const Internal::ShellScan::Element &element = scan->elements[e];
        const bool last = e == scan->elements.size() - 1;
        const int id = int(e) + 1;
        const QString text = line.mid(element.start, element.end - element.start).trimmed();
        Internal::ShellElement lexed;
        if (element.compoundAt < 0 && !Internal::lexElement(line, element.start, element.end, shellContext, &lexed, error, notes))
            return std::nullopt;
        if (element.compoundAt >= 0 || lexed.shellAt >= 0) {
            StageSpec stage = shellStage(text);
            stage.mergeStderr = element.pipeBoth;
            spec.stages.insert(id, stage);
            if (!last)
                spec.edges.append(Edge{{id, OutputStream::Stdout, id + 1}, false});
            previousPipes = !last;
            if (notes) {
                notes->append(element.compoundAt >= 0
                                  ? QStringLiteral("stage %1 runs under /bin/sh -c: `%2` is the shell's own grammar").arg(id).arg(element.compound)
                                  : QStringLiteral("stage %1 runs under /bin/sh -c: column %2: %3").arg(id).arg(lexed.shellAt + 1).arg(lexed.shellReason));
            }
            continue;
        }

        const QList<ShellToken> &tokens = lexed.tokens;
        StageSpec stage;
        QStringList argv;
        bool hadWords = false; // a command word was there, whatever it expanded to
        int k = 0;
        const int pipeId = nextTargetId++;
        Target out{last ? Target::Parent : Target::Pipe, last ? 1 : pipeId, {}};
        Target err{Target::Parent, 2, {}};
        auto fileAfter = [&](const ShellToken &op, QString *path) {
            const ShellToken &w = tokens[k + 1];
            if (w.kind != ShellToken::Word) {
                *error = {w.position, QStringLiteral("expected a file name after `%1`").arg(Internal::tokenText(op.kind))};
                return false;
            }
            const QStringList fields = Internal::expandWord(w, shellContext, true, notes);
            if (fields.size() != 1) {
                *error = {w.position, QStringLiteral("ambiguous redirect: `%1` is %2 words").arg(line.mid(w.position, w.end - w.position)).arg(fields.size())};
                return false;
            }
            if (fields.first().isEmpty()) {
                *error = {w.position, QStringLiteral("empty file name after `%1`").arg(Internal::tokenText(op.kind))};
                return false;
            }
            *path = fields.first();
            k += 2;
            return true;
        };
        for (;;) {
            const ShellToken &t = tokens[k];
            if (t.kind == ShellToken::End)
                break;
            if (t.kind == ShellToken::Word) {
                if (!hadWords && !t.assignment.isEmpty()) {
                    stage.env.insert(t.assignment, Internal::expandWord(t, shellContext, false, notes).constFirst());
                } else {
                    argv << Internal::expandWord(t, shellContext, true, notes);
                    hadWords = true;
                }
                ++k;
                continue;
            }
            QString path;
            switch (t.kind) {
            case ShellToken::In:
                if (!fileAfter(t, &path))
                    return std::nullopt;
                if (previousPipes) {
                    *error = {t.position, QStringLiteral("this command already reads the pipe before it")};
                    return std::nullopt;
                }
                stage.stdinFile = path;
                break;
            case ShellToken::Out:
            case ShellToken::Clobber:
            case ShellToken::Append:
            case ShellToken::ErrOut:
            case ShellToken::ErrAppend:
            case ShellToken::BothOut:
            case ShellToken::BothAppend: {
                if (!fileAfter(t, &path))
                    return std::nullopt;
                const bool append = t.kind == ShellToken::Append || t.kind == ShellToken::ErrAppend || t.kind == ShellToken::BothAppend;
                const Target file{Target::File, nextTargetId++, FileRedirect{path, append}};
                if (t.kind != ShellToken::ErrOut && t.kind != ShellToken::ErrAppend)
                    out = file;
                if (t.kind != ShellToken::Out && t.kind != ShellToken::Clobber && t.kind != ShellToken::Append)
                    err = file;
                break;
            }
            case ShellToken::ErrToOut:
                err = out;
                ++k;
                break;
            default:
                ++k;
                break;
            }
        }
        if (argv.isEmpty()) {
            *error = {tokens.first().position,
                      !stage.env.isEmpty() ? QStringLiteral("only assignments: a variable set here lasts no longer than the line, and nothing runs")
                      : hadWords           ? QStringLiteral("the command expanded to nothing")
                                           : QStringLiteral("no command")};
            return std::nullopt;
        }
        if (argv.first().isEmpty()) {
            *error = {tokens.first().position, QStringLiteral("empty program name")};
            return std::nullopt;
        }
        stage.program = argv.takeFirst();
        stage.args = argv;
        if (element.pipeBoth)
            err = out; // bash: after the command's own redirections
        if (out.kind == Target::File)
            stage.stdoutFile = out.file;
        if (err.id == out.id)
            stage.mergeStderr = true;
        else if (err.kind == Target::File)
            stage.stderrFile = err.file;
        spec.stages.insert(id, stage);
        if (!last) {
            if (out.kind == Target::Pipe)
                spec.edges.append(Edge{{id, OutputStream::Stdout, id + 1}, false});
            if (err.kind == Target::Pipe && !stage.mergeStderr)
                spec.edges.append(Edge{{id, OutputStream::Stderr, id + 1}, false});
        }
        previousPipes = !last && (out.kind == Target::Pipe || err.kind == Target::Pipe);
    }
    return spec;
}

QString ShellLine::quote(const QString &word)
{
    // Checked character by character: an anchored regex would let a word ending in a newline
    // through unquoted (`$` matches before a final newline), and the shell would run what follows.
    auto isPlain = [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
            || QStringView(u"_@%+=:,./-").contains(c);
    };
    if (!word.isEmpty() && std::all_of(word.cbegin(), word.cend(), isPlain))
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString ShellLine::forTerminal(const QString &line)
{
    if (!OsString::hasRawBytes(line))
        return line;
    auto isByte = [&line](qsizetype i) {
        return OsString::isEscape(line[i].unicode()) && (i == 0 || !line[i - 1].isHighSurrogate());
    };
    QString out;
    bool single = false;
    bool dbl = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (isByte(i)) {
            QString bytes = QStringLiteral("$'");
            for (; i < line.size() && isByte(i); ++i)
                bytes += QStringLiteral("\\%1").arg(int(line[i].unicode() - 0xDC00), 3, 8, QLatin1Char('0'));
            --i;
            bytes += QLatin1Char('\'');
            // Out of the quotes it stood in, and back into them.
            out += single ? QLatin1Char('\'') + bytes + QLatin1Char('\'') : dbl ? QLatin1Char('"') + bytes + QLatin1Char('"') : bytes;
            continue;
        }
        if (c == QLatin1Char('\\') && !single && i + 1 < line.size()) {
            if (isByte(i + 1)) {
                if (dbl) // there the backslash is itself; outside, `\<byte>` is the byte
                    out += QLatin1String("\\\\");
                continue;
            }
            out += c;
            out += line[++i];
            continue;
        }
        if (c == QLatin1Char('\'') && !dbl)
            single = !single;
        else if (c == QLatin1Char('"') && !single)
            dbl = !dbl;
        out += c;
    }
    return out;
}

std::optional<QString> ShellLine::format(const PipelineSpec &drawn, QString *why)
{
    const PipelineSpec spec = drawn.withFilesAsRedirections();
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        if (!it->isFile())
            continue;
        // Why it was not folded into `<` or `>`: say the reason that applies.
        const QList<Edge> wires = it->mode == StageSpec::Mode::ReadFile ? spec.edgesFrom(it.key()) : spec.edgesTo(it.key());
        if (wires.isEmpty())
            *why = QStringLiteral("the file %1 is not wired to any stage").arg(it->displayName());
        else if (wires.size() > 1)
            *why = QStringLiteral("the file %1 is wired to several stages, which a shell line can say only with tee or cat").arg(it->displayName());
        else if (it->mode == StageSpec::Mode::WriteFile)
            *why = QStringLiteral("%1's %2 goes to several places, which a shell line can say only with tee")
                       .arg(spec.stages.value(wires.first().id.from).displayName(), PipelineSpec::streamName(wires.first().id.stream));
        else
            *why = QStringLiteral("the file %1 is read by a stage that reads something else too").arg(it->displayName());
        return std::nullopt;
    }
    if (spec.stages.isEmpty()) {
        *why = QStringLiteral("the pipeline has no stages");
        return std::nullopt;
    }
    const QList<int> ids = spec.stageIds();
    QStringList parts;
    for (int n = 0; n < ids.size(); ++n) {
        const int id = ids[n];
        const StageSpec &s = spec.stages[id];
        const QString who = QStringLiteral("stage %1 (%2)").arg(id).arg(s.displayName());
        auto refuse = [&](const QString &what) {
            *why = QStringLiteral("%1 %2, which a shell line cannot express").arg(who, what);
            return std::nullopt;
        };
        if (s.mode == StageSpec::Mode::Fork)
            return refuse(QStringLiteral("is forked with a message channel"));

        if (!s.cwd.isEmpty())
            return refuse(QStringLiteral("has its own working directory"));
        if (s.timeout > 0)
            return refuse(QStringLiteral("has a timeout"));
        if (s.killSignal.number() != SIGTERM)
            return refuse(QStringLiteral("has a kill signal"));
        if (!s.shell.isEmpty())
            return refuse(QStringLiteral("names a shell"));

        const QList<Edge> out = spec.edgesFrom(id);
        const QList<Edge> in = spec.edgesTo(id);
        const int next = n + 1 < ids.size() ? ids[n + 1] : -1;
        const int previous = n > 0 ? ids[n - 1] : -1;
        bool pipesStdout = false;
        bool pipesStderr = false;
        for (const Edge &e : out) {
            if (e.id.to != next)
                return refuse(QStringLiteral("feeds a stage other than the next one"));
            (e.id.stream == OutputStream::Stdout ? pipesStdout : pipesStderr) = true;
        }
        for (const Edge &e : in) {
            if (e.id.from != previous)
                return refuse(QStringLiteral("is fed by a stage other than the previous one"));
        }

        QStringList words;
        for (auto it = s.env.cbegin(); it != s.env.cend(); ++it)
            words.append(it.key() + QLatin1Char('=') + quote(it.value()));
        // Where a command starts, `A=b` would be an assignment and `if` the shell's grammar.
        static const QStringList reserved{QStringLiteral("case"),  QStringLiteral("coproc"), QStringLiteral("do"),
                                          QStringLiteral("done"),  QStringLiteral("elif"),   QStringLiteral("else"),
                                          QStringLiteral("esac"),  QStringLiteral("fi"),     QStringLiteral("for"),
                                          QStringLiteral("function"), QStringLiteral("if"),  QStringLiteral("in"),
                                          QStringLiteral("select"), QStringLiteral("then"),  QStringLiteral("time"),
                                          QStringLiteral("until"), QStringLiteral("while")};
        if (s.mode == StageSpec::Mode::Exec)
            words << QStringLiteral("sh") << QStringLiteral("-c") << quote(s.command);
        else if (const QString q = quote(s.program);
                 (s.program.contains(QLatin1Char('=')) || reserved.contains(s.program)) && !q.startsWith(QLatin1Char('\'')))
            words.append(QLatin1Char('\'') + q + QLatin1Char('\''));
        else
            words.append(quote(s.program));
        if (s.mode != StageSpec::Mode::Exec) {
            for (const QString &a : s.args)
                words.append(quote(a));
        }
        if (!s.stdinFile.isEmpty())
            words << QStringLiteral("<") + quote(s.stdinFile);
        if (pipesStderr && !pipesStdout) {
            // stderr into the pipe, stdout elsewhere: `2>&1` must come before stdout moves.
            if (!s.stdoutFile.isSet())
                return refuse(QStringLiteral("pipes only stderr while stdout goes to the terminal"));
            words << QStringLiteral("2>&1")
                  << (s.stdoutFile.append ? QStringLiteral(">>") : QStringLiteral(">")) + quote(s.stdoutFile.path);
        } else {
            if (s.stdoutFile.isSet())
                words << (s.stdoutFile.append ? QStringLiteral(">>") : QStringLiteral(">")) + quote(s.stdoutFile.path);
            if (s.mergeStderr)
                words << QStringLiteral("2>&1");
            else if (s.stderrFile.isSet())
                words << (s.stderrFile.append ? QStringLiteral("2>>") : QStringLiteral("2>")) + quote(s.stderrFile.path);
            else if (pipesStderr)
                words << QStringLiteral("2>&1"); // both streams into one pipe
        }
        parts.append(words.join(QLatin1Char(' ')));
        // `|` would send this stage's output into the next one; unwired, it goes to the window
        // and the next stage reads nothing: two pipelines, not one line. (Sent to a file, the
        // `|` carries nothing, as in `a >out | b`.)
        if (next >= 0 && !pipesStdout && !pipesStderr && !s.stdoutFile.isSet()) {
            *why = QStringLiteral("%1 is not wired to stage %2 (%3): a shell line would pipe one into the other")
                       .arg(who).arg(next).arg(spec.stages[next].displayName());
            return std::nullopt;
        }
        if (next >= 0)
            parts.append(QStringLiteral("|"));
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace Spawnscope
