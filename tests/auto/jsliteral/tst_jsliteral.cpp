#include <jsliteral.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Spawnscope;

class tst_JsLiteral : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void accepted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("json");
        QTest::newRow("the lesson's own") << "{n: 10}" << R"({"n":10})";
        QTest::newRow("JSON itself") << R"({"n": 10, "s": "x"})" << R"({"n":10,"s":"x"})";
        QTest::newRow("single quotes") << "{cmd: 'start', who: \"me\"}" << R"({"cmd":"start","who":"me"})";
        QTest::newRow("trailing commas") << "{a: [1, 2, 3,], b: true,}" << R"({"a":[1,2,3],"b":true})";
        QTest::newRow("nested") << "{fib: {n: 45}, list: [{x: null}]}" << R"({"fib":{"n":45},"list":[{"x":null}]})";
        QTest::newRow("a scalar") << "42" << "42";
        QTest::newRow("a string") << "'hello'" << R"("hello")";
        QTest::newRow("escapes") << "'it\\'s \\u00e9\\n'" << "\"it's é\\n\"";
        QTest::newRow("negative and exponent") << "[-1.5e3, +2, .5]" << "[-1500,2,0.5]";
        QTest::newRow("hex") << "0x1F" << "31";
        QTest::newRow("identifier keys with $ and _") << "{$a: 1, _b: 2}" << R"({"$a":1,"_b":2})";
        QTest::newRow("blank around") << "  { n : 1 }  " << R"({"n":1})";
    }
    void accepted()
    {
        QFETCH(QString, text);
        QFETCH(QString, json);
        JsLiteral::Error error;
        const auto value = JsLiteral::parse(text, &error);
        QVERIFY2(value, qPrintable(QStringLiteral("column %1: %2").arg(error.position + 1).arg(error.message)));
        QCOMPARE(JsLiteral::toJson(*value), json);
    }

    void refused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("position");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << "" << 0 << "expected a value";
        QTest::newRow("unterminated object") << "{n: 25" << 6 << "unterminated object";
        QTest::newRow("unterminated string") << "{s: 'abc}" << 4 << "unterminated string";
        QTest::newRow("missing colon") << "{n 1}" << 3 << "expected `:` after the key `n`";
        QTest::newRow("bare word") << "{cmd: start}" << 6 << "`start` is not a value: quote it";
        QTest::newRow("undefined") << "{a: undefined}" << 4 << "`undefined` has no JSON form";
        QTest::newRow("garbage after") << "{} x" << 3 << "unexpected `x` after the value";
        QTest::newRow("two commas") << "[1,,2]" << 3 << "unexpected `,`";
    }
    void refused()
    {
        QFETCH(QString, text);
        QFETCH(int, position);
        QFETCH(QString, message);
        JsLiteral::Error error;
        QVERIFY(!JsLiteral::parse(text, &error));
        QVERIFY2(error.message.startsWith(message), qPrintable(error.message));
        QCOMPARE(error.position, position);
    }

    void deepNestingIsRefusedNotCrashed()
    {
        JsLiteral::Error error;
        QVERIFY(!JsLiteral::parse(QString(5000, QLatin1Char('[')), &error));
        QVERIFY(error.message.contains(QStringLiteral("nested too deeply")));
    }
};

QTEST_GUILESS_MAIN(tst_JsLiteral)
#include "tst_jsliteral.moc"
