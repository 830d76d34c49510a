#include "jobtemplate.h"

#include "shellline.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace Spawnscope {

namespace {

const QRegularExpression &substitutionToken()
{
    static const QRegularExpression re(QStringLiteral("\\{(|\\.|/|//|/\\.|#)\\}"));
    return re;
}

QString withoutExtension(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    const qsizetype dot = path.lastIndexOf(QLatin1Char('.'));
    return dot > slash + 1 ? path.left(dot) : path;
}

} // namespace

JobTemplate::JobTemplate(const QStringList &words, const QString &shell)
    : m_words(words)
    , m_shell(shell)
{
    for (const QString &w : words)
        m_hasToken = m_hasToken || substitutionToken().match(w).hasMatch();
}

std::optional<JobTemplate> JobTemplate::fromLine(const QString &line, QString *error, const QString &shell)
{
    if (!shell.isEmpty())
        return JobTemplate(QStringList{line}, shell);
    // The lexer would take `{.}` for brace expansion: the tokens stand in as private-use
    // characters while the line is split, then come back.
    QStringList found;
    QString masked;
    qsizetype at = 0;
    auto it = substitutionToken().globalMatch(line);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        masked += line.mid(at, m.capturedStart() - at) + QChar(0xE000 + int(found.size()));
        found << m.captured();
        at = m.capturedEnd();
    }
    masked += line.mid(at);
    auto unmask = [&found](QString word) {
        for (int k = 0; k < found.size(); ++k)
            word.replace(QChar(0xE000 + k), found[k]);
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
        if (const QRegularExpressionMatch m = substitutionToken().match(w); m.hasMatch()) {
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
    QString out;
    qsizetype at = 0;
    auto it = substitutionToken().globalMatch(word);
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
        out += quoteValues ? ShellLine::quote(value) : value;
        at = m.capturedEnd();
    }
    return out + word.mid(at);
}

QStringList JobTemplate::expand(const QString &input, int seq) const
{
    if (!m_shell.isEmpty()) {
        QString line = substitute(m_words.first(), input, seq, true);
        if (!m_hasToken)
            line += QLatin1Char(' ') + ShellLine::quote(input);
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
    QStringList quoted;
    for (const QString &w : argv)
        quoted << ShellLine::quote(w);
    return quoted.join(QLatin1Char(' '));
}

} // namespace Spawnscope
