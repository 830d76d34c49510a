#include <lesson.h>
#include <lessonrunner.h>
#include <lessonserver.h>
#include <messagelogmodel.h>
#include <outputbuffer.h>
#include <session.h>
#include <timeline.h>
#include <traceline.h>

#include <recorder.h>
#include <requirenode.h>

#include <QDir>
#include <QStandardPaths>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

using namespace Spawnscope;

namespace {

constexpr int StepTimeoutMs = 180000; // fib(45) the slow way, on a loaded 2-CPU machine

struct Run
{
    Session session;
    LessonRunner runner{&session};
    QSignalSpy finished{&runner, &LessonRunner::finished};

    explicit Run(bool useNode = true)
    {
        LessonRunner::Setup setup;
        setup.workerProgram = QStringLiteral(SPAWNSCOPE_WORKER);
        setup.fibProgram = QStringLiteral(SPAWNSCOPE_FIB);
        setup.useNode = useNode;
        runner.setSetup(setup);
    }
    bool step(const LessonStep &s)
    {
        QString error;
        if (!runner.start(s, &error)) {
            qWarning() << error;
            return false;
        }
        return QTest::qWaitFor([this] { return finished.count() > 0; }, StepTimeoutMs);
    }
    QString output(int process, OutputBuffer::Stream stream = OutputBuffer::Stdout)
    {
        OutputBuffer *out = session.output(process);
        out->processPending();
        QStringList lines;
        for (const OutputBuffer::Line &l : out->linesFrom(0, 1 << 20)) {
            if (l.stream == stream)
                lines << l.text;
        }
        return lines.join(QLatin1Char('\n'));
    }
    QString allOutput()
    {
        QStringList all;
        for (int id : session.processIds())
            all << output(id);
        return all.join(QLatin1Char('\n'));
    }
    // Each lane's events by kind, in order, for the processes that started.
    QList<QStringList> kinds()
    {
        QList<QStringList> out;
        Timeline *t = session.timeline();
        for (int lane = 0; lane < t->laneCount(); ++lane) {
            QStringList k;
            for (const TimelineEvent &e : t->lane(lane).events)
                k << TraceLine::kindName(e.kind);
            out << k;
        }
        return out;
    }
};

const Lesson &bundled()
{
    static const Lesson lesson = Lesson::bundled().value(0);
    return lesson;
}

} // namespace

class tst_LessonRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }
    void everyStepRuns_data();
    void everyStepRuns();
    void everyBundledStepIsHere();
    void forkStepAnswers();
    void withoutNodeTheCppChildAnswers();
    void stopEndsAStep();
};

namespace {
// Every bundled step but fork (forkStepAnswers): its status, and what its output shows.
struct StepCase
{
    const char *id;
    int status;
    const char *shows;
};
const StepCase kCases[] = {
    {"exec", 0, "data.csv"},
    {"spawn", 0, "notes.txt"},
    {"pipe", 0, "      4      29     164"},
    {"exercise-gzip", 0, ""},
    {"parent-js", 0, "PARENT child3 got message: { fib: 1836311903, n: 45 }"},
    {"exercise-fetch", 0, "\"output\":\"got-page-6.txt\""},
    {"exercise-hash", 0, "\"sha256\""},
    {"exit-before-close", 0, "hi"},
    {"sigpipe", 141, "y"},
    {"backpressure", 141, "y"},
    {"untrusted-input", 0, "report.txt\nI could have run anything"},
    {"execfile-safe", 0, "report.txt; echo I could have run anything"},
    {"signals", 0, "ready\ncleaning up"},
};
} // namespace

void tst_LessonRunner::everyStepRuns_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("shows"); // in the output of the step's processes
    for (const StepCase &c : kCases)
        QTest::newRow(c.id) << QString::fromUtf8(c.id) << c.status << QString::fromUtf8(c.shows);
}

void tst_LessonRunner::everyStepRuns()
{
    QFETCH(QString, id);
    QFETCH(int, status);
    QFETCH(QString, shows);
    const LessonStep *step = bundled().step(id);
    QVERIFY(step);
    if (step->run.line.startsWith(QLatin1String("node ")))
        REQUIRE_NODE(!QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty(), "node");
    Run r;
    QVERIFY(r.step(*step));
    QCOMPARE(r.finished.count(), 1);
    QCOMPARE(r.finished.first().at(0).toInt(), status);
    QVERIFY(!r.runner.isRunning());
    QVERIFY2(r.allOutput().contains(shows), qPrintable(r.allOutput()));
    // Every process that started: spawn first, exit before close, close last.
    for (const QStringList &k : r.kinds()) {
        if (k.isEmpty() || k.first() != QLatin1String("spawn"))
            continue;
        QVERIFY2(k.indexOf(QStringLiteral("exit")) > 0, qPrintable(k.join(' ')));
        QVERIFY2(k.indexOf(QStringLiteral("close")) > k.indexOf(QStringLiteral("exit")), qPrintable(k.join(' ')));
        QCOMPARE(k.last(), QStringLiteral("close"));
    }
    if (id == QLatin1String("exercise-gzip")) {
        QCOMPARE(QDir(r.runner.folder()).entryList({QStringLiteral("*.gz")}, QDir::Files).size(), 8);
        QCOMPARE(r.session.processCount(), 8);
    }
    if (id == QLatin1String("parent-js")) {
        // The window started one node; the three it forked are found nested under it, and gone.
        QCOMPARE(r.session.processCount(), 1);
        const int parent = r.session.processIds().first();
        // The n = 45 child lives for seconds and is always found; the other two may answer and
        // end between two looks at /proc on a loaded machine.
        const QList<DescendantInfo> found = r.session.descendants(parent);
        QVERIFY2(!found.isEmpty() && found.size() <= 3, qPrintable(QString::number(found.size())));
        for (int i = 0; i < found.size(); ++i) {
            QCOMPARE(r.session.descendants(parent).at(i).ppid, r.session.process(parent)->pid);
            QCOMPARE(r.session.descendants(parent).at(i).name, QStringLiteral("node"));
            QTRY_COMPARE(r.session.descendants(parent).at(i).state, DescendantInfo::State::Gone);
        }
    }
    if (id == QLatin1String("exercise-fetch")) {
        // Each page fetched from the step's own server into a file of its own, whole.
        const QDir folder(r.runner.folder());
        QCOMPARE(r.session.processCount(), 6);
        for (int n = 1; n <= 6; ++n) {
            QFile served(folder.filePath(QStringLiteral("page-%1.txt").arg(n)));
            QFile got(folder.filePath(QStringLiteral("got-page-%1.txt").arg(n)));
            QVERIFY(served.open(QIODevice::ReadOnly) && got.open(QIODevice::ReadOnly));
            QCOMPARE(got.size(), qint64(1024 * 1024));
            QVERIFY(got.readAll() == served.readAll());
        }
        QVERIFY(!r.runner.server()->isListening()); // stopped with the step
    }
    if (id == QLatin1String("exercise-hash")) {
        // Six files, six different hashes: each file its own.
        QSet<QString> hashes;
        for (int p : r.session.processIds())
            hashes << r.output(p).section(QStringLiteral("\"sha256\":\""), 1).left(64);
        QCOMPARE(hashes.size(), 6);
    }
    if (id == QLatin1String("exit-before-close")) {
        const TimelineLane &lane = r.session.timeline()->lane(0);
        double exit = -1, close = -1;
        for (const TimelineEvent &e : lane.events) {
            if (e.kind == TraceKind::Exit)
                exit = e.t;
            if (e.kind == TraceKind::Close)
                close = e.t;
        }
        QVERIFY2(close - exit >= 1500, qPrintable(QStringLiteral("exit %1 close %2").arg(exit).arg(close))); // sleep 2 held stdout
    }
    if (id == QLatin1String("sigpipe"))
        QCOMPARE(r.session.process(r.session.processIds().first())->signal, QStringLiteral("SIGPIPE"));
}

void tst_LessonRunner::everyBundledStepIsHere()
{
    // A step added to the lesson without a case above would go untested.
    QStringList tested{QStringLiteral("fork")};
    for (const StepCase &c : kCases)
        tested << QString::fromUtf8(c.id);
    QStringList steps;
    for (const LessonStep &s : bundled().steps)
        steps << s.id;
    std::sort(tested.begin(), tested.end());
    std::sort(steps.begin(), steps.end());
    QCOMPARE(tested, steps);
}

void tst_LessonRunner::forkStepAnswers()
{
    Run r;
    QVERIFY(r.step(*bundled().step(QStringLiteral("fork"))));
    QCOMPARE(r.finished.first().at(0).toInt(), 0);
    QCOMPARE(r.session.processCount(), 3);
    QMap<int, double> answers;
    for (int p : r.session.processIds()) {
        MessageLogModel *log = r.session.messages(p);
        QVERIFY(log);
        QCOMPARE(log->rowCount(), 2); // its number out, its answer back
        QCOMPARE(log->direction(0), MessageLogModel::ToChild);
        QCOMPARE(log->direction(1), MessageLogModel::FromChild);
        const QJsonObject a = log->message(1).toObject();
        answers.insert(a.value("n").toInt(), a.value("fib").toDouble());
        QCOMPARE(r.session.process(p)->exitCode, 0); // disconnected once it answered, it ended
    }
    QCOMPARE(answers, (QMap<int, double>{{5, 8}, {10, 89}, {45, 1836311903}}));
    for (const QStringList &k : r.kinds())
        // As in Node: the first message is sent as fork() returns, before the spawn event.
        QCOMPARE(k.join(QLatin1Char(' ')), QStringLiteral("send spawn message disconnect exit close"));
}

void tst_LessonRunner::withoutNodeTheCppChildAnswers()
{
    QString error;
    const auto lesson = Lesson::parse(QStringLiteral("Lesson: L\nStep: f\nTitle: T\nRun: fork fibonacci\nUntil: answered\nMessages:\n    {n: 5}\n    {n: 10}\n    {n: 25}\n"), &error);
    QVERIFY2(lesson, qPrintable(error));
    Run r(false);
    QVERIFY(r.step(lesson->steps.first()));
    QCOMPARE(r.finished.first().at(0).toInt(), 0);
    QMap<int, double> answers;
    for (int p : r.session.processIds()) {
        QCOMPARE(r.session.process(p)->name, QStringLiteral("spawnscope-fib"));
        const QJsonObject a = r.session.messages(p)->message(1).toObject();
        answers.insert(a.value("n").toInt(), a.value("fib").toDouble());
    }
    QCOMPARE(answers, (QMap<int, double>{{5, 8}, {10, 89}, {25, 121393}}));
    // The window says why it is not node.
    QVERIFY(r.output(r.session.processIds().first(), OutputBuffer::Note).contains(QStringLiteral("node is not installed here")));
}

void tst_LessonRunner::stopEndsAStep()
{
    QString error;
    const auto lesson = Lesson::parse(QStringLiteral("Lesson: L\nStep: s\nTitle: T\nRun: spawn sleep 60\n"), &error);
    QVERIFY(lesson);
    Run r;
    QVERIFY2(r.runner.start(lesson->steps.first(), &error), qPrintable(error));
    QTRY_VERIFY(r.session.process(r.session.processIds().first())->state == ProcessInfo::State::Running);
    r.runner.stop();
    QTRY_COMPARE(r.finished.count(), 1);
    QCOMPARE(r.finished.first().at(0).toInt(), 128 + SIGTERM);
}

QTEST_MAIN(tst_LessonRunner)
#include "tst_lessonrunner.moc"
