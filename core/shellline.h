#pragma once

#include "pipelinespec.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace Spawnscope {

// Converts between a shell command line and a pipeline, without running a shell for what we
// can do ourselves, so that the line runs as `bash -o pipefail -c LINE` runs it while its stages
// stay separate processes (shared/spec/shell-lines.md):
// - words with quotes and backslashes, `NAME=value` prefixes, `|`, `|&`, `2>&1`, `<file`,
//   `>file`, `>>file`, `2>file`, `2>>file`, `&>file`, comments;
// - expanded here: `~` and `~user`, `$NAME`, `${NAME}`, `${NAME:-word}` and the `-`, `:+`, `+`
//   forms (from the context's environment; unquoted values split into words), globs (matched
//   in the context's directory, sorted, left as written when nothing matches);
// - an element of the pipeline that needs more (a compound command, `$(...)`, `$((...))`, the
//   shell's own parameters, brace expansion, other redirections) becomes an exec stage run by
//   /bin/sh -c with that element's text, its pipes unchanged;
// - a list (`;`, `&&`, `||`, `&`, newlines at the top level) is one exec stage: the whole line.
class ShellLine
{
public:
    struct Error
    {
        int position = 0; // index into the line, 0-based
        QString message;
        QString toString() const; // "column N: message"
    };
    // What expansions see.
    struct Context
    {
        std::optional<QProcessEnvironment> env; // nullopt: this process's environment
        QString cwd;                            // where globs look; empty: this process's directory
    };

    // `notes`, when given, receives what was expanded and which stages run under a shell, for
    // a preview ("`$HOME` → \"/root\"", "stage 2 runs under /bin/sh -c: ...").
    static std::optional<PipelineSpec> parse(const QString &line, Error *error, const Context &context = {},
                                             QStringList *notes = nullptr);
    static std::optional<QString> format(const PipelineSpec &spec, QString *why);
    // One word for sh. A name's byte that is not UTF-8 (OsString) stays in the single quotes,
    // so the line run by sh -c gives the command those very bytes.
    static QString quote(const QString &word);
    // `line` for a terminal, to show and to paste: each run of bytes that are not UTF-8 as
    // $'\351' (bash, zsh, ksh and POSIX.1-2024 sh read it as the byte), out of the quotes it
    // stood in, as GNU ls quotes such names. A clipboard holds text only: the bytes themselves
    // would arrive as '?'.
    static QString forTerminal(const QString &line);
};

} // namespace Spawnscope
