#include <pipeline.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <stages.h>

#include <QTest>

using namespace Spawnscope;

namespace {

PipelineSpec sample()
{
    PipelineSpec spec;
    spec.name = QStringLiteral("sample");
    StageSpec a = stage(QStringLiteral("seq"), {QStringLiteral("1"), QStringLiteral("10")});
    a.name = QStringLiteral("numbers");
    a.env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    a.timeout = 5000;
    a.killSignal = ProcessSignal(SIGKILL);
    a.cwd = QStringLiteral("/tmp");
    StageSpec b;
    b.mode = StageSpec::Mode::Exec;
    b.command = QStringLiteral("grep 1");
    b.stderrFile = FileRedirect{QStringLiteral("err.log"), true};
    StageSpec c = stage(QStringLiteral("wc"), {QStringLiteral("-l")});
    c.stdoutFile = FileRedirect{QStringLiteral("out.txt"), false};
    c.mergeStderr = true;
    StageSpec d = stage(QStringLiteral("worker.js"));
    d.mode = StageSpec::Mode::Fork;
    d.stdinFile = QStringLiteral("in.txt");
    spec.stages = {{1, a}, {2, b}, {3, c}, {5, d}};
    spec.edges = {Edge{{1, OutputStream::Stdout, 2}, true}, Edge{{2, OutputStream::Stdout, 3}, false},
                  Edge{{1, OutputStream::Stderr, 3}, false}};
    spec.policy = StatusPolicy::All;
    spec.pipeCapacity = 1 << 20;
    spec.layout = QJsonObject{{QStringLiteral("1"), QJsonObject{{QStringLiteral("x"), 10}, {QStringLiteral("y"), 20}}}};
    return spec;
}

} // namespace

class tst_Pipeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonRoundTrip()
    {
        const PipelineSpec spec = sample();
        QString error;
        const std::optional<PipelineSpec> back = PipelineSpec::fromJson(spec.toJson(), &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(*back == spec);
        QCOMPARE(back->layout, spec.layout);
        QCOMPARE(back->stageIds(), (QList<int>{1, 2, 3, 5}));
        QCOMPARE(back->nextStageId(), 6);
    }

    // What a newer version wrote, or another tool added, survives a load and a save.
    void unknownFieldsAreKept()
    {
        const QByteArray json = R"({"format":"spawnscope-pipeline","version":1,"author":"ana","future":{"x":[1,2]},
            "stages":[{"id":1,"program":"ls","colour":"teal"},{"id":2,"mode":"writeFile","stdout":{"file":"out.txt","append":true}}],
            "edges":[{"from":1,"to":2,"weight":3}]})";
        QString error;
        const auto spec = PipelineSpec::fromJson(json, &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->extra.value(QStringLiteral("author")).toString(), QStringLiteral("ana"));
        QCOMPARE(spec->stages[1].extra.value(QStringLiteral("colour")).toString(), QStringLiteral("teal"));
        QCOMPARE(spec->edges.first().extra.value(QStringLiteral("weight")).toInt(), 3);
        QCOMPARE(spec->stages[2].mode, StageSpec::Mode::WriteFile);
        QVERIFY(spec->stages[2].stdoutFile.append);
        const auto again = PipelineSpec::fromJson(spec->toJson(), &error);
        QVERIFY2(again, qPrintable(error));
        QVERIFY(*again == *spec);
        QVERIFY(spec->toJson().contains("\"future\""));
    }

    void fileNodesFollowTheirRules_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem");
        const QByteArray head = R"({"format":"spawnscope-pipeline","version":1,)";
        QTest::newRow("into a source") << head + R"("stages":[{"id":1,"program":"a"},{"id":2,"mode":"readFile","stdin":"f"}],"edges":[{"from":1,"to":2}]})" << "nothing goes into it";
        QTest::newRow("out of a sink") << head + R"("stages":[{"id":1,"mode":"writeFile","stdout":"f"},{"id":2,"program":"a"}],"edges":[{"from":1,"to":2}]})" << "nothing comes out of it";
        QTest::newRow("a source's stderr") << head + R"("stages":[{"id":1,"mode":"readFile","stdin":"f"},{"id":2,"program":"a"}],"edges":[{"from":1,"stream":"stderr","to":2}]})" << "it has no stderr";
        QTest::newRow("file to file") << head + R"("stages":[{"id":1,"mode":"readFile","stdin":"f"},{"id":2,"mode":"writeFile","stdout":"g"}],"edges":[{"from":1,"to":2}]})" << "runs nothing";
        QTest::newRow("a source without its file") << head + R"("stages":[{"id":1,"mode":"readFile"}]})" << "stages[0].stdin: missing";
    }
    void fileNodesFollowTheirRules()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        QString error;
        QVERIFY(!PipelineSpec::fromJson(json, &error));
        QVERIFY2(error.contains(problem), qPrintable(error));
    }

    void minimalDocument()
    {
        QString error;
        const auto spec = PipelineSpec::fromJson(R"({"format":"spawnscope-pipeline","version":1,
            "stages":[{"id":1,"program":"ls"}]})", &error);
        QVERIFY2(spec, qPrintable(error));
        QCOMPARE(spec->stages.size(), 1);
        QCOMPARE(spec->stages[1].mode, StageSpec::Mode::Spawn);
        QCOMPARE(spec->policy, StatusPolicy::Pipefail);
        QVERIFY(spec->edges.isEmpty());
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        const QByteArray head = R"({"format":"spawnscope-pipeline","version":1,)";
        QTest::newRow("syntax") << QByteArray("{\n  \"format\": \"spawnscope-pipeline\",\n  \"version\": 1,\n  \"stages\": [,]\n}")
                                << "line 4, column 15: illegal value";
        QTest::newRow("not object") << QByteArray("[]") << "not a JSON object";
        QTest::newRow("format") << QByteArray(R"({"version":1,"stages":[]})") << "format: expected \"spawnscope-pipeline\"";
        QTest::newRow("newer") << QByteArray(R"({"format":"spawnscope-pipeline","version":2,"stages":[]})") << "version: 2 is newer";
        QTest::newRow("version type") << QByteArray(R"({"format":"spawnscope-pipeline","version":"1","stages":[]})") << "version: expected a positive integer";
        QTest::newRow("policy") << head + R"("policy":"some","stages":[]})" << "policy: \"some\" is not one of";
        QTest::newRow("stages") << head + R"("stages":{}})" << "stages: expected an array";
        QTest::newRow("stage type") << head + R"("stages":[1]})" << "stages[0]: expected an object";
        QTest::newRow("id missing") << head + R"("stages":[{"program":"ls"}]})" << "stages[0].id: missing";
        QTest::newRow("id zero") << head + R"("stages":[{"id":0,"program":"ls"}]})" << "stages[0].id: expected a positive integer";
        QTest::newRow("id twice") << head + R"("stages":[{"id":1,"program":"ls"},{"id":1,"program":"ls"}]})" << "stages[1].id: 1 is used twice";
        QTest::newRow("mode") << head + R"("stages":[{"id":1,"mode":"run","program":"ls"}]})" << "stages[0].mode: \"run\" is not one of";
        QTest::newRow("program") << head + R"("stages":[{"id":1}]})" << "stages[0].program: missing";
        QTest::newRow("command") << head + R"("stages":[{"id":1,"mode":"exec"}]})" << "stages[0].command: missing";
        QTest::newRow("args") << head + R"("stages":[{"id":1,"program":"ls","args":"-l"}]})" << "stages[0].args: expected an array";
        QTest::newRow("arg") << head + R"("stages":[{"id":1,"program":"ls","args":["-l",2]}]})" << "stages[0].args[1]: expected a string";
        QTest::newRow("env") << head + R"("stages":[{"id":1,"program":"ls","env":{"A":1}}]})" << "stages[0].env.A: expected a string";
        QTest::newRow("timeout") << head + R"("stages":[{"id":1,"program":"ls","timeout":-1}]})" << "stages[0].timeout: expected an integer >= 0";
        QTest::newRow("NUL in program") << head + R"("stages":[{"id":1,"program":"ls\u0000x"}]})" << "stages[0].program: contains a NUL byte";
        QTest::newRow("NUL in arg") << head + R"("stages":[{"id":1,"program":"ls","args":["-l","a\u0000b"]}]})" << "stages[0].args[1]: contains a NUL byte";
        QTest::newRow("NUL in cwd") << head + R"("stages":[{"id":1,"program":"ls","cwd":"/tmp\u0000/x"}]})" << "stages[0].cwd: contains a NUL byte";
        QTest::newRow("NUL in env value") << head + R"("stages":[{"id":1,"program":"ls","env":{"A":"1\u00002"}}]})" << "stages[0].env.A: contains a NUL byte";
        QTest::newRow("NUL in env name") << head + R"("stages":[{"id":1,"program":"ls","env":{"A\u0000B":"1"}}]})" << "stages[0].env: contains a NUL byte";
        QTest::newRow("NUL in command") << head + R"("stages":[{"id":1,"mode":"exec","command":"ls\u0000 -l"}]})" << "stages[0].command: contains a NUL byte";
        QTest::newRow("NUL in stdout") << head + R"("stages":[{"id":1,"program":"ls","stdout":"out\u0000.txt"}]})" << "stages[0].stdout: contains a NUL byte";
        QTest::newRow("NUL in stderr") << head + R"("stages":[{"id":1,"program":"ls","stderr":"err\u0000.txt"}]})" << "stages[0].stderr: contains a NUL byte";
        QTest::newRow("NUL in a file node") << head + R"("stages":[{"id":1,"mode":"writeFile","stdout":"f\u0000"}]})" << "stages[0].stdout: contains a NUL byte";
        QTest::newRow("signal 0") << head + R"("stages":[{"id":1,"program":"ls","killSignal":0}]})" << "stages[0].killSignal: not a signal";
        QTest::newRow("real-time signal") << head + R"("stages":[{"id":1,"program":"ls","killSignal":34}]})" << "stages[0].killSignal: not a signal";
        QTest::newRow("signal 64") << head + R"("stages":[{"id":1,"program":"ls","killSignal":64}]})" << "stages[0].killSignal: not a signal";
        QTest::newRow("signal") << head + R"("stages":[{"id":1,"program":"ls","killSignal":"SIGNOPE"}]})" << "stages[0].killSignal: not a signal";
        QTest::newRow("stdout") << head + R"("stages":[{"id":1,"program":"ls","stdout":{"append":true}}]})" << "stages[0].stdout.file: missing";
        QTest::newRow("append") << head + R"("stages":[{"id":1,"program":"ls","stdout":{"file":"x","append":1}}]})" << "stages[0].stdout.append: expected true or false";
        QTest::newRow("sameAs") << head + R"("stages":[{"id":1,"program":"ls","stderr":{"sameAs":"stdin"}}]})" << "stages[0].stderr.sameAs";
        QTest::newRow("edge stage") << head + R"("stages":[{"id":1,"program":"ls"}],"edges":[{"from":1,"to":2}]})" << "edges[0]: no stage 2";
        QTest::newRow("edge stream") << head + R"("stages":[{"id":1,"program":"ls"},{"id":2,"program":"wc"}],"edges":[{"from":1,"to":2,"stream":"stdin"}]})" << "edges[0].stream";
        QTest::newRow("edge self") << head + R"("stages":[{"id":1,"program":"ls"}],"edges":[{"from":1,"to":1}]})" << "cannot feed itself";
        QTest::newRow("edge twice") << head + R"("stages":[{"id":1,"program":"ls"},{"id":2,"program":"wc"}],"edges":[{"from":1,"to":2},{"from":1,"to":2}]})" << "edges[1]: stage 1's stdout already feeds stage 2";
        QTest::newRow("cycle") << head + R"("stages":[{"id":1,"program":"a"},{"id":2,"program":"b"}],"edges":[{"from":1,"to":2},{"from":2,"to":1}]})" << "edges[1]: connecting stage 2 to stage 1 would make a cycle";
        QTest::newRow("edge into file reader") << head + R"("stages":[{"id":1,"program":"a"},{"id":2,"program":"b","stdin":"f"}],"edges":[{"from":1,"to":2}]})" << "stage 2 reads f";
        QTest::newRow("layout") << head + R"("stages":[],"layout":[]})" << "layout: expected an object";
        QTest::newRow("pipe capacity") << head + R"("pipeCapacity":0,"stages":[]})" << "pipeCapacity: expected a positive integer";
        QTest::newRow("version missing") << QByteArray(R"({"format":"spawnscope-pipeline","stages":[]})") << "version: missing";
        QTest::newRow("huge id") << head + R"("stages":[{"id":3e81,"program":"ls"}]})" << "stages[0].id: expected a positive integer";
        QTest::newRow("huge negative timeout") << head + R"("stages":[{"id":1,"program":"ls","timeout":-3e81}]})" << "stages[0].timeout: expected an integer >= 0";
        QTest::newRow("cycle of three") << head + R"("stages":[{"id":1,"program":"a"},{"id":2,"program":"b"},{"id":3,"program":"c"}],"edges":[{"from":1,"to":2},{"from":2,"to":3},{"from":3,"to":1}]})" << "edges[2]: connecting stage 3 to stage 1 would make a cycle";
    }
    void malformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!PipelineSpec::fromJson(json, &why));
        QVERIFY2(why.contains(error), qPrintable(why));

        // A model keeps what it had and says nothing.
        Pipeline pipeline;
        pipeline.setSpec(sample());
        QSignalSpy reset(&pipeline, &Pipeline::reset);
        QVERIFY(!pipeline.load(json, &why));
        QVERIFY(pipeline.spec() == sample());
        QCOMPARE(reset.count(), 0);
    }

    void editing()
    {
        Pipeline pipeline;
        QSignalSpy added(&pipeline, &Pipeline::stageAdded);
        QSignalSpy changed(&pipeline, &Pipeline::stageChanged);
        QSignalSpy removed(&pipeline, &Pipeline::stageRemoved);
        QSignalSpy edgeAdded(&pipeline, &Pipeline::edgeAdded);
        QSignalSpy edgeChanged(&pipeline, &Pipeline::edgeChanged);
        QSignalSpy edgeRemoved(&pipeline, &Pipeline::edgeRemoved);
        QSignalSpy properties(&pipeline, &Pipeline::propertiesChanged);

        const int a = pipeline.addStage(stage(QStringLiteral("seq")));
        const int b = pipeline.addStage(stage(QStringLiteral("grep")));
        const int c = pipeline.addStage(stage(QStringLiteral("wc")));
        QCOMPARE(added.count(), 3);
        QCOMPARE(QList<int>({a, b, c}), (QList<int>{1, 2, 3}));

        QVERIFY(pipeline.addEdge({a, OutputStream::Stdout, b}));
        QVERIFY(pipeline.addEdge({b, OutputStream::Stdout, c}));
        QVERIFY(pipeline.addEdge({a, OutputStream::Stderr, c}));
        QCOMPARE(edgeAdded.count(), 3);
        QCOMPARE(edgeAdded.at(0).at(0).value<EdgeId>(), (EdgeId{a, OutputStream::Stdout, b}));

        QString why;
        QVERIFY(!pipeline.addEdge({a, OutputStream::Stdout, b}, &why));
        QVERIFY(why.contains(QStringLiteral("already feeds")));
        QVERIFY(!pipeline.addEdge({c, OutputStream::Stdout, a}, &why));
        QVERIFY(why.contains(QStringLiteral("cycle")));
        QVERIFY(!pipeline.addEdge({a, OutputStream::Stdout, 9}, &why));
        QVERIFY(why.contains(QStringLiteral("no stage 9")));
        QCOMPARE(edgeAdded.count(), 3);

        StageSpec grep = stage(QStringLiteral("grep"), {QStringLiteral("1")});
        QVERIFY(pipeline.setStage(b, grep));
        QVERIFY(!pipeline.setStage(b, grep)); // no change, no signal
        QVERIFY(!pipeline.setStage(42, grep));
        QCOMPARE(changed.count(), 1);

        QVERIFY(pipeline.setEdgeTapped({a, OutputStream::Stdout, b}, true));
        QVERIFY(!pipeline.setEdgeTapped({a, OutputStream::Stdout, b}, true));
        QCOMPARE(edgeChanged.count(), 1);
        QVERIFY(pipeline.spec().edge({a, OutputStream::Stdout, b})->tapped);

        // Removing a stage takes its edges, each announced before the stage goes.
        QList<QString> order;
        connect(&pipeline, &Pipeline::edgeRemoved, this, [&](const EdgeId &e) { order << QStringLiteral("edge %1>%2").arg(e.from).arg(e.to); });
        connect(&pipeline, &Pipeline::stageRemoved, this, [&](int id) { order << QStringLiteral("stage %1").arg(id); });
        QVERIFY(pipeline.removeStage(a));
        QCOMPARE(order, (QList<QString>{QStringLiteral("edge 1>2"), QStringLiteral("edge 1>3"), QStringLiteral("stage 1")}));
        QCOMPARE(pipeline.spec().edges.size(), 1);
        QVERIFY(!pipeline.removeStage(a));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(edgeRemoved.count(), 2);
        QVERIFY(!pipeline.removeEdge({a, OutputStream::Stdout, b}));

        // A removed id is not handed out again while larger ids exist.
        QCOMPARE(pipeline.addStage(stage(QStringLiteral("cat"))), 4);
        // Nor when it was the largest: an undo may still put that stage back.
        QVERIFY(pipeline.removeStage(4));
        QCOMPARE(pipeline.addStage(stage(QStringLiteral("tac"))), 5);

        pipeline.setPolicy(StatusPolicy::Last);
        pipeline.setPolicy(StatusPolicy::Last);
        pipeline.setName(QStringLiteral("x"));
        pipeline.setLayout(QJsonObject{{QStringLiteral("zoom"), 2}});
        QCOMPARE(properties.count(), 3);
    }

    void stagesKeepTheirIds()
    {
        Pipeline pipeline;
        const int a = pipeline.addStage(stage(QStringLiteral("a")));
        const int b = pipeline.addStage(stage(QStringLiteral("b")));
        QVERIFY(pipeline.addEdge({a, OutputStream::Stdout, b}));
        QJsonObject layout{{QString::number(a), QJsonObject{{QStringLiteral("x"), 1}}},
                           {QString::number(b), QJsonObject{{QStringLiteral("x"), 2}}}};
        pipeline.setLayout(layout);
        QSignalSpy added(&pipeline, &Pipeline::stageAdded);

        // The layout entry goes with its stage: a new stage must not inherit the old position.
        QVERIFY(pipeline.removeStage(b));
        QVERIFY(!pipeline.spec().layout.contains(QString::number(b)));
        QVERIFY(pipeline.spec().layout.contains(QString::number(a)));

        // Undo puts it back under its id.
        QString why;
        QVERIFY(!pipeline.insertStage(a, stage(QStringLiteral("x")), &why));
        QVERIFY(why.contains(QStringLiteral("exists")));
        QVERIFY(!pipeline.insertStage(0, stage(QStringLiteral("x")), &why));
        QCOMPARE(added.count(), 0);
        QVERIFY(pipeline.insertStage(b, stage(QStringLiteral("b")), &why));
        QCOMPARE(added.count(), 1);
        QCOMPARE(added.at(0).at(0).toInt(), b);
        QVERIFY(pipeline.addEdge({a, OutputStream::Stdout, b}));
        QVERIFY(pipeline.insertStage(7, stage(QStringLiteral("c"))));
        QCOMPARE(pipeline.addStage(stage(QStringLiteral("d"))), 8);
    }

    void setStageKeepsWiresValid_data()
    {
        QTest::addColumn<int>("stageId");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("reason"); // empty: accepted
        QTest::newRow("stdin file on a fed stage") << 2 << "stdin" << "fed by a wire";
        QTest::newRow("stdin file on the first stage") << 1 << "stdin" << "";
        QTest::newRow("stdout file where stdout is wired") << 1 << "stdout" << "stdout feeds a wire";
        QTest::newRow("stdout file on the last stage") << 2 << "stdout" << "";
        QTest::newRow("stderr file where stderr is wired") << 1 << "stderr" << "stderr feeds a wire";
        QTest::newRow("2>&1 where stderr is wired") << 1 << "merge" << "follow stdout";
        QTest::newRow("stderr file on the last stage") << 2 << "stderr" << "";
    }
    void setStageKeepsWiresValid()
    {
        QFETCH(int, stageId);
        QFETCH(QString, field);
        QFETCH(QString, reason);
        Pipeline pipeline;
        pipeline.addStage(stage(QStringLiteral("a")));
        pipeline.addStage(stage(QStringLiteral("b")));
        QVERIFY(pipeline.addEdge({1, OutputStream::Stdout, 2}));
        QVERIFY(pipeline.addEdge({1, OutputStream::Stderr, 2}));
        const PipelineSpec before = pipeline.spec();
        QSignalSpy changed(&pipeline, &Pipeline::stageChanged);
        StageSpec s = pipeline.spec().stages[stageId];
        if (field == QLatin1String("stdin"))
            s.stdinFile = QStringLiteral("in.txt");
        else if (field == QLatin1String("stdout"))
            s.stdoutFile.path = QStringLiteral("out.txt");
        else if (field == QLatin1String("stderr"))
            s.stderrFile.path = QStringLiteral("err.txt");
        else
            s.mergeStderr = true;
        QString why;
        QCOMPARE(pipeline.setStage(stageId, s, &why), reason.isEmpty());
        if (reason.isEmpty()) {
            QCOMPARE(changed.count(), 1);
            QVERIFY(pipeline.spec().problem().isEmpty());
        } else {
            QVERIFY2(why.contains(reason), qPrintable(why));
            QCOMPARE(changed.count(), 0);
            QVERIFY(pipeline.spec() == before);
        }
    }

    void longChainsCheckInLinearTime()
    {
        // 20,000 stages in a chain: a check that walked the graph per edge would not end.
        PipelineSpec spec;
        const int n = 20000;
        for (int i = 1; i <= n; ++i)
            spec.stages.insert(i, stage(QStringLiteral("cat")));
        for (int i = 1; i < n; ++i)
            spec.edges.append(Edge{{i, OutputStream::Stdout, i + 1}, false});
        QCOMPARE(spec.problem(), QString());
        QString error;
        QVERIFY2(PipelineSpec::fromJson(spec.toJson(), &error), qPrintable(error));
        spec.edges.append(Edge{{n, OutputStream::Stdout, 1}, false});
        int at = -1;
        QCOMPARE(spec.edgesProblem(&at), QStringLiteral("connecting stage %1 to stage 1 would make a cycle").arg(n));
        QCOMPARE(at, n - 1);
        spec.edges.append(Edge{{1, OutputStream::Stdout, 2}, false});
        QVERIFY(spec.edgesProblem(&at).contains(QStringLiteral("already feeds")));
        QCOMPARE(at, n);
    }

    void fileEdgesConflict()
    {
        Pipeline pipeline;
        StageSpec toFile = stage(QStringLiteral("a"));
        toFile.stdoutFile.path = QStringLiteral("out");
        StageSpec merged = stage(QStringLiteral("b"));
        merged.mergeStderr = true;
        const int a = pipeline.addStage(toFile);
        const int b = pipeline.addStage(merged);
        const int c = pipeline.addStage(stage(QStringLiteral("c")));
        QString why;
        QVERIFY(!pipeline.addEdge({a, OutputStream::Stdout, c}, &why));
        QVERIFY(why.contains(QStringLiteral("already goes to out")));
        QVERIFY(!pipeline.addEdge({b, OutputStream::Stderr, c}, &why));
        QVERIFY(why.contains(QStringLiteral("2>&1")));
        QVERIFY(pipeline.addEdge({b, OutputStream::Stdout, c}));
    }

    void saveAndLoadFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.spawnscope.json"));
        Pipeline pipeline;
        pipeline.setSpec(sample());
        QString error;
        QVERIFY2(pipeline.saveFile(path, &error), qPrintable(error));
        Pipeline loaded;
        QSignalSpy reset(&loaded, &Pipeline::reset);
        QVERIFY2(loaded.loadFile(path, &error), qPrintable(error));
        QCOMPARE(reset.count(), 1);
        QVERIFY(loaded.spec() == sample());
        QVERIFY(!loaded.loadFile(dir.filePath(QStringLiteral("missing.json")), &error));
        QVERIFY(error.contains(QStringLiteral("missing.json")));
    }

    void problems_data()
    {
        QTest::addColumn<PipelineSpec>("spec");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << PipelineSpec() << "no stages";
        PipelineSpec noProgram;
        noProgram.stages.insert(1, StageSpec());
        QTest::newRow("no program") << noProgram << "stage 1 has no program";
        PipelineSpec noCommand;
        StageSpec exec;
        exec.mode = StageSpec::Mode::Exec;
        noCommand.stages.insert(1, exec);
        QTest::newRow("no command") << noCommand << "stage 1 has no command";
        QTest::newRow("fine") << sample() << "";
    }
    void problems()
    {
        QFETCH(PipelineSpec, spec);
        QFETCH(QString, problem);
        QVERIFY2(problem.isEmpty() ? spec.problem().isEmpty() : spec.problem().contains(problem), qPrintable(spec.problem()));
    }
};

QTEST_GUILESS_MAIN(tst_Pipeline)
#include "tst_pipeline.moc"
