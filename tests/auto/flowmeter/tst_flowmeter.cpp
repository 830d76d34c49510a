#include <flowmeter.h>

#include <QtTest>

using namespace Spawnscope;

namespace {

EdgeStats stats(qint64 bytes, qint64 lines = -1, bool exact = true)
{
    EdgeStats s;
    s.bytes = bytes;
    s.bytesExact = exact;
    s.lines = lines;
    return s;
}

} // namespace

class tst_FlowMeter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void texts_data();
    void texts();
    void rateSettlesOnASteadyFlow_data();
    void rateSettlesOnASteadyFlow();
    void idleAfterASecondWithoutBytes();
    void finishedSaysTheMean();
    void unknownBytes();
    void anUpperBoundSaysSo();
    void finishedMeanCountsFromTheStart();
};

void tst_FlowMeter::texts_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<qint64>("lines");
    QTest::addColumn<QString>("bytesText");
    QTest::addColumn<QString>("linesText");
    QTest::newRow("small") << qint64(512) << qint64(1) << "512 B" << "1 line";
    QTest::newRow("kilobytes") << qint64(12'345) << qint64(9'999) << "12.3 kB" << "9999 lines";
    QTest::newRow("megabytes") << qint64(12'300'000) << qint64(41'234) << "12.3 MB" << "41.2 k lines";
    QTest::newRow("gigabytes") << qint64(3'210'000'000) << qint64(123'456'789) << "3.2 GB" << "123.5 M lines";
    QTest::newRow("hundreds of thousands") << qint64(999) << qint64(250'000) << "999 B" << "250 k lines";
}

void tst_FlowMeter::texts()
{
    QFETCH(qint64, bytes);
    QFETCH(qint64, lines);
    QFETCH(QString, bytesText);
    QFETCH(QString, linesText);
    QCOMPARE(FlowMeter::bytesText(bytes), bytesText);
    QCOMPARE(FlowMeter::linesText(lines), linesText);
}

void tst_FlowMeter::rateSettlesOnASteadyFlow_data()
{
    QTest::addColumn<int>("intervalMs");
    QTest::newRow("ten a second") << 100;
    QTest::newRow("four a second") << 250;
    QTest::newRow("uneven") << -1;
}

void tst_FlowMeter::rateSettlesOnASteadyFlow()
{
    // 5 MB/s for six seconds (six time constants), sampled however: the average comes to the
    // true rate.
    QFETCH(int, intervalMs);
    FlowMeter m;
    qint64 t = 0;
    int step = 0;
    while (t <= 6000) {
        m.update(stats(t * 5000), t);
        t += intervalMs > 0 ? intervalMs : (++step % 2 ? 60 : 170);
    }
    QVERIFY2(std::abs(m.rate() - 5e6) < 0.05e6, qPrintable(QString::number(m.rate())));
    QVERIFY(m.label(t).endsWith(QStringLiteral(" · 5.0 MB/s")));
}

void tst_FlowMeter::idleAfterASecondWithoutBytes()
{
    FlowMeter m;
    m.update(stats(0, 0), 0);
    QCOMPARE(m.label(0), QStringLiteral("0 B · 0 lines")); // one sample: no rate yet
    m.update(stats(1000, 10), 100);
    QVERIFY(!m.isIdle(100));
    m.update(stats(1000, 10), 600);
    QVERIFY(!m.isIdle(1099));
    QVERIFY(m.isIdle(1100));
    QCOMPARE(m.label(1100), QStringLiteral("1.0 kB · 10 lines · idle"));
    m.update(stats(2000, 20), 1200);
    QVERIFY(!m.isIdle(1200));
}

void tst_FlowMeter::finishedSaysTheMean()
{
    FlowMeter m;
    m.update(stats(0), 0);
    m.update(stats(1'000'000), 500);
    m.update(stats(2'000'000), 1000);
    m.update(stats(2'000'000), 3000); // nothing moved after 1 s
    m.finish();
    QVERIFY(m.isFinished());
    QCOMPARE(m.rate(), 2e6);
    QCOMPARE(m.label(100000), QStringLiteral("2.0 MB · 2.0 MB/s mean"));
    QVERIFY(!m.isIdle(100000));
    FlowMeter none;
    none.update(stats(0), 0);
    none.finish();
    QCOMPARE(none.label(0), QStringLiteral("0 B · done"));
}

void tst_FlowMeter::unknownBytes()
{
    FlowMeter m;
    m.update(stats(-1), 0);
    QCOMPARE(m.label(0), QStringLiteral("? bytes"));
    m.update(stats(-1), 1000);
    QCOMPARE(m.label(1000), QStringLiteral("? bytes")); // no rate from bytes nobody knows
}

void tst_FlowMeter::anUpperBoundSaysSo()
{
    // A direct pipe's count is its writer's total: at most that many went through.
    FlowMeter m;
    m.update(stats(1'000'000, -1, false), 100);
    m.update(stats(2'000'000, -1, false), 200);
    QVERIFY2(m.label(200).startsWith(QStringLiteral("≤ 2.0 MB · ≤ ")), qPrintable(m.label(200)));
    m.finish();
    QCOMPARE(m.label(200), QStringLiteral("≤ 2.0 MB · ≤ 10.0 MB/s mean"));
}

void tst_FlowMeter::finishedMeanCountsFromTheStart()
{
    // Bytes already there at the first sample moved since the run began (0 on its clock).
    FlowMeter m;
    m.update(stats(3'000'000), 300);
    m.finish();
    QCOMPARE(m.rate(), 1e7);
}

QTEST_MAIN(tst_FlowMeter)
#include "tst_flowmeter.moc"
