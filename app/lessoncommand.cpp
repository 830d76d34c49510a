#include "lessoncommand.h"

#include <lesson.h>
#include <lessonrunner.h>
#include <messagelogmodel.h>
#include <outputbuffer.h>
#include <session.h>
#include <timeline.h>

#include <jsliteral.h>

#include <QCoreApplication>
#include <QFile>
#include <QHash>

#include <cstdio>

namespace {

const char kUsage[] = "usage: spawnscope lesson [--file FILE] --list\n"
                      "       spawnscope lesson [--file FILE] [--trace] [--no-node] STEP\n"
                      "The bundled lesson unless --file names one (docs/lesson-format.md). --list prints its steps,\n"
                      "an id and a title a line; STEP runs that step without a display and prints its output\n"
                      "(with --trace, its events as JSON Lines in the trace format instead); --no-node runs the fork\n"
                      "step's C++ child even where node is installed. The exit status is the step's.\n";

int usage(const QString &why)
{
    std::fprintf(stderr, "spawnscope lesson: %s\n%s", qPrintable(why), kUsage);
    return 2;
}

// Prints what one process writes as its lines come, prefixed by who wrote them when the step
// runs more than one process; stderr to stderr; the window's notes too.
class Printer
{
public:
    explicit Printer(Spawnscope::Session *session)
        : m_session(session)
    {
    }
    void attach(int process, bool prefix)
    {
        Spawnscope::OutputBuffer *out = m_session->output(process);
        if (!out)
            return;
        m_prefix.insert(process, prefix);
        QObject::connect(out, &Spawnscope::OutputBuffer::linesAdded, [this, process] { flush(process); });
        if (Spawnscope::MessageLogModel *log = m_session->messages(process)) {
            QObject::connect(log, &QAbstractItemModel::rowsInserted, [this, process, log](const QModelIndex &, int first, int last) {
                for (int row = first; row <= last; ++row) {
                    const bool in = log->direction(row) == Spawnscope::MessageLogModel::FromChild;
                    std::printf("%smessage %s %s\n", qPrintable(who(process)), in ? "from the child" : "to the child",
                                qPrintable(Spawnscope::JsLiteral::toJson(log->message(row))));
                }
                std::fflush(stdout);
            });
        }
    }
    void flush(int process)
    {
        Spawnscope::OutputBuffer *out = m_session->output(process);
        if (!out)
            return;
        out->processPending();
        const qint64 from = m_next.value(process, 0);
        for (const Spawnscope::OutputBuffer::Line &l : out->linesFrom(from, 1 << 30)) {
            FILE *to = l.stream == Spawnscope::OutputBuffer::Stderr || l.stream == Spawnscope::OutputBuffer::Note ? stderr : stdout;
            std::fprintf(to, "%s%s%s\n", qPrintable(who(process)), l.stream == Spawnscope::OutputBuffer::Note ? "[spawnscope] " : "", qPrintable(l.text));
        }
        m_next.insert(process, out->nextSeq());
        std::fflush(stdout);
        std::fflush(stderr);
    }
    void flushAll()
    {
        for (int id : m_session->processIds()) {
            if (Spawnscope::OutputBuffer *out = m_session->output(id))
                out->finish();
            flush(id);
        }
    }

private:
    Spawnscope::Session *m_session;
    QHash<int, qint64> m_next;
    QHash<int, bool> m_prefix;
    QString who(int process) const
    {
        if (!m_prefix.value(process))
            return {};
        const Spawnscope::ProcessInfo *p = m_session->process(process);
        return p ? QStringLiteral("[%1 %2] ").arg(p->name).arg(p->pid) : QString();
    }
};

} // namespace

int runLessonCommand(const QStringList &args)
{
    QString file;
    QString id;
    bool list = false;
    bool trace = false;
    bool node = true;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--list"))
            list = true;
        else if (a == QLatin1String("--trace"))
            trace = true;
        else if (a == QLatin1String("--no-node"))
            node = false;
        else if (a == QLatin1String("--file") && i + 1 < args.size())
            file = args[++i];
        else if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (a.startsWith(QLatin1Char('-')))
            return usage(QStringLiteral("unknown option %1").arg(a));
        else if (id.isEmpty())
            id = a;
        else
            return usage(QStringLiteral("one step at a time (%1 and %2)").arg(id, a));
    }
    std::optional<Spawnscope::Lesson> lesson;
    if (file.isEmpty()) {
        const QList<Spawnscope::Lesson> bundled = Spawnscope::Lesson::bundled();
        if (!bundled.isEmpty())
            lesson = bundled.first();
    } else {
        QString error;
        lesson = Spawnscope::Lesson::load(file, &error);
        if (!lesson) {
            std::fprintf(stderr, "spawnscope lesson: %s\n", qPrintable(error));
            return 1;
        }
    }
    if (!lesson)
        return usage(QStringLiteral("no lesson"));
    if (list) {
        std::printf("%s\n", qPrintable(lesson->title));
        for (const Spawnscope::LessonStep &s : lesson->steps)
            std::printf("%-20s %s\n", qPrintable(s.id), qPrintable(s.title));
        return 0;
    }
    if (id.isEmpty())
        return usage(QStringLiteral("which step? (--list lists them)"));
    const Spawnscope::LessonStep *step = lesson->step(id);
    if (!step) {
        QStringList ids;
        for (const Spawnscope::LessonStep &s : lesson->steps)
            ids << s.id;
        return usage(QStringLiteral("no step %1; the steps are %2").arg(id, ids.join(QStringLiteral(", "))));
    }

    Spawnscope::Session session;
    Spawnscope::LessonRunner runner(&session);
    Spawnscope::LessonRunner::Setup setup;
    setup.useNode = node;
    runner.setSetup(setup);
    Printer printer(&session);
    const bool many = step->run.kind != Spawnscope::LessonRun::Kind::Command || step->run.mode == Spawnscope::LaunchMode::Batch;
    if (!trace)
        QObject::connect(&session, &Spawnscope::Session::processAdded, [&](int process) { printer.attach(process, many); });
    int status = 0;
    QObject::connect(&runner, &Spawnscope::LessonRunner::finished, [&](int s) {
        status = s;
        QCoreApplication::quit();
    });
    QString error;
    if (!runner.start(*step, &error)) {
        std::fprintf(stderr, "spawnscope lesson: %s: %s\n", qPrintable(id), qPrintable(error));
        return 1;
    }
    if (runner.isRunning())
        QCoreApplication::exec();
    if (trace) {
        QFile out;
        if (out.open(stdout, QIODevice::WriteOnly))
            session.timeline()->writeJsonLines(&out);
    } else {
        printer.flushAll();
    }
    return status;
}
