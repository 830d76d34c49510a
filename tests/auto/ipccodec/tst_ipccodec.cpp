#include <ipccodec_p.h>
#include <osstring.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Spawnscope::Internal;
using Spawnscope::OsString;

class tst_IpcCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The bytes Node writes for the same values (JSON.stringify + "\n").
    void encode_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("object") << QJsonValue(QJsonObject{{"a", 1}}) << QByteArray("{\"a\":1}\n");
        QTest::newRow("number") << QJsonValue(42) << QByteArray("42\n");
        QTest::newRow("fraction") << QJsonValue(1.5) << QByteArray("1.5\n");
        QTest::newRow("null") << QJsonValue(QJsonValue::Null) << QByteArray("null\n");
        QTest::newRow("true") << QJsonValue(true) << QByteArray("true\n");
        QTest::newRow("string with newline") << QJsonValue("line\nbreak") << QByteArray("\"line\\nbreak\"\n");
        QTest::newRow("array") << QJsonValue(QJsonArray{1, "x"}) << QByteArray("[1,\"x\"]\n");
        QTest::newRow("non-ASCII stays UTF-8") << QJsonValue(QString::fromUtf8("é中")) << QByteArray("\"é中\"\n");
        QTest::newRow("escapes as JSON.stringify") << QJsonValue(QStringLiteral("q\"b\\s\x01\t\r\b\f"))
                                                   << QByteArray("\"q\\\"b\\\\s\\u0001\\t\\r\\b\\f\"\n");
        QTest::newRow("empty string") << QJsonValue(QString()) << QByteArray("\"\"\n");
        QTest::newRow("lone surrogate") << QJsonValue(QChar(0xd800) + QStringLiteral("x\t")) << QByteArray("\"\\ud800x\\t\"\n");
        QTest::newRow("lone surrogate in an object") << QJsonValue(QJsonObject{{"a", QString(QChar(0xdc00))}}) << QByteArray("{\"a\":\"\\udc00\"}\n");
        QTest::newRow("question mark itself") << QJsonValue(QStringLiteral("?\ufffd")) << QByteArray("\"?\xef\xbf\xbd\"\n");
        QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined) << QByteArray();
    }
    void encode()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QByteArray, wire);
        QCOMPARE(IpcCodec::encode(value), wire);
    }

    void decode_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("object") << QByteArray("{\"a\":[1,2]}") << true << QJsonValue(QJsonObject{{"a", QJsonArray{1, 2}}});
        QTest::newRow("spaces around") << QByteArray("  {\"a\":1}\t\r") << true << QJsonValue(QJsonObject{{"a", 1}});
        QTest::newRow("string") << QByteArray("\"hi\"") << true << QJsonValue("hi");
        QTest::newRow("number") << QByteArray("-3.25") << true << QJsonValue(-3.25);
        QTest::newRow("null") << QByteArray("null") << true << QJsonValue(QJsonValue::Null);
        QTest::newRow("blank line") << QByteArray("") << false << QJsonValue();
        QTest::newRow("only spaces") << QByteArray("   ") << false << QJsonValue();
        QTest::newRow("garbage") << QByteArray("{nope") << false << QJsonValue();
        QTest::newRow("two values") << QByteArray("1,2") << false << QJsonValue();
        QTest::newRow("bare word") << QByteArray("hello") << false << QJsonValue();
        QTest::newRow("trailing comma") << QByteArray("[1,]") << false << QJsonValue();
        // JSON (and Node's JSON.parse) forbid U+0000-U+001F unescaped inside a string.
        QTest::newRow("raw tab in string") << QByteArray("\"a\tb\"") << false << QJsonValue();
        QTest::newRow("raw NUL in object string") << QByteArray("{\"a\":\"x\0y\"}", 11) << false << QJsonValue();
        QTest::newRow("raw CR in array string") << QByteArray("[\"a\rb\"]") << false << QJsonValue();
        QTest::newRow("raw 0x1f in key") << QByteArray("{\"k\x1f\":1}") << false << QJsonValue();
        QTest::newRow("escaped control is fine") << QByteArray("\"a\\tb\\u0000\"") << true << QJsonValue(QStringLiteral("a\tb") + QChar(0));
        QTest::newRow("tab between values is fine") << QByteArray("[1,\t\"\\\"\"]") << true << QJsonValue(QJsonArray{1, "\""});
    }
    void decode()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, ok);
        QFETCH(QJsonValue, value);
        QJsonValue out;
        QString error;
        QCOMPARE(IpcCodec::decode(line, &out, &error), ok);
        if (ok)
            QCOMPARE(out, value);
        else
            QVERIFY(!error.isEmpty());
    }

    void internal_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<bool>("internal");
        QTest::newRow("NODE_HANDLE") << QJsonValue(QJsonObject{{"cmd", "NODE_HANDLE"}}) << true;
        QTest::newRow("NODE_x") << QJsonValue(QJsonObject{{"cmd", "NODE_x"}}) << true;
        QTest::newRow("NODE_ alone") << QJsonValue(QJsonObject{{"cmd", "NODE_"}}) << false;
        QTest::newRow("fooNODE_") << QJsonValue(QJsonObject{{"cmd", "fooNODE_"}}) << false;
        QTest::newRow("string") << QJsonValue("NODE_x") << false;
        QTest::newRow("array cmd") << QJsonValue(QJsonObject{{"cmd", QJsonArray{"NODE_x"}}}) << false;
    }
    void internal()
    {
        QFETCH(QJsonValue, value);
        QFETCH(bool, internal);
        QCOMPARE(IpcCodec::isInternal(value), internal);
    }

    // A name's byte that is not UTF-8 is a lone surrogate (OsString): written as JSON.stringify
    // writes one, "\udce9", it crosses the channel whole (UTF-8 would make it "?").
    void loneSurrogatesCross_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QByteArray>("wire");
        const QString name = OsString::decode("caf\xe9.txt");
        QTest::newRow("string") << QJsonValue(name) << QByteArray("\"caf\\udce9.txt\"\n");
        QTest::newRow("string with escapes around") << QJsonValue(OsString::decode("\"\x80\n\xff")) << QByteArray("\"\\\"\\udc80\\n\\udcff\"\n");
        QTest::newRow("lone high surrogate") << QJsonValue(QString(QChar(0xD83D))) << QByteArray("\"\\ud83d\"\n");
        QTest::newRow("a pair stays UTF-8") << QJsonValue(QStringLiteral(u"😀")) << QByteArray("\"\xf0\x9f\x98\x80\"\n");
        QTest::newRow("object") << QJsonValue(QJsonObject{{"input", name}}) << QByteArray("{\"input\":\"caf\\udce9.txt\"}\n");
    }
    void loneSurrogatesCross()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QByteArray, wire);
        QCOMPARE(IpcCodec::encode(value), wire);
        QJsonValue back;
        QString error;
        QVERIFY2(IpcCodec::decode(wire, &back, &error), qPrintable(error));
        QCOMPARE(back, value);
    }
};

QTEST_APPLESS_MAIN(tst_IpcCodec)
#include "tst_ipccodec.moc"
