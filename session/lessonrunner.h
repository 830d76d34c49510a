#pragma once

#include "launchrequest.h"
#include "lesson.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>

namespace Spawnscope {

class LessonServer;
class Session;

// Runs one step of a lesson in a session: makes its own folder with the files it needs, starts
// what its Run says (a command, a pipeline, a batch, a group of forked children each with its
// first message), stops it when its Stop says, and says when everything it started has ended
// (closed: output and channel done, not only exited), with the step's status.
class LessonRunner : public QObject
{
    Q_OBJECT
public:
    // Where the lesson's helpers are, and whether the fork step may use node.
    struct Setup
    {
        QString workerProgram; // spawnscope-worker; empty: found as StageTemplate does
        QString fibProgram;    // spawnscope-fib; likewise
        bool useNode = true;   // false: the C++ child even where node is installed
    };

    explicit LessonRunner(Session *session, QObject *parent = nullptr);
    void setSetup(const Setup &setup) { m_setup = setup; }

    // What the step runs, as a request, in `folder` (made, with the step's files in it);
    // nullopt with why. `note` gets what the window should say about it ("node is not
    // installed: ..."). A pipeline step's request carries its spec.
    // `url`: where the step's files are served (`@url` in its Run), for a step that serves them.
    std::optional<LaunchRequest> prepare(const LessonStep &step, const QString &folder, QString *note, QString *error,
                                         const QString &url = {}) const;
    // Who launches a pipeline step instead of the session (the window: in the builder, so its
    // wires show their counters): the first process, or 0 with why.
    using PipelineLauncher = std::function<int(const LaunchRequest &request, QString *error)>;
    // Starts the step (a folder of its own under the session's); false with why.
    bool start(const LessonStep &step, QString *error, const PipelineLauncher &pipelines = {});
    // Starts a request prepared for it elsewhere (the builder launched the pipeline): follows
    // the group, or the process, until it ends.
    void follow(const LessonStep &step, int firstProcess);
    bool isRunning() const { return m_running; }
    int group() const { return m_group; }
    QList<int> processes() const;
    QString folder() const { return m_folder; }
    // The web server of a step that serves its files, while the step runs; null otherwise.
    LessonServer *server() const { return m_server; }
    void stop();

    // A step's status from how its processes ended: a command's exit code (128 + N for signal
    // N, 127 when it did not start), a pipeline's by its policy, a batch's failed jobs (at most
    // 101, as GNU parallel), a fork group's first failure.
    int status() const;

Q_SIGNALS:
    // Once per start, when everything the step started has ended.
    void finished(int status);

private:
    Session *m_session;
    Setup m_setup;
    bool m_running = false;
    int m_group = 0;
    int m_process = 0; // a single command
    LaunchMode m_mode = LaunchMode::Spawn;
    QString m_folder;
    QTimer m_stopTimer;
    QSet<int> m_open; // processes of a single command not yet closed
    LessonServer *m_server = nullptr;
    void ended();
    void watchProcess(int process);
};

} // namespace Spawnscope
