#pragma once

#include <stagespec.h>

#include <QList>
#include <QString>

namespace Spawnscope {

// An entry of the builder's palette and quick-add list: a stage as it arrives on the canvas,
// ready to run, with a line saying what it is for.
struct StageTemplate
{
    enum class Group { Sources, Filters, Sinks, Worker, Other };

    QString key;   // stable, for drags and history: "grep", "file-sink-append"
    QString title; // "grep", "> file", "hash (worker)"
    QString hint;  // "keep the lines that match a pattern"
    Group group = Group::Other;
    StageSpec spec;

    static QList<StageTemplate> all();
    static std::optional<StageTemplate> find(const QString &key);
    static QString groupName(Group group);
    // spawnscope-worker: beside this program when installed, in its own folder of the build
    // tree, else as found in PATH.
    static QString workerProgram();
    // One of our helper programs so found: `name` installed beside this one, or in `buildFolder`
    // of the build tree, else the bare name for PATH.
    static QString helperProgram(const QString &name, const QString &buildFolder);
};

} // namespace Spawnscope
