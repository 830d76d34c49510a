#include <messagelogmodel.h>

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Spawnscope;


class tst_MessageLogModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsBothWays()
    {
        MessageLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.add(MessageLogModel::ToChild, QJsonObject{{QStringLiteral("n"), 25}});
        model.add(MessageLogModel::FromChild, QJsonObject{{QStringLiteral("fib"), 75025}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, MessageLogModel::Way).data().toString(), QStringLiteral("→ child"));
        QCOMPARE(model.index(1, MessageLogModel::Way).data().toString(), QStringLiteral("← child"));
        QCOMPARE(model.index(1, MessageLogModel::Message).data().toString(), QStringLiteral("{\"fib\":75025}"));
        QCOMPARE(model.index(1, 0).data(MessageLogModel::JsonRole).toString(), QStringLiteral("{\n    \"fib\": 75025\n}"));
        QVERIFY(model.index(0, MessageLogModel::Time).data().toString().contains(QLatin1Char(':')));
        QCOMPARE(model.direction(1), MessageLogModel::FromChild);
    }

    void boundedOldestFirstOut()
    {
        MessageLogModel model;
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        for (int i = 0; i < MessageLogModel::MaxEntries; ++i)
            model.add(MessageLogModel::FromChild, i);
        QCOMPARE(model.rowCount(), MessageLogModel::MaxEntries);
        QCOMPARE(removed.count(), 0);
        // Watched from here only: the tester checks every row on every change.
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.add(MessageLogModel::FromChild, MessageLogModel::MaxEntries);
        // A tenth goes at once, so that a flood does not remove a row per message.
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.dropped(), MessageLogModel::MaxEntries / 10);
        QCOMPARE(model.rowCount(), MessageLogModel::MaxEntries - MessageLogModel::MaxEntries / 10 + 1);
        QCOMPARE(model.message(0).toInt(), MessageLogModel::MaxEntries / 10);
        QCOMPARE(model.message(model.rowCount() - 1).toInt(), MessageLogModel::MaxEntries);
    }

    void jsonText_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("compact");
        QTest::newRow("string") << QJsonValue(QStringLiteral("hi \"there\"")) << "\"hi \\\"there\\\"\"";
        QTest::newRow("number") << QJsonValue(42) << "42";
        QTest::newRow("null") << QJsonValue(QJsonValue::Null) << "null";
        QTest::newRow("bool") << QJsonValue(true) << "true";
        QTest::newRow("array") << QJsonValue(QJsonArray{1, QStringLiteral("a")}) << "[1,\"a\"]";
    }
    void jsonText()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QString, compact);
        QCOMPARE(MessageLogModel::compact(value), compact);
    }
};

QTEST_GUILESS_MAIN(tst_MessageLogModel)
#include "tst_messagelogmodel.moc"
