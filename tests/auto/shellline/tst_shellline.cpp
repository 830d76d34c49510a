#include "temporarydir.h"

#include <osstring.h>
#include <shellline.h>
#include <spawnfunctions.h>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <stages.h>

#include <QTest>

#include <algorithm>
#include <cstdio>

#include <sys/stat.h>

using namespace Spawnscope;

namespace {

// A compact picture of a parsed pipeline: each stage as [ENV ]program(args) and its
// redirections, then its edges ("o>2": stdout feeds stage 2, "e>2": stderr does).
QString describe(const PipelineSpec &spec)
{
    QStringList stages;
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        const StageSpec &s = it.value();
        QStringList parts;
        for (auto e = s.env.cbegin(); e != s.env.cend(); ++e)
            parts << e.key() + QLatin1Char('=') + e.value();
        if (s.mode == StageSpec::Mode::Exec)
            parts << QStringLiteral("sh[") + s.command + QLatin1Char(']');
        else
            parts << s.program + QLatin1Char('(') + s.args.join(QLatin1Char(',')) + QLatin1Char(')');
        if (!s.stdinFile.isEmpty())
            parts << QLatin1Char('<') + s.stdinFile;
        if (s.stdoutFile.isSet())
            parts << (s.stdoutFile.append ? QStringLiteral(">>") : QStringLiteral(">")) + s.stdoutFile.path;
        if (s.stderrFile.isSet())
            parts << (s.stderrFile.append ? QStringLiteral("2>>") : QStringLiteral("2>")) + s.stderrFile.path;
        if (s.mergeStderr)
            parts << QStringLiteral("2>&1");
        for (const Edge &e : spec.edgesFrom(it.key()))
            parts << (e.id.stream == OutputStream::Stdout ? QStringLiteral("o>") : QStringLiteral("e>")) + QString::number(e.id.to);
        stages << parts.join(QLatin1Char(' '));
    }
    return stages.join(QStringLiteral(" ; "));
}

} // namespace

class tst_ShellLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("structure");
        QTest::addColumn<QString>("formatted"); // the line format() gives back

        auto row = [](const char *line, const char *structure, const char *formatted) {
            QTest::newRow(line) << QString::fromUtf8(line) << QString::fromUtf8(structure) << QString::fromUtf8(formatted);
        };
        // Words and quoting.
        row("true", "true()", "true");
        row("ls -l /tmp", "ls(-l,/tmp)", "ls -l /tmp");
        row("  echo   a    b  ", "echo(a,b)", "echo a b");
        row("echo 'a b'", "echo(a b)", "echo 'a b'");
        row("echo \"a b\"", "echo(a b)", "echo 'a b'");
        row("echo a\\ b", "echo(a b)", "echo 'a b'");
        row("echo ''", "echo()", "echo ''");
        row("echo \"\"", "echo()", "echo ''");
        row("echo 'it'\\''s'", "echo(it's)", "echo 'it'\\''s'");
        row("echo \"it's\"", "echo(it's)", "echo 'it'\\''s'");
        row("echo \"say \\\"hi\\\"\"", "echo(say \"hi\")", "echo 'say \"hi\"'");
        row("echo \"back\\\\slash\"", "echo(back\\slash)", "echo 'back\\slash'");
        row("echo \"keep\\n\"", "echo(keep\\n)", "echo 'keep\\n'");
        row("echo 'no $expansion here'", "echo(no $expansion here)", "echo 'no $expansion here'");
        row("echo a'b'\"c\"d", "echo(abcd)", "echo abcd");
        row("echo \\$HOME", "echo($HOME)", "echo '$HOME'");
        row("echo \\*", "echo(*)", "echo '*'");
        row("echo '*.txt'", "echo(*.txt)", "echo '*.txt'");
        row("grep -E 'a|b' f", "grep(-E,a|b,f)", "grep -E 'a|b' f");
        row("awk '{print $1}'", "awk({print $1})", "awk '{print $1}'");
        row("find . -name x -exec rm {} +", "find(.,-name,x,-exec,rm,{},+)", "find . -name x -exec rm '{}' +");
        row("printf '%s\\n' x", "printf(%s\\n,x)", "printf '%s\\n' x");
        row("echo a=b", "echo(a=b)", "echo a=b");
        row("echo é", "echo(é)", "echo 'é'");
        row("echo a\\\nb", "echo(ab)", "echo ab");
        row("'my prog' x", "my prog(x)", "'my prog' x");
        row("./run.sh --x=1", "./run.sh(--x=1)", "./run.sh --x=1");
        row("echo a#b", "echo(a#b)", "echo 'a#b'");
        row("echo {a,'}' {a,\\} {1..\"2}\"", "echo({a,},{a,},{1..2})", "echo '{a,}' '{a,}' '{1..2}'");
        // Environment assignments.
        row("LC_ALL=C sort", "LC_ALL=C sort()", "LC_ALL=C sort");
        row("A=1 B='x y' env", "A=1 B=x y env()", "A=1 B='x y' env");
        row("A= env", "A= env()", "A='' env");
        row("'A=1' env", "A=1(env)", "'A=1' env");
        // Programs named as the shell's reserved words.
        row("\\if x", "if(x)", "'if' x");
        row("'done'", "done()", "'done'");
        row("a | \\time b", "a() o>2 ; time(b)", "a | 'time' b");
        row("A=1 'while' x", "A=1 while(x)", "A=1 'while' x");
        row("echo if then fi", "echo(if,then,fi)", "echo if then fi");
        // Pipes.
        row("seq 1 10 | wc -l", "seq(1,10) o>2 ; wc(-l)", "seq 1 10 | wc -l");
        row("seq 1 10|wc -l", "seq(1,10) o>2 ; wc(-l)", "seq 1 10 | wc -l");
        row("a | b | c", "a() o>2 ; b() o>3 ; c()", "a | b | c");
        row("a | b | c | d | e | f | g | h | i | j", "a() o>2 ; b() o>3 ; c() o>4 ; d() o>5 ; e() o>6 ; f() o>7 ; g() o>8 ; h() o>9 ; i() o>10 ; j()",
            "a | b | c | d | e | f | g | h | i | j");
        row("echo 'a | b'", "echo(a | b)", "echo 'a | b'");
        row("seq 1 10 | grep 1 2>&1 | wc -l", "seq(1,10) o>2 ; grep(1) 2>&1 o>3 ; wc(-l)", "seq 1 10 | grep 1 2>&1 | wc -l");
        row("make |& tee log", "make() 2>&1 o>2 ; tee(log)", "make 2>&1 | tee log");
        row("make 2>&1 | tee log", "make() 2>&1 o>2 ; tee(log)", "make 2>&1 | tee log");
        row("a 2>&1 >/dev/null | b", "a() >/dev/null e>2 ; b()", "a 2>&1 >/dev/null | b");
        row("a 2>&1 >out | b", "a() >out e>2 ; b()", "a 2>&1 >out | b");
        row("a >out |& b", "a() >out 2>&1 ; b()", "a >out 2>&1 | b");
        row("a 2>err | b", "a() 2>err o>2 ; b()", "a 2>err | b");
        row("a >out | b", "a() >out ; b()", "a >out | b");
        // Redirections.
        row("sort <in", "sort() <in", "sort <in");
        row("sort < in", "sort() <in", "sort <in");
        row("sort 0<in", "sort() <in", "sort <in");
        row("sort <in >out", "sort() <in >out", "sort <in >out");
        row("echo x > out", "echo(x) >out", "echo x >out");
        row("echo x 1>out", "echo(x) >out", "echo x >out");
        row("echo x >|out", "echo(x) >out", "echo x >out");
        row("echo x >>log", "echo(x) >>log", "echo x >>log");
        row("echo x 1>>log", "echo(x) >>log", "echo x >>log");
        row("cc x.c 2>errors", "cc(x.c) 2>errors", "cc x.c 2>errors");
        row("cc x.c 2>>errors", "cc(x.c) 2>>errors", "cc x.c 2>>errors");
        row("cc x.c >out 2>&1", "cc(x.c) >out 2>&1", "cc x.c >out 2>&1");
        row("cc x.c &>all", "cc(x.c) >all 2>&1", "cc x.c >all 2>&1");
        row("cc x.c &>>all", "cc(x.c) >>all 2>&1", "cc x.c >>all 2>&1");
        row("cc x.c 2>&1", "cc(x.c) 2>&1", "cc x.c 2>&1");
        row("cc x.c >out 2>err", "cc(x.c) >out 2>err", "cc x.c >out 2>err");
        row("echo x >'my file'", "echo(x) >my file", "echo x >'my file'");
        row(">out echo x", "echo(x) >out", "echo x >out");
        row("echo >a x >b", "echo(x) >b", "echo x >b");
        row("a >- | 'b' while", "a() >- ; b(while)", "a >- | b while");
        row("a >2 | x while", "a() >2 ; x(while)", "a >2 | x while");
        row("tr a-z A-Z <in | sort -u >out", "tr(a-z,A-Z) <in o>2 ; sort(-u) >out", "tr a-z A-Z <in | sort -u >out");
        row("LC_ALL=C sort <in | uniq -c | sort -rn >top 2>/dev/null",
            "LC_ALL=C sort() <in o>2 ; uniq(-c) o>3 ; sort(-rn) >top 2>/dev/null",
            "LC_ALL=C sort <in | uniq -c | sort -rn >top 2>/dev/null");
    }
    void parse()
    {
        QFETCH(QString, line);
        QFETCH(QString, structure);
        QFETCH(QString, formatted);
        ShellLine::Error error;
        const std::optional<PipelineSpec> spec = ShellLine::parse(line, &error);
        QVERIFY2(spec, qPrintable(error.toString()));
        QCOMPARE(describe(*spec), structure);
        QVERIFY2(spec->problem().isEmpty(), qPrintable(spec->problem()));
        QString why;
        const std::optional<QString> back = ShellLine::format(*spec, &why);
        QVERIFY2(back, qPrintable(why));
        QCOMPARE(*back, formatted);
        // The formatted line means the same pipeline.
        const std::optional<PipelineSpec> again = ShellLine::parse(*back, &error);
        QVERIFY2(again, qPrintable(error.toString()));
        QCOMPARE(describe(*again), structure);
    }

    void parseErrors_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<int>("position");
        QTest::addColumn<QString>("message");
        auto row = [](const char *line, int position, const char *message) {
            QTest::newRow(line) << QString::fromUtf8(line) << position << QString::fromUtf8(message);
        };
        row("", 0, "no command");
        row("   ", 3, "no command");
        row("| wc", 0, "missing command before `|`");
        row("ls |", 4, "missing command after `|`");
        row("ls | | wc", 5, "missing command before `|`");
        row("echo 'open", 5, "unterminated single quote");
        row("echo \"open", 5, "unterminated double quote");
        row("echo x\\", 6, "a backslash at the end");
        row("echo x >", 8, "expected a file name after `>`");
        row("echo x > | wc", 9, "expected a file name after `>`");
        row("sort <", 6, "expected a file name after `<`");
        row("a | b <f", 6, "already reads the pipe");
        row("while true; do echo", 0, "`while` is not closed: expected `done`");
        row("if true; then echo a | cat", 0, "`if` is not closed: expected `fi`");
        row("echo $(ls", 5, "unterminated $(");
        row("echo ${HOME", 5, "unterminated ${");
        row("echo `ls", 5, "unterminated backquote");
        row("done", 0, "unexpected `done`");
        row("echo )", 5, "unexpected `)`");
        row("A=1", 0, "only assignments");
        row("echo x >$TWO_WORDS", 8, "ambiguous redirect");
        row(">out", 0, "no command");
        row("'' x", 0, "empty program name");
        row("echo >''", 6, "empty file name");
        row("echo a;; echo b", 6, "unexpected `;;` outside a case");
        row("echo a;& echo b", 6, "unexpected `;&` outside a case");
        row("x | if a; then b;; fi", 16, "unexpected `;;` outside a case");
        QTest::newRow("NUL") << QStringLiteral("echo a") + QChar(0) + QStringLiteral("b") << 6 << "NUL character";
        QTest::newRow("quoted NUL") << QStringLiteral("echo 'a") + QChar(0) + QStringLiteral("b'") << 7 << "NUL character";
    }
    void parseErrors()
    {
        QFETCH(QString, line);
        QFETCH(int, position);
        QFETCH(QString, message);
        ShellLine::Error error;
        QProcessEnvironment env;
        env.insert(QStringLiteral("TWO_WORDS"), QStringLiteral("a b"));
        QVERIFY(!ShellLine::parse(line, &error, {env, {}}));
        QVERIFY2(error.message.contains(message), qPrintable(error.message));
        QCOMPARE(error.position, position);
        QVERIFY(error.toString().startsWith(QStringLiteral("column %1: ").arg(position + 1)));
    }

    // What runs under /bin/sh -c, and what stays a stage of its own.
    void shellStages_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("structure");
        QTest::addColumn<QString>("note");
        auto row = [](const char *line, const char *structure, const char *note) {
            QTest::newRow(line) << QString::fromUtf8(line) << QString::fromUtf8(structure) << QString::fromUtf8(note);
        };
        row("seq 3 | while read x; do echo $x; done | tac", "seq(3) o>2 ; sh[while read x; do echo $x; done] o>3 ; tac()",
            "stage 2 runs under /bin/sh -c: `while`");
        row("cat $(ls) | wc -c", "sh[cat $(ls)] o>2 ; wc(-c)", "stage 1 runs under /bin/sh -c: column 5: `$(...)` (command substitution)");
        row("echo `date` | cat", "sh[echo `date`] o>2 ; cat()", "column 6: `...` (command substitution)");
        row("echo $((1+2)) | cat", "sh[echo $((1+2))] o>2 ; cat()", "`$((...))` (arithmetic)");
        row("echo \"$(date)\" | cat", "sh[echo \"$(date)\"] o>2 ; cat()", "command substitution");
        row("echo $? | cat", "sh[echo $?] o>2 ; cat()", "`$?` is the shell's own parameter");
        row("echo ${#HOME} | cat", "sh[echo ${#HOME}] o>2 ; cat()", "`${...}` of this form");
        row("echo {a,b} | cat", "sh[echo {a,b}] o>2 ; cat()", "brace expansion");
        row("echo x >&2 | cat", "sh[echo x >&2] o>2 ; cat()", "descriptor duplication");
        row("echo x 3>f", "sh[echo x 3>f]", "descriptor 3");
        row("diff <(a) b", "sh[diff <(a) b]", "process substitution");
        row("cat <<EOF", "sh[cat <<EOF]", "here-document");
        row("(cd /tmp && ls) | wc -l", "sh[(cd /tmp && ls)] o>2 ; wc(-l)", "`(` is the shell's own grammar");
        row("{ echo a; echo b; } | sort", "sh[{ echo a; echo b; }] o>2 ; sort()", "`{` is the shell's own grammar");
        row("if true; then echo a; fi | cat", "sh[if true; then echo a; fi] o>2 ; cat()", "`if`");
        row("for f in a b; do echo $f; done | sort -r", "sh[for f in a b; do echo $f; done] o>2 ; sort(-r)", "`for`");
        row("case x in x) echo hit;; esac | cat", "sh[case x in x) echo hit;; esac] o>2 ; cat()", "`case`");
        row("[[ a < b ]] | cat", "sh[[[ a < b ]]] o>2 ; cat()", "`[[`");
        row("make |& while read l; do echo \"> $l\"; done", "make() 2>&1 o>2 ; sh[while read l; do echo \"> $l\"; done]", "`while`");
        row("while true; do echo; done |& cat", "sh[while true; do echo; done] 2>&1 o>2 ; cat()", "`while`");
        row("echo x; echo y | tr a-z A-Z", "sh[echo x; echo y | tr a-z A-Z]", "column 7: `;` makes the line a list of commands, so the whole line runs under /bin/sh -c");
        row("false || echo a | tr a A", "sh[false || echo a | tr a A]", "column 7: `||`");
        row("a && b", "sh[a && b]", "`&&`");
        row("sleep 1 &", "sh[sleep 1 &]", "in the background");
        row("a\nb | c", "sh[a\nb | c]", "a newline");
        row("! false | true", "sh[! false | true]", "`!` applies to the whole pipeline");
        row("a |\n b", "a() o>2 ; b()", "");
        row("echo x # c", "echo(x)", "");
        row("echo x # c; d | e", "echo(x)", "");
        row("echo 'a;b' \"c|d\" e\\&f", "echo(a;b,c|d,e&f)", "");
    }
    void shellStages()
    {
        QFETCH(QString, line);
        QFETCH(QString, structure);
        QFETCH(QString, note);
        ShellLine::Error error;
        QStringList notes;
        const std::optional<PipelineSpec> spec = ShellLine::parse(line, &error, {}, &notes);
        QVERIFY2(spec, qPrintable(error.toString()));
        QCOMPARE(describe(*spec), structure);
        QVERIFY2(spec->problem().isEmpty(), qPrintable(spec->problem()));
        if (note.isEmpty())
            QCOMPARE(notes, QStringList());
        else
            QVERIFY2(notes.join(QLatin1Char('\n')).contains(note), qPrintable(notes.join(QLatin1Char('\n'))));
    }

    // Expansions that need no program, as bash does them: from the context's environment and
    // in the context's directory.
    void expansions_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("structure");
        QTest::addColumn<QString>("note"); // in what the preview says; empty: nothing said
        auto row = [](const char *line, const char *structure, const char *note = "") {
            QTest::newRow(line) << QString::fromUtf8(line) << QString::fromUtf8(structure) << QString::fromUtf8(note);
        };
        row("echo $HOME", "echo(/home/u)", "`$HOME` → \"/home/u\"");
        row("echo ${HOME}/x", "echo(/home/u/x)");
        row("echo ~ ~/x", "echo(/home/u,/home/u/x)", "`~` → /home/u");
        row("echo ~root", "echo(/root)");
        row("echo ~nosuchuser", "echo(~nosuchuser)");
        row("echo '~' \\~ x~", "echo(~,~,x~)");
        row("echo \"$X\"", "echo(a  b)");
        row("echo $X", "echo(a,b)");
        row("echo x$X", "echo(xa,b)");
        row("echo $SPACED.", "echo(a,.)");
        row("echo $UNSET y", "echo(y)", "`$UNSET` → nothing (not set)");
        row("echo \"$UNSET\" y", "echo(,y)");
        row("echo ${UNSET:-def} ${HOME:+set} ${EMPTY-e} ${EMPTY:-f} ${UNSET+g}", "echo(def,set,f)", "`${UNSET:-def}` → \"def\"");
        row("echo \"${UNSET:-two words}\" ${UNSET:-two words}", "echo(two words,two,words)");
        row("echo *.c", "echo(a.c,b.c)", "`*.c` → a.c b.c");
        row("echo .*.c", "echo(.h.c)");
        row("echo */*.c", "echo(sub/d.c)");
        row("echo sub/", "echo(sub/)");
        row("echo *.none", "echo(*.none)", "`*.none` matches nothing: kept as written");
        row("echo '*.c' \\*.c \"*\".c", "echo(*.c,*.c,*.c)");
        row("echo [ab].c ?.c", "echo(a.c,b.c,a.c,b.c)");
        row("echo $STAR", "echo(a.c,b.c)");
        row("echo \"$STAR\"", "echo(*.c)");
        row("A=$HOME/x env", "A=/home/u/x env()");
        row("A=~ B=$X env", "A=/home/u B=a  b env()");
        row("echo a=~/x", "echo(a=/home/u/x)");
        row("cat <$HOME/in >*.out", "cat() </home/u/in >*.out");
        row("echo $ a$ $/", "echo($,a$,$/)");
        row("echo a{}b {} {x}", "echo(a{}b,{},{x})");
        row("$EMPTY echo x", "echo(x)");
        row("ls *.c | wc -l", "ls(a.c,b.c) o>2 ; wc(-l)");
    }
    void expansions()
    {
        QFETCH(QString, line);
        QFETCH(QString, structure);
        QFETCH(QString, note);
        TemporaryDir dir;
        for (const char *name : {"a.c", "b.c", ".h.c", "sub/d.c"}) {
            QVERIFY(QDir(dir.path()).mkpath(QFileInfo(dir.filePath(QString::fromLatin1(name))).path()));
            QFile f(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        QProcessEnvironment env;
        env.insert(QStringLiteral("HOME"), QStringLiteral("/home/u"));
        env.insert(QStringLiteral("X"), QStringLiteral("a  b"));
        env.insert(QStringLiteral("SPACED"), QStringLiteral(" a "));
        env.insert(QStringLiteral("EMPTY"), QString());
        env.insert(QStringLiteral("STAR"), QStringLiteral("*.c"));
        ShellLine::Error error;
        QStringList notes;
        const std::optional<PipelineSpec> spec = ShellLine::parse(line, &error, {env, dir.path()}, &notes);
        QVERIFY2(spec, qPrintable(error.toString()));
        QCOMPARE(describe(*spec), structure);
        if (note.isEmpty())
            QVERIFY(!line.contains(QLatin1Char('\'')) || notes.isEmpty());
        else
            QVERIFY2(notes.contains(note), qPrintable(notes.join(QLatin1Char('\n'))));
    }

    // Files drawn as nodes read as redirections where one wire joins them; a fan-out to files
    // has no shell line without tee.
    void fileNodesAsRedirections()
    {
        StageSpec source;
        source.mode = StageSpec::Mode::ReadFile;
        source.stdinFile = QStringLiteral("in.txt");
        StageSpec sink;
        sink.mode = StageSpec::Mode::WriteFile;
        sink.stdoutFile = FileRedirect{QStringLiteral("out.txt"), true};
        PipelineSpec spec;
        spec.stages = {{1, source}, {2, stage(QStringLiteral("sort"))}, {3, stage(QStringLiteral("uniq"))}, {4, sink}};
        spec.edges = {Edge{{1, OutputStream::Stdout, 2}}, Edge{{2, OutputStream::Stdout, 3}}, Edge{{3, OutputStream::Stdout, 4}}};
        QString why;
        QCOMPARE(ShellLine::format(spec, &why).value_or(why), QStringLiteral("sort <in.txt | uniq >>out.txt"));
        StageSpec second = sink;
        second.stdoutFile = FileRedirect{QStringLiteral("copy.txt"), false};
        spec.stages.insert(5, second);
        spec.edges.append(Edge{{3, OutputStream::Stdout, 5}});
        QVERIFY(!ShellLine::format(spec, &why));
        QVERIFY2(why.contains(QStringLiteral("tee")), qPrintable(why));
    }

    void formatRefuses_data()
    {
        QTest::addColumn<PipelineSpec>("spec");
        QTest::addColumn<QString>("reason");

        PipelineSpec forked;
        StageSpec fork = stage(QStringLiteral("worker"));
        fork.mode = StageSpec::Mode::Fork;
        forked.stages.insert(1, fork);
        QTest::newRow("fork") << forked << "forked with a message channel";

        PipelineSpec cwd;
        StageSpec inDir = stage(QStringLiteral("ls"));
        inDir.cwd = QStringLiteral("/tmp");
        cwd.stages.insert(1, inDir);
        QTest::newRow("cwd") << cwd << "working directory";

        PipelineSpec timeout;
        StageSpec timed = stage(QStringLiteral("sleep"), {QStringLiteral("9")});
        timed.timeout = 100;
        timeout.stages.insert(1, timed);
        QTest::newRow("timeout") << timeout << "timeout";

        PipelineSpec fanOut;
        fanOut.stages.insert(1, stage(QStringLiteral("a")));
        fanOut.stages.insert(2, stage(QStringLiteral("b")));
        fanOut.stages.insert(3, stage(QStringLiteral("c")));
        fanOut.edges = {Edge{{1, OutputStream::Stdout, 2}}, Edge{{1, OutputStream::Stdout, 3}}};
        QTest::newRow("fan-out") << fanOut << "feeds a stage other than the next one";

        PipelineSpec fanIn = fanOut;
        fanIn.edges = {Edge{{1, OutputStream::Stdout, 3}}, Edge{{2, OutputStream::Stdout, 3}}};
        QTest::newRow("fan-in") << fanIn << "feeds a stage other than the next one";

        PipelineSpec stderrOnly;
        stderrOnly.stages.insert(1, stage(QStringLiteral("a")));
        stderrOnly.stages.insert(2, stage(QStringLiteral("b")));
        stderrOnly.edges = {Edge{{1, OutputStream::Stderr, 2}}};
        QTest::newRow("stderr only") << stderrOnly << "pipes only stderr";

        PipelineSpec unwired;
        unwired.stages.insert(1, stage(QStringLiteral("ls")));
        unwired.stages.insert(2, stage(QStringLiteral("wc")));
        QTest::newRow("two stages not wired") << unwired << "stage 1 (ls) is not wired to stage 2 (wc)";

        PipelineSpec loneFile;
        loneFile.stages.insert(1, stage(QStringLiteral("ls")));
        StageSpec sink;
        sink.mode = StageSpec::Mode::WriteFile;
        sink.stdoutFile = {QStringLiteral("out.txt"), false};
        loneFile.stages.insert(2, sink);
        QTest::newRow("a file wired to nothing") << loneFile << "the file out.txt is not wired to any stage";
        PipelineSpec teeLike = loneFile;
        teeLike.stages.insert(3, stage(QStringLiteral("wc")));
        teeLike.edges = {Edge{{1, OutputStream::Stdout, 2}}, Edge{{1, OutputStream::Stdout, 3}}};
        QTest::newRow("a file beside a reader") << teeLike << "ls's stdout goes to several places";

        QTest::newRow("empty") << PipelineSpec() << "no stages";
    }
    void formatRefuses()
    {
        QFETCH(PipelineSpec, spec);
        QFETCH(QString, reason);
        QString why;
        QVERIFY(!ShellLine::format(spec, &why));
        QVERIFY2(why.contains(reason), qPrintable(why));
    }

    void formatExecStage()
    {
        PipelineSpec spec;
        StageSpec exec;
        exec.mode = StageSpec::Mode::Exec;
        exec.command = QStringLiteral("ls | wc -l");
        spec.stages.insert(1, exec);
        QString why;
        QCOMPARE(ShellLine::format(spec, &why).value_or(why), QStringLiteral("sh -c 'ls | wc -l'"));
    }

    void quote_data()
    {
        QTest::addColumn<QString>("word");
        QTest::addColumn<QString>("quoted");
        QTest::newRow("plain") << "abc" << "abc";
        QTest::newRow("empty") << "" << "''";
        QTest::newRow("space") << "a b" << "'a b'";
        QTest::newRow("quote") << "a'b" << "'a'\\''b'";
        QTest::newRow("dollar") << "$x" << "'$x'";
        QTest::newRow("path") << "/usr/bin/x-y_z.1" << "/usr/bin/x-y_z.1";
        QTest::newRow("tilde") << "~x" << "'~x'";
        QTest::newRow("trailing newline") << "abc\n" << "'abc\n'";
        QTest::newRow("newline then command") << "abc\nid" << "'abc\nid'";
        QTest::newRow("hash") << "#x" << "'#x'";
        QTest::newRow("non-ASCII letter") << "caf\u00e9" << "'caf\u00e9'";
    }
    void quote()
    {
        QFETCH(QString, word);
        QFETCH(QString, quoted);
        QCOMPARE(ShellLine::quote(word), quoted);
    }

    // A glob matches names by their bytes, as bash does, and gives them whole: caf\xE9.txt
    // (Latin-1) is not turned into caf\uFFFD.txt, which names no file.
    void globsKeepNamesThatAreNotUtf8_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QList<QByteArray>>("args");
        const QList<QByteArray> both{"cafe.txt", "caf\xe9.txt"};
        QTest::newRow("?") << "cat caf?.txt" << both;
        QTest::newRow("*") << "cat c*" << both;
        QTest::newRow("in a directory so named") << "cat d*/*" << QList<QByteArray>{"d\xff/caf\xe9.txt"};
        QTest::newRow("typed byte, no glob") << QString(OsString::decode("cat caf\xe9.txt")) << QList<QByteArray>{"caf\xe9.txt"};
        QTest::newRow("typed byte in a glob") << QString(OsString::decode("cat *\xe9.txt")) << QList<QByteArray>{"caf\xe9.txt"};
    }
    void globsKeepNamesThatAreNotUtf8()
    {
        QFETCH(QString, line);
        QFETCH(QList<QByteArray>, args);
        TemporaryDir dir;
        const QByteArray root = dir.path().toUtf8();
        QVERIFY(::mkdir((root + "/d\xff").constData(), 0700) == 0);
        for (const QByteArray &name : {QByteArray("caf\xe9.txt"), QByteArray("cafe.txt"), QByteArray("d\xff/caf\xe9.txt")}) {
            FILE *f = std::fopen((root + '/' + name).constData(), "w");
            QVERIFY(f);
            std::fclose(f);
        }
        ShellLine::Error error;
        ShellLine::Context context;
        context.cwd = dir.path();
        const auto spec = ShellLine::parse(line, &error, context);
        QVERIFY2(spec, qPrintable(error.toString()));
        QList<QByteArray> got;
        for (const QString &a : spec->stages.first().args)
            got << OsString::encode(a);
        std::sort(got.begin(), got.end());
        QCOMPARE(got, args);
    }

    // An unquoted variable is split into words at blanks, whatever bytes its value holds.
    void splitsValuesThatAreNotUtf8()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("V"), OsString::decode(" a  caf\xe9.txt\td\xff "));
        ShellLine::Context context;
        context.env = env;
        context.cwd = QStringLiteral("/nonexistent");
        ShellLine::Error error;
        const auto spec = ShellLine::parse(QStringLiteral("cat $V"), &error, context);
        QVERIFY2(spec, qPrintable(error.toString()));
        QList<QByteArray> got;
        for (const QString &a : spec->stages.first().args)
            got << OsString::encode(a);
        QCOMPARE(got, (QList<QByteArray>{"a", "caf\xe9.txt", "d\xff"}));
    }

    // A name need not be UTF-8: quote() single-quotes its bytes (OsString's escapes) and sh
    // gets them back exactly, each byte 80..FF alone, between others and in runs, and random
    // byte words heavy in the shell's special characters.
    void quoteHoldsBytesUnderSh()
    {
        QList<QByteArray> names;
        for (int b = 0x80; b <= 0xff; ++b) {
            const QByteArray one(1, char(b));
            names << one << "a" + one << one + "'" << "caf" + one + ".txt" << one + one + one << "$(id)" + one;
        }
        names << QByteArray("\xc3\xa9\xe9") << QByteArray("\xed\xa0\x80") << QByteArray("\xc0\xaf") << QByteArray("\xf4\x90\x80\x80");
        const QByteArray special = "'\"\\$`!*?[]{}()<>|&;#~= \t\n\x01" "ab";
        const quint32 seed = QRandomGenerator::global()->generate();
        QRandomGenerator gen(seed);
        for (int n = 0; n < 2000; ++n) {
            QByteArray w;
            const int length = 1 + int(gen.bounded(12));
            for (int k = 0; k < length; ++k)
                w += gen.bounded(2) == 0 ? char(0x80 + gen.bounded(0x80)) : special[int(gen.bounded(special.size()))];
            names << w;
        }
        QByteArray script;
        for (const QByteArray &name : names)
            script += "set -- " + OsString::encode(ShellLine::quote(OsString::decode(name))) + "; printf '%s:%s\\0' \"$#\" \"$1\"\n";
        SyncOptions options;
        options.input = script;
        options.maxBuffer = 64 * 1024 * 1024;
        const SyncResult result = spawnSync(QStringLiteral("/bin/sh"), {QStringLiteral("-s")}, options);
        QCOMPARE(result.standardError, QByteArray());
        QCOMPARE(result.status, std::optional<int>(0));
        const QList<QByteArray> printed = result.standardOutput.split('\0');
        QCOMPARE(printed.size(), names.size() + 1);
        for (int n = 0; n < names.size(); ++n) {
            if (printed[n] != "1:" + names[n])
                QFAIL(qPrintable(QStringLiteral("seed %1: %2 came back as %3")
                                     .arg(seed)
                                     .arg(QString::fromLatin1(names[n].toHex()), QString::fromLatin1(printed[n].toHex()))));
        }
    }

    // For a terminal, a byte that is not UTF-8 is written as GNU ls writes it, $'\351', out of
    // the quotes it stood in.
    void forTerminal_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("shown");
        QTest::newRow("no such byte") << QStringLiteral("cat 'a b'") << QStringLiteral("cat 'a b'");
        QTest::newRow("quoted word") << ShellLine::quote(OsString::decode("caf\xe9.txt")) << QStringLiteral("'caf'$'\\351''.txt'");
        QTest::newRow("run of bytes") << OsString::decode("cat \xc3\xff\xfe") << QStringLiteral("cat $'\\303\\377\\376'");
        QTest::newRow("unquoted") << OsString::decode("cat caf\xe9.txt") << QStringLiteral("cat caf$'\\351'.txt");
        QTest::newRow("double quotes") << OsString::decode("cat \"caf\xe9 x\"") << QStringLiteral("cat \"caf\"$'\\351'\" x\"");
        QTest::newRow("backslash before it") << OsString::decode("cat caf\\\xe9") << QStringLiteral("cat caf$'\\351'");
        QTest::newRow("backslash before it, double quotes") << OsString::decode("cat \"caf\\\xe9\"") << QStringLiteral("cat \"caf\\\\\"$'\\351'\"\"");
        QTest::newRow("single quote in double quotes") << OsString::decode("echo \"it's\xe9\"") << QStringLiteral("echo \"it's\"$'\\351'\"\"");
        QTest::newRow("valid UTF-8 stays") << OsString::decode("cat caf\xc3\xa9") << QStringLiteral(u"cat café");
    }
    void forTerminal()
    {
        QFETCH(QString, line);
        QFETCH(QString, shown);
        QCOMPARE(ShellLine::forTerminal(line), shown);
        QVERIFY(!OsString::hasRawBytes(ShellLine::forTerminal(line)));
    }

    // What bash makes of a line for the terminal is what sh makes of the line itself.
    void forTerminalMeansTheSameToBash()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("bash")).isEmpty())
            QSKIP("no bash");
        QList<QByteArray> lines;
        for (int b = 0x80; b <= 0xff; ++b) {
            const QByteArray one(1, char(b));
            lines << "printf '%s|' " + one + "a \"" + one + "\\" + one + "\" '" + one + "b'" << "printf '%s|' \\" + one + one;
        }
        QByteArray script;
        QByteArray expected;
        for (const QByteArray &line : lines) {
            script += OsString::encode(ShellLine::forTerminal(OsString::decode(line))) + "; printf '\\0'\n";
            const SyncResult sh = spawnSync(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), OsString::decode(line)});
            expected += sh.standardOutput + '\0';
        }
        SyncOptions options;
        options.input = script;
        const SyncResult bash = spawnSync(QStringLiteral("bash"), {QStringLiteral("-s")}, options);
        QCOMPARE(bash.standardError, QByteArray());
        const QList<QByteArray> got = bash.standardOutput.split('\0');
        const QList<QByteArray> want = expected.split('\0');
        QCOMPARE(got.size(), want.size());
        for (int n = 0; n < got.size(); ++n) {
            if (got[n] != want[n])
                QFAIL(qPrintable(QStringLiteral("%1: bash %2, sh %3")
                                     .arg(QString::fromLatin1(lines[n].toHex()), QString::fromLatin1(got[n].toHex()), QString::fromLatin1(want[n].toHex()))));
        }
    }

    // What sh makes of quote(word) must be exactly one argument, equal to word: for every
    // character that can be in an argument, alone and between others, and for random words
    // heavy in the characters the shell treats specially.
    void quoteHoldsUnderSh()
    {
        QStringList words;
        for (char16_t c = 1; c <= 0xff; ++c) {
            const QString ch(QChar{c});
            words << ch << QStringLiteral("a") + ch << ch + QStringLiteral("a") << QStringLiteral("abc") + ch + QStringLiteral("id")
                  << ch + ch;
        }
        words << QStringLiteral("abc\n") << QStringLiteral("abc\n\n") << QStringLiteral("\nid") << QStringLiteral("'") << QStringLiteral("''")
              << QStringLiteral("'\\''") << QStringLiteral("$(id)") << QStringLiteral("`id`") << QStringLiteral("a\u4e2d\U0001F600");
        const QString special = QStringLiteral("'\"\\$`!*?[]{}()<>|&;#~= \t\n\r\x01\x7f\u00e9ab");
        auto *random = QRandomGenerator::global();
        const quint32 seed = random->generate();
        QRandomGenerator gen(seed);
        for (int n = 0; n < 3000; ++n) {
            QString w;
            const int length = 1 + int(gen.bounded(12));
            for (int k = 0; k < length; ++k)
                w += gen.bounded(4) == 0 ? QChar(char16_t(1 + gen.bounded(0xfe))) : special[int(gen.bounded(special.size()))];
            words << w;
        }

        // One sh for all words: each line sets the positional parameters from the quoted word
        // and prints their count and the first, NUL-terminated.
        QByteArray script;
        for (const QString &w : words)
            script += "set -- " + ShellLine::quote(w).toUtf8() + "; printf '%s:%s\\0' \"$#\" \"$1\"\n";
        SyncOptions options;
        options.input = script;
        options.maxBuffer = 64 * 1024 * 1024;
        const SyncResult result = spawnSync(QStringLiteral("/bin/sh"), {QStringLiteral("-s")}, options);
        QVERIFY2(!result.error, qPrintable(result.error ? result.error->message : QString()));
        QCOMPARE(result.standardError, QByteArray());
        QCOMPARE(result.status, std::optional<int>(0));
        const QList<QByteArray> printed = result.standardOutput.split('\0');
        QCOMPARE(printed.size(), words.size() + 1);
        for (int n = 0; n < words.size(); ++n) {
            const QByteArray expected = "1:" + words[n].toUtf8();
            if (printed[n] != expected)
                QFAIL(qPrintable(QStringLiteral("seed %1: quote(%2) = %3 gave %4")
                                     .arg(seed)
                                     .arg(QString::fromUtf8(QJsonDocument(QJsonArray{words[n]}).toJson(QJsonDocument::Compact)),
                                          ShellLine::quote(words[n]), QString::fromUtf8(printed[n]))));
        }
    }
};

QTEST_GUILESS_MAIN(tst_ShellLine)
#include "tst_shellline.moc"
