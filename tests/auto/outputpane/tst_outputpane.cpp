#include <outputbuffer.h>
#include <colours.h>
#include <outputpane.h>

#include <QApplication>
#include <QLabel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QRegularExpression>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

class tst_OutputPane : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsLinesInOrderOnTicks()
    {
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 1000);
        OutputPane pane;
        pane.setBuffer(&buffer);
        pane.show();
        QSignalSpy appended(&pane, &OutputPane::appended);
        buffer.append(OutputBuffer::Stdout, "a\nb\n");
        buffer.append(OutputBuffer::Stderr, "c\n");
        QCOMPARE(pane.shownLines(), 0); // nothing is drawn outside a tick
        QTRY_COMPARE(pane.toPlainText(), QStringLiteral("a\nb\nc"));
        QCOMPARE(appended.count(), 1); // one tick took all three
    }

    // When the scrollback has dropped early lines, the pane says so, how many, and where they are.
    void droppedLinesAreSaid_data()
    {
        QTest::addColumn<int>("lines");
        QTest::addColumn<bool>("reloaded"); // shown after the buffer dropped them, or live
        QTest::newRow("within the scrollback") << 80 << false;
        QTest::newRow("beyond it, live") << 250 << false;
        QTest::newRow("beyond it, selected later") << 250 << true;
    }
    void droppedLinesAreSaid()
    {
        QFETCH(int, lines);
        QFETCH(bool, reloaded);
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 100);
        OutputPane pane;
        if (!reloaded)
            pane.setBuffer(&buffer);
        pane.resize(600, 300);
        pane.show();
        for (int i = 1; i <= lines; ++i) {
            buffer.append(OutputBuffer::Stdout, "line " + QByteArray::number(i) + '\n');
            if (!reloaded && i % 40 == 0)
                pane.drain();
        }
        if (reloaded)
            pane.setBuffer(&buffer);
        pane.drain();
        const qint64 hidden = qMax(0, lines - 100);
        QCOMPARE(pane.hiddenLines(), hidden);
        QCOMPARE(pane.hiddenBanner()->isVisible(), hidden > 0);
        if (hidden > 0) {
            QCOMPARE(pane.hiddenBanner()->text(),
                     QStringLiteral("%1 earlier lines are not shown: the scrollback keeps the last 100. File > Save Output writes all of them.").arg(hidden));
            QCOMPARE(pane.document()->firstBlock().text(), QStringLiteral("line %1").arg(hidden + 1));
            QVERIFY(pane.viewport()->geometry().top() >= pane.hiddenBanner()->geometry().bottom()); // not over the text
        }
    }

    // The window's own notes stand among the lines in every pane, marked in words and colour.
    void notesShowInEveryPane()
    {
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 100);
        OutputPane merged;
        OutputPane out;
        OutputPane err;
        out.setFilter(OutputPane::Filter::Stdout);
        err.setFilter(OutputPane::Filter::Stderr);
        buffer.append(OutputBuffer::Stdout, "x\n");
        buffer.appendNote(QStringLiteral("did not start: spawn y ENOENT"));
        for (OutputPane *pane : {&merged, &out, &err}) {
            pane->setBuffer(&buffer);
            pane->drain();
            QVERIFY2(pane->toPlainText().endsWith(QStringLiteral("[spawnscope] did not start: spawn y ENOENT")), qPrintable(pane->toPlainText()));
            QTextCursor c(pane->document()->lastBlock());
            c.movePosition(QTextCursor::Right);
            QCOMPARE(c.charFormat().foreground().color(), Colours::errorColor(pane->palette()));
            QVERIFY(c.charFormat().fontItalic());
        }
        QCOMPARE(out.toPlainText().count(QLatin1Char('\n')), 1); // "x" and the note
    }

    void floodStaysUnderTheScrollbackBound()
    {
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 5000);
        OutputPane pane;
        pane.setChunkLines(1000);
        pane.setBuffer(&buffer);
        pane.show();
        QByteArray chunk;
        for (int i = 0; i < 200000; ++i) {
            chunk += "line " + QByteArray::number(i) + '\n';
            if (chunk.size() > 65536) {
                buffer.append(OutputBuffer::Stdout, chunk);
                chunk.clear();
            }
        }
        buffer.append(OutputBuffer::Stdout, chunk);
        QSignalSpy appended(&pane, &OutputPane::appended);
        QTRY_VERIFY(pane.toPlainText().endsWith(QStringLiteral("line 199999")));
        QCOMPARE(pane.shownLines(), 5000);
        QCOMPARE(pane.document()->firstBlock().text(), QStringLiteral("line 195000"));
        // Most lines were never drawn (they are in the spool); how many depends on how the
        // buffer's slices and the pane's ticks met.
        QVERIFY(pane.skippedLines() >= 150000 && pane.skippedLines() <= 195000);
        for (const QList<QVariant> &call : appended)
            QVERIFY(call.first().toInt() <= 1000); // bounded chunks per tick
    }

    void followsTheTailOnlyAtTheBottom()
    {
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 10000);
        OutputPane pane;
        pane.resize(400, 200);
        pane.setBuffer(&buffer);
        pane.show();
        for (int i = 0; i < 500; ++i)
            buffer.append(OutputBuffer::Stdout, QByteArray("row ") + QByteArray::number(i) + '\n');
        pane.drain();
        QScrollBar *bar = pane.verticalScrollBar();
        QCOMPARE(bar->value(), bar->maximum());
        bar->setValue(10); // the user scrolls up to read
        buffer.append(OutputBuffer::Stdout, "more\n");
        pane.drain();
        QCOMPARE(bar->value(), 10);
        bar->setValue(bar->maximum());
        buffer.append(OutputBuffer::Stdout, "and more\n");
        pane.drain();
        QCOMPARE(bar->value(), bar->maximum());
    }

    void coloursAreRendered()
    {
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 100);
        buffer.append(OutputBuffer::Stdout, "\x1b[1;31mred\x1b[0m ok\n");
        buffer.append(OutputBuffer::Stderr, "err\n");
        OutputPane pane;
        pane.setBuffer(&buffer);
        QCOMPARE(pane.toPlainText(), QStringLiteral("red ok\nerr"));
        QTextCursor at(pane.document());
        at.setPosition(1);
        QCOMPARE(at.charFormat().foreground().color(), QColor(0xcd, 0, 0));
        QCOMPARE(at.charFormat().fontWeight(), int(QFont::Bold));
        at.setPosition(5);
        QVERIFY(at.charFormat().fontWeight() != int(QFont::Bold));
        at.setPosition(9); // inside the stderr line: marked in the merged view
        QCOMPARE(at.charFormat().foreground().color(), Colours::errorColor(pane.palette()));
    }

    void filtersAndSwitching()
    {
        QTemporaryDir dir;
        OutputBuffer first(dir.filePath(QStringLiteral("1")), 100);
        OutputBuffer second(dir.filePath(QStringLiteral("2")), 100);
        first.append(OutputBuffer::Stdout, "out 1\n");
        first.append(OutputBuffer::Stderr, "err 1\n");
        second.append(OutputBuffer::Stdout, "out 2\n");
        OutputPane pane;
        pane.setFilter(OutputPane::Filter::Stderr);
        pane.setBuffer(&first);
        QCOMPARE(pane.toPlainText(), QStringLiteral("err 1"));
        pane.setFilter(OutputPane::Filter::Stdout);
        QCOMPARE(pane.toPlainText(), QStringLiteral("out 1"));
        pane.setBuffer(&second);
        QCOMPARE(pane.toPlainText(), QStringLiteral("out 2"));
        pane.setBuffer(nullptr);
        QCOMPARE(pane.toPlainText(), QString());
        pane.setFilter(OutputPane::Filter::Both);
        pane.setTimestamps(true);
        pane.setBuffer(&first);
        QVERIFY(pane.toPlainText().contains(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} out 1"))));
    }
};

QTEST_MAIN(tst_OutputPane)
#include "tst_outputpane.moc"
