#include "runcommand.h"

#include "interruptnotifier.h"
#include "terminal.h"

#include <osstring.h>
#include <pipeline.h>
#include <pipelinerun.h>
#include <shellline.h>
#include <traceline.h>

#include <QCoreApplication>
#include <QJsonArray>

#include <cstdio>

#include <unistd.h>

using namespace Spawnscope;

namespace {

const char kUsage[] = "usage: spawnscope run [--trace] [--policy last|pipefail|all] [--grace MS] [--tap]\n"
                      "                      [--pipe-capacity BYTES] [--save FILE]\n"
                      "                      (FILE.spawnscope.json | -e 'SHELL LINE')\n";

int usage(const QString &why)
{
    std::fprintf(stderr, "spawnscope run: %s\n%s", qPrintable(why), kUsage);
    return 2;
}


QByteArray traceLine(const PipelineEvent &e)
{
    return e.toTrace().toJson() + '\n';
}

} // namespace

int runRunCommand(const QStringList &args)
{
    bool trace = false;
    bool tapAll = false;
    QString file;
    QString line;
    bool haveLine = false;
    QString savePath;
    std::optional<StatusPolicy> policy;
    int pipeCapacity = 0;
    PipelineRunOptions options;
    // Spawned from the main thread, so the stages die with this process, even by SIGKILL.
    options.killWithParent = true;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        auto value = [&](QString *out) {
            if (i + 1 >= args.size())
                return false;
            *out = args[++i];
            return true;
        };
        QString v;
        if (a == QLatin1String("--trace")) {
            trace = true;
        } else if (a == QLatin1String("--tap")) {
            tapAll = true;
        } else if (a == QLatin1String("-e")) {
            if (!value(&line))
                return usage(QStringLiteral("-e needs a shell line"));
            haveLine = true;
        } else if (a == QLatin1String("--save")) {
            if (!value(&savePath))
                return usage(QStringLiteral("--save needs a file name"));
        } else if (a == QLatin1String("--policy")) {
            if (!value(&v) || !(policy = PipelineSpec::policyFromName(v)))
                return usage(QStringLiteral("--policy takes last, pipefail or all"));
        } else if (a == QLatin1String("--pipe-capacity")) {
            bool ok = false;
            if (!value(&v) || (pipeCapacity = v.toInt(&ok), !ok) || pipeCapacity <= 0)
                return usage(QStringLiteral("--pipe-capacity takes a number of bytes"));
        } else if (a == QLatin1String("--grace")) {
            bool ok = false;
            if (!value(&v) || (options.stopGraceMs = v.toInt(&ok), !ok) || options.stopGraceMs < 0)
                return usage(QStringLiteral("--grace takes milliseconds"));
        } else if (a.startsWith(QLatin1Char('-')) && a != QLatin1String("-")) {
            return usage(QStringLiteral("unknown option %1").arg(OsString::readable(a)));
        } else if (file.isEmpty()) {
            file = a;
        } else {
            return usage(QStringLiteral("one pipeline at a time"));
        }
    }
    if (haveLine == !file.isEmpty())
        return usage(QStringLiteral("give a pipeline file or -e 'LINE'"));

    Pipeline pipeline;
    QString error;
    if (haveLine) {
        ShellLine::Error parseError;
        const auto spec = ShellLine::parse(line, &parseError);
        if (!spec) {
            // A byte that is not UTF-8 is shown as \xE9: the caret counts what is shown.
            std::fprintf(stderr, "spawnscope run: %s\n  %s\n  %s^\n", qPrintable(OsString::readable(parseError.toString())),
                         qPrintable(OsString::readable(line)),
                         qPrintable(QString(OsString::readable(QStringView(line).left(parseError.position)).size(), QLatin1Char(' '))));
            return 2;
        }
        pipeline.setSpec(*spec);
    } else if (!pipeline.loadFile(file, &error)) {
        std::fprintf(stderr, "spawnscope run: %s\n", qPrintable(OsString::readable(error)));
        return 2;
    }
    if (policy)
        pipeline.setPolicy(*policy);
    if (pipeCapacity > 0)
        pipeline.setPipeCapacity(pipeCapacity);
    if (tapAll) {
        for (const Edge &e : pipeline.spec().edges)
            pipeline.setEdgeTapped(e.id, true);
    }
    if (!savePath.isEmpty() && !pipeline.saveFile(savePath, &error)) {
        std::fprintf(stderr, "spawnscope run: %s\n", qPrintable(OsString::readable(error)));
        return 2;
    }

    options.firstStdin = StdioMode::Inherit;
    // Untraced, free outputs are the terminal's own: the parent copies nothing.
    options.freeOutput = trace ? StdioMode::Pipe : StdioMode::Inherit;
    PipelineRun run(pipeline.spec(), options);
    int status = 0;
    int interrupted = 0;
    InterruptNotifier interrupts;
    QObject::connect(&interrupts, &InterruptNotifier::interrupted, &run, [&](int signal) {
        if (!interrupted)
            interrupted = signal;
        run.stop();
    });
    if (trace) {
        QObject::connect(&run, &PipelineRun::event, [](const PipelineEvent &e) { Terminal::write(STDOUT_FILENO, traceLine(e)); });
    } else {
        QObject::connect(&run, &PipelineRun::output, [](int, OutputStream stream, const QByteArray &data) {
            Terminal::write(stream == OutputStream::Stderr ? STDERR_FILENO : STDOUT_FILENO, data);
        });
    }
    QObject::connect(&run, &PipelineRun::finished, [&](const PipelineResult &r) {
        status = r.status;
        if (!r.error.isEmpty())
            std::fprintf(stderr, "spawnscope run: %s\n", qPrintable(OsString::readable(r.error)));
        if (trace) {
            QJsonArray stages;
            for (const StageResult &s : r.stages) {
                stages.append(QJsonObject{{QStringLiteral("stage"), s.id},
                                          {QStringLiteral("name"), s.name},
                                          {QStringLiteral("code"), s.exitCode ? QJsonValue(*s.exitCode) : QJsonValue()},
                                          {QStringLiteral("signal"), s.signal.isEmpty() ? QJsonValue() : QJsonValue(s.signal)},
                                          {QStringLiteral("status"), s.status()}});
            }
            TraceLine result(double(r.durationMs), TraceKind::Result);
            result.add(QStringLiteral("status"), r.status);
            result.add(QStringLiteral("policy"), PipelineSpec::policyName(r.policy));
            result.add(QStringLiteral("stages"), stages);
            if (!r.error.isEmpty())
                result.add(QStringLiteral("error"), r.error);
            Terminal::write(STDOUT_FILENO, result.toJson() + '\n');
        }
        QCoreApplication::exit(0);
    });
    run.start();
    QCoreApplication::exec();
    return interrupted ? 128 + interrupted : status; // as a shell reports a command a signal ended
}
