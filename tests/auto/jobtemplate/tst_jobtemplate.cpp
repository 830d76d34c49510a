#include <jobtemplate.h>
#include <osstring.h>
#include <spawnfunctions.h>

#include <QTest>

using namespace Spawnscope;

class tst_JobTemplate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void expand_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("input");
        QTest::addColumn<int>("seq");
        QTest::addColumn<QStringList>("argv");
        QTest::newRow("appended") << "gzip -k" << "a.txt" << 1 << QStringList{"gzip", "-k", "a.txt"};
        QTest::newRow("input") << "cp {} {}.bak" << "a.txt" << 1 << QStringList{"cp", "a.txt", "a.txt.bak"};
        QTest::newRow("no extension") << "convert {} {.}.png" << "dir/pic.jpg" << 2 << QStringList{"convert", "dir/pic.jpg", "dir/pic.png"};
        QTest::newRow("dot in dir") << "echo {.}" << "a.b/c" << 1 << QStringList{"echo", "a.b/c"};
        QTest::newRow("hidden file") << "echo {.}" << "dir/.rc" << 1 << QStringList{"echo", "dir/.rc"};
        QTest::newRow("basename") << "echo {/}" << "/x/y/z.tar.gz" << 1 << QStringList{"echo", "z.tar.gz"};
        QTest::newRow("dirname") << "echo {//}" << "/x/y/z.tar.gz" << 1 << QStringList{"echo", "/x/y"};
        QTest::newRow("dirname of plain") << "echo {//}" << "z" << 1 << QStringList{"echo", "."};
        QTest::newRow("basename no ext") << "echo {/.}" << "/x/y/z.tar.gz" << 1 << QStringList{"echo", "z.tar"};
        QTest::newRow("job number") << "echo job-{#}" << "x" << 42 << QStringList{"echo", "job-42"};
        QTest::newRow("spaces kept whole") << "wc -l {}" << "my file.txt" << 1 << QStringList{"wc", "-l", "my file.txt"};
        QTest::newRow("quoted template") << "printf '%s\\n' {}" << "a b" << 1 << QStringList{"printf", "%s\\n", "a b"};
        QTest::newRow("in a quoted word") << "echo 'x {} y'" << "v" << 1 << QStringList{"echo", "x v y"};
        QTest::newRow("several in one word") << "echo {/.}-{#}.out" << "d/f.txt" << 3 << QStringList{"echo", "f-3.out"};
        QTest::newRow("a variable, as the shell would") << "echo ${SPAWNSCOPE_UNSET:-none} {}" << "x" << 1 << QStringList{"echo", "none", "x"};
        // Characters that stood in for tokens while the line was split stay themselves.
        QTest::newRow("private-use characters") << "echo \ue000 \ue001{} {.}" << "a.b" << 1 << QStringList{"echo", "\ue000", "\ue001a.b", "a"};
        QTest::newRow("noncharacters") << "echo \ufdd0 {} \ufdd1{.}" << "a.b" << 1 << QStringList{"echo", "\ufdd0", "a.b", "\ufdd1a"};
        QTest::newRow("many tokens") << QStringLiteral("echo") + QStringLiteral(" {#}").repeated(9000) << "x" << 7
                                     << QStringList{"echo"} + QStringList(9000, QStringLiteral("7"));
    }
    void expand()
    {
        QFETCH(QString, line);
        QFETCH(QString, input);
        QFETCH(int, seq);
        QFETCH(QStringList, argv);
        QString error;
        const auto t = JobTemplate::fromLine(line, &error);
        QVERIFY2(t, qPrintable(error));
        QCOMPARE(t->expand(input, seq), argv);
    }

    void shellTemplateQuotesValues()
    {
        QString error;
        const auto t = JobTemplate::fromLine(QStringLiteral("wc -c < {} | tr -d ' '"), &error, QStringLiteral("/bin/sh"));
        QVERIFY(t);
        QCOMPARE(t->expand(QStringLiteral("it's here.txt"), 1),
                 (QStringList{"/bin/sh", "-c", "wc -c < 'it'\\''s here.txt' | tr -d ' '"}));
        QCOMPARE(t->commandLine(QStringLiteral("a"), 1), QStringLiteral("wc -c < 'a' | tr -d ' '"));
        const auto appended = JobTemplate::fromLine(QStringLiteral("echo"), &error, QStringLiteral("/bin/sh"));
        QCOMPARE(appended->expand(QStringLiteral("$HOME"), 1), (QStringList{"/bin/sh", "-c", "echo '$HOME'"}));
    }

    // The inputs are other people's file names and lines: whatever they hold, the shell sees
    // one word with exactly those characters.
    void shellTemplateInputsStayWords_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QByteArray>("output");
        QTest::newRow("trailing newline") << "printf '[%s]' {} id" << "abc\n" << QByteArray("[abc\n][id]");
        QTest::newRow("newline then command") << "printf '[%s]' {} id" << "abc\nid" << QByteArray("[abc\nid][id]");
        QTest::newRow("appended") << "printf '[%s]'" << "x\n" << QByteArray("[x\n]");
        QTest::newRow("command substitution") << "printf '[%s]' {}" << "$(echo hi)" << QByteArray("[$(echo hi)]");
        QTest::newRow("semicolon") << "printf '[%s]' {.}" << "a;echo b.txt" << QByteArray("[a;echo b]");
        QTest::newRow("quote") << "printf '[%s]' {/}" << "d/it's" << QByteArray("[it's]");
        QTest::newRow("backquote in dirname") << "printf '[%s]' {//}" << "`id`\n/f" << QByteArray("[`id`\n]");
        // Where the template quotes the token itself, the value still comes out as it is.
        QTest::newRow("in double quotes") << "printf '[%s]' \"{}\"" << "$(echo hi) it's" << QByteArray("[$(echo hi) it's]");
        QTest::newRow("in single quotes") << "printf '[%s]' '{}'" << "a b;echo x" << QByteArray("[a b;echo x]");
        QTest::newRow("inside a quoted word") << "printf '[%s]' \"x {} y\" 'x {} y'" << "'\"$`\\" << QByteArray("[x '\"$`\\ y][x '\"$`\\ y]");
        QTest::newRow("in $(...) in quotes") << "printf '[%s]' \"$(printf %s {})\"" << "$(echo hi) \"" << QByteArray("[$(echo hi) \"]");
        // A plain value is quoted too: `0<` would be a redirection.
        QTest::newRow("a number before <") << "printf '[%s]' {}</dev/null" << "0" << QByteArray("[0]");
        QTest::newRow("a number before >") << "printf '[%s]' {}>&1" << "2" << QByteArray("[2]");
        QTest::newRow("a number, digits, then >") << "printf '[%s]' {#}3>&1" << "x" << QByteArray("[13]");
        QTest::newRow("a number, digits, then <") << "printf '[%s]' {}0</dev/null" << "1" << QByteArray("[10]");
        // A number elsewhere stays bare, so that arithmetic (where quotes are not allowed) works.
        QTest::newRow("sequence in arithmetic") << "printf '[%s]' $(( {#} * 2 ))" << "x" << QByteArray("[2]");
        QTest::newRow("number in arithmetic") << "printf '[%s]' $(( {} + 1 ))" << "41" << QByteArray("[42]");
        QTest::newRow("number after a variable's name") << "N=a; printf '[%s]' $N{#}" << "x" << QByteArray("[a1]");
    }
    void shellTemplateInputsStayWords()
    {
        QFETCH(QString, line);
        QFETCH(QString, input);
        QFETCH(QByteArray, output);
        // dash and bash differ where it matters here: bash reads `13>` as descriptor 13.
        for (const QString &shell : {QStringLiteral("/bin/sh"), QStringLiteral("/bin/bash")}) {
            QString error;
            const auto t = JobTemplate::fromLine(line, &error, shell);
            QVERIFY(t);
            const QStringList argv = t->expand(input, 1);
            const SyncResult result = spawnSync(argv.first(), argv.mid(1));
            QCOMPARE(result.standardError, QByteArray());
            QCOMPARE(result.standardOutput, output);
            QCOMPARE(result.status, std::optional<int>(0));
        }
    }

    // An input that is a name need not be UTF-8: sh -c gets the line's bytes, the input's own
    // among them, and the command sees exactly those (for --shell as without it).
    void inputBytesReachTheCommand_data()
    {
        QTest::addColumn<QString>("shell");
        QTest::addColumn<QString>("line");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("output");
        const QString sh = QStringLiteral("/bin/sh");
        QTest::newRow("latin-1 name, shell") << sh << "printf '[%s]' {}" << QByteArray("caf\xe9.txt") << QByteArray("[caf\xe9.txt]");
        QTest::newRow("latin-1 name, shell, {.} {/}") << sh << "printf '[%s]' {.} {/}" << QByteArray("d\xff/caf\xe9.txt")
                                                      << QByteArray("[d\xff/caf\xe9][caf\xe9.txt]");
        QTest::newRow("latin-1 name, appended") << sh << "printf '[%s]'" << QByteArray("caf\xe9'.txt") << QByteArray("[caf\xe9'.txt]");
        QTest::newRow("latin-1 name, no shell") << QString() << "printf [%s] {}" << QByteArray("caf\xe9.txt") << QByteArray("[caf\xe9.txt]");
        // The template itself may hold such a byte; its tokens are found all the same.
        QTest::newRow("byte in the template, no shell") << QString() << OsString::decode("printf [%s] d\xff/{/}") << QByteArray("x/caf\xe9.txt")
                                                        << QByteArray("[d\xff/caf\xe9.txt]");
        QTest::newRow("byte in the template, shell") << QStringLiteral("/bin/sh") << OsString::decode("printf '[%s]' d\xff/{.}")
                                                     << QByteArray("caf\xe9.txt") << QByteArray("[d\xff/caf\xe9]");
        for (int b = 0x80; b <= 0xff; ++b) {
            const QByteArray one(1, char(b));
            QTest::addRow("byte %02X, shell", b) << sh << "printf '[%s]' x{}x" << one << "[x" + one + "x]";
            QTest::addRow("byte %02X, no shell", b) << QString() << "printf [%s] {}" << one + one << "[" + one + one + "]";
        }
    }
    void inputBytesReachTheCommand()
    {
        QFETCH(QString, shell);
        QFETCH(QString, line);
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, output);
        QString error;
        const auto t = JobTemplate::fromLine(line, &error, shell);
        QVERIFY2(t, qPrintable(error));
        const QStringList argv = t->expand(OsString::decode(input), 1);
        const SyncResult result = spawnSync(argv.first(), argv.mid(1));
        QCOMPARE(result.standardError, QByteArray());
        QCOMPARE(result.standardOutput, output);
        QCOMPARE(result.status, std::optional<int>(0));
    }

    // Where sh would not read a value literally whatever the quoting, a shell template is refused.
    void shellTemplateRefused_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("error");
        QTest::newRow("after a backslash") << "echo \\{}" << "a token right after a backslash";
        QTest::newRow("in a comment") << "echo x # {}" << "a token in a comment";
        QTest::newRow("appended in a comment") << "echo x # note" << "the input appended in a comment";
        QTest::newRow("appended after a backslash") << "echo x\\" << "the input appended right after a backslash";
        QTest::newRow("appended to an unfinished line") << "echo 'x" << "the input appended at the end of an unfinished line";
        QTest::newRow("in backquotes") << "echo `echo {}`" << "a token inside backquotes";
        QTest::newRow("in $'...'") << "echo $'{}'" << "a token inside $'...'";
        QTest::newRow("in ${...}") << "echo ${X:-{}}" << "a token inside ${...}";
        QTest::newRow("${}") << "echo ${}" << "a token inside ${...}";
        QTest::newRow("here-document") << "cat <<EOF\n{}\nEOF" << "a token after a here-document";
        QTest::newRow("case in $(...)") << "echo $(case a in a) echo;; esac) {}" << "a token after a case inside $(...)";
    }
    void shellTemplateRefused()
    {
        QFETCH(QString, line);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!JobTemplate::fromLine(line, &why, QStringLiteral("/bin/sh")));
        QVERIFY2(why.startsWith(error), qPrintable(why));
    }

    // The line logged for a job runs that job when pasted into a shell.
    void commandLineQuotes_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("logged");
        QTest::newRow("spaces") << "cp {} backup/" << "my file" << "cp 'my file' backup/";
        QTest::newRow("program with =") << "'A=b' {}" << "x" << "'A=b' x";
        QTest::newRow("input as the program") << "{} x" << "A=b" << "'A=b' x";
    }
    void commandLineQuotes()
    {
        QFETCH(QString, line);
        QFETCH(QString, input);
        QFETCH(QString, logged);
        QString error;
        const auto t = JobTemplate::fromLine(line, &error);
        QVERIFY2(t, qPrintable(error));
        QCOMPARE(t->commandLine(input, 1), logged);
    }

    void refused_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("error");
        QTest::newRow("pipe") << "sort {} | uniq" << "without pipes";
        QTest::newRow("redirect") << "gzip <{}" << "without pipes, redirections";
        QTest::newRow("command substitution") << "echo $(date) {}" << "needs a shell (column 6: `$(...)` (command substitution) needs a shell); use --shell";
        QTest::newRow("a list") << "echo {}; echo done" << "needs a shell";
        QTest::newRow("empty") << "" << "no command";
        QTest::newRow("token made by an expansion") << "convert {} {${SPAWNSCOPE_UNSET}.}.png" << "`{.}` in the word '{.}.png' comes from an expansion";
        QTest::newRow("token made by quotes") << "echo '{'}" << "`{}` in the word '{}' comes from an expansion or quotes";
    }
    void refused()
    {
        QFETCH(QString, line);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!JobTemplate::fromLine(line, &why));
        QVERIFY2(why.contains(error), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(tst_JobTemplate)
#include "tst_jobtemplate.moc"
