#include <abortsignal.h>

#include <QSignalSpy>
#include <QTest>

using Spawnscope::AbortSignal;

class tst_AbortSignal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void abortedExactlyOnceAndSynchronously()
    {
        AbortSignal signal;
        QVERIFY(!signal.isAborted());
        QSignalSpy aborted(&signal, &AbortSignal::aborted);
        signal.abort();
        QCOMPARE(aborted.count(), 1); // inside abort(), before it returns
        QVERIFY(signal.isAborted());
        signal.abort();
        signal.abort();
        QCOMPARE(aborted.count(), 1);
    }
};

QTEST_APPLESS_MAIN(tst_AbortSignal)
#include "tst_abortsignal.moc"
