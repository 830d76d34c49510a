#include <quickadd.h>

#include <QCoreApplication>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QStandardPaths>
#include <QSignalSpy>
#include <QtTest>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

class tst_QuickAdd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void score_data();
    void score();
    void typedLineComesFirst();
    void exactNameIsThePaletteEntry();
    void arrowsAndEnterChoose();
    void escapeAddsNothing();
    void linesAddedBeforeAreOffered();
};

void tst_QuickAdd::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the history goes to a test's own settings
    QSettings().clear();
}

void tst_QuickAdd::score_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("matches");
    QTest::newRow("empty matches all") << "" << "grep" << true;
    QTest::newRow("prefix") << "gr" << "grep" << true;
    QTest::newRow("letters in order") << "gp" << "grep" << true;
    QTest::newRow("any case") << "GREP" << "grep" << true;
    QTest::newRow("out of order") << "pg" << "grep" << false;
    QTest::newRow("missing letter") << "grx" << "grep" << false;
}

void tst_QuickAdd::score()
{
    QFETCH(QString, pattern);
    QFETCH(QString, text);
    QFETCH(bool, matches);
    QCOMPARE(QuickAdd::score(pattern, text) >= 0, matches);
    // A run of letters from the start beats scattered ones.
    QVERIFY(QuickAdd::score(QStringLiteral("so"), QStringLiteral("sort")) > QuickAdd::score(QStringLiteral("so"), QStringLiteral("sed -o")));
}

void tst_QuickAdd::typedLineComesFirst()
{
    QuickAdd popup;
    popup.popup(QPoint(10, 10));
    QTest::keyClicks(popup.input(), QStringLiteral("gre"));
    QListWidget *list = popup.list();
    QVERIFY(list->count() >= 2);
    QCOMPARE(list->item(0)->text(), QStringLiteral("Add “gre”"));
    QVERIFY(list->item(1)->text().startsWith(QStringLiteral("grep  —  ")));
    QCOMPARE(list->currentRow(), 0);
    QSignalSpy chosen(&popup, &QuickAdd::chosen);
    QTest::keyClick(popup.input(), Qt::Key_Return);
    QCOMPARE(chosen.count(), 1);
    const auto choice = chosen.first().at(0).value<BuilderScene::Choice>();
    QVERIFY(!choice.entry);
    QCOMPARE(choice.line, QStringLiteral("gre"));
    QVERIFY(!popup.isVisible());
}

void tst_QuickAdd::exactNameIsThePaletteEntry()
{
    QuickAdd popup;
    popup.popup(QPoint(10, 10));
    QTest::keyClicks(popup.input(), QStringLiteral("grep"));
    QVERIFY(popup.list()->item(0)->text().startsWith(QStringLiteral("grep  —  ")));
    QCOMPARE(popup.list()->item(1)->text(), QStringLiteral("Add “grep”"));
}

void tst_QuickAdd::arrowsAndEnterChoose()
{
    QuickAdd popup;
    popup.popup(QPoint(10, 10));
    QTest::keyClicks(popup.input(), QStringLiteral("wc"));
    QSignalSpy chosen(&popup, &QuickAdd::chosen);
    QTest::keyClick(popup.input(), Qt::Key_Down);
    QCOMPARE(popup.list()->currentRow(), 1);
    QTest::keyClick(popup.input(), Qt::Key_Up);
    QCOMPARE(popup.list()->currentRow(), 0);
    QTest::keyClick(popup.input(), Qt::Key_Enter);
    QCOMPARE(chosen.count(), 1);
    const auto choice = chosen.first().at(0).value<BuilderScene::Choice>();
    QVERIFY(choice.entry);
    QCOMPARE(choice.entry->key, QStringLiteral("wc"));
}

void tst_QuickAdd::escapeAddsNothing()
{
    QuickAdd popup;
    QSignalSpy chosen(&popup, &QuickAdd::chosen);
    QSignalSpy dismissed(&popup, &QuickAdd::dismissed);
    popup.popup(QPoint(10, 10));
    QTest::keyClicks(popup.input(), QStringLiteral("sort"));
    QTest::keyClick(popup.input(), Qt::Key_Escape);
    QVERIFY(!popup.isVisible());
    QCOMPARE(chosen.count(), 0);
    QCOMPARE(dismissed.count(), 1);
    // Opened again: empty, and the next close is said again, once.
    popup.popup(QPoint(10, 10));
    QVERIFY(popup.input()->text().isEmpty());
    popup.hide();
    QCOMPARE(dismissed.count(), 2);
}

void tst_QuickAdd::linesAddedBeforeAreOffered()
{
    QuickAdd::remember(QStringLiteral("sort -rn | head -5"));
    QuickAdd popup;
    popup.popup(QPoint(10, 10));
    QTest::keyClicks(popup.input(), QStringLiteral("sort -r"));
    bool offered = false;
    for (int i = 0; i < popup.list()->count(); ++i)
        offered |= popup.list()->item(i)->text() == QStringLiteral("sort -rn | head -5  —  added before");
    QVERIFY(offered);
}

QTEST_MAIN(tst_QuickAdd)
#include "tst_quickadd.moc"
