// Fork N...'s dialog: what it makes of what is typed, and what it refuses, where.
#include <forkdialog.h>

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTest>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

class tst_ForkDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestFor_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("messages");
        QTest::addColumn<int>("children");
        QTest::addColumn<QString>("error");
        QTest::newRow("three") << QStringLiteral("child.js") << QStringLiteral("{n: 5}\n{n: 10}\n{n: 45}") << 3 << QString();
        QTest::newRow("blank lines skipped") << QStringLiteral("child.js --fast") << QStringLiteral("\n1\n\n\"two\"\n") << 2 << QString();
        QTest::newRow("a bad message") << QStringLiteral("child.js") << QStringLiteral("{n: 5}\n{n: }") << 0 << QStringLiteral("Message line 2, column");
        QTest::newRow("no message") << QStringLiteral("child.js") << QStringLiteral("  \n") << 0 << QStringLiteral("No message");
        QTest::newRow("no module") << QString() << QStringLiteral("1") << 0 << QStringLiteral("");
        QTest::newRow("a bad line") << QStringLiteral("child.js 'open") << QStringLiteral("1") << 0 << QStringLiteral("Module, column");
    }
    void requestFor()
    {
        QFETCH(QString, line);
        QFETCH(QString, messages);
        QFETCH(int, children);
        QFETCH(QString, error);
        QString why;
        const auto r = ForkDialog::requestFor(line, messages, true, LaunchOptions{}, &why);
        QCOMPARE(r.has_value(), children > 0);
        if (!r) {
            QVERIFY(!why.isEmpty());
            QVERIFY2(why.startsWith(error), qPrintable(why));
            return;
        }
        QCOMPARE(r->mode, LaunchMode::Fork);
        QCOMPARE(r->forkMessages.size(), children);
        QVERIFY(r->disconnectWhenAnswered);
        QCOMPARE(r->title, line.trimmed()); // the session's group title adds the count
    }

    void theCountWritesTheMessagesUntilTheUserDoes()
    {
        ForkDialog dialog(QStringLiteral("child.js"), LaunchOptions{});
        QCOMPARE(dialog.countBox()->value(), 3);
        QCOMPARE(dialog.messagesEdit()->toPlainText().split(QLatin1Char('\n')).size(), 3);
        dialog.countBox()->setValue(5);
        QCOMPARE(dialog.messagesEdit()->toPlainText().split(QLatin1Char('\n')).size(), 5);
        QVERIFY(dialog.problemLabel()->text().contains(QStringLiteral("5 children")));
        dialog.messagesEdit()->setPlainText(QStringLiteral("{n: 1}\n{n: 2}"));
        QCOMPARE(dialog.countBox()->value(), 2);
        dialog.countBox()->setValue(4); // the user's messages stay
        QCOMPARE(dialog.messagesEdit()->toPlainText(), QStringLiteral("{n: 1}\n{n: 2}"));
        dialog.moduleLine()->clear();
        QVERIFY(dialog.problemLabel()->text().contains(QStringLiteral("color:")));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected)); // not accepted: it stays, with what was typed
    }
};

QTEST_MAIN(tst_ForkDialog)
#include "tst_forkdialog.moc"
