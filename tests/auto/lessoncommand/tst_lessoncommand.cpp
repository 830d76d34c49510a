// `spawnscope lesson`, as a teacher runs it without a display.
#include "jsonlines.h"
#include "recorder.h"
#include "requirenode.h"
#include "writefile.h"

#include <spawnfunctions.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

using namespace Spawnscope;

namespace {

const QString app = QStringLiteral(SPAWNSCOPE_APP);

SyncResult lesson(const QStringList &args)
{
    SyncOptions o;
    o.timeout = 120000;
    return spawnSync(app, QStringList{QStringLiteral("lesson")} + args, o);
}

} // namespace

class tst_LessonCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void listPrintsAnIdAndATitleALine()
    {
        const SyncResult r = lesson({QStringLiteral("--list")});
        QCOMPARE(r.status.value_or(-1), 0);
        const QStringList lines = QString::fromUtf8(r.standardOutput).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.first(), QStringLiteral("Child processes"));
        QStringList ids;
        for (const QString &l : lines.mid(1)) {
            ids << l.section(QLatin1Char(' '), 0, 0);
            QVERIFY2(!l.section(QLatin1Char(' '), 1).trimmed().isEmpty(), qPrintable(l));
        }
        // The lesson's own order: exec, spawn, the pipe, fork, then the exercise.
        QCOMPARE(ids.mid(0, 8), (QStringList{"exec", "spawn", "pipe", "fork", "parent-js", "exercise-gzip", "exercise-fetch", "exercise-hash"}));
    }

    void aStepPrintsItsOutputAndExitsWithItsStatus_data()
    {
        QTest::addColumn<QString>("step");
        QTest::addColumn<QByteArray>("out");
        QTest::addColumn<int>("status");
        QTest::newRow("exec") << QStringLiteral("exec") << QByteArray("notes.txt") << 0;
        QTest::newRow("spawn") << QStringLiteral("spawn") << QByteArray("data.csv") << 0;
        QTest::newRow("pipe") << QStringLiteral("pipe") << QByteArray() << 0;
        QTest::newRow("sigpipe: the writer's status") << QStringLiteral("sigpipe") << QByteArray("y") << 128 + SIGPIPE;
        QTest::newRow("execFile keeps the input one word") << QStringLiteral("execfile-safe") << QByteArray("report.txt; echo I could have run anything\n") << 0;
    }
    void aStepPrintsItsOutputAndExitsWithItsStatus()
    {
        QFETCH(QString, step);
        QFETCH(QByteArray, out);
        QFETCH(int, status);
        const SyncResult r = lesson({step});
        QVERIFY2(r.status.value_or(-1) == status, r.standardOutput + r.standardError);
        QVERIFY2((r.standardOutput + r.standardError).contains(out), r.standardOutput + r.standardError);
    }

    void forkPrintsEachAnswer_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("child");
        QTest::newRow("node") << QStringList() << QStringLiteral("fork-child.js");
        QTest::newRow("our C++ child") << QStringList{QStringLiteral("--no-node")} << QStringLiteral("spawnscope-fib");
    }
    void forkPrintsEachAnswer()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, child);
        if (options.isEmpty())
            REQUIRE_NODE(!QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty(), "node");
        const SyncResult r = lesson(options + QStringList{QStringLiteral("--trace"), QStringLiteral("fork")});
        QVERIFY2(r.status.value_or(-1) == 0, r.standardError);
        QMap<int, double> answers;
        QMap<int, QStringList> kinds;
        for (const QJsonObject &e : jsonLines(r.standardOutput)) {
            QStringList &k = kinds[e.value("process").toInt()];
            if (k.isEmpty()) // a process's first line names it
                QCOMPARE(e.value("name").toString(), child);
            k << (e.contains("event") ? e.value("event") : e.value("action")).toString();
            if (e.value("event") == QLatin1String("message")) {
                const QJsonObject m = e.value("message").toObject();
                answers.insert(m.value("n").toInt(), m.value("fib").toDouble());
            }
        }
        QCOMPARE(answers, (QMap<int, double>{{5, 8}, {10, 89}, {45, 1836311903}}));
        QCOMPARE(kinds.size(), 3);
        for (const QStringList &k : kinds)
            QCOMPARE(k.join(QLatin1Char(' ')), QStringLiteral("send spawn message disconnect exit close"));
    }

    void traceIsJsonLinesInOrder()
    {
        const SyncResult r = lesson({QStringLiteral("--trace"), QStringLiteral("exit-before-close")});
        QCOMPARE(r.status.value_or(-1), 0);
        QStringList kinds;
        double last = -1;
        for (const QJsonObject &e : jsonLines(r.standardOutput)) {
            QVERIFY(!e.isEmpty());
            QVERIFY(e.value("t").toDouble() >= last);
            last = e.value("t").toDouble();
            if (e.value("event") != QLatin1String("stdout") && e.value("event") != QLatin1String("stderr"))
                kinds << e.value("event").toString();
        }
        QCOMPARE(kinds.first(), QStringLiteral("spawn"));
        QVERIFY2(kinds.indexOf(QStringLiteral("exit")) < kinds.indexOf(QStringLiteral("close")), qPrintable(kinds.join(' ')));
    }

    void mistakesSayWhere_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QByteArray>("error");
        QTest::addColumn<int>("status");
        QTest::newRow("unknown step") << QStringList{QStringLiteral("nope")} << QByteArray() << QByteArray("no step nope; the steps are exec, spawn") << 2;
        QTest::newRow("no step") << QStringList() << QByteArray() << QByteArray("which step?") << 2;
        QTest::newRow("two steps") << QStringList{QStringLiteral("exec"), QStringLiteral("spawn")} << QByteArray() << QByteArray("one step at a time") << 2;
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--fast")} << QByteArray() << QByteArray("unknown option --fast") << 2;
        QTest::newRow("a malformed file") << QStringList{QStringLiteral("--list")} << QByteArray("Lesson: L\nStep: a\nTitle: t\nRun: exec echo\nBogus: x\n")
                                          << QByteArray("mine.lesson: line 5: unknown field \"Bogus\"") << 1;
        QTest::newRow("a missing file") << QStringList{QStringLiteral("--list")} << QByteArray("-") << QByteArray("No such file") << 1;
    }
    void mistakesSayWhere()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, file);
        QFETCH(QByteArray, error);
        QFETCH(int, status);
        QTemporaryDir dir;
        if (file == "-")
            args.prepend(dir.filePath(QStringLiteral("absent.lesson")));
        else if (!file.isEmpty())
            args.prepend(writeFile(dir, QStringLiteral("mine.lesson"), file));
        if (!file.isEmpty())
            args.prepend(QStringLiteral("--file"));
        const SyncResult r = lesson(args);
        QCOMPARE(r.status.value_or(-1), status);
        QVERIFY2(r.standardError.contains(error), r.standardError);
        QVERIFY(r.standardOutput.isEmpty());
    }

    void aTeachersOwnLessonRuns()
    {
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("mine.lesson"), "Lesson: Mine\nStep: hello\nTitle: Say hello\nRun: spawn sh -c 'echo hello; exit 3'\n");
        const SyncResult r = lesson({QStringLiteral("--file"), path, QStringLiteral("hello")});
        QCOMPARE(r.status.value_or(-1), 3);
        QCOMPARE(r.standardOutput, QByteArray("hello\n"));
    }

    void aLessonBringsItsOwnFiles()
    {
        // A file next to the lesson is copied into the step's folder before it runs.
        QTemporaryDir dir;
        QFile script(dir.filePath(QStringLiteral("greet.sh")));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("echo \"greetings from $(basename \"$PWD\" | cut -c1-6)\"\n");
        script.close();
        const QString path = writeFile(dir, QStringLiteral("mine.lesson"), "Lesson: Mine\nStep: greet\nTitle: Greet\nMakes:\n    greet.sh from lesson\nRun: spawn sh greet.sh\n");
        const SyncResult r = lesson({QStringLiteral("--file"), path, QStringLiteral("greet")});
        QVERIFY2(r.status.value_or(-1) == 0, r.standardError);
        QCOMPARE(r.standardOutput, QByteArray("greetings from lesson\n")); // run in the step's own folder
        // One that is not there says so.
        const QString broken = writeFile(dir, QStringLiteral("mine.lesson"), "Lesson: Mine\nStep: greet\nTitle: Greet\nMakes:\n    absent.sh from lesson\nRun: spawn sh absent.sh\n");
        const SyncResult missing = lesson({QStringLiteral("--file"), broken, QStringLiteral("greet")});
        QCOMPARE(missing.status.value_or(-1), 1);
        QVERIFY2(missing.standardError.contains("cannot copy the lesson's absent.sh"), missing.standardError);
    }
};

QTEST_MAIN(tst_LessonCommand)
#include "tst_lessoncommand.moc"
