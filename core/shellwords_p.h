#pragma once

// Internal: one element of a shell line as a simple command: words with their quoting,
// parameters and tildes expanded from the stage's environment, redirections; or, where the
// element needs more of the shell than that, the first thing that does.

#include "shellline.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Spawnscope::Internal {

struct ShellContext
{
    QProcessEnvironment env;
    QString cwd; // globs are matched here; empty: this process's directory
};

struct WordPiece
{
    QString text;
    bool quoted = false;   // quoted or escaped, or a tilde's directory: taken literally
    bool expanded = false; // an unquoted parameter's value: split into fields, then globbed
};

struct ShellToken
{
    enum Kind { Word, In, Out, Append, Clobber, ErrOut, ErrAppend, ErrToOut, BothOut, BothAppend, End };
    Kind kind = Word;
    QList<WordPiece> pieces;
    QString assignment; // NAME when the word is NAME=value (pieces are the value)
    bool quoted = false; // some part was quoted: an empty result still makes a field
    int position = 0;
    int end = 0;
};

struct ShellElement
{
    QList<ShellToken> tokens; // ends with End
    int shellAt = -1;         // where something needs /bin/sh, or -1
    QString shellReason;
};

// Lexes line[start, end). Syntax errors are errors; what we do not expand ourselves ends the
// lexing with shellAt set. Expansions done are described in `notes`.
bool lexElement(const QString &line, int start, int end, const ShellContext &context, ShellElement *out,
                ShellLine::Error *error, QStringList *notes);

// The fields a word becomes: unquoted parameter values split at blanks, then each field with
// an unquoted `*`, `?` or `[` matched against files (sorted; left as written when nothing
// matches; hidden files only by a leading dot). Without `splitAndGlob` (assignments), one field.
QStringList expandWord(const ShellToken &word, const ShellContext &context, bool splitAndGlob, QStringList *notes);

QString tokenText(ShellToken::Kind kind);

} // namespace Spawnscope::Internal
