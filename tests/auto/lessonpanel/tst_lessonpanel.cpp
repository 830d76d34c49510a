// The lesson panel under QT_QPA_PLATFORM=offscreen: its pages, its code, and Run and Stop with
// real children of the test program.
#include "recorder.h"

#include <lessonpanel.h>

#include <outputbuffer.h>
#include <session.h>

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <csignal>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

const QString child = QStringLiteral(TESTCHILD);

Lesson lessonOf(const QString &text)
{
    QString error;
    const auto lesson = Lesson::parse(text, &error);
    if (!lesson)
        qFatal("%s", qPrintable(error));
    return *lesson;
}

} // namespace

class tst_LessonPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { QTRY_VERIFY_WITH_TIMEOUT(childrenOfThisProcess().isEmpty(), 10000); }

    void theBundledLessonOpensOnItsStartPage()
    {
        Session session;
        LessonPanel panel(&session);
        const Lesson &lesson = panel.lesson();
        QCOMPARE(lesson.title, QStringLiteral("Child processes"));
        QCOMPARE(panel.stepList()->count(), lesson.steps.size() + 1);
        QCOMPARE(panel.stepList()->currentRow(), 0);
        QCOMPARE(panel.currentStep(), -1);
        QVERIFY(panel.codeTabs()->isHidden());
        // The start page lists every step.
        for (const LessonStep &s : lesson.steps)
            QVERIFY2(panel.explanation()->toPlainText().contains(s.title), qPrintable(s.title));
    }

    void everyStepShowsItsWordsAndItsCode_data()
    {
        QTest::addColumn<int>("index");
        Session session;
        LessonPanel panel(&session);
        for (int i = 0; i < panel.lesson().steps.size(); ++i)
            QTest::newRow(qPrintable(panel.lesson().steps[i].id)) << i;
    }
    void everyStepShowsItsWordsAndItsCode()
    {
        QFETCH(int, index);
        Session session;
        LessonPanel panel(&session);
        panel.show();
        // As a user picks it: a click on its row.
        QListWidget *list = panel.stepList();
        list->scrollToItem(list->item(index + 1));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(index + 1)).center());
        QCOMPARE(panel.currentStep(), index);
        const LessonStep &s = panel.lesson().steps[index];
        QCOMPARE(panel.titleLabel()->text(), QStringLiteral("%1. %2").arg(index + 1).arg(s.title));
        QVERIFY(!panel.explanation()->toPlainText().isEmpty());
        QVERIFY(panel.lookLabel()->text().startsWith(QStringLiteral("<b>Look:</b>")));
        QVERIFY(!panel.code(LessonPanel::Code::Node).isEmpty());
        QVERIFY(!panel.code(LessonPanel::Code::Cpp).isEmpty());
        QVERIFY(!panel.code(LessonPanel::Code::Shell).isEmpty());
        QCOMPARE(panel.runButton()->text(), QStringLiteral("Run"));
        // Copy takes the tab in front.
        for (int tab = 0; tab < 3; ++tab) {
            panel.codeTabs()->setCurrentIndex(tab);
            QTest::mouseClick(panel.copyButton(), Qt::LeftButton);
            QCOMPARE(QApplication::clipboard()->text(), panel.code(LessonPanel::Code(tab)));
        }
        QVERIFY(panel.statusLabel()->text().startsWith(QStringLiteral("Copied the")));
    }

    void runRunsTheStepAndSaysHowItEnded_data()
    {
        QTest::addColumn<QString>("run");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("said");
        QTest::newRow("exit 0") << QStringLiteral("spawn %1 lines 3").arg(child) << 0 << QStringLiteral("Ended with status 0 (1 process)");
        QTest::newRow("exit 3") << QStringLiteral("spawn %1 exit 3").arg(child) << 3 << QStringLiteral("Ended with status 3 (1 process)");
        QTest::newRow("a batch") << QStringLiteral("batch %1 out {} ::: a b c").arg(child) << 0 << QStringLiteral("Ended with status 0 (3 processes)");
        QTest::newRow("a crash") << QStringLiteral("spawn %1 crash").arg(child) << 128 + SIGSEGV << QStringLiteral("Ended with status 139: SIGSEGV, signal 11 (1 process)");
    }
    void runRunsTheStepAndSaysHowItEnded()
    {
        QFETCH(QString, run);
        QFETCH(int, status);
        QFETCH(QString, said);
        Session session;
        LessonPanel panel(&session);
        panel.setLesson(lessonOf(QStringLiteral("Lesson: L\nStep: s\nTitle: T\nRun: %1\n").arg(run)));
        panel.showStep(0);
        QSignalSpy started(&panel, &LessonPanel::stepStarted);
        QSignalSpy finished(&panel, &LessonPanel::stepFinished);
        QTest::mouseClick(panel.runButton(), Qt::LeftButton);
        QCOMPARE(started.count(), 1);
        QCOMPARE(started.first().at(0).toInt(), session.processIds().value(0));
        QVERIFY(!panel.runButton()->isEnabled()); // one run of a step at a time
        QVERIFY(panel.stopButton()->isEnabled());
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(0).toInt(), status);
        QVERIFY2(panel.statusLabel()->text().contains(said), qPrintable(panel.statusLabel()->text()));
        QVERIFY(panel.runButton()->isEnabled());
        QVERIFY(!panel.stopButton()->isEnabled());
        QCOMPARE(started.count(), 1);
        QCOMPARE(finished.count(), 1);
    }

    void stopEndsTheStep()
    {
        Session session;
        LessonPanel panel(&session);
        panel.setLesson(lessonOf(QStringLiteral("Lesson: L\nStep: s\nTitle: T\nRun: spawn %1 sleep 60000\n").arg(child)));
        panel.showStep(0);
        QSignalSpy finished(&panel, &LessonPanel::stepFinished);
        QTest::mouseClick(panel.runButton(), Qt::LeftButton);
        QTRY_COMPARE(session.process(session.processIds().first())->state, ProcessInfo::State::Running);
        QTest::mouseClick(panel.stopButton(), Qt::LeftButton);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(0).toInt(), 128 + SIGTERM);
        // Said as what the user did, not as if the step meant it.
        QVERIFY2(panel.statusLabel()->text().startsWith(QStringLiteral("Stopped by you")), qPrintable(panel.statusLabel()->text()));
        // A run after that is the step's again.
        panel.setLesson(lessonOf(QStringLiteral("Lesson: L\nStep: s\nTitle: T\nRun: spawn %1 exit 0\n").arg(child)));
        panel.showStep(0);
        QTest::mouseClick(panel.runButton(), Qt::LeftButton);
        QTRY_COMPARE(finished.count(), 2);
        QVERIFY2(panel.statusLabel()->text().startsWith(QStringLiteral("Ended with status 0")), qPrintable(panel.statusLabel()->text()));
    }

    void aStepThatCannotRunSaysWhyInTheErrorColour()
    {
        Session session;
        LessonPanel panel(&session);
        panel.setLesson(lessonOf(QStringLiteral("Lesson: L\nStep: s\nTitle: T\nRun: spawn echo 'unclosed\n")));
        panel.showStep(0);
        QSignalSpy started(&panel, &LessonPanel::stepStarted);
        QString error;
        QVERIFY(!panel.runStep(&error));
        QVERIFY(!error.isEmpty());
        QVERIFY2(panel.statusLabel()->text().contains(QStringLiteral("Cannot run this step")), qPrintable(panel.statusLabel()->text()));
        QVERIFY(panel.statusLabel()->text().contains(QStringLiteral("color:")));
        QCOMPARE(started.count(), 0);
        QVERIFY(panel.runButton()->isEnabled());
    }

    void aBrokenFileKeepsTheLessonShown()
    {
        Session session;
        LessonPanel panel(&session);
        panel.show();
        panel.showStep(2);
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("x.lesson")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Lesson: X\n\nStep: a\nTitle: A\n");
        f.close();
        QString error;
        QVERIFY(!panel.openLesson(f.fileName(), &error));
        QVERIFY2(error.contains(QStringLiteral("line ")), qPrintable(error));
        QVERIFY(panel.errorLabel()->isVisible());
        QCOMPARE(panel.lesson().title, QStringLiteral("Child processes"));
        QCOMPARE(panel.currentStep(), 2);
        // A good file then: the error goes, the new lesson opens on its start page.
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("Lesson: X\nStep: a\nTitle: A\nRun: spawn true\n");
        f.close();
        QVERIFY(panel.openLesson(f.fileName(), &error));
        QVERIFY(!panel.errorLabel()->isVisible());
        QCOMPARE(panel.lesson().title, QStringLiteral("X"));
        QCOMPARE(panel.currentStep(), -1);
        QCOMPARE(panel.stepList()->count(), 2);
    }
};

QTEST_MAIN(tst_LessonPanel)
#include "tst_lessonpanel.moc"
