#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace Spawnscope {

// A command for each input, as GNU parallel makes one: in every word, `{}` is the input,
// `{.}` the input without its extension, `{/}` its base name, `{//}` its directory, `{/.}` the
// base name without extension and `{#}` the job's number. A template with none of them gets
// the input appended as one more word. No shell is involved unless one is given.
class JobTemplate
{
public:
    JobTemplate() = default;
    explicit JobTemplate(const QStringList &words, const QString &shell = QString());
    // Splits `line` into words as ShellLine does (quotes, backslashes); nullopt and `error`
    // when it is not one plain command.
    static std::optional<JobTemplate> fromLine(const QString &line, QString *error, const QString &shell = QString());

    bool isNull() const { return m_words.isEmpty(); }
    QStringList words() const { return m_words; }
    QString shell() const { return m_shell; }

    // The argv for one job (with a shell: {shell, "-c", line with the values quoted}).
    QStringList expand(const QString &input, int seq) const;
    // The command as a user would type it, for logs.
    QString commandLine(const QString &input, int seq) const;

    static QString substitute(const QString &word, const QString &input, int seq, bool quoteValues);

private:
    QStringList m_words;
    QString m_shell;
    bool m_hasToken = false;
};

} // namespace Spawnscope
