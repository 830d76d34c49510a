#include "lessonrunner.h"

#include "commandline.h"
#include "lessonserver.h"
#include "outputbuffer.h"
#include "session.h"
#include "stagetemplate.h"

#include <childprocess.h>
#include <shellline.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace Spawnscope {

namespace {

// Text lines of a known pattern, as many as fill `bytes`: a file to compress or hash.
bool makeFile(const QString &path, qint64 bytes, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = QStringLiteral("cannot make %1: %2").arg(path, file.errorString());
        return false;
    }
    // Each file its own text, so that hashes and sizes differ from file to file.
    const QByteArray name = QFileInfo(path).fileName().toUtf8();
    QByteArray block;
    for (int i = 0; block.size() < 64 * 1024; ++i)
        block += "line " + QByteArray::number(i) + " of " + name + ", a file the lesson made to work on\n";
    qint64 left = bytes;
    while (left > 0) {
        const qint64 n = std::min<qint64>(left, block.size());
        if (file.write(block.constData(), n) != n) {
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
            return false;
        }
        left -= n;
    }
    return true;
}

int signalStatus(const QString &signal)
{
    const int n = ProcessSignal::numberOf(signal);
    return n > 0 ? 128 + n : 128;
}

} // namespace

LessonRunner::LessonRunner(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    m_stopTimer.setSingleShot(true);
    connect(&m_stopTimer, &QTimer::timeout, this, &LessonRunner::stop);
    connect(m_session, &Session::groupFinished, this, [this](int group) {
        if (m_running && group == m_group && !m_process)
            ended();
    });
}

std::optional<LaunchRequest> LessonRunner::prepare(const LessonStep &step, const QString &folder, QString *note, QString *error,
                                                   const QString &url) const
{
    if (!QDir().mkpath(folder)) {
        *error = QStringLiteral("cannot make the folder %1").arg(folder);
        return std::nullopt;
    }
    for (const LessonFile &f : step.run.makes) {
        const QString path = QDir(folder).filePath(f.name);
        if (!f.source.isEmpty()) {
            QFile::remove(path);
            if (!QFile::copy(f.source, path)) {
                *error = QStringLiteral("cannot copy the lesson's %1 from %2").arg(f.name, f.source);
                return std::nullopt;
            }
            // Resources are read-only, and so would their copies be.
            QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        } else if (!makeFile(path, f.bytes, error)) {
            return std::nullopt;
        }
    }
    LaunchOptions options;
    options.cwd = folder;
    const LessonRun &run = step.run;
    if (run.kind == LessonRun::Kind::Fork) {
        LaunchRequest r;
        r.mode = LaunchMode::Fork;
        r.options = options;
        r.forkMessages = run.messages;
        r.disconnectWhenAnswered = run.untilAnswered;
        r.title = run.module;
        if (run.module != QLatin1String("fibonacci")) {
            r.program = run.module;
            return r;
        }
        // The lesson's own child: its JavaScript under node, or the same child in C++.
        const bool node = m_setup.useNode && !QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty();
        if (node) {
            const QString script = QDir(folder).filePath(QStringLiteral("fork-child.js"));
            QFile::remove(script);
            if (!QFile::copy(QStringLiteral(":/lessons/fork-child.js"), script)) {
                *error = QStringLiteral("cannot write %1").arg(script);
                return std::nullopt;
            }
            r.program = script;
        } else {
            r.program = m_setup.fibProgram.isEmpty() ? StageTemplate::helperProgram(QStringLiteral("spawnscope-fib"), QStringLiteral("fibchild"))
                                                     : m_setup.fibProgram;
            if (note)
                *note = QStringLiteral("node is not installed here: the step forks spawnscope-fib, the same child in C++, speaking the same channel");
        }
        return r;
    }
    QString line = run.line;
    const QString worker = m_setup.workerProgram.isEmpty() ? StageTemplate::workerProgram() : m_setup.workerProgram;
    line.replace(QStringLiteral("@worker"), ShellLine::quote(worker));
    line.replace(QStringLiteral("@url"), url);
    const LaunchMode mode = run.kind == LessonRun::Kind::Pipeline ? LaunchMode::Spawn : run.mode;
    const CommandLine parsed = CommandLine::parse(mode, line, options);
    if (!parsed.ok()) {
        *error = QStringLiteral("%1 (Run: %2)").arg(parsed.error, Lesson::runText(run));
        return std::nullopt;
    }
    LaunchRequest r = *parsed.request;
    if (run.kind == LessonRun::Kind::Pipeline && r.mode != LaunchMode::Pipeline) {
        // One stage is a pipeline all the same: it opens in the builder.
        ShellLine::Error bad;
        const auto spec = ShellLine::parse(line, &bad, ShellLine::Context{std::nullopt, folder});
        if (!spec) {
            *error = QStringLiteral("Run: %1 is not a pipeline").arg(line);
            return std::nullopt;
        }
        r.mode = LaunchMode::Pipeline;
        r.pipeline = *spec;
    }
    r.title = line;
    return r;
}

bool LessonRunner::start(const LessonStep &step, QString *error, const PipelineLauncher &pipelines)
{
    if (m_running) {
        *error = QStringLiteral("a step is running; stop it first");
        return false;
    }
    if (m_session->folder().isEmpty()) {
        *error = QStringLiteral("the session has no folder to run the step in (see the log)");
        return false;
    }
    const QString folder = QDir(m_session->folder()).filePath(QStringLiteral("lesson-%1-%2").arg(step.id).arg(QDateTime::currentMSecsSinceEpoch()));
    QString note;
    QString url;
    if (step.run.serve) {
        // Made first so that it can serve what prepare() makes; stopped when the step ends.
        if (!QDir().mkpath(folder)) {
            *error = QStringLiteral("cannot make the folder %1").arg(folder);
            return false;
        }
        if (!m_server)
            m_server = new LessonServer(this);
        if (!m_server->start(folder, error))
            return false;
        url = m_server->url();
        note = QStringLiteral("serving the step's folder at %1 until the step ends").arg(url);
    }
    const auto request = prepare(step, folder, &note, error, url);
    if (!request) {
        if (m_server)
            m_server->stop();
        return false;
    }
    const int first = pipelines && request->mode == LaunchMode::Pipeline ? pipelines(*request, error) : m_session->launch(*request, error);
    if (!first) {
        if (m_server)
            m_server->stop();
        return false;
    }
    m_folder = folder;
    if (!note.isEmpty())
        if (OutputBuffer *out = m_session->output(first))
            out->appendNote(note);
    follow(step, first);
    return true;
}

void LessonRunner::follow(const LessonStep &step, int firstProcess)
{
    const ProcessInfo *info = m_session->process(firstProcess);
    if (!info)
        return;
    m_running = true;
    m_group = info->group;
    const ProcessGroup *g = m_session->group(m_group);
    const bool alone = g && g->kind == GroupKind::Commands;
    m_process = alone ? firstProcess : 0;
    m_mode = g ? (g->kind == GroupKind::Pipeline ? LaunchMode::Pipeline : g->kind == GroupKind::Batch ? LaunchMode::Batch
                                                 : g->kind == GroupKind::Forks ? LaunchMode::Fork : info->mode)
               : info->mode;
    m_open.clear();
    if (alone)
        watchProcess(firstProcess);
    if (step.run.stopAfterMs > 0)
        m_stopTimer.start(step.run.stopAfterMs);
    if (!alone && !m_session->isGroupRunning(m_group))
        ended();
}

void LessonRunner::watchProcess(int process)
{
    ChildProcess *child = m_session->child(process);
    const ProcessInfo *info = m_session->process(process);
    if (!child || (info && !info->isLive() && info->state != ProcessInfo::State::Exited && info->state != ProcessInfo::State::Killed)) {
        // It never started (its close came already): nothing to wait for.
        QMetaObject::invokeMethod(this, &LessonRunner::ended, Qt::QueuedConnection);
        return;
    }
    m_open.insert(process);
    connect(child, &ChildProcess::closed, this, [this, process] {
        m_open.remove(process);
        if (m_running && m_open.isEmpty())
            ended();
    });
}

QList<int> LessonRunner::processes() const
{
    if (m_process)
        return {m_process};
    const ProcessGroup *g = m_session->group(m_group);
    return g ? g->processes : QList<int>{};
}

void LessonRunner::stop()
{
    if (!m_running)
        return;
    if (m_process)
        m_session->stop(m_process);
    else if (!m_session->stopGroup(m_group))
        m_session->signalGroup(m_group, SIGTERM);
}

int LessonRunner::status() const
{
    auto ofProcess = [this](int id) {
        const ProcessInfo *p = m_session->process(id);
        if (!p)
            return 0;
        switch (p->state) {
        case ProcessInfo::State::Exited: return p->exitCode.value_or(0);
        case ProcessInfo::State::Killed: return signalStatus(p->signal);
        case ProcessInfo::State::FailedToStart:
        case ProcessInfo::State::NotStarted: return 127;
        default: return 0;
        }
    };
    if (m_process)
        return ofProcess(m_process);
    const ProcessGroup *g = m_session->group(m_group);
    if (!g)
        return 0;
    if (g->kind == GroupKind::Pipeline)
        return g->status.value_or(0);
    if (g->kind == GroupKind::Batch)
        return std::min(101, m_session->counts(m_group).failed);
    for (int id : g->processes) {
        if (const int s = ofProcess(id))
            return s;
    }
    return 0;
}

void LessonRunner::ended()
{
    if (!m_running)
        return;
    m_running = false;
    m_stopTimer.stop();
    if (m_server)
        m_server->stop();
    Q_EMIT finished(status());
}

} // namespace Spawnscope
