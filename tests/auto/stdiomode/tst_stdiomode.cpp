#include <stdiomode.h>

#include <QTest>

using Spawnscope::StdioMode;

class tst_StdioMode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromString_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("fd");
        QTest::newRow("pipe") << "pipe" << true << int(StdioMode::Pipe) << -1;
        QTest::newRow("ignore") << "ignore" << true << int(StdioMode::Ignore) << -1;
        QTest::newRow("inherit") << "inherit" << true << int(StdioMode::Inherit) << -1;
        QTest::newRow("ipc") << "ipc" << true << int(StdioMode::Ipc) << -1;
        QTest::newRow("descriptor") << "7" << true << int(StdioMode::Fd) << 7;
        QTest::newRow("negative") << "-1" << false << 0 << 0;
        QTest::newRow("word") << "overlapped" << false << 0 << 0;
        QTest::newRow("empty") << "" << false << 0 << 0;
    }
    void fromString()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(int, kind);
        QFETCH(int, fd);
        const auto mode = StdioMode::fromString(text);
        QCOMPARE(mode.has_value(), valid);
        if (!valid)
            return;
        QCOMPARE(int(mode->kind), kind);
        if (mode->kind == StdioMode::Fd)
            QCOMPARE(mode->fd, fd);
        QCOMPARE(mode->toString(), text);
        QCOMPARE(*StdioMode::fromString(mode->toString()), *mode);
    }
};

QTEST_APPLESS_MAIN(tst_StdioMode)
#include "tst_stdiomode.moc"
