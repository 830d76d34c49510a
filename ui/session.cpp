#include "session.h"

#include "messagelogmodel.h"
#include "outputbuffer.h"
#include "pidsignal.h"
#include "processlistmodel.h"
#include "processsampler.h"
#include "timeline.h"

#include <childprocess.h>
#include <pipelinerun.h>
#include <workerpool.h>
#include <shellline.h>
#include <spawnfunctions.h>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QJsonObject>

#include <csignal>

namespace Spawnscope::Ui {

namespace {

// A line in spawn, execFile or fork mode is split and expanded as the shell would, without a
// shell where none is needed.
std::optional<PipelineSpec> parsed(const QString &line, const ShellLine::Context &context, QString *error, QStringList *notes = nullptr)
{
    ShellLine::Error parseError;
    auto spec = ShellLine::parse(line, &parseError, context, notes);
    if (!spec)
        *error = parseError.toString();
    return spec;
}

std::optional<QProcessEnvironment> environmentFor(const LaunchOptions &o)
{
    if (!o.clearEnvironment && o.environment.isEmpty())
        return std::nullopt;
    QProcessEnvironment env = o.clearEnvironment ? QProcessEnvironment() : QProcessEnvironment::systemEnvironment();
    for (const auto &[name, value] : o.environment)
        env.insert(name, value);
    return env;
}

StdioMode stdioFor(const QString &name)
{
    return StdioMode::fromString(name).value_or(StdioMode::Pipe);
}

// The fields SpawnOptions, ExecOptions and ForkOptions share.
template<typename Options>
Options commonOptions(const LaunchOptions &o)
{
    Options options;
    options.cwd = o.cwd;
    options.env = environmentFor(o);
    options.timeout = o.timeoutMs;
    options.killSignal = ProcessSignal(o.killSignal);
    return options;
}

ExecOptions execOptionsFor(const LaunchOptions &o)
{
    ExecOptions e = commonOptions<ExecOptions>(o);
    e.shell = o.shell;
    e.maxBuffer = o.maxBuffer;
    return e;
}

bool isSingleCommand(const PipelineSpec &spec)
{
    const StageSpec &s = spec.stages.first();
    return spec.stages.size() == 1 && s.env.isEmpty() && s.stdinFile.isEmpty() && !s.stdoutFile.isSet()
        && !s.stderrFile.isSet() && !s.mergeStderr;
}

ShellLine::Context contextFor(const LaunchOptions &o)
{
    return {environmentFor(o), o.cwd};
}

} // namespace

Session::Session(QObject *parent)
    : QObject(parent)
    , m_model(new ProcessListModel(this))
    , m_timeline(new Timeline(this))
    , m_sampler(new ProcessSampler(this))
{
    connect(&m_tick, &QTimer::timeout, this, [this] {
        QList<qint64> pids;
        for (const Entry &e : std::as_const(m_entries)) {
            if (e.info.isLive() && e.info.pid > 0)
                pids << e.info.pid;
        }
        if (!pids.isEmpty())
            m_sampler->sample(pids);
        m_model->refreshLive();
    });
    connect(m_sampler, &ProcessSampler::sampled, this, [this](const QHash<qint64, ProcessSampler::Sample> &samples) {
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            const auto s = samples.constFind(it->info.pid);
            if (s == samples.cend() || !it->info.isLive())
                continue;
            it->info.cpuPercent = s->cpuPercent;
            it->info.rssBytes = s->rssBytes;
            m_model->updateProcess(it->info);
        }
    });
    m_tick.start(1000);
    m_counterFlush.setSingleShot(true);
    m_counterFlush.setInterval(250);
    connect(&m_counterFlush, &QTimer::timeout, this, [this] {
        const QSet<int> dirty = std::exchange(m_countersDirty, {});
        for (int id : dirty) {
            m_model->updateProcess(m_entries[id].info);
            Q_EMIT processChanged(id);
        }
    });
}

void Session::countBytes(int id, bool err, qsizetype bytes)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    (err ? it->info.bytesErr : it->info.bytesOut) += bytes;
    m_countersDirty.insert(id);
    if (!m_counterFlush.isActive())
        m_counterFlush.start();
}

Session::~Session()
{
    for (Entry &e : m_entries) {
        if (e.child && e.child->isRunning() && !e.detached) {
            QObject::disconnect(e.child, nullptr, this, nullptr);
            e.child->setParent(nullptr);
            e.child->setAutoDelete(true);
            e.child->kill(SIGKILL);
        }
    }
    // Pipeline runs kill their groups as they are destroyed (they are children of this object).
}

QString Session::preview(const QString &mode, const QString &line, const LaunchOptions &options)
{
    if (line.trimmed().isEmpty())
        return {};
    if (mode == QLatin1String("exec"))
        return QStringLiteral("/bin/sh -c %1").arg(ShellLine::quote(line));
    QString error;
    if (mode == QLatin1String("batch"))
        return previewBatch(line, options.cwd);
    QStringList notes;
    const auto spec = parsed(line, contextFor(options), &error, &notes);
    if (!spec)
        return QStringLiteral("cannot run: %1").arg(error);
    const QString said = notes.isEmpty() ? QString() : QStringLiteral("   (%1)").arg(notes.join(QStringLiteral("; ")));
    const bool needsShell = spec->stages.first().mode == StageSpec::Mode::Exec;
    if (!isSingleCommand(*spec) || needsShell) {
        if (mode != QLatin1String("spawn"))
            return QStringLiteral("cannot run: %1 need spawn mode").arg(needsShell ? QStringLiteral("lines that need a shell") : QStringLiteral("pipes and redirections"));
        if (spec->stages.size() == 1 && needsShell)
            return QStringLiteral("/bin/sh -c %1%2").arg(ShellLine::quote(spec->stages.first().command), said);
        return QStringLiteral("pipeline of %1 stage(s): %2%3").arg(spec->stages.size()).arg(ShellLine::format(*spec, &error).value_or(line), said);
    }
    const StageSpec &s = spec->stages.first();
    QStringList words{s.program};
    for (const QString &a : s.args)
        words << ShellLine::quote(a);
    return QStringLiteral("%1%2%3").arg(mode == QLatin1String("fork") ? QStringLiteral("fork with a message channel: ") : QString(),
                                        words.join(QLatin1Char(' ')), said);
}

int Session::launch(const QString &mode, const QString &line, QString *error)
{
    if (line.trimmed().isEmpty()) {
        *error = QStringLiteral("nothing to run");
        return 0;
    }
    auto commands = [this] {
        if (!m_commandsGroup)
            m_commandsGroup = m_model->addGroup(QStringLiteral("Commands"), QStringLiteral("single"));
        return m_commandsGroup;
    };
    if (mode == QLatin1String("exec")) {
        const int id = addEntry(commands(), line.section(QLatin1Char(' '), 0, 0, QString::SectionSkipEmpty), line, mode, line);
        // exec keeps its maxBuffer: a flood ends it as Node would (the spool still has it all).
        attach(id, exec(line, execOptionsFor(m_options), [](const ExecResult &) {}, this));
        Q_EMIT processAdded(id);
        return id;
    }
    if (mode == QLatin1String("batch"))
        return launchBatch(line, error);
    const auto spec = parsed(line, contextFor(m_options), error);
    if (!spec)
        return 0;
    const bool needsShell = spec->stages.first().mode == StageSpec::Mode::Exec;
    if (!isSingleCommand(*spec) || needsShell) {
        if (mode != QLatin1String("spawn")) {
            *error = needsShell ? QStringLiteral("lines that need a shell need spawn mode") : QStringLiteral("pipes and redirections need spawn mode");
            return 0;
        }
        if (spec->stages.size() > 1 || !isSingleCommand(*spec))
            return launchPipeline(*spec, line);
    }
    StageSpec s = spec->stages.first();
    if (needsShell) {
        s.program = s.command;
        s.name = s.displayName();
    }
    const int id = addEntry(commands(), needsShell ? s.name : QFileInfo(s.program).fileName(), line, mode, line);
    ChildProcess *child = nullptr;
    const LaunchOptions &lo = m_options;
    if (mode == QLatin1String("fork")) {
        ForkOptions o = commonOptions<ForkOptions>(lo);
        o.detached = lo.detached;
        o.stdio = StdioList{stdioFor(lo.stdio[0]), stdioFor(lo.stdio[1]), stdioFor(lo.stdio[2]), StdioMode::Ipc};
        child = fork(s.program, s.args, o, this);
        auto *log = new MessageLogModel(this);
        m_entries[id].messages = log;
        connect(child, &ChildProcess::message, log, [log](const QJsonValue &m) { log->add(MessageLogModel::FromChild, m); });
        // What the user sends goes through the log; the timeline hears of it there.
        connect(log, &QAbstractItemModel::rowsInserted, this, [this, id, log](const QModelIndex &, int first, int last) {
            for (int row = first; row <= last; ++row) {
                if (log->direction(row) == MessageLogModel::ToChild)
                    m_timeline->addEvent(m_entries[id].lane, TraceKind::Send, {{QStringLiteral("message"), log->message(row)}});
            }
        });
    } else if (mode == QLatin1String("execFile")) {
        child = execFile(s.program, s.args, execOptionsFor(lo), [](const ExecResult &) {}, this);
    } else {
        SpawnOptions o = commonOptions<SpawnOptions>(lo);
        o.shell = needsShell && lo.shell.isEmpty() ? QStringLiteral("/bin/sh") : lo.shell;
        o.detached = lo.detached;
        o.stdio = {stdioFor(lo.stdio[0]), stdioFor(lo.stdio[1]), stdioFor(lo.stdio[2])};
        child = spawn(s.program, s.args, o, this);
    }
    m_entries[id].detached = lo.detached && mode != QLatin1String("execFile");
    attach(id, child);
    Q_EMIT processAdded(id);
    return id;
}

int Session::addEntry(int group, const QString &name, const QString &command, const QString &mode, const QString &line, int stage)
{
    ProcessInfo info;
    info.group = group;
    info.name = name;
    info.command = command;
    info.mode = mode;
    info.started = QDateTime::currentDateTime();
    const int id = m_model->addProcess(info);
    info.id = id;
    Entry e;
    e.info = info;
    e.mode = mode;
    e.line = line;
    e.output = new OutputBuffer(m_folder.filePath(QString::number(id)), m_scrollback, this);
    e.lane = m_timeline->addLane(id, name, command, stage);
    m_entries.insert(id, e);
    return id; // processAdded() once it is wired up
}

void Session::attach(int id, ChildProcess *child)
{
    child->setAutoDelete(false);
    m_entries[id].child = child;
    OutputBuffer *out = m_entries[id].output;
    if (child->pid() > 0)
        update(id, [&](ProcessInfo &p) { p.pid = child->pid(); });
    const int lane = m_entries[id].lane;
    connect(child, &ChildProcess::spawned, this, [this, id, lane, child] {
        m_timeline->addEvent(lane, TraceKind::Spawn, {{QStringLiteral("pid"), double(child->pid())}});
        update(id, [](ProcessInfo &p) { p.state = ProcessInfo::State::Running; });
    });
    connect(child, &ChildProcess::stdoutData, this, [this, id, out, lane](const QByteArray &d) {
        out->append(OutputBuffer::Stdout, d);
        countBytes(id, false, d.size());
        m_timeline->addOutput(lane, false, d.size());
    });
    connect(child, &ChildProcess::stderrData, this, [this, id, out, lane](const QByteArray &d) {
        out->append(OutputBuffer::Stderr, d);
        countBytes(id, true, d.size());
        m_timeline->addOutput(lane, true, d.size());
    });
    connect(child, &ChildProcess::message, this, [this, lane](const QJsonValue &m) {
        m_timeline->addEvent(lane, TraceKind::Message, {{QStringLiteral("message"), m}});
    });
    connect(child, &ChildProcess::disconnected, this, [this, lane] { m_timeline->addEvent(lane, TraceKind::Disconnect); });
    connect(child, &ChildProcess::errorOccurred, this, [this, id, child, lane](const ProcessError &e) {
        m_timeline->addEvent(lane, TraceKind::Error, {{QStringLiteral("error"), e.toJson()}});
        if (child->pid() <= 0)
            update(id, [&](ProcessInfo &p) {
                p.state = ProcessInfo::State::FailedToStart;
                p.error = e.message;
                p.ended = QDateTime::currentDateTime();
            });
    });
    connect(child, &ChildProcess::exited, this, [this, id, lane](int code, const QString &signal) {
        m_timeline->addEvent(lane, TraceKind::Exit, TimelineEvent::endFields(code, signal));
        update(id, [&](ProcessInfo &p) {
            p.signal = signal;
            if (signal.isEmpty())
                p.exitCode = code;
            p.state = signal.isEmpty() ? ProcessInfo::State::Exited : ProcessInfo::State::Killed;
            p.ended = QDateTime::currentDateTime();
        });
    });
    connect(child, &ChildProcess::closed, this, [this, out, lane](int code, const QString &signal) {
        m_timeline->addEvent(lane, TraceKind::Close, TimelineEvent::endFields(code, signal));
        out->finish();
    });
}

void Session::update(int id, const std::function<void(ProcessInfo &)> &change)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    change(it->info);
    m_model->updateProcess(it->info);
    Q_EMIT processChanged(id);
}

OutputBuffer *Session::output(int process) const
{
    return m_entries.value(process).output;
}

MessageLogModel *Session::messages(int process) const
{
    return m_entries.value(process).messages;
}

ChildProcess *Session::child(int process) const
{
    return m_entries.value(process).child.data();
}

QString Session::modeOf(int process) const
{
    const QString mode = m_entries.value(process).mode;
    return mode == QLatin1String("pipeline") ? QStringLiteral("spawn") : mode;
}

QString Session::lineOf(int process) const
{
    return m_entries.value(process).line;
}

bool Session::signal(int process, const ProcessSignal &sig)
{
    const auto it = m_entries.constFind(process);
    if (it == m_entries.cend())
        return false;
    ChildProcess *c = it->child;
    bool delivered = false;
    if (c && c->isRunning())
        delivered = c->kill(sig);
    else if (it->pool && it->info.isLive())
        delivered = sendSignalToPid(it->info.pid, sig.number());
    else
        return false;
    m_timeline->addEvent(m_entries[process].lane, TraceKind::Kill,
                         {{QStringLiteral("signal"), sig.name()}, {QStringLiteral("result"), delivered}});
    return delivered;
}

int Session::liveCount() const
{
    return m_model->liveCount();
}

void Session::stopAll(int graceMs, const std::function<void()> &done)
{
    QList<QPointer<ChildProcess>> live;
    QList<QPointer<PipelineRun>> runs;
    QList<QPointer<WorkerPool>> pools;
    for (const Entry &e : std::as_const(m_entries)) {
        if (e.run && !runs.contains(e.run))
            runs << e.run;
        else if (e.pool && !pools.contains(e.pool))
            pools << e.pool;
        else if (e.child && e.child->isRunning() && !e.detached)
            live << e.child;
    }
    for (const auto &run : runs)
        run->stop();
    for (const auto &pool : pools)
        pool->stop();
    for (const auto &c : live)
        c->kill(SIGTERM);
    auto *poll = new QTimer(this);
    auto *clock = new QElapsedTimer;
    clock->start();
    connect(poll, &QTimer::timeout, this, [=] {
        bool anyLeft = false;
        for (const auto &c : live) {
            if (c && c->isRunning()) {
                anyLeft = true;
                if (clock->elapsed() >= graceMs)
                    c->kill(SIGKILL);
            }
        }
        for (const auto &run : runs)
            anyLeft = anyLeft || (run && run->isRunning());
        for (const auto &pool : pools)
            anyLeft = anyLeft || (pool && pool->isRunning());
        if (!anyLeft) {
            poll->stop();
            poll->deleteLater();
            delete clock;
            done();
        }
    });
    poll->start(20);
}

} // namespace Spawnscope::Ui
