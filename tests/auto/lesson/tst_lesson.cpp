#include <lesson.h>

#include <QJsonObject>
#include <QtTest>

using namespace Spawnscope;

namespace {

// A small lesson with one step; `extra` is put at the end of the step.
QString oneStep(const QString &extra)
{
    return QStringLiteral("Lesson: L\nStep: s\nTitle: T\nRun: spawn ls\n") + extra;
}

} // namespace

class tst_Lesson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theBundledLessonReads();
    void fields();
    void blocksKeepTheirText();
    void malformed_data();
    void malformed();
};

void tst_Lesson::theBundledLessonReads()
{
    const QList<Lesson> lessons = Lesson::bundled();
    QCOMPARE(lessons.size(), 1);
    const Lesson &l = lessons.first();
    QCOMPARE(l.title, QStringLiteral("Child processes"));
    QStringList ids;
    for (const LessonStep &s : l.steps) {
        ids << s.id;
        QVERIFY2(!s.title.isEmpty() && !s.explain.isEmpty() && !s.look.isEmpty(), qPrintable(s.id));
        QVERIFY2(!s.node.isEmpty() && !s.cpp.isEmpty() && !s.shell.isEmpty(), qPrintable(s.id)); // three ways, every step
    }
    // The seed lesson's steps first, in its order.
    QCOMPARE(ids.mid(0, 8), (QStringList{"exec", "spawn", "pipe", "fork", "parent-js", "exercise-gzip", "exercise-fetch", "exercise-hash"}));
    QCOMPARE(l.step(QStringLiteral("parent-js"))->run.makes.first().source, QStringLiteral(":/lessons/parent.js"));
    const LessonStep *fork = l.step(QStringLiteral("fork"));
    QCOMPARE(fork->run.kind, LessonRun::Kind::Fork);
    QCOMPARE(fork->run.module, QStringLiteral("fibonacci"));
    QCOMPARE(fork->run.messages, (QList<QJsonValue>{QJsonObject{{"n", 5}}, QJsonObject{{"n", 10}}, QJsonObject{{"n", 45}}}));
    QVERIFY(fork->run.untilAnswered);
    QCOMPARE(l.step(QStringLiteral("pipe"))->run.kind, LessonRun::Kind::Pipeline);
    QCOMPARE(l.step(QStringLiteral("exec"))->run.mode, LaunchMode::Exec);
    QCOMPARE(l.step(QStringLiteral("exercise-gzip"))->run.makes.size(), 8);
    QCOMPARE(l.step(QStringLiteral("signals"))->run.stopAfterMs, 1500);
    const LessonStep *fetch = l.step(QStringLiteral("exercise-fetch"));
    QVERIFY(fetch);
    QVERIFY(fetch->run.serve);
    QVERIFY(fetch->run.line.contains(QStringLiteral("@url/page-1.txt")));
}

void tst_Lesson::fields()
{
    QString error;
    const auto l = Lesson::parse(QStringLiteral("# a comment\nLesson: Pipes\nAbout: why\n\nStep: one-2\nTitle: First\nRun: execFile echo 'a b'\n"
                                                "Makes:\n    a.txt 2K\n    b.bin 1MB\n    c 100\nStop: 250\nLook: there\n"),
                                 &error);
    QVERIFY2(l, qPrintable(error));
    QCOMPARE(l->title, QStringLiteral("Pipes"));
    QCOMPARE(l->about, QStringLiteral("why"));
    const LessonStep &s = l->steps.first();
    QCOMPARE(s.id, QStringLiteral("one-2"));
    QCOMPARE(s.line, 5);
    QCOMPARE(s.run.mode, LaunchMode::ExecFile);
    QCOMPARE(s.run.line, QStringLiteral("echo 'a b'"));
    QCOMPARE(s.run.makes, (QList<LessonFile>{{"a.txt", 2048}, {"b.bin", 1024 * 1024}, {"c", 100}}));
    QCOMPARE(s.run.stopAfterMs, 250);
    QCOMPARE(Lesson::runText(s.run), QStringLiteral("execFile echo 'a b'"));
}

void tst_Lesson::blocksKeepTheirText()
{
    QString error;
    const auto l = Lesson::parse(oneStep(QStringLiteral("Shell:\n    # a shell comment stays\n    for i in 1 2; do\n\techo $i\n    done\n\n\n"
                                                        "Explain:\n    One.\n\n    Two.\n")),
                                 &error);
    QVERIFY2(l, qPrintable(error));
    QCOMPARE(l->steps.first().shell, QStringLiteral("# a shell comment stays\nfor i in 1 2; do\necho $i\ndone"));
    QCOMPARE(l->steps.first().explain, QStringLiteral("One.\n\nTwo."));
}

void tst_Lesson::malformed_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("no lesson line") << "Step: s\n" << "line 1: a lesson starts with Lesson: and its title";
    QTest::newRow("no steps") << "Lesson: L\n" << "line 1: the lesson has no steps; each starts with Step: and an id";
    QTest::newRow("serve what") << oneStep("Serve: everything\n") << "line 5: Serve: \"everything\" is not files";
    QTest::newRow("@url without Serve") << oneStep("").replace("Run: spawn ls", "Run: spawn curl @url/a") << "line 2: step s: @url is the address of the step's files: it needs Serve: files";
    QTest::newRow("unknown field") << oneStep("Colour: red\n") << "line 5: unknown field \"Colour\"";
    QTest::newRow("not a field") << oneStep("just words\n") << "line 5: \"just words\" is not a field (Name: value)";
    QTest::newRow("bad run kind") << oneStep("").replace("Run: spawn ls", "Run: forks x") << "line 4: Run: \"forks\" is not one of spawn, exec, execFile, pipeline, batch, fork";
    QTest::newRow("run with nothing") << oneStep("").replace("Run: spawn ls", "Run: exec") << "line 4: Run: exec needs a command line after it";
    QTest::newRow("no run") << "Lesson: L\nStep: s\nTitle: T\n" << "line 2: step s has no Run";
    QTest::newRow("no title") << "Lesson: L\nStep: s\nRun: spawn ls\n" << "line 2: step s has no Title";
    QTest::newRow("a field twice") << oneStep("Title: again\n") << "line 5: step s has Title: twice";
    QTest::newRow("bad id") << "Lesson: L\nStep: Big Id\n" << "line 2: Step: \"Big Id\" is not an id";
    QTest::newRow("same id twice") << oneStep("Step: s\n") << "line 5: there is already a step s";
    QTest::newRow("fork without messages") << oneStep("").replace("Run: spawn ls", "Run: fork fibonacci") << "line 2: step s forks, and needs Messages";
    QTest::newRow("a bad message") << oneStep("").replace("Run: spawn ls", "Run: fork fibonacci") + "Messages:\n    {n: 5}\n    {n: }\n"
                                   << "line 7: Messages: column";
    QTest::newRow("messages without fork") << oneStep("Messages:\n    {n: 5}\n") << "line 2: step s: Messages and Until are for Run: fork";
    QTest::newRow("bad size") << oneStep("Makes:\n    a.txt lots\n") << "line 6: Makes: \"a.txt lots\" is not NAME SIZE";
    QTest::newRow("a path in makes") << oneStep("Makes:\n    ../x 1K\n") << "line 6: Makes: \"../x 1K\" is not NAME SIZE";
    QTest::newRow("bad stop") << oneStep("Stop: soon\n") << "line 5: Stop: \"soon\" is not a number of milliseconds";
    QTest::newRow("a stray block") << oneStep("    indented\n") << "line 5: an indented line belongs to a block";
    QTest::newRow("empty block") << oneStep("Explain:\nLook: x\n") << "line 5: Explain: is empty";
    QTest::newRow("field before a step") << "Lesson: L\nTitle: T\n" << "line 2: Title: belongs to a step";
}

void tst_Lesson::malformed()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!Lesson::parse(text, &why));
    QVERIFY2(why.startsWith(error), qPrintable(why));
}

QTEST_MAIN(tst_Lesson)
#include "tst_lesson.moc"
