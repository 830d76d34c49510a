#include "session.h"

#include "outputbuffer.h"
#include "processlistmodel.h"
#include "timeline.h"

#include <batchinputs.h>
#include <jobresult.h>
#include <jobtemplate.h>
#include <shellline.h>
#include <workerpool.h>

#include <QFileInfo>
#include <QRegularExpression>
#include <QThread>

#include <memory>

namespace Spawnscope::Ui {

namespace {

// `TEMPLATE ::: INPUT...`, GNU parallel's way of giving the inputs on the line.
struct BatchLine
{
    JobTemplate command;
    QStringList inputs;
};

std::optional<BatchLine> parseBatch(const QString &line, const QString &cwd, QString *error)
{
    static const QRegularExpression separator(QStringLiteral("(^|\\s)(::::?)(\\s|$)"));
    const QRegularExpressionMatch m = separator.match(line);
    if (!m.hasMatch()) {
        *error = QStringLiteral("a batch is TEMPLATE ::: INPUT... or TEMPLATE :::: FILE, e.g. gzip -k {} ::: a.txt b.txt");
        return std::nullopt;
    }
    BatchLine batch;
    const auto command = JobTemplate::fromLine(line.left(m.capturedStart()).trimmed(), error);
    if (!command)
        return std::nullopt;
    batch.command = *command;
    const QString rest = line.mid(m.capturedEnd()).trimmed();
    QStringList words{m.captured(2)};
    if (!rest.isEmpty()) {
        ShellLine::Error parseError;
        const auto parsed = ShellLine::parse(rest, &parseError, ShellLine::Context{std::nullopt, cwd});
        if (!parsed || parsed->stages.size() != 1) {
            *error = QStringLiteral("inputs after %1, %2").arg(m.captured(2), parsed ? QStringLiteral("one list of words") : parseError.toString());
            return std::nullopt;
        }
        const StageSpec &s = parsed->stages.first();
        words << s.program << s.args;
    }
    const auto inputs = BatchInputs::read(words, error, cwd);
    if (!inputs)
        return std::nullopt;
    if (inputs->isEmpty()) {
        *error = QStringLiteral("%1 has no lines").arg(words.value(1));
        return std::nullopt;
    }
    batch.inputs = *inputs;
    return batch;
}

} // namespace

QString Session::previewBatch(const QString &line, const QString &cwd)
{
    QString error;
    const auto batch = parseBatch(line, cwd, &error);
    if (!batch)
        return QStringLiteral("cannot run: %1").arg(error);
    return QStringLiteral("batch of %1 job(s), %2 at a time, no shell; the first: %3")
        .arg(batch->inputs.size())
        .arg(qMax(1, QThread::idealThreadCount()))
        .arg(batch->command.commandLine(batch->inputs.first(), 1));
}

int Session::launchBatch(const QString &line, QString *error)
{
    const auto batch = parseBatch(line, m_options.cwd, error);
    if (!batch)
        return 0;
    PoolOptions options;
    options.timeoutMs = m_options.timeoutMs;
    options.killSignal = ProcessSignal(m_options.killSignal);
    options.cwd = m_options.cwd;
    auto *pool = new WorkerPool(options, this);
    pool->setCommand(batch->command);
    pool->addInputs(batch->inputs);
    const int group = m_model->addGroup(QStringLiteral("Batch: %1").arg(line), QStringLiteral("batch"));
    auto ids = std::make_shared<QHash<int, int>>(); // job -> process
    auto first = std::make_shared<int>(0);
    // A job becomes a row when it starts; the group's title counts what is done.
    connect(pool, &WorkerPool::jobStarted, this, [=, this](int seq, int attempt, qint64 pid, const QString &command) {
        int id = ids->value(seq);
        if (!id) {
            id = addEntry(group, QFileInfo(batch->command.words().first()).fileName(), command, QStringLiteral("batch"), line);
            m_entries[id].pool = pool;
            ids->insert(seq, id);
            if (!*first)
                *first = id;
            Q_EMIT processAdded(id);
        }
        m_timeline->addEvent(m_entries[id].lane, TraceKind::Spawn, {{QStringLiteral("pid"), double(pid)}, {QStringLiteral("attempt"), attempt}});
        update(id, [&](ProcessInfo &p) {
            p.pid = pid;
            p.state = ProcessInfo::State::Running;
            p.started = QDateTime::currentDateTime();
        });
    });
    auto finished = [=, this](const JobResult &r) {
        if (const int id = ids->value(r.seq))
            batchJobFinished(id, r);
    };
    connect(pool, &WorkerPool::jobRetried, this, finished);
    connect(pool, &WorkerPool::jobFinished, this, finished);
    connect(pool, &WorkerPool::progressChanged, this, [=, this](const PoolProgress &p) {
        m_model->setGroupTitle(group, QStringLiteral("Batch: %1   (%2 done, %3 failed, %4 running, %5 queued)")
                                          .arg(line).arg(p.done).arg(p.failed).arg(p.running).arg(p.queued));
    });
    connect(pool, &WorkerPool::finished, pool, &QObject::deleteLater);
    pool->start();
    return pool->progress().total > 0 ? qMax(1, *first) : 0;
}

void Session::batchJobFinished(int id, const JobResult &r)
{
    Entry &e = m_entries[id];
    // The pool keeps each job's output apart until it ends: it arrives here all at once.
    const double started = m_timeline->now() - r.runtime * 1000;
    if (!r.out.isEmpty()) {
        e.output->append(OutputBuffer::Stdout, r.out);
        m_timeline->addOutputAt(e.lane, false, started, m_timeline->now(), r.bytesOut);
    }
    if (!r.err.isEmpty()) {
        e.output->append(OutputBuffer::Stderr, r.err);
        m_timeline->addOutputAt(e.lane, true, started, m_timeline->now(), r.bytesErr);
    }
    if (!r.error.isEmpty() && !r.exitCode && r.signal.isEmpty())
        m_timeline->addEvent(e.lane, TraceKind::Error, {{QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), r.error}}}});
    const QJsonObject end = TimelineEvent::endFields(r.exitCode.value_or(0), r.signal);
    m_timeline->addEvent(e.lane, TraceKind::Exit, end);
    m_timeline->addEvent(e.lane, TraceKind::Close, end);
    e.output->finish();
    update(id, [&](ProcessInfo &p) {
        p.bytesOut = r.bytesOut;
        p.bytesErr = r.bytesErr;
        p.signal = r.signal;
        p.error = r.error;
        if (r.exitCode)
            p.exitCode = r.exitCode;
        p.state = !r.signal.isEmpty() ? ProcessInfo::State::Killed
                : r.pid <= 0           ? ProcessInfo::State::FailedToStart
                                       : ProcessInfo::State::Exited;
        p.ended = QDateTime::currentDateTime();
    });
}

} // namespace Spawnscope::Ui
