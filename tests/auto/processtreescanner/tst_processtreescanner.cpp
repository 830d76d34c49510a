// The scanner over a folder laid out as /proc, so that every case (a pid reused, a zombie, a
// parent that ended) is set up exactly, with either way of finding children.
#include <processtreescanner.h>

#include <osstring.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Spawnscope;
using Method = ProcessTreeScanner::Method;
using State = DescendantInfo::State;

Q_DECLARE_METATYPE(ProcessTreeScanner::Method)

namespace {

// Processes as /proc shows them: stat, statm, cmdline, and each parent's children file.
class FakeProc
{
public:
    struct Process
    {
        qint64 ppid = 1;
        char state = 'S';
        QString name;
        quint64 startTicks = 0;
        QString command;
    };

    QString path() const { return m_dir.path(); }
    void set(qint64 pid, const Process &p)
    {
        m_processes[pid] = p;
        write();
    }
    void remove(qint64 pid)
    {
        m_processes.remove(pid);
        write();
    }
    Process &operator[](qint64 pid) { return m_processes[pid]; }
    void write()
    {
        for (const QString &entry : QDir(path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            QDir(QDir(path()).filePath(entry)).removeRecursively();
        for (auto it = m_processes.cbegin(); it != m_processes.cend(); ++it) {
            const QString dir = QStringLiteral("%1/%2").arg(path()).arg(it.key());
            QDir().mkpath(QStringLiteral("%1/task/%2").arg(dir).arg(it.key()));
            // Fields from the state on: ppid pgrp session tty tpgid flags minflt cminflt majflt
            // cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime.
            writeFile(dir + QStringLiteral("/stat"), OsString::encode(QStringLiteral("%1 (%2) %3 %4 0 0 0 0 0 0 0 0 0 5 3 0 0 20 0 1 0 %5 0 0\n")
                                                                          .arg(it.key()).arg(it->name).arg(QLatin1Char(it->state)).arg(it->ppid).arg(it->startTicks)));
            writeFile(dir + QStringLiteral("/statm"), "100 25 0 0 0 0 0\n");
            QByteArray command = OsString::encode(it->command);
            writeFile(dir + QStringLiteral("/cmdline"), it->state == 'Z' ? QByteArray() : command.replace(' ', '\0') + '\0');
            QStringList children;
            for (auto c = m_processes.cbegin(); c != m_processes.cend(); ++c) {
                if (c->ppid == it.key())
                    children << QString::number(c.key());
            }
            writeFile(QStringLiteral("%1/task/%2/children").arg(dir).arg(it.key()), children.isEmpty() ? QByteArray() : (children.join(QLatin1Char(' ')) + QLatin1Char(' ')).toUtf8());
        }
    }

private:
    QTemporaryDir m_dir;
    QMap<qint64, Process> m_processes;

    static void writeFile(const QString &path, const QByteArray &data)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    }
};

QList<qint64> pidsOf(const QList<DescendantInfo> &list)
{
    QList<qint64> pids;
    for (const DescendantInfo &d : list)
        pids << d.pid;
    return pids;
}

QList<State> statesOf(const QList<DescendantInfo> &list)
{
    QList<State> states;
    for (const DescendantInfo &d : list)
        states << d.state;
    return states;
}

} // namespace

class tst_ProcessTreeScanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void methods_data()
    {
        QTest::addColumn<Method>("method");
        QTest::newRow("children files") << Method::ChildrenFiles;
        QTest::newRow("parent pids") << Method::ParentPids;
    }

    // Children and grandchildren, in the order found, each with its parent and depth; nothing
    // else on the machine (pid 50 is not under the root).
    void childrenAndGrandchildren_data() { methods_data(); }
    void childrenAndGrandchildren()
    {
        QFETCH(Method, method);
        FakeProc proc;
        proc[100] = {1, 'S', QStringLiteral("node"), 1000, QStringLiteral("node parent.js")};
        proc[101] = {100, 'S', QStringLiteral("node"), 1010, QStringLiteral("node child.js 1")};
        proc[102] = {100, 'R', QStringLiteral("node"), 1011, QStringLiteral("node child.js 2")};
        proc[103] = {101, 'T', QStringLiteral("sleep (a b)"), 1020, QStringLiteral("sleep 5")};
        proc[50] = {1, 'S', QStringLiteral("other"), 900, QStringLiteral("other")};
        proc.write();
        ProcessTreeScanner scanner(proc.path());
        scanner.setMethod(method);
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const auto found = scanner.scan({{7, 100}});
        QCOMPARE(found.keys(), QList<int>{7});
        const QList<DescendantInfo> d = found.value(7);
        QCOMPARE(pidsOf(d), (QList<qint64>{101, 102, 103}));
        QCOMPARE(statesOf(d), (QList<State>{State::Running, State::Running, State::Stopped}));
        QCOMPARE(d[0].ppid, 100);
        QCOMPARE(d[2].ppid, 101);
        QCOMPARE(d[0].depth, 1);
        QCOMPARE(d[2].depth, 2);
        QCOMPARE(d[2].name, QStringLiteral("sleep (a b)"));
        QCOMPARE(d[1].command, QStringLiteral("node child.js 2"));
        QCOMPARE(d[0].goneMs, -1);
        QVERIFY(d[0].startedMs > 0 && d[0].startedMs <= before);
        QCOMPARE(d[0].rssBytes, 25 * qint64(::sysconf(_SC_PAGESIZE)));
        QCOMPARE(d[0].cpuPercent, -1.0); // one reading is no rate yet
        QCOMPARE(scanner.following(), QList<int>{7});
        // A root that started nothing tells nothing.
        QVERIFY(scanner.scan({{8, 50}}).isEmpty());
    }

    // Gone once missing, with the time it was first missed; a zombie is exiting (its life is
    // over) and keeps its end when it is reaped; a pid taken again is another process.
    void theirEnds_data() { methods_data(); }
    void theirEnds()
    {
        QFETCH(Method, method);
        FakeProc proc;
        proc[100] = {1, 'S', QStringLiteral("sh"), 1000, QStringLiteral("sh -c x")};
        proc[101] = {100, 'S', QStringLiteral("sleep"), 1010, QStringLiteral("sleep 5")};
        proc[102] = {100, 'S', QStringLiteral("sleep"), 1011, QStringLiteral("sleep 6")};
        proc[103] = {100, 'S', QStringLiteral("sleep"), 1012, QStringLiteral("sleep 7")};
        proc.write();
        ProcessTreeScanner scanner(proc.path());
        scanner.setMethod(method);
        QCOMPARE(scanner.scan({{1, 100}}).value(1).size(), 3);

        const qint64 missed = QDateTime::currentMSecsSinceEpoch();
        proc.remove(101);
        proc[102].state = 'Z';
        proc[103] = {100, 'S', QStringLiteral("cat"), 2000, QStringLiteral("cat")}; // 103 reused
        proc.write();
        QList<DescendantInfo> d = scanner.scan({{1, 100}}).value(1);
        QCOMPARE(pidsOf(d), (QList<qint64>{101, 102, 103, 103}));
        QCOMPARE(statesOf(d), (QList<State>{State::Gone, State::Exiting, State::Gone, State::Running}));
        QVERIFY(d[0].goneMs >= missed);
        QVERIFY(d[1].goneMs >= missed);
        QVERIFY(!d[1].isLive());
        QCOMPARE(d[1].command, QStringLiteral("sleep 6")); // as it was while it lived
        QCOMPARE(d[3].name, QStringLiteral("cat"));
        QCOMPARE(d[3].startTicks, 2000u);
        QCOMPARE(d[0].lifetimeMs(missed + 100000), d[0].goneMs - d[0].startedMs); // it stopped growing

        const qint64 zombieEnd = d[1].goneMs;
        proc.remove(102);
        d = scanner.scan({{1, 100}}).value(1);
        QCOMPARE(d[1].state, State::Gone);
        QCOMPARE(d[1].goneMs, zombieEnd);

        // Once all are gone and stay so, a pass has nothing to tell.
        proc.remove(103);
        QCOMPARE(statesOf(scanner.scan({{1, 100}}).value(1)).count(State::Gone), 4);
        QVERIFY(scanner.following().isEmpty());
        QVERIFY(scanner.scan({{1, 100}}).isEmpty());
    }

    // The launched process ended: its children were reparented, and are followed all the same,
    // with what they start from then on, until they are gone.
    void reparentedAreStillFollowed_data() { methods_data(); }
    void reparentedAreStillFollowed()
    {
        QFETCH(Method, method);
        FakeProc proc;
        proc[100] = {1, 'S', QStringLiteral("node"), 1000, QStringLiteral("node parent.js")};
        proc[101] = {100, 'S', QStringLiteral("node"), 1010, QStringLiteral("node child.js")};
        proc.write();
        ProcessTreeScanner scanner(proc.path());
        scanner.setMethod(method);
        QCOMPARE(scanner.scan({{1, 100}}).value(1).size(), 1);

        proc.remove(100);
        proc[101].ppid = 1;
        proc[104] = {101, 'S', QStringLiteral("sleep"), 1030, QStringLiteral("sleep 1")};
        proc.write();
        QCOMPARE(scanner.following(), QList<int>{1});
        QList<DescendantInfo> d = scanner.scan({{1, 0}}).value(1);
        QCOMPARE(pidsOf(d), (QList<qint64>{101, 104}));
        QCOMPARE(statesOf(d), (QList<State>{State::Running, State::Running}));
        QCOMPARE(d[0].ppid, 100); // where it was found, not init
        QCOMPARE(d[1].ppid, 101);
        QCOMPARE(d[1].depth, 2);

        proc.remove(101);
        proc.remove(104);
        d = scanner.scan({{1, 0}}).value(1);
        QCOMPARE(statesOf(d), (QList<State>{State::Gone, State::Gone}));
        QVERIFY(scanner.following().isEmpty());
    }

    // A forked child runs its parent's program until it execs its own.
    void aChildThatExecsIsRenamed()
    {
        FakeProc proc;
        proc[100] = {1, 'S', QStringLiteral("sh"), 1000, QStringLiteral("sh -c sleep 3 & wait")};
        proc[101] = {100, 'R', QStringLiteral("sh"), 1010, QStringLiteral("sh -c sleep 3 & wait")};
        proc.write();
        ProcessTreeScanner scanner(proc.path());
        QCOMPARE(scanner.scan({{1, 100}}).value(1).value(0).name, QStringLiteral("sh"));
        proc[101].name = QStringLiteral("sleep");
        proc[101].command = QStringLiteral("sleep 3");
        proc.write();
        const QList<DescendantInfo> d = scanner.scan({{1, 100}}).value(1);
        QCOMPARE(d.size(), 1);
        QCOMPARE(d[0].name, QStringLiteral("sleep"));
        QCOMPARE(d[0].command, QStringLiteral("sleep 3"));
        QVERIFY(d[0].cpuPercent >= 0); // the second reading gives a rate
    }

    // /proc holds bytes: a name or an argument that is not UTF-8 is shown with \xE9.
    void namesThatAreNotUtf8AreShownReadably()
    {
        FakeProc proc;
        proc[100] = {1, 'S', QStringLiteral("sh"), 1000, QStringLiteral("sh")};
        proc[101] = {100, 'R', OsString::decode("caf\xe9"), 1010, OsString::decode("cat caf\xe9.txt")};
        proc.write();
        ProcessTreeScanner scanner(proc.path());
        const QList<DescendantInfo> d = scanner.scan({{1, 100}}).value(1);
        QCOMPARE(d.size(), 1);
        QCOMPARE(d[0].name, QStringLiteral("caf\\xE9"));
        QCOMPARE(d[0].command, QStringLiteral("cat caf\\xE9.txt"));
    }

    void stateNames()
    {
        QCOMPARE(DescendantInfo::stateName(State::Running), QStringLiteral("running"));
        QCOMPARE(DescendantInfo::stateName(State::Stopped), QStringLiteral("stopped"));
        QCOMPARE(DescendantInfo::stateName(State::Exiting), QStringLiteral("exiting"));
        QCOMPARE(DescendantInfo::stateName(State::Gone), QStringLiteral("gone"));
    }
};

QTEST_GUILESS_MAIN(tst_ProcessTreeScanner)
#include "tst_processtreescanner.moc"
