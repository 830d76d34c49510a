#include <commandline.h>

#include <QTemporaryDir>
#include <QTest>

using namespace Spawnscope;

class tst_CommandLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requests_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("line");
        QTest::addColumn<int>("requestMode");
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("shell");
        QTest::addColumn<QString>("preview");
        const int spawn = int(LaunchMode::Spawn);
        QTest::newRow("spawn") << spawn << "ls -l 'a b'" << spawn << "ls" << QStringList{"-l", "a b"} << "" << "ls -l 'a b'";
        QTest::newRow("spawn, a pipeline") << spawn << "seq 3 | wc -l" << int(LaunchMode::Pipeline) << "" << QStringList{} << ""
                                           << "pipeline of 2 stages: seq 3 | wc -l";
        QTest::newRow("spawn, needs a shell") << spawn << "for i in 1 2; do echo $i; done" << spawn << "for i in 1 2; do echo $i; done"
                                              << QStringList{} << "/bin/sh" << "/bin/sh -c 'for i in 1 2; do echo $i; done'";
        QTest::newRow("spawn, a redirection") << spawn << "ls >out" << int(LaunchMode::Pipeline) << "" << QStringList{} << ""
                                              << "pipeline of 1 stages: ls >out";
        QTest::newRow("exec") << int(LaunchMode::Exec) << "ls | wc -l" << int(LaunchMode::Exec) << "" << QStringList{} << ""
                              << "/bin/sh -c 'ls | wc -l'";
        QTest::newRow("execFile") << int(LaunchMode::ExecFile) << "ls -a" << int(LaunchMode::ExecFile) << "ls" << QStringList{"-a"} << ""
                                  << "ls -a";
        QTest::newRow("fork") << int(LaunchMode::Fork) << "child.js 1" << int(LaunchMode::Fork) << "child.js" << QStringList{"1"} << ""
                              << "fork with a message channel: child.js 1";
        QTest::newRow("batch") << int(LaunchMode::Batch) << "gzip -k {} ::: a.txt b.txt" << int(LaunchMode::Batch) << "" << QStringList{}
                               << "" << "batch of 2 job(s)";
    }
    void requests()
    {
        QFETCH(int, mode);
        QFETCH(QString, line);
        QFETCH(int, requestMode);
        QFETCH(QString, program);
        QFETCH(QStringList, args);
        QFETCH(QString, shell);
        QFETCH(QString, preview);
        const CommandLine c = CommandLine::parse(LaunchMode(mode), line, {});
        QVERIFY2(c.ok(), qPrintable(c.error));
        QCOMPARE(int(c.request->mode), requestMode);
        QCOMPARE(c.request->program, program);
        QCOMPARE(c.request->args, args);
        QCOMPARE(c.request->options.shell, shell);
        QCOMPARE(c.request->title, line);
        QVERIFY2(c.preview.startsWith(preview), qPrintable(c.preview));
        QVERIFY(c.error.isEmpty());
    }

    void refusals_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("hint");
        QTest::newRow("nothing") << int(LaunchMode::Spawn) << "   " << "nothing to run" << -1 << "";
        QTest::newRow("open quote") << int(LaunchMode::Spawn) << "echo 'abc" << "unterminated single quote" << 5 << "close the quote";
        QTest::newRow("missing command") << int(LaunchMode::Spawn) << "ls |" << "missing command after `|`" << 4 << "";
        QTest::newRow("execFile pipes") << int(LaunchMode::ExecFile) << "ls | wc" << "pipes and redirections make a pipeline" << -1
                                        << "execFile starts one program; spawn mode runs pipelines";
        QTest::newRow("fork shell") << int(LaunchMode::Fork) << "echo $(date)" << "this line needs a shell" << -1
                                    << "exec mode runs the line with /bin/sh";
        QTest::newRow("batch without :::") << int(LaunchMode::Batch) << "gzip {}" << "a batch is TEMPLATE ::: INPUT..." << -1 << "e.g. gzip -k";
        QTest::newRow("batch, bad input") << int(LaunchMode::Batch) << "gzip {} ::: 'a" << "unterminated single quote in the inputs" << 12 << "";
        QTest::newRow("batch, bad template") << int(LaunchMode::Batch) << "sort {} | uniq ::: a" << "a job template is one command" << -1
                                             << "a job is one command";
    }
    void refusals()
    {
        QFETCH(int, mode);
        QFETCH(QString, line);
        QFETCH(QString, error);
        QFETCH(int, column);
        QFETCH(QString, hint);
        const CommandLine c = CommandLine::parse(LaunchMode(mode), line, {});
        QVERIFY(!c.ok());
        QVERIFY2(c.error.startsWith(error), qPrintable(c.error));
        QCOMPARE(c.errorColumn, column);
        QVERIFY2(c.hint.contains(hint), qPrintable(c.hint));
    }

    // A typed pipeline takes the window's options into its stages; expansions see them too.
    void optionsReachThePipeline()
    {
        QTemporaryDir dir;
        QFile(dir.filePath(QStringLiteral("x.txt"))).open(QIODevice::WriteOnly);
        LaunchOptions o;
        o.cwd = dir.path();
        o.environment = {{QStringLiteral("WHO"), QStringLiteral("me")}};
        o.timeoutMs = 700;
        o.killSignal = SIGKILL;
        const CommandLine c = CommandLine::parse(LaunchMode::Spawn, QStringLiteral("echo $WHO *.txt | cat"), o);
        QVERIFY2(c.ok(), qPrintable(c.error));
        const StageSpec &first = c.request->pipeline.stages.first();
        QCOMPARE(first.args, (QStringList{"me", "x.txt"}));
        QCOMPARE(first.cwd, dir.path());
        QCOMPARE(first.env.value(QStringLiteral("WHO")), QStringLiteral("me"));
        QCOMPARE(first.timeout, 700);
        QCOMPARE(first.killSignal.number(), SIGKILL);
        QVERIFY(c.notes.contains(QStringLiteral("`$WHO` → \"me\"")));
        QVERIFY2(c.preview.contains(QStringLiteral("`*.txt` → x.txt")), qPrintable(c.preview));
        QCOMPARE(c.request->options.cwd, dir.path());
    }
};

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
