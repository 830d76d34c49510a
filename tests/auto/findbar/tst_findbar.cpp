#include <findbar.h>

#include <QCheckBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTest>
#include <QTextBlock>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

class tst_FindBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matches_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("regex");
        QTest::addColumn<bool>("matchCase");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("status");
        QTest::newRow("plain, any case") << "error" << false << false << 3 << "3 match(es)";
        QTest::newRow("plain, case") << "Error" << false << true << 1 << "1 match(es)";
        QTest::newRow("dot is literal") << "a.c" << false << false << 1 << "1 match(es)";
        QTest::newRow("regex") << "err(or)? \\d+" << true << false << 3 << "3 match(es)";
        QTest::newRow("regex case") << "^E" << true << true << 2 << "2 match(es)";
        QTest::newRow("none") << "nothing" << false << false << 0 << "0 match(es)";
        QTest::newRow("invalid regex") << "(unclosed" << true << false << 0 << "invalid: missing closing parenthesis";
    }
    void matches()
    {
        QFETCH(QString, text);
        QFETCH(bool, regex);
        QFETCH(bool, matchCase);
        QFETCH(int, count);
        QFETCH(QString, status);
        QPlainTextEdit pane;
        pane.setPlainText(QStringLiteral("Error 1 here\nan error 2\nabc a.c\nERROR 3"));
        FindBar bar;
        bar.setPane(&pane);
        bar.regexBox()->setChecked(regex);
        bar.caseBox()->setChecked(matchCase);
        QTest::keyClicks(bar.input(), text);
        QCOMPARE(bar.matchCount(), count);
        QCOMPARE(bar.status(), status);
        QCOMPARE(pane.extraSelections().size(), count);
    }

    void nextAndPreviousWrap()
    {
        QPlainTextEdit pane;
        pane.setPlainText(QStringLiteral("x1\ny\nx2\nx3"));
        FindBar bar;
        bar.setPane(&pane);
        bar.input()->setText(QStringLiteral("x"));
        QStringList lines;
        for (int i = 0; i < 4; ++i) {
            QVERIFY(bar.findNext());
            lines << pane.textCursor().block().text();
        }
        QCOMPARE(lines, (QStringList{"x1", "x2", "x3", "x1"})); // wrapped round
        QVERIFY(bar.findNext(true));
        QCOMPARE(pane.textCursor().block().text(), QStringLiteral("x3"));
        QTest::keyClick(bar.input(), Qt::Key_Return);
        QCOMPARE(pane.textCursor().block().text(), QStringLiteral("x1"));
        bar.input()->setText(QStringLiteral("zzz"));
        QVERIFY(!bar.findNext());
    }

    void escapeCloses()
    {
        QPlainTextEdit pane;
        pane.setPlainText(QStringLiteral("abc"));
        FindBar bar;
        bar.setPane(&pane);
        bar.show();
        bar.input()->setText(QStringLiteral("b"));
        QCOMPARE(pane.extraSelections().size(), 1);
        bar.activateWindow();
        bar.input()->setFocus();
        QTest::keyClick(bar.input(), Qt::Key_Escape);
        QVERIFY(!bar.isVisible());
        QCOMPARE(pane.extraSelections().size(), 0);
    }
};

QTEST_MAIN(tst_FindBar)
#include "tst_findbar.moc"
