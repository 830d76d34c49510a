#include "shellwords_p.h"

#include "osstring.h"

#include <QDir>
#include <QRegularExpression>

#include <algorithm>

#include <dirent.h>
#include <fnmatch.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Spawnscope::Internal {

namespace {

bool isNameStart(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('_');
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

bool isBlank(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n');
}

bool endsWord(QChar c)
{
    return c.isNull() || isBlank(c) || QStringView(u"|&;<>()").contains(c);
}

QString shortened(const QString &text)
{
    return text.size() > 60 ? text.left(57) + QStringLiteral("...") : text;
}

class ElementLexer
{
public:
    ElementLexer(const QString &line, int start, int end, const ShellContext &context, ShellElement *out, ShellLine::Error *error,
                 QStringList *notes)
        : s(line), i(start), m_end(end), ctx(context), out(out), error(error), notes(notes)
    {
    }

    bool run()
    {
        while (true) {
            while (i < m_end && isBlank(s[i]))
                ++i;
            if (i + 1 < m_end && s[i] == QLatin1Char('\\') && s[i + 1] == QLatin1Char('\n')) {
                i += 2;
                continue;
            }
            if (i >= m_end || s[i] == QLatin1Char('#'))
                break;
            ShellToken t;
            t.position = i;
            const bool isOperator = operatorAt(&t);
            if (m_failed)
                return false;
            if (m_shell)
                return true;
            if (!isOperator && !word(&t))
                return !m_failed;
            if (i == t.position) // what the scanner let through and no token takes: never loop on it
                return fail(i, QStringLiteral("unexpected `%1`").arg(s[i]));
            t.end = i;
            out->tokens.append(t);
        }
        ShellToken end;
        end.kind = ShellToken::End;
        end.position = end.end = m_end;
        out->tokens.append(end);
        return true;
    }

private:
    const QString &s;
    int i;
    const int m_end;
    const ShellContext &ctx;
    ShellElement *out;
    ShellLine::Error *error;
    QStringList *notes;
    bool m_failed = false;
    bool m_shell = false;

    QChar at(int k) const { return k < m_end ? s[k] : QChar(); }
    bool next(const char *text) const
    {
        const qsizetype length = qstrlen(text);
        return i + length <= m_end && QStringView(s).mid(i, length) == QLatin1String(text);
    }
    bool fail(int where, const QString &message)
    {
        if (!m_failed && !m_shell)
            *error = {where, message};
        m_failed = true;
        return false;
    }
    // Something we do not do ourselves: the element runs under /bin/sh -c.
    bool shell(int where, const QString &why)
    {
        if (!m_failed && !m_shell) {
            out->shellAt = where;
            out->shellReason = why;
        }
        m_shell = true;
        return false;
    }
    void note(const QString &text)
    {
        if (notes)
            notes->append(text);
    }

    bool operatorAt(ShellToken *t)
    {
        const int start = i;
        auto take = [&](ShellToken::Kind kind, int length) {
            t->kind = kind;
            i += length;
            return true;
        };
        if (next("<<"))
            return shell(start, QStringLiteral("a here-document needs a shell"));
        if (next("<(") || next(">("))
            return shell(start, QStringLiteral("process substitution needs a shell"));
        if (next("<>"))
            return shell(start, QStringLiteral("`<>` needs a shell"));
        if (next("&>>"))
            return take(ShellToken::BothAppend, 3);
        if (next("&>"))
            return take(ShellToken::BothOut, 2);
        if (next("2>&1") && endsWord(at(i + 4)))
            return take(ShellToken::ErrToOut, 4);
        if (next("<&") || next(">&") || next("1>&") || next("2>&") || next("0<&"))
            return shell(start, QStringLiteral("this descriptor duplication needs a shell (only `2>&1` runs without one)"));
        if (next("0<"))
            return take(ShellToken::In, 2);
        if (next("<"))
            return take(ShellToken::In, 1);
        if (next("1>>"))
            return take(ShellToken::Append, 3);
        if (next(">>"))
            return take(ShellToken::Append, 2);
        if (next(">|") || next("1>|"))
            return take(ShellToken::Clobber, next("1") ? 3 : 2);
        if (next("2>>"))
            return take(ShellToken::ErrAppend, 3);
        if (next("2>"))
            return take(ShellToken::ErrOut, 2);
        if (next("1>"))
            return take(ShellToken::Out, 2);
        if (next(">"))
            return take(ShellToken::Out, 1);
        if (at(i).isDigit()) {
            int k = i;
            while (at(k).isDigit())
                ++k;
            if (at(k) == QLatin1Char('>') || at(k) == QLatin1Char('<'))
                return shell(start, QStringLiteral("descriptor %1 can be redirected only by a shell").arg(s.mid(i, k - i)));
        }
        if (at(i) == QLatin1Char('(') || at(i) == QLatin1Char(')'))
            return shell(start, QStringLiteral("`%1` needs a shell").arg(at(i)));
        return false;
    }

    void add(ShellToken *t, const QString &text, bool quoted, bool expanded = false)
    {
        if (!t->pieces.isEmpty() && t->pieces.last().quoted == quoted && t->pieces.last().expanded == expanded)
            t->pieces.last().text += text;
        else
            t->pieces.append(WordPiece{text, quoted, expanded});
        t->quoted = t->quoted || quoted;
    }

    bool word(ShellToken *t)
    {
        t->kind = ShellToken::Word;
        // NAME=value: whether it sets the command's environment is decided by the caller.
        if (isNameStart(at(i))) {
            int k = i + 1;
            while (isNameChar(at(k)))
                ++k;
            if (at(k) == QLatin1Char('=')) {
                t->assignment = s.mid(i, k - i);
                i = k + 1;
            }
        }
        const int valueStart = i;
        while (i < m_end && !endsWord(s[i])) {
            const QChar c = s[i];
            if (c == QLatin1Char('\'')) {
                const int close = int(s.indexOf(QLatin1Char('\''), i + 1));
                if (close < 0 || close >= m_end)
                    return fail(i, QStringLiteral("unterminated single quote"));
                add(t, s.mid(i + 1, close - i - 1), true);
                i = close + 1;
            } else if (c == QLatin1Char('"')) {
                if (!doubleQuoted(t))
                    return false;
            } else if (c == QLatin1Char('\\')) {
                if (i + 1 >= m_end)
                    return fail(i, QStringLiteral("a backslash at the end of the line escapes nothing"));
                if (s[i + 1] != QLatin1Char('\n'))
                    add(t, s.mid(i + 1, 1), true);
                else
                    t->quoted = true;
                i += 2;
            } else if (c == QLatin1Char('$')) {
                if (!dollar(t, false))
                    return false;
            } else if (c == QLatin1Char('`')) {
                return shell(i, QStringLiteral("`...` (command substitution) needs a shell"));
            } else if (c == QLatin1Char('~') && i == valueStart) {
                tilde(t);
            } else if (c == QLatin1Char('{') && braceExpansion()) {
                return shell(i, QStringLiteral("`{...}` brace expansion needs a shell"));
            } else {
                add(t, QString(c), false);
                ++i;
            }
        }
        return true;
    }

    bool doubleQuoted(ShellToken *t)
    {
        const int open = i++;
        add(t, QString(), true);
        while (true) {
            if (i >= m_end)
                return fail(open, QStringLiteral("unterminated double quote"));
            const QChar d = s[i];
            if (d == QLatin1Char('"')) {
                ++i;
                return true;
            }
            if (d == QLatin1Char('\\') && QStringView(u"$`\"\\\n").contains(at(i + 1))) {
                if (at(i + 1) != QLatin1Char('\n'))
                    add(t, s.mid(i + 1, 1), true);
                i += 2;
            } else if (d == QLatin1Char('$')) {
                if (!dollar(t, true))
                    return false;
            } else if (d == QLatin1Char('`')) {
                return shell(i, QStringLiteral("`...` (command substitution) needs a shell"));
            } else {
                add(t, QString(d), true);
                ++i;
            }
        }
    }

    // $NAME, ${NAME} and ${NAME:-word}-like forms from the environment; the rest needs a shell.
    bool dollar(ShellToken *t, bool inQuotes)
    {
        const int start = i;
        const QChar c = at(i + 1);
        if (c == QLatin1Char('(')) {
            return shell(start, at(i + 2) == QLatin1Char('(') ? QStringLiteral("`$((...))` (arithmetic) needs a shell")
                                                                : QStringLiteral("`$(...)` (command substitution) needs a shell"));
        }
        if (!inQuotes && (c == QLatin1Char('\'') || c == QLatin1Char('"')))
            return shell(start, QStringLiteral("`$%1...%1` quoting needs a shell").arg(c));
        if (c.isDigit() || QStringView(u"@*#?-$!").contains(c))
            return shell(start, QStringLiteral("`$%1` is the shell's own parameter; it needs a shell").arg(c));
        if (isNameStart(c)) {
            int k = i + 1;
            while (isNameChar(at(k)))
                ++k;
            const QString name = s.mid(i + 1, k - i - 1);
            const QString value = ctx.env.value(name);
            note(QStringLiteral("`$%1` → %2").arg(name, ctx.env.contains(name) ? QStringLiteral("\"%1\"").arg(shortened(value)) : QStringLiteral("nothing (not set)")));
            add(t, value, inQuotes, !inQuotes);
            i = k;
            return true;
        }
        if (c != QLatin1Char('{')) {
            add(t, QStringLiteral("$"), inQuotes); // a lone `$` is itself
            ++i;
            return true;
        }
        int k = i + 2;
        if (!isNameStart(at(k)))
            return shell(start, QStringLiteral("`${...}` of this form needs a shell"));
        while (isNameChar(at(k)))
            ++k;
        const QString name = s.mid(i + 2, k - i - 2);
        QString op;
        for (const char *form : {":-", ":+", "-", "+"}) {
            if (QStringView(s).mid(k).startsWith(QLatin1String(form))) {
                op = QLatin1String(form);
                break;
            }
        }
        int close = k;
        QString alternative;
        if (op.isEmpty()) {
            if (at(k) != QLatin1Char('}'))
                return shell(start, QStringLiteral("`${%1%2...}` needs a shell").arg(name, at(k)));
        } else {
            close = int(s.indexOf(QLatin1Char('}'), k));
            if (close < 0 || close >= m_end)
                return fail(start, QStringLiteral("unterminated ${"));
            alternative = s.mid(k + op.size(), close - k - int(op.size()));
            for (QChar a : std::as_const(alternative)) {
                if (QStringView(u"$`'\"\\{").contains(a))
                    return shell(start, QStringLiteral("this `${%1%2...}` needs a shell").arg(name, op));
            }
        }
        const bool set = ctx.env.contains(name);
        const QString value = ctx.env.value(name);
        QString result = value;
        if (op == QLatin1String(":-"))
            result = value.isEmpty() ? alternative : value;
        else if (op == QLatin1String("-"))
            result = set ? value : alternative;
        else if (op == QLatin1String(":+"))
            result = value.isEmpty() ? QString() : alternative;
        else if (op == QLatin1String("+"))
            result = set ? alternative : QString();
        note(QStringLiteral("`%1` → \"%2\"").arg(s.mid(start, close + 1 - start), shortened(result)));
        add(t, result, inQuotes, !inQuotes);
        i = close + 1;
        return true;
    }

    // `~` and `~user` at the start of a word (or of an assignment's value), unquoted.
    void tilde(ShellToken *t)
    {
        int k = i + 1;
        while (k < m_end && (isNameChar(s[k]) || s[k] == QLatin1Char('.') || s[k] == QLatin1Char('-')))
            ++k;
        if (k < m_end && s[k] != QLatin1Char('/') && !endsWord(s[k])) {
            add(t, QStringLiteral("~"), false); // a quoted or odd prefix: bash leaves it
            ++i;
            return;
        }
        const QString user = s.mid(i + 1, k - i - 1);
        QString home;
        if (user.isEmpty()) {
            home = ctx.env.value(QStringLiteral("HOME"));
            if (home.isEmpty()) {
                if (const passwd *pw = ::getpwuid(::getuid()))
                    home = OsString::decode(pw->pw_dir);
            }
        } else if (const passwd *pw = ::getpwnam(OsString::encode(user).constData())) {
            home = OsString::decode(pw->pw_dir);
        }
        if (home.isEmpty()) {
            add(t, s.mid(i, k - i), false);
        } else {
            note(QStringLiteral("`~%1` → %2").arg(user, home));
            add(t, home, true);
        }
        i = k;
    }

    // An unquoted `{` whose closing `}` in the same word has a `,` or `..` between.
    bool braceExpansion() const
    {
        int depth = 0;
        for (int k = i; k < m_end && !endsWord(s[k]); ++k) {
            const QChar c = s[k];
            if (c == QLatin1Char('\\')) {
                ++k;
            } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
                const int close = int(s.indexOf(c, k + 1));
                if (close < 0)
                    return false;
                k = close;
            } else if (c == QLatin1Char('{')) {
                ++depth;
            } else if (c == QLatin1Char('}')) {
                if (--depth == 0)
                    return false;
            } else if (depth == 1 && (c == QLatin1Char(',') || (c == QLatin1Char('.') && at(k + 1) == QLatin1Char('.')))) {
                // A quoted or escaped `}` closes nothing: `{a,'}'` is a word of its own.
                for (int m = k; m < m_end && !endsWord(s[m]); ++m) {
                    if (s[m] == QLatin1Char('\\')) {
                        ++m;
                    } else if (s[m] == QLatin1Char('\'') || s[m] == QLatin1Char('"')) {
                        m = int(s.indexOf(s[m], m + 1));
                        if (m < 0)
                            return false;
                    } else if (s[m] == QLatin1Char('}')) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }
};

bool hasGlob(const QString &text)
{
    return text.contains(QLatin1Char('*')) || text.contains(QLatin1Char('?')) || text.contains(QLatin1Char('['));
}

// The names in a directory but . and .., by their bytes: a name need not be UTF-8.
QList<QByteArray> directoryEntries(const QByteArray &path)
{
    QList<QByteArray> names;
    DIR *dir = ::opendir(path.constData());
    if (!dir)
        return names;
    while (const dirent *entry = ::readdir(dir)) {
        const QByteArray name(entry->d_name);
        if (name != "." && name != "..")
            names << name;
    }
    ::closedir(dir);
    return names;
}

bool statOk(const QString &path, bool wantDirectory)
{
    struct stat st{};
    return ::stat(OsString::encode(path).constData(), &st) == 0 && (!wantDirectory || S_ISDIR(st.st_mode));
}

// Pathname expansion of one pattern (quoted characters escaped with a backslash), component by
// component, from `cwd`. Names are matched and kept as bytes (OsString), as a shell does.
QStringList glob(const QString &pattern, const QString &cwd)
{
    const QStringList parts = pattern.split(QLatin1Char('/'));
    QStringList paths{pattern.startsWith(QLatin1Char('/')) ? QStringLiteral("/") : QString()};
    auto onDisk = [&cwd](const QString &path) {
        return path.startsWith(QLatin1Char('/')) || cwd.isEmpty() ? path : QDir(cwd).filePath(path);
    };
    auto unescaped = [](const QString &part) {
        QString out;
        for (qsizetype k = 0; k < part.size(); ++k) {
            if (part[k] == QLatin1Char('\\') && k + 1 < part.size())
                ++k;
            out += part[k];
        }
        return out;
    };
    for (qsizetype p = 0; p < parts.size(); ++p) {
        const QString &part = parts[p];
        if (part.isEmpty())
            continue;
        const bool lastPart = p == parts.size() - 1;
        QStringList nextPaths;
        for (const QString &base : std::as_const(paths)) {
            auto join = [&base](const QString &name) {
                return base.isEmpty() ? name : base.endsWith(QLatin1Char('/')) ? base + name : base + QLatin1Char('/') + name;
            };
            bool meta = false;
            for (qsizetype k = 0; k < part.size(); ++k) {
                if (part[k] == QLatin1Char('\\'))
                    ++k;
                else if (part[k] == QLatin1Char('*') || part[k] == QLatin1Char('?') || part[k] == QLatin1Char('['))
                    meta = true;
            }
            if (!meta) {
                const QString path = join(unescaped(part));
                if (statOk(onDisk(path), false))
                    nextPaths << path;
                continue;
            }
            const QString dir = onDisk(base.isEmpty() ? QStringLiteral(".") : base);
            const QByteArray encodedPart = OsString::encode(part);
            for (const QByteArray &entry : directoryEntries(OsString::encode(dir))) {
                if (::fnmatch(encodedPart.constData(), entry.constData(), FNM_PERIOD) != 0)
                    continue;
                const QString name = OsString::decode(entry);
                if (!lastPart && !statOk(dir + QLatin1Char('/') + name, true))
                    continue;
                nextPaths << join(name);
            }
        }
        paths = nextPaths;
        if (paths.isEmpty())
            break;
    }
    if (pattern.endsWith(QLatin1Char('/'))) {
        for (QString &path : paths)
            path += QLatin1Char('/');
    }
    std::sort(paths.begin(), paths.end(), [](const QString &a, const QString &b) { return QString::localeAwareCompare(a, b) < 0; });
    return paths;
}

} // namespace

bool lexElement(const QString &line, int start, int end, const ShellContext &context, ShellElement *out, ShellLine::Error *error,
                QStringList *notes)
{
    return ElementLexer(line, start, end, context, out, error, notes).run();
}

QStringList expandWord(const ShellToken &word, const ShellContext &context, bool splitAndGlob, QStringList *notes)
{
    QList<WordPiece> pieces = word.pieces;
    if (!word.assignment.isEmpty() && splitAndGlob)
        pieces.prepend(WordPiece{word.assignment + QLatin1Char('='), false, false});
    if (!splitAndGlob) {
        QString joined;
        for (const WordPiece &p : std::as_const(pieces))
            joined += p.text;
        return {joined};
    }
    // Field splitting: only unquoted parameter values split, at blanks.
    QList<QList<WordPiece>> fields;
    QList<WordPiece> current;
    bool currentCounts = false;
    auto push = [&] {
        if (currentCounts)
            fields.append(current);
        current.clear();
        currentCounts = false;
    };
    for (const WordPiece &p : std::as_const(pieces)) {
        if (!p.expanded) {
            current.append(p);
            currentCounts = currentCounts || p.quoted || !p.text.isEmpty();
            continue;
        }
        // Split by hand: QRegularExpression matches nothing in a string that holds a lone
        // surrogate, and a value may hold a name's byte that is not UTF-8 (OsString).
        QStringList parts;
        for (qsizetype k = 0; k < p.text.size();) {
            while (k < p.text.size() && isBlank(p.text[k]))
                ++k;
            const qsizetype start = k;
            while (k < p.text.size() && !isBlank(p.text[k]))
                ++k;
            if (k > start)
                parts << p.text.mid(start, k - start);
        }
        if (!p.text.isEmpty() && isBlank(p.text.front()))
            push();
        for (qsizetype k = 0; k < parts.size(); ++k) {
            if (k > 0)
                push();
            current.append(WordPiece{parts[k], false, true});
            currentCounts = true;
        }
        if (!p.text.isEmpty() && isBlank(p.text.back()))
            push();
    }
    push();

    QStringList out;
    for (const QList<WordPiece> &field : std::as_const(fields)) {
        QString literal;
        QString pattern;
        bool globbing = false;
        for (const WordPiece &p : field) {
            literal += p.text;
            if (p.quoted) {
                for (QChar c : p.text) {
                    if (QStringView(u"\\*?[]").contains(c))
                        pattern += QLatin1Char('\\');
                    pattern += c;
                }
            } else {
                globbing = globbing || hasGlob(p.text);
                pattern += QString(p.text).replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
            }
        }
        if (!globbing) {
            out << literal;
            continue;
        }
        const QStringList matches = glob(pattern, context.cwd);
        if (notes)
            notes->append(matches.isEmpty() ? QStringLiteral("`%1` matches nothing: kept as written").arg(literal)
                                            : QStringLiteral("`%1` → %2").arg(literal, matches.size() <= 3 ? matches.join(QLatin1Char(' '))
                                                                                                     : QStringLiteral("%1 names").arg(matches.size())));
        if (matches.isEmpty())
            out << literal;
        else
            out << matches;
    }
    return out;
}

QString tokenText(ShellToken::Kind kind)
{
    switch (kind) {
    case ShellToken::In: return QStringLiteral("<");
    case ShellToken::Out: return QStringLiteral(">");
    case ShellToken::Clobber: return QStringLiteral(">|");
    case ShellToken::Append: return QStringLiteral(">>");
    case ShellToken::ErrOut: return QStringLiteral("2>");
    case ShellToken::ErrAppend: return QStringLiteral("2>>");
    case ShellToken::ErrToOut: return QStringLiteral("2>&1");
    case ShellToken::BothOut: return QStringLiteral("&>");
    case ShellToken::BothAppend: return QStringLiteral("&>>");
    default: return {};
    }
}

} // namespace Spawnscope::Internal
