#include "commandline.h"

#include <batchinputs.h>
#include <shellline.h>

#include <QFileInfo>
#include <QRegularExpression>
#include <QThread>

namespace Spawnscope {

namespace {

bool isSingleCommand(const PipelineSpec &spec)
{
    const StageSpec &s = spec.stages.first();
    return spec.stages.size() == 1 && s.env.isEmpty() && s.stdinFile.isEmpty() && !s.stdoutFile.isSet()
        && !s.stderrFile.isSet() && !s.mergeStderr;
}

QString quotedWords(const QString &program, const QStringList &args)
{
    QStringList words{ShellLine::quote(program)};
    for (const QString &a : args)
        words << ShellLine::quote(a);
    return words.join(QLatin1Char(' '));
}

// "column N: message" from the core's parsers, back into its parts.
void takeColumn(CommandLine *out, const QString &text, int offset)
{
    static const QRegularExpression column(QStringLiteral("^column (\\d+): (.*)$"), QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = column.match(text);
    if (m.hasMatch()) {
        out->errorColumn = offset + m.captured(1).toInt() - 1;
        out->error = m.captured(2);
    } else {
        out->error = text;
    }
}

CommandLine parseBatch(const QString &line, const LaunchOptions &options)
{
    CommandLine out;
    static const QRegularExpression separator(QStringLiteral("(^|\\s)(::::?)(\\s|$)"));
    const QRegularExpressionMatch m = separator.match(line);
    if (!m.hasMatch()) {
        out.error = QStringLiteral("a batch is TEMPLATE ::: INPUT... or TEMPLATE :::: FILE");
        out.hint = QStringLiteral("e.g. gzip -k {} ::: a.txt b.txt");
        return out;
    }
    QString error;
    const QString templateText = line.left(m.capturedStart(2));
    const auto command = JobTemplate::fromLine(templateText.trimmed(), &error);
    if (!command) {
        int lead = 0;
        while (lead < templateText.size() && templateText[lead].isSpace())
            ++lead;
        takeColumn(&out, error, lead);
        if (error.contains(QLatin1String("--shell")) || error.contains(QLatin1String("pipes")))
            out.hint = QStringLiteral("a job is one command; for pipes or a shell's grammar, make each job `sh -c '...' sh {}`");
        return out;
    }
    const int restAt = int(m.capturedEnd(2));
    const QString rest = line.mid(restAt);
    QStringList words{m.captured(2)};
    if (!rest.trimmed().isEmpty()) {
        ShellLine::Error parseError;
        const auto parsed = ShellLine::parse(rest, &parseError, ShellLine::Context{options.environmentForChild(), options.cwd});
        if (!parsed || parsed->stages.size() != 1 || parsed->stages.first().mode == StageSpec::Mode::Exec) {
            if (!parsed) {
                out.error = QStringLiteral("%1 in the inputs").arg(parseError.message);
                out.errorColumn = restAt + parseError.position;
            } else {
                out.error = QStringLiteral("inputs after %1 are one list of words").arg(m.captured(2));
            }
            return out;
        }
        const StageSpec &s = parsed->stages.first();
        words << s.program << s.args;
    }
    const auto inputs = BatchInputs::read(words, &error, options.cwd);
    if (!inputs) {
        out.error = error;
        return out;
    }
    if (inputs->isEmpty()) {
        out.error = QStringLiteral("%1 has no lines").arg(words.value(1));
        return out;
    }
    LaunchRequest r;
    r.mode = LaunchMode::Batch;
    r.batch = BatchSpec{*command, *inputs};
    r.options = options;
    r.title = line.trimmed();
    out.preview = QStringLiteral("batch of %1 job(s), %2 at a time, no shell; the first: %3")
                      .arg(inputs->size())
                      .arg(qMax(1, QThread::idealThreadCount()))
                      .arg(command->commandLine(inputs->first(), 1));
    out.request = r;
    return out;
}

} // namespace

CommandLine CommandLine::parse(LaunchMode mode, const QString &line, const LaunchOptions &options)
{
    CommandLine out;
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty()) {
        out.error = QStringLiteral("nothing to run");
        return out;
    }
    if (mode == LaunchMode::Batch)
        return parseBatch(line, options);
    if (mode == LaunchMode::Exec) {
        LaunchRequest r;
        r.mode = LaunchMode::Exec;
        r.command = line;
        r.options = options;
        r.title = trimmed;
        out.preview = QStringLiteral("%1 -c %2").arg(options.shell.isEmpty() ? QStringLiteral("/bin/sh") : options.shell, ShellLine::quote(line));
        out.request = r;
        return out;
    }

    ShellLine::Error parseError;
    const auto spec = ShellLine::parse(line, &parseError, ShellLine::Context{options.environmentForChild(), options.cwd}, &out.notes);
    if (!spec) {
        out.error = parseError.message;
        out.errorColumn = parseError.position;
        if (parseError.message.startsWith(QLatin1String("unterminated")))
            out.hint = QStringLiteral("close the quote, or escape it with a backslash");
        return out;
    }
    const bool needsShell = spec->stages.first().mode == StageSpec::Mode::Exec;
    const bool single = isSingleCommand(*spec) && !needsShell;
    if (!single && mode != LaunchMode::Spawn) {
        out.error = needsShell ? QStringLiteral("this line needs a shell") : QStringLiteral("pipes and redirections make a pipeline");
        out.hint = QStringLiteral("%1 starts one program; spawn mode runs pipelines and what needs a shell, exec mode runs the line with /bin/sh")
                       .arg(launchModeName(mode));
        return out;
    }

    LaunchRequest r;
    r.options = options;
    r.title = trimmed;
    const QString said = out.notes.isEmpty() ? QString() : QStringLiteral("   (%1)").arg(out.notes.join(QStringLiteral("; ")));
    if (!single && (spec->stages.size() > 1 || !needsShell)) {
        PipelineSpec pipeline = *spec;
        for (StageSpec &stage : pipeline.stages) {
            // The stages take the window's options where a pipeline has them.
            if (stage.cwd.isEmpty())
                stage.cwd = options.cwd;
            for (const auto &[name, value] : options.environment) {
                if (!stage.env.contains(name))
                    stage.env.insert(name, value);
            }
            stage.timeout = options.timeoutMs;
            stage.killSignal = options.killSignal;
        }
        r.mode = LaunchMode::Pipeline;
        r.pipeline = pipeline;
        QString why;
        out.preview = QStringLiteral("pipeline of %1 stages: %2%3").arg(spec->stages.size()).arg(ShellLine::format(*spec, &why).value_or(trimmed), said);
        out.request = r;
        return out;
    }
    const StageSpec &s = spec->stages.first();
    r.mode = mode;
    if (needsShell) {
        // Node's spawn with `shell`: the command as one string for /bin/sh -c.
        r.program = s.command;
        if (r.options.shell.isEmpty())
            r.options.shell = QStringLiteral("/bin/sh");
        out.preview = QStringLiteral("%1 -c %2%3").arg(r.options.shell, ShellLine::quote(s.command), said);
    } else {
        r.program = s.program;
        r.args = s.args;
        out.preview = QStringLiteral("%1%2%3").arg(mode == LaunchMode::Fork ? QStringLiteral("fork with a message channel: ") : QString(),
                                                  quotedWords(s.program, s.args), said);
    }
    out.request = r;
    return out;
}

} // namespace Spawnscope
