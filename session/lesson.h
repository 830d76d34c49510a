#pragma once

#include "launchmode.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace Spawnscope {

// A file a step makes in its folder before it runs: text lines up to `bytes`, or a copy of a
// file that comes with the lesson.
struct LessonFile
{
    QString name;
    qint64 bytes = 0;
    QString source; // the lesson's own file to copy (a path once the lesson is loaded); empty: made
    friend bool operator==(const LessonFile &, const LessonFile &) = default;
};

// What a step's Run button runs (docs/lesson-format.md).
struct LessonRun
{
    enum class Kind {
        Command,  // a line in a mode, as the command bar runs it (spawn, exec, execFile, batch)
        Pipeline, // a shell line as a pipeline (in the window: in the builder)
        Fork,     // a module forked once per message
    };
    Kind kind = Kind::Command;
    LaunchMode mode = LaunchMode::Spawn; // Command
    QString line;                        // Command, Pipeline; `@worker` stands for spawnscope-worker
    QString module;                      // Fork: "fibonacci" (the lesson's own child) or a path
    QList<QJsonValue> messages;          // Fork: one child per message
    bool untilAnswered = false;          // Fork: each child disconnected once it has answered
    int stopAfterMs = 0;                 // SIGTERM to its processes this long after Run; 0: never
    bool serve = false;                  // its folder served over HTTP on 127.0.0.1 while it runs; `@url` in line
    QList<LessonFile> makes;
    friend bool operator==(const LessonRun &, const LessonRun &) = default;
};

struct LessonStep
{
    QString id; // lowercase letters, digits and -, unique in its lesson
    QString title;
    QString explain; // paragraphs, separated by blank lines
    QString look;    // what to look at
    QString node;    // the step in Node.js,
    QString cpp;     // in C++ with this library,
    QString shell;   // and in a shell
    LessonRun run;
    int line = 0;    // where it starts in its file
};

// A lesson: a title, a few words about it, and its steps; read from the plain text format of
// docs/lesson-format.md. Headless: the window shows one, `spawnscope lesson` runs its steps.
struct Lesson
{
    QString title;
    QString about;
    QList<LessonStep> steps;
    QString source; // the file it came from

    const LessonStep *step(const QString &id) const;

    // A lesson from its text; nullopt with "line N: ..." when the text breaks the format.
    static std::optional<Lesson> parse(const QString &text, QString *error);
    static std::optional<Lesson> load(const QString &path, QString *error);
    // The lessons that come with Spawnscope (in its resources).
    static QList<Lesson> bundled();
    // A Run line as a step states it: `spawn ls -l`, `fork fibonacci`.
    static QString runText(const LessonRun &run);
};

} // namespace Spawnscope
