#pragma once

// Test support: launch requests for the session, built from the test child's modes.

#include <launchrequest.h>

#include <QStringList>

// A stage or a child program: "@" stands for the test child.
inline QString programOf(const QString &word)
{
    return word == QLatin1String("@") ? QStringLiteral(TESTCHILD) : word;
}

inline Spawnscope::LaunchRequest childRequest(Spawnscope::LaunchMode mode, const QStringList &args,
                                              const Spawnscope::LaunchOptions &options = {})
{
    Spawnscope::LaunchRequest r;
    r.mode = mode;
    r.program = QStringLiteral(TESTCHILD);
    r.args = args;
    r.options = options;
    r.title = args.join(QLatin1Char(' '));
    return r;
}

// A chain: each stage's stdout into the next one's stdin.
inline Spawnscope::LaunchRequest pipelineRequest(const QList<QStringList> &stages)
{
    using namespace Spawnscope;
    LaunchRequest r;
    r.mode = LaunchMode::Pipeline;
    int id = 1;
    for (const QStringList &args : stages) {
        StageSpec s;
        s.program = programOf(args.first());
        s.args = args.mid(1);
        r.pipeline.stages.insert(id, s);
        if (id > 1)
            r.pipeline.edges.append(Edge{{id - 1, OutputStream::Stdout, id}, false});
        ++id;
    }
    r.title = QStringLiteral("pipeline");
    return r;
}

inline Spawnscope::LaunchRequest batchRequest(const QString &templateLine, const QStringList &inputs)
{
    using namespace Spawnscope;
    LaunchRequest r;
    r.mode = LaunchMode::Batch;
    QString error;
    r.batch.command = *JobTemplate::fromLine(templateLine, &error);
    r.batch.inputs = inputs;
    r.title = templateLine;
    return r;
}
