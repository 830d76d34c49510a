#include <outputbuffer.h>
#include <sessionlogging.h>

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Spawnscope;


namespace {
QStringList texts(const QList<OutputBuffer::Line> &lines)
{
    QStringList out;
    for (const auto &l : lines)
        out << l.text;
    return out;
}
} // namespace

class tst_OutputBuffer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // What cannot be spooled is said in the pane (once, with the file and why) and in the log,
    // and the lines still come.
    void aSpoolThatCannotBeMadeIsSaid()
    {
        QTemporaryDir dir;
        const QString base = dir.filePath(QStringLiteral("absent/p"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot spool to .*absent/p.stdout")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot spool to .*absent/p.stderr")));
        OutputBuffer buffer(base, 100);
        buffer.append(OutputBuffer::Stdout, "one\ntwo\n");
        buffer.append(OutputBuffer::Stdout, "three\n");
        buffer.processPending();
        QStringList notes, lines;
        for (const OutputBuffer::Line &l : buffer.linesFrom(0, 100))
            (l.stream == OutputBuffer::Note ? notes : lines) << l.text;
        QCOMPARE(lines, (QStringList{"one", "two", "three"}));
        QCOMPARE(notes.size(), 2); // stdout's and stderr's spool, each said once
        QVERIFY2(notes.first().contains(QStringLiteral("cannot save this output to ") + base + QStringLiteral(".stdout")), qPrintable(notes.first()));
        QVERIFY(notes.first().contains(QStringLiteral("only the last 100 lines are kept")));
    }

    void theLogIsQuietByDefault()
    {
        QVERIFY(!lcOutput().isDebugEnabled());
        QVERIFY(!lcOutput().isInfoEnabled());
        QVERIFY(lcOutput().isWarningEnabled()); // something lost is always said
    }

    void linesAcrossChunks()
    {
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 100);
        QSignalSpy added(&buffer, &OutputBuffer::linesAdded);
        buffer.append(OutputBuffer::Stdout, "one\ntw");
        buffer.append(OutputBuffer::Stderr, "oops\n");
        buffer.append(OutputBuffer::Stdout, "o\nthree");
        QCOMPARE(added.count(), 3);
        QCOMPARE(texts(buffer.linesFrom(0, 100)), (QStringList{"one", "oops", "two"}));
        QCOMPARE(buffer.linesFrom(0, 100)[1].stream, OutputBuffer::Stderr);
        buffer.finish();
        QCOMPARE(texts(buffer.linesFrom(3, 100)), QStringList{"three"});
        QCOMPARE(buffer.nextSeq(), 4);
        QCOMPARE(buffer.bytes(OutputBuffer::Stdout), 13);
    }

    void scrollbackIsBoundedButTheSpoolKeepsAll()
    {
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 1000);
        QByteArray all;
        for (int i = 0; i < 50000; ++i)
            all += "line " + QByteArray::number(i) + '\n';
        for (qsizetype at = 0; at < all.size(); at += 4096)
            buffer.append(OutputBuffer::Stdout, all.mid(at, 4096));
        QCOMPARE(buffer.nextSeq(), 50000);
        QCOMPARE(buffer.firstRetained(), 49000);
        QCOMPARE(buffer.linesFrom(0, 5).first().text, QStringLiteral("line 49000")); // dropped ones skipped
        QString error;
        const QString saved = dir.filePath(QStringLiteral("saved.txt"));
        QVERIFY2(buffer.save(saved, true, true, &error), qPrintable(error));
        QFile f(saved);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), all);
    }

    void invalidUtf8IsShownNotDropped()
    {
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 10);
        buffer.append(OutputBuffer::Stdout, QByteArray("a\xff" "b\n"));
        buffer.append(OutputBuffer::Stdout, QByteArray("\xc3")); // é cut in two chunks
        buffer.append(OutputBuffer::Stdout, QByteArray("\xa9\n"));
        buffer.append(OutputBuffer::Stdout, QByteArray("end\xe2\x82"));
        buffer.finish();
        QCOMPARE(texts(buffer.linesFrom(0, 10)), (QStringList{QStringLiteral("a\uFFFDb"), QStringLiteral("é"), QStringLiteral("end\uFFFD")}));
    }

    void carriageReturnsOverwrite()
    {
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 10);
        buffer.append(OutputBuffer::Stdout, "progress 10%\rprogress 100%\r\ndone\r\nabcdef\rXY\n");
        QCOMPARE(texts(buffer.linesFrom(0, 10)), (QStringList{"progress 100%", "done", "XYcdef"}));
    }

    void coloursBecomeSpans()
    {
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 10);
        buffer.append(OutputBuffer::Stdout, "\x1b[31mred\x1b[0m plain\n[==   ]\r\x1b[32m[=====]\x1b[0m\n");
        const QList<OutputBuffer::Line> lines = buffer.linesFrom(0, 10);
        QCOMPARE(texts(lines), (QStringList{"red plain", "[=====]"}));
        QCOMPARE(lines[0].spans.size(), 1);
        QCOMPARE(lines[0].spans[0].length, 3);
        QCOMPARE(lines[1].spans.size(), 1); // the colours of the last write over the line
        QCOMPARE(lines[1].spans[0].style.foreground, AnsiParser::paletteColor(2));
    }

    void saveOneStream()
    {
        QTemporaryDir dir;
        OutputBuffer buffer(dir.filePath(QStringLiteral("p")), 10);
        buffer.append(OutputBuffer::Stdout, "out\n");
        buffer.append(OutputBuffer::Stderr, "err\n");
        QString error;
        QVERIFY(buffer.save(dir.filePath(QStringLiteral("e")), false, true, &error));
        QFile f(dir.filePath(QStringLiteral("e")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("err\n"));
        QVERIFY(!buffer.save(QStringLiteral("/nonexistent/dir/x"), true, true, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_OutputBuffer)
#include "tst_outputbuffer.moc"
