#include "shellline.h"

#include <QRegularExpression>

#include <algorithm>

namespace Spawnscope {

namespace {

struct Token
{
    enum Kind { Word, Pipe, PipeBoth, In, Out, Append, ErrOut, ErrAppend, ErrToOut, BothOut, BothAppend, End };
    Kind kind = Word;
    QString text;
    int position = 0;
    bool quoted = false; // any part of the word was quoted or escaped
};

class Lexer
{
public:
    explicit Lexer(const QString &line) : s(line) {}

    std::optional<QList<Token>> run(ShellLine::Error *error)
    {
        QList<Token> tokens;
        while (true) {
            while (i < s.size() && (s[i] == QLatin1Char(' ') || s[i] == QLatin1Char('\t') || s[i] == QLatin1Char('\n')))
                ++i;
            if (i + 1 < s.size() && s[i] == QLatin1Char('\\') && s[i + 1] == QLatin1Char('\n')) {
                i += 2;
                continue;
            }
            if (i >= s.size())
                break;
            Token t;
            t.position = i;
            if (!operatorAt(&t) && (!problem.isEmpty() || !word(&t)))
                break;
            if (i == t.position)
                return *error = {i, QStringLiteral("unexpected `%1`").arg(s[i])}, std::nullopt;
            tokens.append(t);
        }
        if (!problem.isEmpty()) {
            *error = {problemAt, problem};
            return std::nullopt;
        }
        tokens.append(Token{Token::End, {}, int(s.size()), false});
        return tokens;
    }

private:
    const QString &s;
    int i = 0;
    QString problem;
    int problemAt = 0;

    bool fail(int at, const QString &message)
    {
        if (problem.isEmpty()) {
            problem = message;
            problemAt = at;
        }
        return false;
    }
    QChar at(int k) const { return k < s.size() ? s[k] : QChar(); }
    bool next(const char *text) const { return s.mid(i, int(qstrlen(text))) == QLatin1String(text); }

    bool operatorAt(Token *t)
    {
        const int start = i;
        auto take = [&](Token::Kind kind, int length) {
            t->kind = kind;
            i += length;
            return true;
        };
        if (next("||"))
            return fail(start, QStringLiteral("`||` needs a shell; run the line as an exec stage"));
        if (next("|&"))
            return take(Token::PipeBoth, 2);
        if (next("|"))
            return take(Token::Pipe, 1);
        if (next("&&"))
            return fail(start, QStringLiteral("`&&` needs a shell; run the line as an exec stage"));
        if (next("&>>"))
            return take(Token::BothAppend, 3);
        if (next("&>"))
            return take(Token::BothOut, 2);
        if (next("&"))
            return fail(start, QStringLiteral("`&` (background) is not supported"));
        if (next(";"))
            return fail(start, QStringLiteral("`;` needs a shell; run the line as an exec stage"));
        if (next("(") || next(")"))
            return fail(start, QStringLiteral("subshells need a shell; run the line as an exec stage"));
        if (next("<<"))
            return fail(start, QStringLiteral("here-documents are not supported"));
        if (next("<(") || next(">("))
            return fail(start, QStringLiteral("process substitution is not supported"));
        if (next("<&") || next(">&"))
            return fail(start, QStringLiteral("only `2>&1` duplicates a descriptor"));
        if (next("0<"))
            return take(Token::In, 2);
        if (next("<"))
            return take(Token::In, 1);
        if (next(">>") || next("1>>"))
            return take(Token::Append, next("1") ? 3 : 2);
        if (next(">|"))
            return take(Token::Out, 2);
        if (next("2>&1"))
            return take(Token::ErrToOut, 4);
        if (next("2>>"))
            return take(Token::ErrAppend, 3);
        if (next("2>&") || next("1>&"))
            return fail(start, QStringLiteral("only `2>&1` duplicates a descriptor"));
        if (next("2>"))
            return take(Token::ErrOut, 2);
        if (next("1>"))
            return take(Token::Out, 2);
        if (next(">"))
            return take(Token::Out, 1);
        if (at(i).isDigit() && (at(i + 1) == QLatin1Char('>') || at(i + 1) == QLatin1Char('<')))
            return fail(start, QStringLiteral("only descriptors 0, 1 and 2 can be redirected"));
        return false;
    }

    static bool endsWord(QChar c)
    {
        return c.isNull() || c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n')
            || QStringLiteral("|&;<>()").contains(c);
    }

    bool word(Token *t)
    {
        t->kind = Token::Word;
        const int start = i;
        while (!endsWord(at(i))) {
            const QChar c = s[i];
            if (c == QLatin1Char('\'')) {
                const int close = s.indexOf(QLatin1Char('\''), i + 1);
                if (close < 0)
                    return fail(i, QStringLiteral("unterminated single quote"));
                t->text += s.mid(i + 1, close - i - 1);
                t->quoted = true;
                i = close + 1;
            } else if (c == QLatin1Char('"')) {
                const int open = i++;
                t->quoted = true;
                while (true) {
                    if (i >= s.size())
                        return fail(open, QStringLiteral("unterminated double quote"));
                    const QChar d = s[i];
                    if (d == QLatin1Char('"')) {
                        ++i;
                        break;
                    }
                    if (d == QLatin1Char('$') || d == QLatin1Char('`'))
                        return fail(i, QStringLiteral("`%1` expansion needs a shell; quote it with '...' or run the line as an exec stage").arg(d));
                    if (d == QLatin1Char('\\') && QStringLiteral("$`\"\\\n").contains(at(i + 1))) {
                        if (at(i + 1) != QLatin1Char('\n'))
                            t->text += s[i + 1];
                        i += 2;
                        continue;
                    }
                    t->text += d;
                    ++i;
                }
            } else if (c == QLatin1Char('\\')) {
                if (i + 1 >= s.size())
                    return fail(i, QStringLiteral("a backslash at the end of the line escapes nothing"));
                if (s[i + 1] != QLatin1Char('\n'))
                    t->text += s[i + 1];
                t->quoted = true;
                i += 2;
            } else if (c == QLatin1Char('$') || c == QLatin1Char('`')) {
                return fail(i, QStringLiteral("`%1` expansion needs a shell; quote it with '...' or run the line as an exec stage").arg(c));
            } else if (c == QLatin1Char('*') || c == QLatin1Char('?') || c == QLatin1Char('[')) {
                return fail(i, QStringLiteral("`%1` would be a glob, which needs a shell; quote it to mean it literally").arg(c));
            } else if (i == start && (c == QLatin1Char('~') || c == QLatin1Char('#'))) {
                return fail(i, c == QLatin1Char('~') ? QStringLiteral("`~` expansion needs a shell; write the path out")
                                                     : QStringLiteral("comments are not supported"));
            } else if (c == QLatin1Char('{') && s.mid(i, 2) != QLatin1String("{}")) {
                return fail(i, QStringLiteral("`{` may be brace expansion, which needs a shell; quote it to mean it literally"));
            } else {
                t->text += c;
                ++i;
            }
        }
        return true;
    }
};

// Where a descriptor points while a command's redirections are applied left to right; two
// descriptors with the same `id` share one open file or pipe.
struct Target
{
    enum Kind { Parent, Pipe, File } kind = Parent;
    int id = 0;
    FileRedirect file;
};

QString tokenText(Token::Kind kind)
{
    switch (kind) {
    case Token::Pipe: return QStringLiteral("|");
    case Token::PipeBoth: return QStringLiteral("|&");
    case Token::In: return QStringLiteral("<");
    case Token::Out: return QStringLiteral(">");
    case Token::Append: return QStringLiteral(">>");
    case Token::ErrOut: return QStringLiteral("2>");
    case Token::ErrAppend: return QStringLiteral("2>>");
    case Token::ErrToOut: return QStringLiteral("2>&1");
    case Token::BothOut: return QStringLiteral("&>");
    case Token::BothAppend: return QStringLiteral("&>>");
    default: return {};
    }
}

} // namespace

QString ShellLine::Error::toString() const
{
    return QStringLiteral("column %1: %2").arg(position + 1).arg(message);
}

std::optional<PipelineSpec> ShellLine::parse(const QString &line, Error *error)
{
    Lexer lexer(line);
    const std::optional<QList<Token>> lexed = lexer.run(error);
    if (!lexed)
        return std::nullopt;
    const QList<Token> &tokens = *lexed;
    static const QRegularExpression assignment(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*="));

    PipelineSpec spec;
    int k = 0;
    int nextTargetId = 3;
    bool previousPipes = false;
    while (true) {
        StageSpec stage;
        const int commandStart = tokens[k].position;
        const bool last = [&] {
            for (int j = k; j < tokens.size(); ++j) {
                if (tokens[j].kind == Token::Pipe || tokens[j].kind == Token::PipeBoth)
                    return false;
            }
            return true;
        }();
        const int pipeId = nextTargetId++;
        Target out{last ? Target::Parent : Target::Pipe, last ? 1 : pipeId, {}};
        Target err{Target::Parent, 2, {}};
        bool haveProgram = false;
        auto fileAfter = [&](const Token &op, QString *path) {
            const Token &w = tokens[k + 1];
            if (w.kind != Token::Word) {
                *error = {w.position, QStringLiteral("expected a file name after `%1`").arg(tokenText(op.kind))};
                return false;
            }
            if (w.text.isEmpty()) {
                *error = {w.position, QStringLiteral("empty file name after `%1`").arg(tokenText(op.kind))};
                return false;
            }
            *path = w.text;
            k += 2;
            return true;
        };
        for (;;) {
            const Token &t = tokens[k];
            if (t.kind == Token::End || t.kind == Token::Pipe || t.kind == Token::PipeBoth)
                break;
            if (t.kind == Token::Word) {
                const QRegularExpressionMatch m = assignment.match(t.text);
                if (!haveProgram && m.hasMatch() && !line.mid(t.position, m.capturedLength()).contains(QLatin1Char('\\'))
                    && line.mid(t.position, m.capturedLength()) == m.captured()) {
                    stage.env.insert(t.text.left(m.capturedLength() - 1), t.text.mid(m.capturedLength()));
                } else if (!haveProgram) {
                    if (t.text.isEmpty()) {
                        *error = {t.position, QStringLiteral("empty program name")};
                        return std::nullopt;
                    }
                    stage.program = t.text;
                    haveProgram = true;
                } else {
                    stage.args.append(t.text);
                }
                ++k;
                continue;
            }
            QString path;
            switch (t.kind) {
            case Token::In:
                if (!fileAfter(t, &path))
                    return std::nullopt;
                if (previousPipes) {
                    *error = {t.position, QStringLiteral("this command already reads the pipe before it")};
                    return std::nullopt;
                }
                stage.stdinFile = path;
                break;
            case Token::Out:
            case Token::Append:
            case Token::ErrOut:
            case Token::ErrAppend:
            case Token::BothOut:
            case Token::BothAppend: {
                if (!fileAfter(t, &path))
                    return std::nullopt;
                const bool append = t.kind == Token::Append || t.kind == Token::ErrAppend || t.kind == Token::BothAppend;
                const Target file{Target::File, nextTargetId++, FileRedirect{path, append}};
                if (t.kind != Token::ErrOut && t.kind != Token::ErrAppend)
                    out = file;
                if (t.kind != Token::Out && t.kind != Token::Append)
                    err = file;
                break;
            }
            case Token::ErrToOut:
                err = out;
                ++k;
                break;
            default:
                break;
            }
        }
        const Token &end = tokens[k];
        if (!haveProgram) {
            *error = {end.kind == Token::End ? commandStart : end.position,
                      end.kind == Token::End && spec.stages.isEmpty() ? QStringLiteral("no command")
                                                                         : QStringLiteral("missing command before `%1`").arg(end.kind == Token::End ? QStringLiteral("end of line") : tokenText(end.kind))};
            if (end.kind == Token::End && !spec.stages.isEmpty())
                error->message = QStringLiteral("missing command after `|`");
            return std::nullopt;
        }
        if (end.kind == Token::PipeBoth)
            err = out; // bash: after the command's own redirections

        const int id = spec.nextStageId();
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
        if (end.kind == Token::End)
            break;
        ++k;
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

std::optional<QString> ShellLine::format(const PipelineSpec &spec, QString *why)
{
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
        if (s.mode == StageSpec::Mode::Exec)
            words << QStringLiteral("sh") << QStringLiteral("-c") << quote(s.command);
        else if (const QString q = quote(s.program); s.program.contains(QLatin1Char('=')) && !q.startsWith(QLatin1Char('\'')))
            words.append(QLatin1Char('\'') + q + QLatin1Char('\'')); // not an assignment
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
        // A stage that feeds nothing still joins with `|`: the next one reads end of file at
        // once, as its unconnected stdin does in a run.
        if (next >= 0)
            parts.append(QStringLiteral("|"));
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace Spawnscope
