#include "session.h"

#include "messagelogmodel.h"
#include "outputbuffer.h"
#include "pidsignal.h"
#include "processsampler.h"
#include "timeline.h"

#include <childprocess.h>
#include <osstring.h>
#include <pipelinerun.h>
#include <processerror.h>
#include <shellline.h>
#include <workerpool.h>

#include <QDir>
#include <QElapsedTimer>

#include <csignal>

namespace Spawnscope {

QString GroupCounts::text() const
{
    if (total == 0 && queued == 0)
        return QStringLiteral("nothing yet");
    QStringList parts;
    if (done + failed == 0 && queued == 0 && running > 0)
        parts << QStringLiteral("%1 of %2 running").arg(running).arg(total);
    else if (running > 0)
        parts << QStringLiteral("%1 running").arg(running);
    if (stopped > 0)
        parts << QStringLiteral("%1 stopped").arg(stopped);
    if (done > 0)
        parts << QStringLiteral("%1 done").arg(done);
    if (failed > 0)
        parts << QStringLiteral("%1 failed").arg(failed);
    if (queued > 0)
        parts << QStringLiteral("%1 queued").arg(queued);
    return parts.join(QStringLiteral(", "));
}

Session::Session(QObject *parent)
    : QObject(parent)
    , m_timeline(new Timeline(this))
    , m_sampler(new ProcessSampler(this))
{
    connect(&m_tick, &QTimer::timeout, this, [this] {
        QList<qint64> pids;
        for (int id : std::as_const(m_live)) {
            const ProcessInfo &p = m_entries[id].info;
            if (p.pid > 0)
                pids << p.pid;
        }
        if (!pids.isEmpty())
            m_sampler->sample(pids);
        if (liveCount() > 0)
            Q_EMIT liveTick();
    });
    connect(m_sampler, &ProcessSampler::sampled, this, [this](const QHash<qint64, ProcessSampler::Sample> &samples) {
        const QList<int> live = m_live.values();
        for (int id : live) {
            const auto it = m_entries.constFind(id);
            if (it == m_entries.cend() || it->info.pid <= 0)
                continue;
            const auto s = samples.constFind(it->info.pid);
            if (s == samples.cend())
                continue;
            update(id, [&](ProcessInfo &p) {
                p.cpuPercent = s->cpuPercent < 0 ? p.cpuPercent : s->cpuPercent;
                p.rssBytes = s->rssBytes;
                // Stopped and continued show only here: the kernel tells a parent of them by
                // SIGCHLD, which the core leaves to whoever waits.
                if (p.state == ProcessInfo::State::Running && s->stopped)
                    p.state = ProcessInfo::State::Stopped;
                else if (p.state == ProcessInfo::State::Stopped && !s->stopped)
                    p.state = ProcessInfo::State::Running;
            });
        }
    });
    m_tick.start(1000);
    watchDescendants();
    m_counterFlush.setSingleShot(true);
    m_counterFlush.setInterval(250);
    connect(&m_counterFlush, &QTimer::timeout, this, [this] {
        const QSet<int> dirty = std::exchange(m_countersDirty, {});
        for (int id : dirty) {
            const Entry &e = m_entries[id];
            if (e.jobSeq > 0)
                Q_EMIT batchJobChanged(e.info.group, e.jobSeq);
            Q_EMIT processChanged(id);
        }
    });
}

Session::~Session()
{
    for (Entry &e : m_entries) {
        if (e.child && e.child->isRunning() && !e.detached && !e.run) {
            QObject::disconnect(e.child, nullptr, this, nullptr);
            e.child->setParent(nullptr);
            e.child->setAutoDelete(true);
            e.child->kill(SIGKILL);
        }
    }
    // Pipeline runs and pools kill what they started as they are destroyed (they are children
    // of this object).
}

int Session::addGroup(const QString &title, GroupKind kind)
{
    ProcessGroup g;
    g.id = m_nextGroup++;
    g.title = title;
    g.kind = kind;
    m_groupIndex.insert(g.id, int(m_groups.size()));
    m_groups.append(g);
    m_groupOrder.append(g.id);
    Q_EMIT groupAdded(g.id);
    return g.id;
}

ProcessGroup *Session::groupOf(int id)
{
    const auto it = m_groupIndex.constFind(id);
    return it == m_groupIndex.cend() ? nullptr : &m_groups[*it];
}

const ProcessGroup *Session::group(int id) const
{
    const auto it = m_groupIndex.constFind(id);
    return it == m_groupIndex.cend() ? nullptr : &m_groups[*it];
}

GroupCounts Session::counts(int groupId) const
{
    GroupCounts c;
    const ProcessGroup *g = group(groupId);
    if (!g)
        return c;
    for (int id : g->processes) {
        const ProcessInfo &p = m_entries[id].info;
        ++c.total;
        if (p.state == ProcessInfo::State::Stopped)
            ++c.stopped;
        else if (p.isLive())
            ++c.running;
        else if (p.hasFailed())
            ++c.failed;
        else
            ++c.done;
    }
    c.queued = g->queued;
    return c;
}

int Session::addEntry(int groupId, ProcessInfo info, std::shared_ptr<const LaunchRequest> request)
{
    info.id = m_nextProcess++;
    info.group = groupId;
    // What is shown and copied, never a lone surrogate (the request keeps the bytes the child
    // gets): a name's byte that is not UTF-8 as \xE9, and in the command line as $'\351', which
    // a shell pasted into gives back as the byte.
    info.name = OsString::readable(info.name);
    info.command = OsString::readable(ShellLine::forTerminal(info.command));
    info.started = QDateTime::currentDateTime();
    Entry e;
    e.info = info;
    e.request = std::move(request);
    e.output = new OutputBuffer(m_folder.isValid() ? QDir(m_folder.path()).filePath(QString::number(info.id)) : QString(), m_scrollback, this);
    e.lane = m_timeline->addLane(info.id, info.name, info.command, info.stage, launchModeName(info.mode));
    m_entries.insert(info.id, e);
    m_live.insert(info.id);
    groupOf(groupId)->processes.append(info.id);
    return info.id; // processAdded() once it is wired up
}

const ProcessInfo *Session::process(int id) const
{
    const auto it = m_entries.constFind(id);
    return it == m_entries.cend() ? nullptr : &it->info;
}

QList<int> Session::processIds() const
{
    QList<int> ids;
    ids.reserve(m_nextProcess - 1);
    for (int id = 1; id < m_nextProcess; ++id)
        ids << id;
    return ids;
}

const LaunchRequest *Session::request(int process) const
{
    const auto it = m_entries.constFind(process);
    return it == m_entries.cend() ? nullptr : it->request.get();
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

void Session::update(int id, const std::function<void(ProcessInfo &)> &change)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    const bool wasStopped = it->info.state == ProcessInfo::State::Stopped;
    change(it->info);
    if (!it->info.isLive() && !it->info.ended.isValid())
        it->info.ended = QDateTime::currentDateTime();
    if (it->info.isLive()) {
        m_live.insert(id); // a batch job's next attempt lives again
    } else {
        m_live.remove(id);
        m_timeline->markEnded(it->lane);
    }
    m_stopped += int(it->info.state == ProcessInfo::State::Stopped) - int(wasStopped);
    Q_EMIT processChanged(id);
}

void Session::countBytes(int id, bool err, qsizetype bytes)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    (err ? it->info.bytesErr : it->info.bytesOut) += bytes;
    m_totalBytes += bytes;
    m_countersDirty.insert(id);
    if (!m_counterFlush.isActive())
        m_counterFlush.start();
}

void Session::failedToStart(int id, const ProcessError &error)
{
    Entry &e = m_entries[id];
    e.output->appendNote(QStringLiteral("did not start: %1").arg(error.message));
    update(id, [&](ProcessInfo &p) {
        p.state = ProcessInfo::State::FailedToStart;
        p.error = error.message;
        p.pid = 0;
    });
}

int Session::launch(const LaunchRequest &request, QString *error)
{
    auto shared = std::make_shared<const LaunchRequest>(request);
    switch (request.mode) {
    case LaunchMode::Pipeline:
        return launchPipelineRequest(shared, error);
    case LaunchMode::Batch:
        return launchBatch(shared, error);
    default:
        return launchChild(shared, error);
    }
}

int Session::launchPipeline(const PipelineSpec &spec, const QString &title, QString *error)
{
    LaunchRequest request;
    request.mode = LaunchMode::Pipeline;
    request.pipeline = spec;
    request.title = title;
    QString ignored;
    return launch(request, error ? error : &ignored);
}

int Session::runAgain(int process, QString *error)
{
    const auto it = m_entries.constFind(process);
    if (it == m_entries.cend() || !it->request) {
        *error = QStringLiteral("no process %1").arg(process);
        return 0;
    }
    if (it->request->mode == LaunchMode::Batch) {
        LaunchRequest one = *it->request;
        one.batch.inputs = {it->jobInput};
        one.title = QStringLiteral("%1  (job %2 again)").arg(it->request->title, it->jobInput);
        return launch(one, error);
    }
    return launch(*it->request, error);
}

int Session::processOfStage(int group, int stage) const
{
    return m_groupRuns.value(group).processOfStage.value(stage);
}


bool Session::signal(int process, const ProcessSignal &sig)
{
    const auto it = m_entries.constFind(process);
    if (it == m_entries.cend() || !it->info.isLive())
        return false;
    ChildProcess *c = it->child;
    bool delivered = false;
    if (c && c->isRunning())
        delivered = c->kill(sig);
    else if (it->info.pid > 0)
        delivered = sendSignalToPid(it->info.pid, sig.number());
    else
        return false;
    m_timeline->addEvent(it->lane, TraceKind::Kill, {{QStringLiteral("signal"), sig.name()}, {QStringLiteral("result"), delivered}});
    const int n = sig.number();
    if (n == SIGSTOP || n == SIGTSTP || n == SIGTTIN || n == SIGTTOU || n == SIGCONT)
        sampleSoon(process);
    return delivered;
}

bool Session::stop(int process)
{
    const ProcessInfo *p = Session::process(process);
    if (!p || !p->isLive())
        return false;
    const bool wasStopped = p->state == ProcessInfo::State::Stopped;
    const bool delivered = signal(process, SIGTERM);
    if (delivered && wasStopped)
        signal(process, SIGCONT);
    return delivered;
}

bool Session::resume(int process)
{
    return signal(process, SIGCONT);
}

void Session::sampleSoon(int process)
{
    // The state changes as the signal is delivered; a moment later /proc shows it.
    for (int delay : {30, 250}) {
        QTimer::singleShot(delay, this, [this, process] {
            const ProcessInfo *p = Session::process(process);
            if (p && p->isLive() && p->pid > 0)
                m_sampler->sample({p->pid});
        });
    }
}

QString Session::stdinProblem(int process) const
{
    const auto it = m_entries.constFind(process);
    if (it == m_entries.cend())
        return QStringLiteral("Select a process to type into its stdin");
    const ProcessInfo &p = it->info;
    if (p.state == ProcessInfo::State::FailedToStart || p.state == ProcessInfo::State::NotStarted)
        return QStringLiteral("No stdin: %1 did not start").arg(p.name);
    if (!p.isLive())
        return QStringLiteral("stdin is closed: %1 has ended").arg(p.name);
    if (it->pool)
        return QStringLiteral("Batch jobs read nothing: their stdin is /dev/null");
    if (!it->stdinPipe)
        return it->run ? QStringLiteral("This stage reads its stdin from %1").arg(p.stage > 0 ? QStringLiteral("its pipe or file") : QStringLiteral("its file"))
                       : QStringLiteral("stdin is not a pipe (Launch Options: stdin is not \"pipe\")");
    if (it->stdinClosed)
        return QStringLiteral("stdin was closed (Close stdin)");
    return {};
}

bool Session::writeStdin(int process, const QByteArray &data)
{
    if (!stdinProblem(process).isEmpty())
        return false;
    ChildProcess *c = m_entries.value(process).child;
    return c && c->write(data);
}

bool Session::closeStdin(int process)
{
    if (!stdinProblem(process).isEmpty())
        return false;
    ChildProcess *c = m_entries.value(process).child;
    if (!c)
        return false;
    c->end();
    m_entries[process].stdinClosed = true;
    Q_EMIT processChanged(process);
    return true;
}

void Session::stopAll(int graceMs, const std::function<void()> &done)
{
    QList<QPointer<ChildProcess>> live;
    QList<QPointer<PipelineRun>> runs;
    QList<QPointer<WorkerPool>> pools;
    for (const Entry &e : std::as_const(m_entries)) {
        if (e.run) {
            if (!runs.contains(e.run))
                runs << e.run;
        } else if (e.pool) {
            if (!pools.contains(e.pool))
                pools << e.pool;
        } else if (e.child && !e.detached && (e.child->isRunning() || e.child->groupRunning())) {
            live << e.child; // or what it left running in its group
        }
    }
    for (const auto &run : runs)
        run->stop();
    for (const auto &pool : pools)
        pool->stop();
    // A child that leads a group of its own (see session_child.cpp) is signalled with its
    // group, so that what it started stops too, also what outlives the child's own end here.
    const auto signal = [](ChildProcess *c, int sig) {
        if (!c->killGroup(sig))
            c->kill(sig);
    };
    for (const auto &c : live) {
        signal(c, SIGTERM);
        signal(c, SIGCONT); // a stopped child could not act on SIGTERM
    }
    auto *poll = new QTimer(this);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    connect(poll, &QTimer::timeout, this, [=] {
        bool anyLeft = false;
        for (const auto &c : live) {
            if (!c)
                continue;
            const bool running = c->isRunning();
            if (!running && !c->groupRunning())
                continue;
            if (clock->elapsed() < graceMs)
                anyLeft = true;
            else
                signal(c, SIGKILL);
            // A killed grandchild may stay a zombie under an init that never reaps; the child
            // itself is waited for.
            anyLeft = anyLeft || running;
        }
        for (const auto &run : runs)
            anyLeft = anyLeft || (run && run->isRunning());
        for (const auto &pool : pools)
            anyLeft = anyLeft || (pool && pool->isRunning());
        if (!anyLeft) {
            poll->stop();
            poll->deleteLater();
            done();
        }
    });
    poll->start(20);
}

} // namespace Spawnscope
