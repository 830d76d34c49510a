#include <ansiparser.h>

#include <QTest>

using namespace Spawnscope;


namespace {
// "start+length:fg/bg/flags" for each span, flags from b(old) i(talic) u(nderline) r(everse).
QString describe(const QList<AnsiParser::Span> &spans)
{
    QStringList out;
    for (const auto &s : spans) {
        QString flags;
        if (s.style.bold)
            flags += QLatin1Char('b');
        if (s.style.italic)
            flags += QLatin1Char('i');
        if (s.style.underline)
            flags += QLatin1Char('u');
        if (s.style.inverse)
            flags += QLatin1Char('r');
        out << QStringLiteral("%1+%2:%3/%4/%5").arg(s.start).arg(s.length)
                   .arg(s.style.foreground.isValid() ? s.style.foreground.name() : QStringLiteral("-"))
                   .arg(s.style.background.isValid() ? s.style.background.name() : QStringLiteral("-"))
                   .arg(flags);
    }
    return out.join(QLatin1Char(' '));
}
const QString E = QStringLiteral("\x1b");
} // namespace

class tst_AnsiParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("spans");
        QTest::newRow("plain") << "hello" << "hello" << "";
        QTest::newRow("red word") << E + "[31merror" + E + "[0m: x" << "error: x" << "0+5:#cd0000/-/";
        QTest::newRow("reset by empty") << E + "[32mok" + E + "[m done" << "ok done" << "0+2:#00cd00/-/";
        QTest::newRow("bold bright") << E + "[1;91mFAIL" + E + "[22;39m" << "FAIL" << "0+4:#ff0000/-/b";
        QTest::newRow("background") << E + "[44m x " + E + "[49m" << " x " << "0+3:-/#0000ee/";
        QTest::newRow("bright bg") << E + "[103mY" << "Y" << "0+1:-/#ffff00/";
        QTest::newRow("256 colours") << E + "[38;5;208mo" + E + "[38;5;21mb" + E + "[38;5;244mg" << "obg"
                                     << "0+1:#ff8700/-/ 1+1:#0000ff/-/ 2+1:#808080/-/";
        QTest::newRow("24-bit") << E + "[38;2;10;20;30;48;2;200;100;50mt" << "t" << "0+1:#0a141e/#c86432/";
        QTest::newRow("underline italic") << E + "[3;4mu" + E + "[23;24mv" << "uv" << "0+1:-/-/iu";
        QTest::newRow("inverse") << E + "[7mr" + E + "[27m" << "r" << "0+1:-/-/r";
        QTest::newRow("cursor moves stripped") << "a" + E + "[2K" + E + "[1Gb" + E + "[?25l" << "ab" << "";
        QTest::newRow("osc title stripped") << E + "]0;title\x07" + "text" << "text" << "";
        QTest::newRow("osc link stripped") << E + "]8;;http://x" + E + "\\link" + E + "]8;;" + E + "\\" << "link" << "";
        QTest::newRow("charset stripped") << E + "(Bplain" << "plain" << "";
        QTest::newRow("lone escape at end") << "x" + E << "x" << "";
        QTest::newRow("unfinished csi") << "x" + E + "[31" << "x" << "";
        QTest::newRow("malformed 38") << E + "[38;9mz" << "z" << "";
        QTest::newRow("adjacent same style merges") << E + "[31ma" + E + "[31mb" << "ab" << "0+2:#cd0000/-/";
    }
    void parse()
    {
        QFETCH(QString, line);
        QFETCH(QString, text);
        QFETCH(QString, spans);
        AnsiParser parser;
        QList<AnsiParser::Span> out;
        QCOMPARE(parser.parse(line, &out), text);
        QCOMPARE(describe(out), spans);
    }

    void styleCarriesOverLines()
    {
        AnsiParser parser;
        QList<AnsiParser::Span> spans;
        QCOMPARE(parser.parse(E + QStringLiteral("[33mfirst"), &spans), QStringLiteral("first"));
        QVERIFY(!parser.isPlain());
        QCOMPARE(parser.parse(QStringLiteral("second"), &spans), QStringLiteral("second"));
        QCOMPARE(describe(spans), QStringLiteral("0+6:#cdcd00/-/"));
        parser.parse(E + QStringLiteral("[0m"), &spans);
        QVERIFY(parser.isPlain());
    }

    void palette()
    {
        QCOMPARE(AnsiParser::paletteColor(16).name(), QStringLiteral("#000000"));
        QCOMPARE(AnsiParser::paletteColor(231).name(), QStringLiteral("#ffffff"));
        QCOMPARE(AnsiParser::paletteColor(232).name(), QStringLiteral("#080808"));
        QCOMPARE(AnsiParser::paletteColor(255).name(), QStringLiteral("#eeeeee"));
        QVERIFY(!AnsiParser::paletteColor(256).isValid());
    }
};

QTEST_GUILESS_MAIN(tst_AnsiParser)
#include "tst_ansiparser.moc"
