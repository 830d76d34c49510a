#include "shellscan_p.h"

#include <QSet>

namespace Spawnscope::Internal {

namespace {

bool isBlank(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

bool endsWord(QChar c)
{
    return c.isNull() || isBlank(c) || c == QLatin1Char('\n') || QStringView(u"|&;<>()").contains(c);
}

// Words that open a compound command, with the word that closes it.
QString closerOf(const QString &word)
{
    if (word == QLatin1String("if"))
        return QStringLiteral("fi");
    if (word == QLatin1String("case"))
        return QStringLiteral("esac");
    if (word == QLatin1String("while") || word == QLatin1String("until") || word == QLatin1String("for") || word == QLatin1String("select"))
        return QStringLiteral("done");
    if (word == QLatin1String("{"))
        return QStringLiteral("}");
    if (word == QLatin1String("[["))
        return QStringLiteral("]]");
    return {};
}

class Scanner
{
public:
    explicit Scanner(const QString &line) : s(line), n(int(line.size())) {}

    std::optional<ShellScan> run(ShellLine::Error *error)
    {
        // No argument can hold a NUL (a C string ends there), and here a null QChar is the end
        // of the line: a NUL would end a word without moving on.
        if (const qsizetype nul = s.indexOf(QChar(0)); nul >= 0) {
            *error = {int(nul), QStringLiteral("a NUL character cannot be part of a command")};
            return std::nullopt;
        }
        if (!level(QChar(), -1)) {
            *error = m_error;
            return std::nullopt;
        }
        scan.end = m_end;
        return scan;
    }

private:
    const QString &s;
    const int n;
    int i = 0;
    int m_end = 0;
    ShellScan scan;
    ShellLine::Error m_error;
    bool m_failed = false;

    bool fail(int at, const QString &message)
    {
        if (!m_failed)
            m_error = {at, message};
        m_failed = true;
        return false;
    }
    QChar at(int k) const { return k >= 0 && k < n ? s[k] : QChar(); }
    bool next(const char *text) const { return QStringView(s).mid(i).startsWith(QLatin1String(text)); }

    bool skipSingle()
    {
        const int close = int(s.indexOf(QLatin1Char('\''), i + 1));
        if (close < 0)
            return fail(i, QStringLiteral("unterminated single quote"));
        i = close + 1;
        return true;
    }
    bool skipAnsiC() // $'...', where \' does not end it
    {
        const int open = i;
        for (i += 2; i < n; ++i) {
            if (s[i] == QLatin1Char('\\'))
                ++i;
            else if (s[i] == QLatin1Char('\'')) {
                ++i;
                return true;
            }
        }
        return fail(open, QStringLiteral("unterminated $'"));
    }
    bool skipDouble()
    {
        const int open = i++;
        while (i < n) {
            const QChar c = s[i];
            if (c == QLatin1Char('"')) {
                ++i;
                return true;
            }
            if (c == QLatin1Char('\\')) {
                i += 2;
            } else if (c == QLatin1Char('$') && at(i + 1) == QLatin1Char('(')) {
                if (!skipSubstitution())
                    return false;
            } else if (c == QLatin1Char('$') && at(i + 1) == QLatin1Char('{')) {
                if (!skipBraces())
                    return false;
            } else if (c == QLatin1Char('`')) {
                if (!skipBackquote())
                    return false;
            } else {
                ++i;
            }
        }
        return fail(open, QStringLiteral("unterminated double quote"));
    }
    bool skipBackquote()
    {
        const int open = i++;
        while (i < n) {
            if (s[i] == QLatin1Char('\\')) {
                i += 2;
            } else if (s[i] == QLatin1Char('`')) {
                ++i;
                return true;
            } else {
                ++i;
            }
        }
        return fail(open, QStringLiteral("unterminated backquote"));
    }
    bool skipBraces() // ${...}
    {
        const int open = i;
        i += 2;
        int depth = 1;
        while (i < n) {
            const QChar c = s[i];
            if (c == QLatin1Char('\\')) {
                i += 2;
            } else if (c == QLatin1Char('\'')) {
                if (!skipSingle())
                    return false;
            } else if (c == QLatin1Char('"')) {
                if (!skipDouble())
                    return false;
            } else if (c == QLatin1Char('$') && at(i + 1) == QLatin1Char('(')) {
                if (!skipSubstitution())
                    return false;
            } else {
                if (c == QLatin1Char('{'))
                    ++depth;
                else if (c == QLatin1Char('}') && --depth == 0) {
                    ++i;
                    return true;
                }
                ++i;
            }
        }
        return fail(open, QStringLiteral("unterminated ${"));
    }
    bool skipSubstitution() // $( ... ) and $(( ... )): a command line of its own
    {
        const int open = i;
        i += 2;
        return level(QLatin1Char(')'), open);
    }

    // One command level: the whole line (closer null), or the inside of `$(`/`(`. At the top
    // it records the pipeline's elements.
    bool level(QChar closer, int open)
    {
        const bool top = closer.isNull();
        QList<std::pair<QString, int>> stack; // what must close, and where it opened
        bool commandPosition = true;
        bool afterRedirect = false;
        bool continuation = false; // after `|`, `&&`, `||`: a newline does not end the command
        int elementStart = i;
        ShellScan::Element element;
        element.start = i;
        auto list = [&](int at, const QString &why) {
            if (top && stack.isEmpty() && scan.wholeLineAt < 0) {
                scan.wholeLineAt = at;
                scan.wholeLineReason = why;
            }
        };
        auto endElement = [&](int end, bool final, bool pipeBoth) {
            element.end = end;
            element.pipeBoth = pipeBoth;
            if (QStringView(s).mid(element.start, end - element.start).trimmed().isEmpty()) {
                if (!final)
                    return fail(end, QStringLiteral("missing command before `%1`").arg(pipeBoth ? QStringLiteral("|&") : QStringLiteral("|")));
                return fail(scan.elements.isEmpty() ? end : element.start,
                            scan.elements.isEmpty() ? QStringLiteral("no command") : QStringLiteral("missing command after `|`"));
            }
            scan.elements.append(element);
            element = ShellScan::Element{};
            return true;
        };
        while (true) {
            while (i < n && isBlank(s[i]))
                ++i;
            if (i >= n)
                break;
            const QChar c = s[i];
            if (c == QLatin1Char('\\') && at(i + 1) == QLatin1Char('\n')) {
                i += 2;
                continue;
            }
            if (c == QLatin1Char('#')) { // a comment, to the end of the line
                const int eol = int(s.indexOf(QLatin1Char('\n'), i));
                if (top && stack.isEmpty() && eol < 0) {
                    m_end = i;
                    i = n;
                    break;
                }
                i = eol < 0 ? n : eol;
                continue;
            }
            if (c == QLatin1Char('\n')) {
                const bool more = !QStringView(s).mid(i).trimmed().isEmpty();
                if (!continuation && more && elementStart != i && !QStringView(s).mid(elementStart, i - elementStart).trimmed().isEmpty())
                    list(i, QStringLiteral("a newline makes the line a list of commands"));
                ++i;
                commandPosition = true;
                continue;
            }
            if (!closer.isNull() && c == closer && stack.isEmpty()) {
                ++i;
                return true;
            }
            const int opAt = i;
            if (next("&&") || next("||")) {
                list(opAt, QStringLiteral("`%1` makes the line a list of commands").arg(s.mid(i, 2)));
                i += 2;
                commandPosition = true;
                continuation = true;
                continue;
            }
            continuation = false;
            if (next(";;") || next(";&")) {
                // Only a case branch ends so; anywhere else bash refuses it too.
                if (stack.isEmpty() || stack.last().first != QLatin1String("esac"))
                    return fail(i, QStringLiteral("unexpected `%1` outside a case").arg(s.mid(i, 2)));
                i += 2;
                commandPosition = true;
                continue;
            }
            if (c == QLatin1Char(';')) {
                list(opAt, QStringLiteral("`;` makes the line a list of commands"));
                ++i;
                commandPosition = true;
                continue;
            }
            if (next("|&") || c == QLatin1Char('|')) {
                const bool both = next("|&");
                i += both ? 2 : 1;
                if (top && stack.isEmpty()) {
                    if (!endElement(opAt, false, both))
                        return false;
                    element.start = i;
                    elementStart = i;
                }
                commandPosition = true;
                continuation = true;
                continue;
            }
            if (c == QLatin1Char('&') && !next("&>")) {
                list(opAt, QStringLiteral("`&` runs a command in the background, which needs a shell"));
                ++i;
                commandPosition = true;
                continue;
            }
            if (c == QLatin1Char('(')) {
                if (top && stack.isEmpty() && element.compoundAt < 0 && commandPosition) {
                    element.compoundAt = i;
                    element.compound = QStringLiteral("(");
                }
                stack.append({QStringLiteral(")"), i});
                ++i;
                commandPosition = true;
                continue;
            }
            if (c == QLatin1Char(')')) {
                if (!stack.isEmpty() && stack.last().first == QLatin1String(")"))
                    stack.removeLast();
                else if (stack.isEmpty() || stack.last().first != QLatin1String("esac")) // a case pattern's `)`
                    return fail(i, QStringLiteral("unexpected `)`"));
                ++i;
                commandPosition = true;
                continue;
            }
            if (c == QLatin1Char('<') || c == QLatin1Char('>') || (c == QLatin1Char('&') && next("&>"))
                || (c.isDigit() && (at(i + 1) == QLatin1Char('<') || at(i + 1) == QLatin1Char('>')))) {
                // [n]>, >>, >|, <, <>, &>, >&n, <&-: a digit or `-` after the operator is the file's
                // name (`>2`, `>-`) unless it follows `&`.
                const int opStart = i;
                while (i < n && s[i].isDigit())
                    ++i;
                while (i < n && QStringView(u"<>&|").contains(s[i])) {
                    if (s[i] == QLatin1Char('|') && at(i - 1) != QLatin1Char('>'))
                        break;
                    ++i;
                }
                if (at(i - 1) == QLatin1Char('&')) {
                    while (i < n && (s[i].isDigit() || s[i] == QLatin1Char('-')))
                        ++i;
                }
                // `>&2`, `2>&1`, `<&-` name no file; every other redirection takes the next word.
                const QString op = s.mid(opStart, i - opStart);
                const qsizetype amp = op.lastIndexOf(QLatin1Char('&'));
                afterRedirect = !(amp > 0 && amp + 1 < op.size());
                continue;
            }
            // A word, quotes and substitutions included.
            const int start = i;
            bool plain = true;
            while (i < n && !endsWord(s[i])) {
                const QChar w = s[i];
                bool ok = true;
                if (w == QLatin1Char('\'')) {
                    ok = skipSingle();
                } else if (w == QLatin1Char('"')) {
                    ok = skipDouble();
                } else if (w == QLatin1Char('`')) {
                    ok = skipBackquote();
                } else if (w == QLatin1Char('\\')) {
                    i += 2;
                } else if (w == QLatin1Char('$') && at(i + 1) == QLatin1Char('(')) {
                    ok = skipSubstitution();
                } else if (w == QLatin1Char('$') && at(i + 1) == QLatin1Char('{')) {
                    ok = skipBraces();
                } else if (w == QLatin1Char('$') && at(i + 1) == QLatin1Char('\'')) {
                    ok = skipAnsiC();
                } else {
                    ++i;
                    continue;
                }
                if (!ok)
                    return false;
                plain = false;
            }
            i = qMin(i, n);
            const QString word = s.mid(start, i - start);
            if (afterRedirect) {
                afterRedirect = false;
                continue;
            }
            if (!stack.isEmpty() && stack.last().first == QLatin1String("]]")) {
                if (word == QLatin1String("]]")) {
                    stack.removeLast();
                    commandPosition = false;
                }
                continue;
            }
            if (!commandPosition || !plain) {
                commandPosition = false;
                continue;
            }
            if (const QString closing = closerOf(word); !closing.isEmpty()) {
                if (top && stack.isEmpty() && element.compoundAt < 0) {
                    element.compoundAt = start;
                    element.compound = word;
                }
                stack.append({closing, start});
                commandPosition = word != QLatin1String("case") && word != QLatin1String("for")
                               && word != QLatin1String("select") && word != QLatin1String("[[");
                continue;
            }
            if (!stack.isEmpty() && word == stack.last().first) {
                stack.removeLast();
                commandPosition = false;
                continue;
            }
            static const QSet<QString> closers{QStringLiteral("fi"), QStringLiteral("done"), QStringLiteral("esac"), QStringLiteral("}")};
            if (closers.contains(word))
                return fail(start, QStringLiteral("unexpected `%1`").arg(word));
            static const QSet<QString> keepsPosition{QStringLiteral("then"), QStringLiteral("do"), QStringLiteral("else"),
                                                     QStringLiteral("elif"), QStringLiteral("function")};
            if ((word == QLatin1String("!") || word == QLatin1String("time")) && top && stack.isEmpty()) {
                list(start, QStringLiteral("`%1` applies to the whole pipeline, which needs a shell").arg(word));
                continue;
            }
            if (word == QLatin1String("function") && top && stack.isEmpty() && element.compoundAt < 0) {
                element.compoundAt = start;
                element.compound = word;
            }
            if (keepsPosition.contains(word))
                continue;
            // NAME=value before a command leaves the command still to come.
            const qsizetype eq = word.indexOf(QLatin1Char('='));
            bool assignment = eq > 0 && !word[0].isDigit();
            for (qsizetype k = 0; assignment && k < eq; ++k)
                assignment = word[k].isLetterOrNumber() || word[k] == QLatin1Char('_');
            commandPosition = assignment;
        }
        if (!closer.isNull())
            return fail(open, QStringLiteral("unterminated $("));
        if (!stack.isEmpty()) {
            const auto &[closing, where] = stack.last();
            int wordEnd = where + 1;
            while (closing != QLatin1String(")") && !endsWord(at(wordEnd)))
                ++wordEnd;
            return fail(where, QStringLiteral("`%1` is not closed: expected `%2`").arg(s.mid(where, wordEnd - where), closing));
        }
        if (top) {
            if (m_end == 0)
                m_end = n;
            if (!endElement(m_end, true, false))
                return false;
        }
        return true;
    }
};

} // namespace

std::optional<ShellScan> ShellScan::run(const QString &line, ShellLine::Error *error)
{
    return Scanner(line).run(error);
}

} // namespace Spawnscope::Internal
