#include "stagetemplate.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace Spawnscope {

namespace {

StageTemplate program(const QString &name, const QStringList &args, StageTemplate::Group group, const QString &hint)
{
    StageSpec s;
    s.program = name;
    s.args = args;
    return {name, name, hint, group, s};
}

} // namespace

QString StageTemplate::helperProgram(const QString &name, const QString &buildFolder)
{
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString &candidate : {here.filePath(name), here.filePath(QStringLiteral("../%1/%2").arg(buildFolder, name))}) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return name;
}

QString StageTemplate::workerProgram()
{
    return helperProgram(QStringLiteral("spawnscope-worker"), QStringLiteral("worker"));
}

QList<StageTemplate> StageTemplate::all()
{
    using G = StageTemplate::Group;
    QList<StageTemplate> out{
        program(QStringLiteral("ls"), {QStringLiteral("-l")}, G::Sources, QStringLiteral("list a directory")),
        program(QStringLiteral("find"), {QStringLiteral("."), QStringLiteral("-type"), QStringLiteral("f")}, G::Sources,
                QStringLiteral("list files below a directory")),
        program(QStringLiteral("seq"), {QStringLiteral("1"), QStringLiteral("100000")}, G::Sources, QStringLiteral("count from one number to another")),
        program(QStringLiteral("yes"), {}, G::Sources, QStringLiteral("print a line for ever (until its reader goes)")),
        program(QStringLiteral("cat"), {}, G::Filters, QStringLiteral("copy its input, or files, to its output")),
        program(QStringLiteral("grep"), {QStringLiteral("7")}, G::Filters, QStringLiteral("keep the lines that match a pattern")),
        program(QStringLiteral("sed"), {QStringLiteral("s/a/b/")}, G::Filters, QStringLiteral("edit each line")),
        program(QStringLiteral("awk"), {QStringLiteral("{ print $1 }")}, G::Filters, QStringLiteral("pick and compute fields")),
        program(QStringLiteral("cut"), {QStringLiteral("-d:"), QStringLiteral("-f1")}, G::Filters, QStringLiteral("keep some fields of each line")),
        program(QStringLiteral("tr"), {QStringLiteral("a-z"), QStringLiteral("A-Z")}, G::Filters, QStringLiteral("replace characters")),
        program(QStringLiteral("sort"), {}, G::Filters, QStringLiteral("sort the lines (reads everything first)")),
        program(QStringLiteral("uniq"), {QStringLiteral("-c")}, G::Filters, QStringLiteral("fold repeated lines, counting them")),
        program(QStringLiteral("wc"), {QStringLiteral("-l")}, G::Filters, QStringLiteral("count lines, words, bytes")),
        program(QStringLiteral("head"), {QStringLiteral("-n"), QStringLiteral("10")}, G::Filters,
                QStringLiteral("the first lines, then it quits (its writer gets SIGPIPE)")),
        program(QStringLiteral("tail"), {QStringLiteral("-n"), QStringLiteral("10")}, G::Filters, QStringLiteral("the last lines")),
        program(QStringLiteral("tee"), {QStringLiteral("copy.txt")}, G::Filters, QStringLiteral("pass its input on and write it to a file")),
        program(QStringLiteral("gzip"), {QStringLiteral("-c")}, G::Filters, QStringLiteral("compress")),
    };
    StageSpec any;
    any.mode = StageSpec::Mode::Exec;
    out << StageTemplate{QStringLiteral("command"), QStringLiteral("any command"), QStringLiteral("a command line run by /bin/sh -c"), G::Other, any};

    StageSpec source;
    source.mode = StageSpec::Mode::ReadFile;
    source.stdinFile = QStringLiteral("input.txt");
    out << StageTemplate{QStringLiteral("file-source"), QStringLiteral("< file"), QStringLiteral("a file read into the pipeline"), G::Sources, source};
    StageSpec sink;
    sink.mode = StageSpec::Mode::WriteFile;
    sink.stdoutFile = {QStringLiteral("output.txt"), false};
    out << StageTemplate{QStringLiteral("file-sink"), QStringLiteral("> file"), QStringLiteral("a file written (emptied first)"), G::Sinks, sink};
    sink.stdoutFile.append = true;
    out << StageTemplate{QStringLiteral("file-sink-append"), QStringLiteral(">> file"), QStringLiteral("a file appended to"), G::Sinks, sink};

    // The worker's operations that read a stream; the others take a named file.
    for (const auto &[op, hint] : {std::pair{QStringLiteral("hash"), QStringLiteral("SHA-256 of its input, as JSON")},
                                   std::pair{QStringLiteral("count"), QStringLiteral("lines, words and bytes of its input, as JSON")}}) {
        StageSpec w;
        w.name = op;
        w.program = workerProgram();
        w.args = {op, QStringLiteral("/dev/stdin")};
        out << StageTemplate{QStringLiteral("worker-") + op, QStringLiteral("%1 (worker)").arg(op), hint, G::Worker, w};
    }
    return out;
}

std::optional<StageTemplate> StageTemplate::find(const QString &key)
{
    for (const StageTemplate &t : all()) {
        if (t.key == key)
            return t;
    }
    return std::nullopt;
}

QString StageTemplate::groupName(Group group)
{
    switch (group) {
    case Group::Sources: return QStringLiteral("Sources");
    case Group::Filters: return QStringLiteral("Filters");
    case Group::Sinks: return QStringLiteral("Files out");
    case Group::Worker: return QStringLiteral("Worker");
    case Group::Other: return QStringLiteral("Other");
    }
    return {};
}

} // namespace Spawnscope
