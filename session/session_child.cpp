// Session: one child started as Node's spawn, exec, execFile or fork would.
#include "session.h"

#include "messagelogmodel.h"
#include "outputbuffer.h"
#include "pidsignal.h"
#include "timeline.h"

#include <childprocess.h>
#include <pipelinerun.h>
#include <workerpool.h>
#include <shellline.h>
#include <spawnfunctions.h>

#include <QFileInfo>
#include <QJsonObject>

namespace Spawnscope {

namespace {

// The fields SpawnOptions, ExecOptions and ForkOptions share.
template<typename Options>
Options commonOptions(const LaunchOptions &o)
{
    Options options;
    options.cwd = o.cwd;
    options.env = o.environmentForChild();
    options.timeout = o.timeoutMs;
    options.killSignal = o.killSignal;
    // What the window starts must not outlive it, even when it is killed; detached children
    // are exempt (the launcher ignores the flag for them). In a group of its own, what a child
    // starts in turn (the command under exec's shell) goes with the window too; unless the
    // window is a terminal's foreground job, whose children must share its group to use that
    // terminal, as under a shell.
    options.killWithParent = true;
    if (!o.detached && !inTerminalForeground())
        options.processGroup = 0;
    return options;
}

ExecOptions execOptionsFor(const LaunchOptions &o)
{
    ExecOptions e = commonOptions<ExecOptions>(o);
    if (!inTerminalForeground())
        e.processGroup = 0; // exec and execFile never detach, whatever the options say
    e.shell = o.shell;
    e.maxBuffer = o.maxBuffer;
    return e;
}

QString commandText(const LaunchRequest &r)
{
    if (r.mode == LaunchMode::Exec)
        return r.command;
    if (!r.options.shell.isEmpty() && r.args.isEmpty())
        return r.program; // a line for the shell
    QStringList words{ShellLine::quote(r.program)};
    for (const QString &a : r.args)
        words << ShellLine::quote(a);
    return words.join(QLatin1Char(' '));
}

QString nameOf(const LaunchRequest &r)
{
    const bool shellLine = r.mode == LaunchMode::Exec || (!r.options.shell.isEmpty() && r.args.isEmpty());
    const QString text = r.mode == LaunchMode::Exec ? r.command : r.program;
    return QFileInfo(shellLine ? text.section(QLatin1Char(' '), 0, 0, QString::SectionSkipEmpty) : text).fileName();
}

} // namespace

ChildProcess *Session::forkChild(int id, const LaunchRequest &r)
{
    const LaunchOptions &o = r.options;
    Entry &entry = m_entries[id];
    ForkOptions f = commonOptions<ForkOptions>(o);
    f.detached = o.detached;
    f.execPath = o.execPath;
    f.execArgv = o.execArgv;
    f.stdio = StdioList{o.stdio[0], o.stdio[1], o.stdio[2], StdioMode::Ipc};
    ChildProcess *child = fork(r.program, r.args, f, this);
    entry.stdinPipe = o.stdio[0] == StdioMode::Pipe;
    auto *log = new MessageLogModel(this);
    entry.messages = log;
    connect(child, &ChildProcess::message, log, [log](const QJsonValue &m) { log->add(MessageLogModel::FromChild, m); });
    // What is sent goes through the log; the timeline hears of it there.
    connect(log, &QAbstractItemModel::rowsInserted, this, [this, id, log](const QModelIndex &, int first, int last) {
        for (int row = first; row <= last; ++row) {
            if (log->direction(row) == MessageLogModel::ToChild)
                m_timeline->addEvent(m_entries[id].lane, TraceKind::Send, {{QStringLiteral("message"), log->message(row)}});
        }
    });
    return child;
}

int Session::launchForkGroup(const std::shared_ptr<const LaunchRequest> &request, QString *error)
{
    const LaunchRequest &r = *request;
    if (r.program.trimmed().isEmpty()) {
        *error = QStringLiteral("nothing to fork");
        return 0;
    }
    const int groupId = addGroup(QStringLiteral("Fork: %1 × %2").arg(r.title).arg(r.forkMessages.size()), GroupKind::Forks);
    m_groupRuns.insert(groupId, GroupRun{nullptr, nullptr, {}, false, int(r.forkMessages.size())});
    QList<int> added;
    for (const QJsonValue &first : r.forkMessages) {
        ProcessInfo info;
        info.name = nameOf(r);
        info.command = commandText(r);
        info.mode = r.mode;
        const int id = addEntry(groupId, info, request);
        ChildProcess *child = forkChild(id, r);
        // Its own first message, as soon as it runs; with it answered, its channel is closed
        // (and a child with nothing else to do ends).
        connect(child, &ChildProcess::spawned, this, [this, id, first] { sendMessage(id, first); });
        if (r.disconnectWhenAnswered)
            connect(child, &ChildProcess::message, child, [child] { child->disconnectChannel(); }, Qt::SingleShotConnection);
        connect(child, &ChildProcess::closed, this, [this, groupId] {
            GroupRun &run = m_groupRuns[groupId];
            if (--run.forksLeft == 0 && !run.finished) {
                run.finished = true;
                Q_EMIT groupFinished(groupId);
            }
        });
        attach(id, child);
        added << id;
    }
    for (int id : std::as_const(added))
        Q_EMIT processAdded(id);
    return added.value(0);
}

bool Session::sendMessage(int process, const QJsonValue &message)
{
    const auto it = m_entries.constFind(process);
    if (it == m_entries.cend() || !it->child || !it->messages || !it->child->send(message))
        return false;
    it->messages->add(MessageLogModel::ToChild, message);
    return true;
}

int Session::launchChild(const std::shared_ptr<const LaunchRequest> &request, QString *error)
{
    const LaunchRequest &r = *request;
    if ((r.mode == LaunchMode::Exec ? r.command : r.program).trimmed().isEmpty()) {
        *error = QStringLiteral("nothing to run");
        return 0;
    }
    if (r.mode == LaunchMode::Fork && !r.forkMessages.isEmpty())
        return launchForkGroup(request, error);
    if (!m_commandsGroup)
        m_commandsGroup = addGroup(QStringLiteral("Commands"), GroupKind::Commands);
    ProcessInfo info;
    info.name = nameOf(r);
    info.command = commandText(r);
    info.mode = r.mode;
    const int id = addEntry(m_commandsGroup, info, request);
    Entry &entry = m_entries[id];
    const LaunchOptions &o = r.options;
    ChildProcess *child = nullptr;
    switch (r.mode) {
    case LaunchMode::Exec:
        // exec keeps its maxBuffer: a flood ends it as Node would (the spool still has it all).
        child = exec(r.command, execOptionsFor(o), [](const ExecResult &) {}, this);
        entry.stdinPipe = true;
        break;
    case LaunchMode::ExecFile:
        child = execFile(r.program, r.args, execOptionsFor(o), [](const ExecResult &) {}, this);
        entry.stdinPipe = true;
        break;
    case LaunchMode::Fork:
        child = forkChild(id, r);
        break;
    default: {
        SpawnOptions s = commonOptions<SpawnOptions>(o);
        s.shell = o.shell;
        s.detached = o.detached;
        s.stdio = {o.stdio[0], o.stdio[1], o.stdio[2]};
        child = spawn(r.program, r.args, s, this);
        entry.stdinPipe = o.stdio[0] == StdioMode::Pipe;
        break;
    }
    }
    entry.detached = o.detached && r.mode != LaunchMode::ExecFile && r.mode != LaunchMode::Exec;
    attach(id, child);
    Q_EMIT processAdded(id);
    return id;
}

void Session::attach(int id, ChildProcess *child)
{
    child->setAutoDelete(false);
    m_entries[id].child = child;
    OutputBuffer *out = m_entries[id].output;
    const int lane = m_entries[id].lane;
    if (child->pid() > 0)
        m_entries[id].info.pid = child->pid();
    connect(child, &ChildProcess::spawned, this, [this, id, lane, child] {
        const double t = m_timeline->now();
        m_entries[id].spawnedAt = t;
        m_timeline->addEventAt(lane, t, TraceKind::Spawn, {{QStringLiteral("pid"), double(child->pid())}});
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
            failedToStart(id, e);
        else
            m_entries[id].output->appendNote(QStringLiteral("error: %1").arg(e.message));
    });
    connect(child, &ChildProcess::exited, this, [this, id, lane](int code, const QString &signal) {
        m_timeline->addEvent(lane, TraceKind::Exit, TimelineEvent::endFields(code, signal));
        update(id, [&](ProcessInfo &p) {
            p.signal = signal;
            if (signal.isEmpty())
                p.exitCode = code;
            p.state = signal.isEmpty() ? ProcessInfo::State::Exited : ProcessInfo::State::Killed;
            p.outputOpen = true; // until close, which comes after exit
        });
    });
    connect(child, &ChildProcess::closed, this, [this, id, out, lane](int code, const QString &signal) {
        m_timeline->addEvent(lane, TraceKind::Close, TimelineEvent::endFields(code, signal));
        out->finish();
        update(id, [](ProcessInfo &p) { p.outputOpen = false; }); // and stdin is gone for good
    });
}

} // namespace Spawnscope
