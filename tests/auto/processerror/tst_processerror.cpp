#include <processerror.h>

#include <QJsonArray>
#include <QTest>

#include <cerrno>

using Spawnscope::ProcessError;

class tst_ProcessError : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromErrno_data()
    {
        QTest::addColumn<int>("err");
        QTest::addColumn<QString>("code");
        QTest::newRow("ENOENT") << ENOENT << "ENOENT";
        QTest::newRow("EACCES") << EACCES << "EACCES";
        QTest::newRow("EMFILE") << EMFILE << "EMFILE";
        QTest::newRow("EPIPE") << EPIPE << "EPIPE";
        QTest::newRow("ETIMEDOUT") << ETIMEDOUT << "ETIMEDOUT";
        QTest::newRow("ENOBUFS") << ENOBUFS << "ENOBUFS";
    }
    void fromErrno()
    {
        QFETCH(int, err);
        QFETCH(QString, code);
        const ProcessError e = ProcessError::fromErrno(err, QStringLiteral("spawn prog"));
        QCOMPARE(e.name, QStringLiteral("Error"));
        QCOMPARE(e.message, QStringLiteral("spawn prog ") + code);
        QCOMPARE(e.codeName(), code);
        QCOMPARE(*e.errnum, -err);
        QCOMPARE(e.syscall, QStringLiteral("spawn prog"));
        QVERIFY(!e.isNull());
    }

    void fieldsInNodeOrder()
    {
        ProcessError e = ProcessError::fromErrno(ENOENT, QStringLiteral("spawn x"));
        e.path = QStringLiteral("x");
        e.spawnargs = QStringList{QStringLiteral("a")};
        e.cmd = QStringLiteral("x a");
        QStringList keys;
        for (const auto &[key, value] : e.fields())
            keys << key;
        QCOMPARE(keys, (QStringList{"name", "message", "code", "errno", "syscall", "path", "spawnargs", "cmd"}));
        const QJsonObject o = e.toJson();
        QCOMPARE(o.value("spawnargs").toArray(), QJsonArray{"a"});
        QCOMPARE(o.value("errno").toInt(), -ENOENT);
    }

    void nullSignalIsPresent()
    {
        ProcessError e;
        e.message = QStringLiteral("Command failed: false\n");
        e.code = 1;
        e.killed = false;
        e.signal = QJsonValue::Null;
        const QJsonObject o = e.toJson();
        QVERIFY(o.contains("signal"));
        QVERIFY(o.value("signal").isNull());
        QVERIFY(!o.contains("errno"));
        QVERIFY(!o.contains("status"));
    }

    void abortError()
    {
        const ProcessError e = ProcessError::abortError();
        QCOMPARE(e.name, QStringLiteral("AbortError"));
        QCOMPARE(e.codeName(), QStringLiteral("ABORT_ERR"));
        QCOMPARE(e.message, QStringLiteral("The operation was aborted"));
    }
};

QTEST_APPLESS_MAIN(tst_ProcessError)
#include "tst_processerror.moc"
