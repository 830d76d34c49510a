#include <linesplitter.h>

#include <QTest>

using Spawnscope::LineSplitter;

class tst_LineSplitter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void split_data()
    {
        QTest::addColumn<QList<QByteArray>>("chunks");
        QTest::addColumn<QList<QByteArray>>("lines");
        QTest::addColumn<QByteArray>("partial");
        QTest::newRow("empty") << QList<QByteArray>{} << QList<QByteArray>{} << QByteArray();
        QTest::newRow("one line") << QList<QByteArray>{"a\n"} << QList<QByteArray>{"a"} << QByteArray();
        QTest::newRow("two in one chunk") << QList<QByteArray>{"a\nb\n"} << QList<QByteArray>{"a", "b"} << QByteArray();
        QTest::newRow("line over chunks") << QList<QByteArray>{"ab", "cd", "e\nf"} << QList<QByteArray>{"abcde"} << QByteArray("f");
        QTest::newRow("CRLF") << QList<QByteArray>{"a\r\nb\r", "\n"} << QList<QByteArray>{"a", "b"} << QByteArray();
        QTest::newRow("empty lines") << QList<QByteArray>{"\n\n"} << QList<QByteArray>{"", ""} << QByteArray();
        QTest::newRow("no newline") << QList<QByteArray>{"tail"} << QList<QByteArray>{} << QByteArray("tail");
        QTest::newRow("bytes kept") << QList<QByteArray>{QByteArray("\xff\x00x\n", 4)} << QList<QByteArray>{QByteArray("\xff\x00x", 3)} << QByteArray();
    }
    void split()
    {
        QFETCH(QList<QByteArray>, chunks);
        QFETCH(QList<QByteArray>, lines);
        QFETCH(QByteArray, partial);
        LineSplitter splitter;
        QList<QByteArray> got;
        for (const QByteArray &c : chunks)
            splitter.feed(c, [&](QByteArrayView line) { got << line.toByteArray(); });
        QCOMPARE(got, lines);
        QCOMPARE(splitter.hasPartial(), !partial.isEmpty());
        QCOMPARE(splitter.takePartial(), partial);
        QVERIFY(!splitter.hasPartial());
    }

    void everyChunkBorder()
    {
        const QByteArray text = "first\nsecond line\r\n\nlast";
        for (int cut = 0; cut <= text.size(); ++cut) {
            LineSplitter splitter;
            QList<QByteArray> got;
            auto add = [&](QByteArrayView line) { got << line.toByteArray(); };
            splitter.feed(text.left(cut), add);
            splitter.feed(text.mid(cut), add);
            QCOMPARE(got, (QList<QByteArray>{"first", "second line", ""}));
            QCOMPARE(splitter.takePartial(), QByteArray("last"));
        }
    }
};

QTEST_APPLESS_MAIN(tst_LineSplitter)
#include "tst_linesplitter.moc"
