#pragma once

#include "pipelinespec.h"

#include <QString>

#include <optional>

namespace Spawnscope {

// Converts between a shell command line and a pipeline, without running any shell.
// Understood: words with single and double quotes and backslashes, leading NAME=value
// assignments, `|`, `|&`, `2>&1`, `<file`, `>file`, `>>file`, `2>file`, `2>>file`, `&>file`.
// Anything needing a shell (variables, globs, `;`, `&&`, subshells...) is refused with its position.
class ShellLine
{
public:
    struct Error
    {
        int position = 0; // index into the line, 0-based
        QString message;
        QString toString() const; // "column N: message"
    };

    static std::optional<PipelineSpec> parse(const QString &line, Error *error);
    // The line for a pipeline a shell can express (a chain of spawn/execFile stages without
    // cwd, timeout, shell or kill signal; exec stages as `sh -c '...'`); otherwise nullopt and why.
    static std::optional<QString> format(const PipelineSpec &spec, QString *why);
    static QString quote(const QString &word);
};

} // namespace Spawnscope
