// OsString: bytes from and to the system kept exactly (PEP 383's "surrogateescape").
#include <osstring.h>

#include <QRandomGenerator>
#include <QTest>

using namespace Spawnscope;

namespace {

QString chars(std::initializer_list<char16_t> units)
{
    QString s;
    for (char16_t u : units)
        s += QChar(u);
    return s;
}

QString escaped(unsigned char byte)
{
    return QString(QChar(char16_t(0xDC00 + byte)));
}

} // namespace

class tst_OsString : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decode_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("ascii") << QByteArray("cafe.txt") << QStringLiteral("cafe.txt");
        QTest::newRow("ascii controls") << QByteArray("a\x01\x7f", 3) << chars({u'a', 1, 0x7f});
        QTest::newRow("2-byte") << QByteArray("caf\xc3\xa9") << QStringLiteral(u"café");
        QTest::newRow("3-byte") << QByteArray("\xe4\xb8\xad\xe2\x82\xac") << QStringLiteral(u"中€");
        QTest::newRow("4-byte") << QByteArray("\xf0\x9f\x98\x80") << QStringLiteral(u"😀");
        QTest::newRow("byte order mark kept") << QByteArray("\xef\xbb\xbfx") << chars({0xFEFF, u'x'});
        QTest::newRow("U+FFFD itself") << QByteArray("\xef\xbf\xbd") << QStringLiteral(u"\uFFFD");
        QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << chars({0xDBFF, 0xDFFF});
        QTest::newRow("U+D7FF") << QByteArray("\xed\x9f\xbf") << chars({0xD7FF});
        QTest::newRow("U+E000") << QByteArray("\xee\x80\x80") << chars({0xE000});
        QTest::newRow("latin-1 name") << QByteArray("caf\xe9.txt") << QStringLiteral("caf") + escaped(0xe9) + QStringLiteral(".txt");
        QTest::newRow("lone continuation") << QByteArray("\x80") << escaped(0x80);
        QTest::newRow("two continuations") << QByteArray("\x80\xbf") << escaped(0x80) + escaped(0xbf);
        QTest::newRow("truncated 2-byte") << QByteArray("\xc3") << escaped(0xc3);
        QTest::newRow("truncated 2-byte then ascii") << QByteArray("\xc3x") << escaped(0xc3) + QStringLiteral("x");
        QTest::newRow("truncated 3-byte") << QByteArray("\xe4\xb8") << escaped(0xe4) + escaped(0xb8);
        QTest::newRow("truncated 4-byte") << QByteArray("\xf0\x9f\x98") << escaped(0xf0) + escaped(0x9f) + escaped(0x98);
        QTest::newRow("overlong / (C0 AF)") << QByteArray("\xc0\xaf") << escaped(0xc0) + escaped(0xaf);
        QTest::newRow("overlong NUL (C0 80)") << QByteArray("\xc0\x80") << escaped(0xc0) + escaped(0x80);
        QTest::newRow("overlong C1 BF") << QByteArray("\xc1\xbf") << escaped(0xc1) + escaped(0xbf);
        QTest::newRow("overlong 3-byte (E0 80 AF)") << QByteArray("\xe0\x80\xaf") << escaped(0xe0) + escaped(0x80) + escaped(0xaf);
        QTest::newRow("overlong 4-byte (F0 80 80 AF)") << QByteArray("\xf0\x80\x80\xaf")
                                                       << escaped(0xf0) + escaped(0x80) + escaped(0x80) + escaped(0xaf);
        QTest::newRow("encoded high surrogate (ED A0 80)") << QByteArray("\xed\xa0\x80") << escaped(0xed) + escaped(0xa0) + escaped(0x80);
        QTest::newRow("encoded escape (ED B3 A9)") << QByteArray("\xed\xb3\xa9") << escaped(0xed) + escaped(0xb3) + escaped(0xa9);
        QTest::newRow("past U+10FFFF (F4 90 80 80)") << QByteArray("\xf4\x90\x80\x80")
                                                     << escaped(0xf4) + escaped(0x90) + escaped(0x80) + escaped(0x80);
        QTest::newRow("F5 lead") << QByteArray("\xf5\x80\x80\x80") << escaped(0xf5) + escaped(0x80) + escaped(0x80) + escaped(0x80);
        QTest::newRow("FE FF") << QByteArray("\xfe\xff") << escaped(0xfe) + escaped(0xff);
        QTest::newRow("invalid between valid") << QByteArray("\xc3\xa9\xe9\xc3\xa9") << QStringLiteral(u"é") + escaped(0xe9) + QStringLiteral(u"é");
        QTest::newRow("lead byte then a valid sequence") << QByteArray("\xe4\xc3\xa9") << escaped(0xe4) + QStringLiteral(u"é");
        QTest::newRow("cp1252 quotes") << QByteArray("\x93hi\x94") << escaped(0x93) + QStringLiteral("hi") + escaped(0x94);
        // Every byte that cannot start UTF-8 alone, alone and in a run of three.
        for (int b = 0x80; b <= 0xFF; ++b) {
            const QByteArray one(1, char(b));
            QTest::addRow("byte %02X alone", b) << one << escaped(uchar(b));
            QTest::addRow("byte %02X in a name", b) << QByteArray("a") + one + "b" << QStringLiteral("a") + escaped(uchar(b)) + QStringLiteral("b");
            QTest::addRow("byte %02X three times", b) << one + one + one << escaped(uchar(b)) + escaped(uchar(b)) + escaped(uchar(b));
        }
    }
    void decode()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, text);
        const QString decoded = OsString::decode(bytes);
        QCOMPARE(decoded, text);
        QCOMPARE(OsString::encode(decoded), bytes);
        QCOMPARE(OsString::hasRawBytes(decoded), !QByteArrayView(bytes).isValidUtf8());
    }

    // Valid UTF-8 decodes as Qt decodes it, and every 1- and 2-byte string, and every 3-byte
    // one that starts with a lead byte, comes back whole.
    void everyShortByteStringRoundTrips()
    {
        for (int a = 0; a < 256; ++a) {
            for (int b = 0; b < 256; ++b) {
                const char pair[] = {char(a), char(b)};
                const QByteArray bytes(pair, 2);
                const QString text = OsString::decode(bytes);
                if (OsString::encode(text) != bytes)
                    QFAIL(qPrintable(QStringLiteral("%1 did not come back").arg(QString::fromLatin1(bytes.toHex()))));
                if (QByteArrayView(bytes).isValidUtf8() && text != QString::fromUtf8(bytes))
                    QFAIL(qPrintable(QStringLiteral("%1 decoded unlike UTF-8").arg(QString::fromLatin1(bytes.toHex()))));
            }
        }
        for (int a = 0xE0; a <= 0xF4; ++a) {
            for (int b = 0x80; b < 0xC0; ++b) {
                for (int c = 0; c < 256; ++c) {
                    const char three[] = {char(a), char(b), char(c)};
                    const QByteArray bytes(three, 3);
                    if (OsString::encode(OsString::decode(bytes)) != bytes)
                        QFAIL(qPrintable(QStringLiteral("%1 did not come back").arg(QString::fromLatin1(bytes.toHex()))));
                }
            }
        }
    }

    void randomBytesRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QRandomGenerator random(383); // fixed: a failure names its row
        for (int row = 0; row < 300; ++row) {
            QByteArray bytes(int(random.bounded(1, 64)), Qt::Uninitialized);
            const bool highOnly = row % 3 == 0; // mostly bytes >= 0x80: the interesting ones
            for (char &c : bytes)
                c = char(highOnly ? 0x80 + random.bounded(128) : random.bounded(256));
            QTest::addRow("random %d", row) << bytes;
        }
    }
    void randomBytesRoundTrip()
    {
        QFETCH(QByteArray, bytes);
        const QString text = OsString::decode(bytes);
        QCOMPARE(OsString::encode(text), bytes);
        // Only escapes stand alone: a reader that knows no escapes sees well-formed UTF-16
        // apart from them.
        const QString replaced = OsString::replaced(text);
        QVERIFY(!OsString::hasRawBytes(replaced));
        QCOMPARE(OsString::decode(replaced.toUtf8()), replaced);
    }

    void encode_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("backAgain"); // decode(bytes) gives text again
        QTest::newRow("ascii") << QStringLiteral("abc") << QByteArray("abc") << true;
        QTest::newRow("NUL kept") << chars({u'a', 0, u'b'}) << QByteArray("a\0b", 3) << true;
        QTest::newRow("unicode") << QStringLiteral(u"café 中 😀") << QByteArray("caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80") << true;
        QTest::newRow("escape") << QStringLiteral("caf") + escaped(0xe9) << QByteArray("caf\xe9") << true;
        QTest::newRow("escapes spelling UTF-8") << escaped(0xc3) + escaped(0xa9) << QByteArray("\xc3\xa9") << false;
        // A pair is a character even when its low half lies in the escapes' range.
        QTest::newRow("pair with a low half in DC80..DCFF") << chars({0xD800, 0xDC80}) << QByteArray("\xf0\x90\x82\x80") << true;
        QTest::newRow("lone high surrogate") << chars({u'a', 0xD800, u'b'}) << QByteArray("a\xef\xbf\xbd" "b") << false;
        QTest::newRow("lone high surrogate at the end") << chars({0xDBFF}) << QByteArray("\xef\xbf\xbd") << false;
        QTest::newRow("low surrogate below the escapes") << chars({0xDC7F}) << QByteArray("\xef\xbf\xbd") << false;
        QTest::newRow("low surrogate U+DC00") << chars({0xDC00}) << QByteArray("\xef\xbf\xbd") << false;
        QTest::newRow("U+07FF / U+0800") << chars({0x7FF, 0x800}) << QByteArray("\xdf\xbf\xe0\xa0\x80") << true;
        QTest::newRow("U+FFFF") << chars({0xFFFF}) << QByteArray("\xef\xbf\xbf") << true;
    }
    void encode()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, bytes);
        QFETCH(bool, backAgain);
        QCOMPARE(OsString::encode(text), bytes);
        if (backAgain)
            QCOMPARE(OsString::decode(bytes), text);
    }

    void shown_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("readable");
        QTest::addColumn<QString>("replaced");
        QTest::newRow("plain") << QStringLiteral(u"café") << QStringLiteral(u"café") << QStringLiteral(u"café");
        QTest::newRow("one byte") << OsString::decode("caf\xe9.txt") << QStringLiteral("caf\\xE9.txt") << QStringLiteral(u"caf\uFFFD.txt");
        QTest::newRow("bytes 80 and FF") << OsString::decode("\x80-\xff") << QStringLiteral("\\x80-\\xFF") << QStringLiteral(u"\uFFFD-\uFFFD");
        QTest::newRow("a pair stays") << chars({0xD83D, 0xDE00}) << QStringLiteral(u"😀") << QStringLiteral(u"😀");
        QTest::newRow("other lone surrogate") << chars({0xD800}) << QStringLiteral(u"\uFFFD") << QStringLiteral(u"\uFFFD");
    }
    void shown()
    {
        QFETCH(QString, text);
        QFETCH(QString, readable);
        QFETCH(QString, replaced);
        QCOMPARE(OsString::readable(text), readable);
        QCOMPARE(OsString::replaced(text), replaced);
        QVERIFY(!OsString::hasRawBytes(OsString::readable(text)));
    }

    void systemEnvironmentKeepsBytes()
    {
        qputenv("SPAWNSCOPE_TEST_BYTES", QByteArray("caf\xe9"));
        const QProcessEnvironment env = OsString::systemEnvironment();
        QCOMPARE(OsString::encode(env.value(QStringLiteral("SPAWNSCOPE_TEST_BYTES"))), QByteArray("caf\xe9"));
        QCOMPARE(env.value(QStringLiteral("PATH")), QString::fromLocal8Bit(qgetenv("PATH")));
        qunsetenv("SPAWNSCOPE_TEST_BYTES");
    }
};

QTEST_GUILESS_MAIN(tst_OsString)
#include "tst_osstring.moc"
