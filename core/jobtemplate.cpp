#include "jobtemplate.h"

#include "osstring.h"
#include "shellline.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

namespace Spawnscope {

namespace {

const QRegularExpression &substitutionToken()
{
    static const QRegularExpression re(QStringLiteral("\\{(|\\.|/|//|/\\.|#)\\}"));
    return re;
}

// The tokens of `text`. QRegularExpression matches nothing in a string that holds a lone
// surrogate, as a name's byte that is not UTF-8 is (OsString): the search runs on a copy with
// U+FFFD in their place, one unit for one, so positions hold for `text` itself.
QRegularExpressionMatchIterator tokensIn(const QString &text)
{
    return substitutionToken().globalMatch(OsString::hasRawBytes(text) ? OsString::replaced(text) : text);
}

QString withoutExtension(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
    return dot > slash + 1 ? path.left(dot) : path;
}

// How sh reads the place of a token in a shell template, so that the value put there is read
// back as exactly the value, whatever it holds.
enum class Place { Unquoted, SingleQuoted, DoubleQuoted, Unsafe };

struct ShellPlaces
{
    QList<Place> tokens; // one per token, in order
    Place end = Place::Unsafe; // after the line, where an input is appended when there is no token
    QString why; // what makes the first unsafe place so
};

// Follows the line's quoting as sh does, far enough to know each token's place: quotes, $'...',
// backslashes, backquotes, $(...), ${...}, comments, here-documents. Where a value cannot be
// put as a literal (a comment, which a newline in it would end; a here-document; backquotes,
// whose backslashes sh reads twice; $'...' and ${...}, where `${}` itself belongs; right after
// a backslash), the place is unsafe and says why.
ShellPlaces shellPlaces(const QString &line)
{
    QList<std::pair<qsizetype, qsizetype>> tokens;
    auto it = tokensIn(line);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        tokens.append({m.capturedStart(), m.capturedEnd()});
    }
    const qsizetype n = line.size();
    auto at = [&](qsizetype k) { return k < n ? line[k] : QChar(); };
    qsizetype next = 0; // the next token
    auto tokenAt = [&](qsizetype k) { return k == n || (next < tokens.size() && tokens[next].first == k); };

    enum Kind { Top, Sub, Brace, Single, Double, AnsiC, Back };
    struct Frame
    {
        Kind kind;
        int depth = 0;       // Sub: parentheses opened inside
        bool quoted = false; // Brace: inside double quotes
    };
    QList<Frame> stack{{Top}};
    bool comment = false;
    bool hereDocument = false;
    bool caseInSub = false; // a case pattern's `)` would close the $( here too early
    qsizetype escaped = -1; // a backslash escapes what starts here

    ShellPlaces out;
    auto unsafe = [&](const char *why) {
        if (out.why.isEmpty())
            out.why = QString::fromLatin1(why);
        return Place::Unsafe;
    };
    auto place = [&](qsizetype k) {
        if (comment)
            return unsafe("in a comment");
        if (hereDocument)
            return unsafe("after a here-document");
        if (caseInSub)
            return unsafe("after a case inside $(...)");
        if (escaped == k)
            return unsafe("right after a backslash");
        for (const Frame &f : stack) {
            if (f.kind == Back)
                return unsafe("inside backquotes");
            if (f.kind == AnsiC)
                return unsafe("inside $'...'");
            if (f.kind == Brace)
                return unsafe("inside ${...}");
        }
        if (stack.last().kind == Single)
            return Place::SingleQuoted;
        if (stack.last().kind == Double)
            return Place::DoubleQuoted;
        return Place::Unquoted;
    };
    auto breaksWords = [](QChar c) { return QStringView(u" \t\n;&|()<>").contains(c); };
    auto wordStart = [&](qsizetype k) { return k == 0 || breaksWords(line[k - 1]); };
    // A backslash escapes the next character; one before a token (or the end) is remembered.
    auto backslash = [&](qsizetype &k) {
        if (tokenAt(k + 1)) {
            escaped = k + 1;
            k += 1;
        } else {
            k += 2;
        }
    };

    for (qsizetype i = 0; i < n;) {
        if (next < tokens.size() && tokens[next].first < i) { // its `{` was read as part of `${`
            out.tokens.append(unsafe("inside ${...}"));
            ++next;
            continue;
        }
        if (tokenAt(i)) {
            out.tokens.append(place(i));
            i = tokens[next++].second;
            continue;
        }
        const QChar c = line[i];
        Frame &top = stack.last();
        if (comment) {
            comment = c != QLatin1Char('\n');
            ++i;
            continue;
        }
        switch (top.kind) {
        case Single:
            if (c == QLatin1Char('\''))
                stack.removeLast();
            ++i;
            break;
        case AnsiC:
        case Back:
            if (c == QLatin1Char('\\'))
                backslash(i);
            else {
                if (c == QLatin1Char(top.kind == AnsiC ? '\'' : '`'))
                    stack.removeLast();
                ++i;
            }
            break;
        case Double:
            if (c == QLatin1Char('\\')) {
                backslash(i);
            } else if (c == QLatin1Char('"')) {
                stack.removeLast();
                ++i;
            } else if (c == QLatin1Char('`')) {
                stack.append(Frame{Back});
                ++i;
            } else if (c == QLatin1Char('$') && (at(i + 1) == QLatin1Char('(') || at(i + 1) == QLatin1Char('{'))) {
                stack.append(at(i + 1) == QLatin1Char('(') ? Frame{Sub} : Frame{Brace, 0, true});
                i += 2;
            } else {
                ++i;
            }
            break;
        case Brace:
            if (c == QLatin1Char('\\')) {
                backslash(i);
                break;
            }
            if (c == QLatin1Char('}') && top.depth-- == 0)
                stack.removeLast();
            else if (c == QLatin1Char('{'))
                ++top.depth;
            else if (c == QLatin1Char('\'') && !top.quoted)
                stack.append(Frame{Single});
            else if (c == QLatin1Char('"'))
                stack.append(Frame{Double});
            else if (c == QLatin1Char('`'))
                stack.append(Frame{Back});
            else if (c == QLatin1Char('$') && at(i + 1) == QLatin1Char('(')) {
                stack.append(Frame{Sub});
                ++i;
            }
            ++i;
            break;
        case Top:
        case Sub:
            if (c == QLatin1Char('\\')) {
                backslash(i);
            } else if (c == QLatin1Char('\'')) {
                stack.append(Frame{Single});
                ++i;
            } else if (c == QLatin1Char('"')) {
                stack.append(Frame{Double});
                ++i;
            } else if (c == QLatin1Char('`')) {
                stack.append(Frame{Back});
                ++i;
            } else if (c == QLatin1Char('$')) {
                const QChar d = at(i + 1);
                if (d == QLatin1Char('\'') || d == QLatin1Char('(') || d == QLatin1Char('{')) {
                    stack.append(d == QLatin1Char('\'') ? Frame{AnsiC} : d == QLatin1Char('(') ? Frame{Sub} : Frame{Brace});
                    i += 2;
                } else {
                    ++i;
                }
            } else if (c == QLatin1Char('#') && wordStart(i)) {
                comment = true;
                ++i;
            } else if (c == QLatin1Char('<') && at(i + 1) == QLatin1Char('<')) {
                hereDocument = hereDocument || at(i + 2) != QLatin1Char('<'); // `<<<` is a here-string, a word
                i += at(i + 2) == QLatin1Char('<') ? 3 : 2;
            } else {
                if (top.kind == Sub && c == QLatin1Char('(')) {
                    ++top.depth;
                } else if (top.kind == Sub && c == QLatin1Char(')') && top.depth-- == 0) {
                    stack.removeLast();
                } else if (top.kind == Sub && wordStart(i) && QStringView(line).mid(i).startsWith(QLatin1String("case"))
                           && (i + 4 >= n || breaksWords(line[i + 4]))) {
                    caseInSub = true;
                }
                ++i;
            }
            break;
        }
    }
    for (; next < tokens.size(); ++next)
        out.tokens.append(unsafe("inside ${...}"));
    out.end = stack.size() == 1 ? place(n) : Place::Unsafe;
    if (stack.size() != 1 && out.why.isEmpty())
        out.why = QStringLiteral("at the end of an unfinished line");
    return out;
}

// A value as sh reads it back exactly in the place it is put: always quoted, so that neither a
// value like `2` before `>`, `A=b` or `if` at the start of a command, nor a `{a,b}` around it
// means anything but the value.
QString placed(const QString &value, Place place)
{
    QString quoted = value;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    quoted = QLatin1Char('\'') + quoted + QLatin1Char('\'');
    switch (place) {
    case Place::SingleQuoted: return QLatin1Char('\'') + quoted + QLatin1Char('\''); // closed, the value, opened again
    case Place::DoubleQuoted: return QLatin1Char('"') + quoted + QLatin1Char('"');
    default: return quoted;
    }
}

} // namespace

JobTemplate::JobTemplate(const QStringList &words, const QString &shell)
    : m_words(words)
    , m_shell(shell)
{
    for (const QString &w : words)
        m_hasToken = m_hasToken || tokensIn(w).hasNext();
}

std::optional<JobTemplate> JobTemplate::fromLine(const QString &line, QString *error, const QString &shell)
{
    if (!shell.isEmpty()) {
        const ShellPlaces places = shellPlaces(line);
        const bool hasToken = !places.tokens.isEmpty();
        if (places.tokens.contains(Place::Unsafe) || (!hasToken && places.end == Place::Unsafe)) {
            *error = QStringLiteral("%1 %2: sh would not read the value as it is")
                         .arg(hasToken ? QStringLiteral("a token") : QStringLiteral("the input appended"), places.why);
            return std::nullopt;
        }
        return JobTemplate(QStringList{line}, shell);
    }
    // The lexer would take `{.}` for brace expansion: each kind of token stands in as a
    // noncharacter (Unicode's own for internal use) while the line is split, then comes back;
    // one the line does not hold, else it would come back as a token too.
    QStringList found; // each kind of token, in the order met
    QString masks;     // the character standing in for each
    char16_t candidate = 0xFDD0;
    QString masked;
    qsizetype at = 0;
    auto it = tokensIn(line);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        qsizetype kind = found.indexOf(m.captured());
        if (kind < 0) {
            while (candidate <= 0xFDEF && line.contains(QChar(candidate)))
                ++candidate;
            if (candidate > 0xFDEF) {
                *error = QStringLiteral("the template holds too many of U+FDD0..U+FDEF");
                return std::nullopt;
            }
            kind = found.size();
            found << m.captured();
            masks += QChar(candidate++);
        }
        masked += line.mid(at, m.capturedStart() - at) + masks[kind];
        at = m.capturedEnd();
    }
    masked += line.mid(at);
    auto unmask = [&](QString word) {
        for (qsizetype k = 0; k < found.size(); ++k)
            word.replace(masks[k], found[k]);
        return word;
    };
    ShellLine::Error parseError;
    QStringList notes;
    const auto spec = ShellLine::parse(masked, &parseError, {}, &notes);
    if (!spec) {
        *error = parseError.toString();
        return std::nullopt;
    }
    const StageSpec &stage = spec->stages.first();
    if (stage.mode == StageSpec::Mode::Exec) {
        *error = QStringLiteral("the template needs a shell (%1); use --shell").arg(notes.value(0).section(QStringLiteral(": "), 1));
        return std::nullopt;
    }
    if (spec->stages.size() != 1 || !spec->edges.isEmpty() || stage.stdoutFile.isSet() || stage.stderrFile.isSet()
        || stage.mergeStderr || !stage.stdinFile.isEmpty() || !stage.env.isEmpty()) {
        *error = QStringLiteral("a job template is one command without pipes, redirections or assignments; use --shell for those");
        return std::nullopt;
    }
    // A token is what the line says: one that an expansion or quoting made (`{${UNSET}}`,
    // `'{'}`) would be replaced by the input where the user wrote no token.
    for (const QString &w : QStringList{stage.program} + stage.args) {
        if (auto found = tokensIn(w); found.hasNext()) {
            const QRegularExpressionMatch m = found.next();
            *error = QStringLiteral("`%1` in the word %2 comes from an expansion or quotes, not from the template as written")
                         .arg(m.captured(), ShellLine::quote(unmask(w)));
            return std::nullopt;
        }
    }
    QStringList words{unmask(stage.program)};
    for (const QString &a : stage.args)
        words << unmask(a);
    return JobTemplate(words);
}

QString JobTemplate::substitute(const QString &word, const QString &input, int seq, bool quoteValues)
{
    const QList<Place> places = quoteValues ? shellPlaces(word).tokens : QList<Place>();
    QString out;
    qsizetype at = 0;
    qsizetype index = 0;
    auto it = tokensIn(word);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out += word.mid(at, m.capturedStart() - at);
        const QString kind = m.captured(1);
        QString value;
        if (kind.isEmpty())
            value = input;
        else if (kind == QLatin1String("."))
            value = withoutExtension(input);
        else if (kind == QLatin1String("/"))
            value = QFileInfo(input).fileName();
        else if (kind == QLatin1String("//"))
            value = input.contains(QLatin1Char('/')) ? input.left(input.lastIndexOf(QLatin1Char('/'))) : QStringLiteral(".");
        else if (kind == QLatin1String("/."))
            value = withoutExtension(QFileInfo(input).fileName());
        else
            value = QString::number(seq);
        const Place place = quoteValues ? places.value(index++, Place::Unquoted) : Place::Unquoted;
        // A number stays bare, so that `$(( {#} * 2 ))` still counts (quotes are not allowed
        // there), unless it would join what is around it: digits and then a redirection would
        // take it for a descriptor (`{#}3>` is 13>), and a name, `$` or `~` before it would be
        // lengthened (`$N{#}` is $N then the number, not $N1; `~{#}` names no home folder).
        const auto isDigit = [](QChar c) { return c >= u'0' && c <= u'9'; };
        qsizetype next = m.capturedEnd();
        while (next < word.size() && isDigit(word[next]))
            ++next;
        const QChar after = next < word.size() ? word[next] : QChar();
        const QChar before = m.capturedStart() > 0 ? word[m.capturedStart() - 1] : QChar();
        const bool bareNumber = !value.isEmpty() && std::all_of(value.cbegin(), value.cend(), isDigit)
            && after != u'<' && after != u'>' && !before.isLetterOrNumber()
            && before != u'_' && before != u'$' && before != u'~';
        out += quoteValues && !bareNumber ? placed(value, place) : value;
        at = m.capturedEnd();
    }
    return out + word.mid(at);
}

QStringList JobTemplate::expand(const QString &input, int seq) const
{
    if (!m_shell.isEmpty()) {
        QString line = substitute(m_words.first(), input, seq, true);
        if (!m_hasToken)
            line += QLatin1Char(' ') + placed(input, Place::Unquoted);
        return {m_shell, QStringLiteral("-c"), line};
    }
    QStringList argv;
    for (const QString &w : m_words)
        argv << substitute(w, input, seq, false);
    if (!m_hasToken)
        argv << input;
    return argv;
}

QString JobTemplate::commandLine(const QString &input, int seq) const
{
    const QStringList argv = expand(input, seq);
    if (!m_shell.isEmpty())
        return argv.last();
    // Written as ShellLine writes a command, so that pasted into a shell it runs this job: a
    // program named `A=b` is quoted, else it would be an assignment.
    PipelineSpec spec;
    StageSpec stage;
    stage.program = argv.first();
    stage.args = argv.mid(1);
    spec.stages.insert(1, stage);
    QString why;
    return ShellLine::format(spec, &why).value_or(why);
}

} // namespace Spawnscope
