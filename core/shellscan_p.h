#pragma once

// Internal: the top level of a shell line, as bash's grammar has it. It finds the elements of
// the one pipeline a line is (split at `|` and `|&` outside quotes, substitutions and compound
// commands), or says that the line is a list (`;`, `&&`, `||`, `&`, a newline at the top), and
// reports what cannot be closed (quotes, `$(`, `while` without `done`) with its position.

#include "shellline.h"

#include <QList>
#include <QString>

#include <optional>

namespace Spawnscope::Internal {

struct ShellScan
{
    struct Element
    {
        int start = 0;
        int end = 0;           // one past the last character, comments excluded
        bool pipeBoth = false; // joined to the next element by `|&`
        int compoundAt = -1;   // a compound command (`while`, `if`, `{`, `(`...) starts here
        QString compound;      // the word that starts it
    };
    QList<Element> elements;
    int end = 0;             // where the line's text ends (a comment is cut off)
    int wholeLineAt = -1;    // a list operator or a pipeline prefix at the top level
    QString wholeLineReason; // "`;` makes the line a list" ...

    static std::optional<ShellScan> run(const QString &line, ShellLine::Error *error);
};

} // namespace Spawnscope::Internal
