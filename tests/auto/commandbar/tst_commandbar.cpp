// The command bar as a user types into it (offscreen): what will run, or why not and where.
#include <commandbar.h>

#include <colours.h>

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

class tst_CommandBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void saysWhatWillRun_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("preview");
        QTest::newRow("empty") << int(LaunchMode::Spawn) << "" << "What will run appears here before it runs.";
        QTest::newRow("a command") << int(LaunchMode::Spawn) << "ls -l" << "ls -l";
        QTest::newRow("a pipeline") << int(LaunchMode::Spawn) << "seq 3|wc -l" << "pipeline of 2 stages: seq 3 | wc -l";
        QTest::newRow("exec") << int(LaunchMode::Exec) << "ls *" << "/bin/sh -c 'ls *'";
    }
    void saysWhatWillRun()
    {
        QFETCH(int, mode);
        QFETCH(QString, line);
        QFETCH(QString, preview);
        CommandBar bar;
        bar.setMode(LaunchMode(mode));
        QTest::keyClicks(bar.lineEdit(), line);
        QCOMPARE(bar.plainPreview(), preview);
        QVERIFY(!bar.isShowingError());
        QVERIFY(!bar.previewLabel()->text().contains(Colours::errorColor(bar.palette()).name()));
    }

    // An error in the error colour, the line with a caret under the column, a way out; Enter
    // then puts the cursor where the fault is.
    void refusesWithTheColumnAndAWayOut()
    {
        CommandBar bar;
        bar.show();
        QSignalSpy run(&bar, &CommandBar::runRequested);
        QTest::keyClicks(bar.lineEdit(), QStringLiteral("echo 'abc | wc"));
        QVERIFY(bar.isShowingError());
        QCOMPARE(bar.plainPreview(), QStringLiteral("Cannot run: column 6: unterminated single quote\n"
                                                    "echo 'abc | wc\n"
                                                    "     ^\n"
                                                    "close the quote, or escape it with a backslash"));
        QVERIFY(bar.previewLabel()->text().contains(Colours::errorColor(bar.palette()).name()));
        QTest::keyClick(bar.lineEdit(), Qt::Key_Return);
        QCOMPARE(run.count(), 1);
        bar.showRefusal();
        QCOMPARE(bar.lineEdit()->cursorPosition(), 5);
        QCOMPARE(bar.lineEdit()->text(), QStringLiteral("echo 'abc | wc")); // kept, to fix
    }

    void modesChangeTheVerdict()
    {
        CommandBar bar;
        bar.lineEdit()->setText(QStringLiteral("echo $(date) | cat"));
        QVERIFY(!bar.isShowingError());
        bar.setMode(LaunchMode::Fork);
        QVERIFY(bar.isShowingError());
        QVERIFY(bar.plainPreview().contains(QStringLiteral("exec mode runs the line with /bin/sh")));
        bar.setMode(LaunchMode::Exec);
        QCOMPARE(bar.plainPreview(), QStringLiteral("/bin/sh -c 'echo $(date) | cat'"));
    }

    void optionsShowInThePreview()
    {
        CommandBar bar;
        LaunchOptions o;
        o.timeoutMs = 500;
        bar.setOptions(o);
        bar.lineEdit()->setText(QStringLiteral("ls"));
        QCOMPARE(bar.plainPreview(), QStringLiteral("ls · timeout 500 ms"));
    }
};

QTEST_MAIN(tst_CommandBar)
#include "tst_commandbar.moc"
