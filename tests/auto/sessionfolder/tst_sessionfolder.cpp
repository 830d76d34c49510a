// Where a session's spools go: private, found again and removed when the session died, never the
// working folder; and the spools themselves: private, on disk as soon as written.
#include <outputbuffer.h>
#include <session.h>
#include <sessionfolder.h>

#include <spawnfunctions.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Spawnscope;

class tst_SessionFolder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void privateAndNamedAfterTheProcess()
    {
        QTemporaryDir root;
        QString path;
        {
            SessionFolder folder(root.filePath(QStringLiteral("sessions")));
            QVERIFY2(folder.isValid(), qPrintable(folder.error()));
            path = folder.path();
            const QFileInfo info(path);
            QVERIFY(info.fileName().startsWith(QString::number(QCoreApplication::applicationPid()) + QLatin1Char('-')));
            QCOMPARE(info.permissions() & (QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther),
                     QFile::Permissions());
        }
        QVERIFY(!QFileInfo::exists(path)); // gone with the session
    }

    void foldersOfSessionsThatDiedAreRemoved()
    {
        QTemporaryDir root;
        // A pid that is surely gone: a child that has ended and been reaped.
        const SyncResult ended = spawnSync(QStringLiteral(TESTCHILD), {QStringLiteral("exit"), QStringLiteral("0")});
        QVERIFY(ended.pid > 0);
        const QString dead = root.filePath(QStringLiteral("%1-abcdef").arg(ended.pid));
        const QString alive = root.filePath(QStringLiteral("1-abcdef")); // init lives
        const QString other = root.filePath(QStringLiteral("notes"));
        for (const QString &d : {dead, alive, other}) {
            QVERIFY(QDir().mkpath(d));
            QFile f(QDir(d).filePath(QStringLiteral("1.stdout")));
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        SessionFolder folder(root.path());
        QVERIFY(folder.isValid());
        QCOMPARE(folder.removedStale(), 1);
        QVERIFY(!QFileInfo::exists(dead));
        QVERIFY(QFileInfo::exists(alive));
        QVERIFY(QFileInfo::exists(other)); // not a session's: not ours to remove
    }

    void noFolderMeansNoSpoolAndSaysSo()
    {
        QTemporaryDir root;
        QFile blocker(root.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("no session folder: cannot make")));
        SessionFolder folder(root.filePath(QStringLiteral("file/sessions"))); // under a file
        QVERIFY(!folder.isValid());
        QVERIFY(folder.path().isEmpty());
        QVERIFY(folder.error().contains(QStringLiteral("cannot make")));
        // The output then lives in memory only, and the pane says so; nothing lands in the
        // working folder (once it was ./.stdout).
        const QDir here = QDir::current();
        OutputBuffer buffer(QString(), 50);
        buffer.append(OutputBuffer::Stdout, "kept\n");
        buffer.processPending();
        const auto lines = buffer.linesFrom(0, 10);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].stream, OutputBuffer::Note);
        QVERIFY(lines[0].text.contains(QStringLiteral("no folder to save this output in")));
        QCOMPARE(lines[1].text, QStringLiteral("kept"));
        QVERIFY(!QFileInfo::exists(here.filePath(QStringLiteral(".stdout"))));
    }

    void spoolsArePrivateAndWrittenAtOnce()
    {
        QTemporaryDir dir;
        const QString base = dir.filePath(QStringLiteral("7"));
        OutputBuffer buffer(base, 50);
        buffer.append(OutputBuffer::Stdout, QByteArray(1000, 'x'));
        // On disk without a flush: a killed window leaves what it showed.
        const QFileInfo spool(base + QStringLiteral(".stdout"));
        QCOMPARE(spool.size(), 1000);
        QCOMPARE(spool.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther), QFile::Permissions());
    }

    void theSessionUsesIt()
    {
        Session session;
        QVERIFY(!session.folder().isEmpty());
        QVERIFY(session.folder().startsWith(SessionFolder::defaultRoot()));
    }
};

QTEST_GUILESS_MAIN(tst_SessionFolder)
#include "tst_sessionfolder.moc"
