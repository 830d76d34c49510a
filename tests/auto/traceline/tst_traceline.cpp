#include <jsonline.h>
#include <osstring.h>
#include <traceline.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <limits>

using namespace Spawnscope;

class tst_TraceLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void kindNames_data()
    {
        QTest::addColumn<TraceKind>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("action");
        QTest::newRow("spawn") << TraceKind::Spawn << "spawn" << false;
        QTest::newRow("stdout") << TraceKind::Stdout << "stdout" << false;
        QTest::newRow("stderr") << TraceKind::Stderr << "stderr" << false;
        QTest::newRow("message") << TraceKind::Message << "message" << false;
        QTest::newRow("disconnect") << TraceKind::Disconnect << "disconnect" << false;
        QTest::newRow("error") << TraceKind::Error << "error" << false;
        QTest::newRow("exit") << TraceKind::Exit << "exit" << false;
        QTest::newRow("close") << TraceKind::Close << "close" << false;
        QTest::newRow("callback") << TraceKind::Callback << "callback" << false;
        QTest::newRow("result") << TraceKind::Result << "result" << false;
        QTest::newRow("stop") << TraceKind::Stop << "stop" << false;
        QTest::newRow("send") << TraceKind::Send << "send" << true;
        QTest::newRow("kill") << TraceKind::Kill << "kill" << true;
        QTest::newRow("stdin-error") << TraceKind::StdinError << "stdin-error" << true;
    }
    void kindNames()
    {
        QFETCH(TraceKind, kind);
        QFETCH(QString, name);
        QFETCH(bool, action);
        QCOMPARE(TraceLine::kindName(kind), name);
        QCOMPARE(TraceLine::kindFromName(name), kind);
        QCOMPARE(TraceLine::isAction(kind), action);
        // Written and read back, under the right key.
        const QByteArray json = TraceLine(1.5, kind).toJson();
        QVERIFY2(json.contains(QByteArray(action ? "\"action\":\"" : "\"event\":\"") + name.toUtf8() + '"'), json.constData());
        QString error;
        const auto back = TraceLine::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->kind, kind);
        QCOMPARE(back->t, 1.5);
    }

    void keysInTheFormatsOrder()
    {
        TraceLine line(12.3456789, TraceKind::Exit);
        line.process = 4;
        line.stage = 2;
        line.name = QStringLiteral("grep");
        line.command = QStringLiteral("grep x");
        line.mode = QStringLiteral("spawn");
        line.add(QStringLiteral("code"), 1).add(QStringLiteral("signal"), QJsonValue::Null);
        QCOMPARE(line.toJson(),
                 QByteArray(R"({"t":12.346,"process":4,"stage":2,"name":"grep","command":"grep x","mode":"spawn","event":"exit","code":1,"signal":null})"));
        // Unordered fields come in the order the trace writes them.
        TraceLine kill(3, TraceKind::Kill);
        kill.addFields(QJsonObject{{QStringLiteral("result"), true}, {QStringLiteral("signal"), QStringLiteral("SIGTERM")}, {QStringLiteral("zz"), 1}});
        QCOMPARE(kill.toJson(), QByteArray(R"({"t":3,"action":"kill","signal":"SIGTERM","result":true,"zz":1})"));
        // A field added twice keeps its place and takes the new value.
        TraceLine spawn(0, TraceKind::Spawn);
        spawn.add(QStringLiteral("pid"), 1).add(QStringLiteral("attempt"), 1).add(QStringLiteral("pid"), 2);
        QCOMPARE(spawn.toJson(), QByteArray(R"({"t":0,"event":"spawn","pid":2,"attempt":1})"));
        QCOMPARE(spawn.field(QStringLiteral("pid")).toInt(), 2);
        QVERIFY(spawn.field(QStringLiteral("none")).isUndefined());
    }

    // `t` is written to the microsecond, and always as a number that reads back.
    void timesWritten_data()
    {
        QTest::addColumn<double>("t");
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<double>("readBack");
        QTest::newRow("microseconds") << 12.3456789 << QByteArray("12.346") << 12.346;
        QTest::newRow("zero") << 0.0 << QByteArray("0") << 0.0;
        QTest::newRow("large") << 1e300 << QByteArray("1e+300") << 1e300;
        QTest::newRow("too large to round") << 1e308 << QByteArray("1e+308") << 1e308;
        QTest::newRow("largest double") << std::numeric_limits<double>::max() << QByteArray("1.7976931348623157e+308")
                                        << std::numeric_limits<double>::max();
    }
    void timesWritten()
    {
        QFETCH(double, t);
        QFETCH(QByteArray, json);
        QFETCH(double, readBack);
        const QByteArray line = TraceLine(t, TraceKind::Spawn).toJson();
        QCOMPARE(line, "{\"t\":" + json + ",\"event\":\"spawn\"}");
        QString error;
        const auto back = TraceLine::fromJson(line, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->t, readBack);
    }

    void readsBack()
    {
        QString error;
        const auto line = TraceLine::fromJson(R"({"t":7,"process":3,"name":"n","command":"c","mode":"exec","event":"message","message":{"a":[1]}})", &error);
        QVERIFY2(line, qPrintable(error));
        QCOMPARE(*line->process, 3);
        QVERIFY(!line->stage);
        QCOMPARE(line->mode, QStringLiteral("exec"));
        QCOMPARE(line->fields(), (QJsonObject{{QStringLiteral("message"), QJsonObject{{QStringLiteral("a"), QJsonArray{1}}}}}));
        const auto other = TraceLine::fromJson(R"({"t":1,"event":"teleport"})", &error);
        QVERIFY(other);
        QCOMPARE(other->kind, TraceKind::Other);
        QCOMPARE(other->otherName, QStringLiteral("teleport"));
    }

    // A field this version does not know is written back under its own name, whatever it holds.
    void fieldNamesWrittenBack_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("non-ASCII") << QByteArray(R"({"t":1,"event":"teleport","déjà":1})");
        QTest::newRow("NUL") << QByteArray(R"({"t":1,"event":"teleport","a\u0000b":true})");
        QTest::newRow("quote and backslash") << QByteArray("{\"t\":1,\"event\":\"teleport\",\"a\\\"b\\\\c\":null}");
    }
    void fieldNamesWrittenBack()
    {
        QFETCH(QByteArray, json);
        QString error;
        const auto line = TraceLine::fromJson(json, &error);
        QVERIFY2(line, qPrintable(error));
        QCOMPARE(line->toJson(), json);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("not JSON") << QByteArray("{") << "not JSON";
        QTest::newRow("an array") << QByteArray("[]") << "expected a JSON object";
        QTest::newRow("no t") << QByteArray(R"({"event":"spawn"})") << "\"t\" must be a number";
        QTest::newRow("negative t") << QByteArray(R"({"t":-1,"event":"spawn"})") << "\"t\" must be a number";
        QTest::newRow("no event") << QByteArray(R"({"t":1})") << "neither \"event\" nor \"action\"";
        QTest::newRow("process as text") << QByteArray(R"({"t":1,"process":"a","event":"spawn"})") << "\"process\" must be a number";
        QTest::newRow("stage as text") << QByteArray(R"({"t":1,"stage":"a","event":"spawn"})") << "\"stage\" must be a number";
    }
    void malformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!TraceLine::fromJson(json, &why));
        QVERIFY2(why.contains(error), qPrintable(why));
    }

    // A name's byte that is not UTF-8 is a lone surrogate (OsString); the line shows it as
    // Node does, U+FFFD, and stays Unicode, whether it came as a value or as ready JSON.
    void loneSurrogatesAreReplaced_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("escape") << OsString::decode("caf\xe9.txt") << QByteArray("\"caf\xef\xbf\xbd.txt\"");
        QTest::newRow("two escapes") << OsString::decode("\x80\xff") << QByteArray("\"\xef\xbf\xbd\xef\xbf\xbd\"");
        QTest::newRow("lone high surrogate") << QString(QChar(0xD800)) << QByteArray("\"\xef\xbf\xbd\"");
        QTest::newRow("a pair stays") << QStringLiteral(u"😀") << QByteArray("\"\xf0\x9f\x98\x80\"");
        QTest::newRow("an escaped backslash before u") << QStringLiteral("\\udce9") << QByteArray("\"\\\\udce9\"");
        QTest::newRow("plain") << QStringLiteral("cafe") << QByteArray("\"cafe\"");
    }
    void loneSurrogatesAreReplaced()
    {
        QFETCH(QString, value);
        QFETCH(QByteArray, json);
        TraceLine line(1, TraceKind::Error);
        line.add(QStringLiteral("path"), value);
        line.addRaw(QStringLiteral("error"), JsonLine::encodeObject({{QStringLiteral("spawnargs"), QJsonArray{value}}}));
        line.command = value;
        const QByteArray text = line.toJson();
        QVERIFY(QByteArrayView(text).isValidUtf8());
        QVERIFY2(text.contains("\"path\":" + json), text.constData());
        QVERIFY2(text.contains("\"spawnargs\":[" + json + "]"), text.constData());
        QVERIFY2(text.contains("\"command\":" + json), text.constData());
        QString error;
        QVERIFY2(TraceLine::fromJson(text, &error), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_TraceLine)
#include "tst_traceline.moc"
