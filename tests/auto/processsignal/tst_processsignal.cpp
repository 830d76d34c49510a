#include <processsignal.h>

#include <QTest>

#include <csignal>

using Spawnscope::ProcessSignal;

class tst_ProcessSignal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromName_data()
    {
        QTest::addColumn<QString>("given");
        QTest::addColumn<int>("number");
        QTest::addColumn<QString>("name");
        QTest::newRow("SIGTERM") << "SIGTERM" << SIGTERM << "SIGTERM";
        QTest::newRow("lower case") << "sigkill" << SIGKILL << "SIGKILL";
        QTest::newRow("without SIG") << "HUP" << SIGHUP << "SIGHUP";
        QTest::newRow("number as text") << "9" << SIGKILL << "SIGKILL";
        QTest::newRow("zero") << "0" << 0 << "";
        QTest::newRow("SIGUSR2") << "SIGUSR2" << SIGUSR2 << "SIGUSR2";
        QTest::newRow("alias SIGIOT") << "SIGIOT" << SIGABRT << "SIGABRT";
        QTest::newRow("unknown") << "SIGNOPE" << -1 << "";
        QTest::newRow("empty") << "" << -1 << "";
        QTest::newRow("out of range") << "999" << -1 << "";
        QTest::newRow("negative") << "-1" << -1 << "";
    }
    void fromName()
    {
        QFETCH(QString, given);
        QFETCH(int, number);
        QFETCH(QString, name);
        const ProcessSignal signal(given);
        QCOMPARE(signal.number(), number);
        QCOMPARE(signal.isValid(), number >= 0);
        QCOMPARE(signal.name(), name);
        QCOMPARE(signal.given(), given);
    }

    void fromNumber_data()
    {
        QTest::addColumn<int>("number");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("name");
        QTest::newRow("15") << 15 << true << "SIGTERM";
        QTest::newRow("9") << 9 << true << "SIGKILL";
        QTest::newRow("2") << 2 << true << "SIGINT";
        QTest::newRow("0") << 0 << true << "";
        QTest::newRow("-5") << -5 << false << "";
        QTest::newRow("NSIG") << NSIG << false << "";
    }
    void fromNumber()
    {
        QFETCH(int, number);
        QFETCH(bool, valid);
        QFETCH(QString, name);
        const ProcessSignal signal(number);
        QCOMPARE(signal.isValid(), valid);
        QCOMPARE(signal.name(), name);
        if (valid)
            QCOMPARE(signal.number(), number);
    }

    void everyNameRoundTrips()
    {
        for (int n = 1; n < 32; ++n) {
            const QString name = ProcessSignal::nameOf(n);
            QVERIFY2(!name.isEmpty(), qPrintable(QString::number(n)));
            QCOMPARE(ProcessSignal::numberOf(name), n);
        }
    }
};

QTEST_APPLESS_MAIN(tst_ProcessSignal)
#include "tst_processsignal.moc"
