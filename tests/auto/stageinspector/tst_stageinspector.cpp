#include <stageinspector.h>

#include <pipelinedocument.h>

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtTest>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

// seq → grep, grep's settings in the inspector.
struct Form
{
    PipelineDocument doc;
    QWidget window;
    StageInspector inspector{&doc, &window};
    QLineEdit elsewhere{&window}; // where the focus goes when an edit is finished

    Form()
    {
        auto *layout = new QVBoxLayout(&window);
        layout->addWidget(&inspector);
        layout->addWidget(&elsewhere);
        PipelineSpec spec;
        StageSpec seq;
        seq.program = QStringLiteral("seq");
        seq.args = {QStringLiteral("9")};
        StageSpec grep;
        grep.program = QStringLiteral("grep");
        grep.args = {QStringLiteral("7")};
        spec.stages.insert(1, seq);
        spec.stages.insert(2, grep);
        spec.edges = {Edge{EdgeId{1, OutputStream::Stdout, 2}}};
        doc.setSpec(spec);
        inspector.setStage(2);
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
    }
    StageSpec stage() const { return doc.spec().stages.value(2); }
    void type(QWidget *field, const QString &text)
    {
        field->setFocus();
        if (auto *line = qobject_cast<QLineEdit *>(field))
            line->selectAll();
        QTest::keyClicks(field, text);
    }
    void leave() { elsewhere.setFocus(); }
};

} // namespace

class tst_StageInspector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsTheStage();
    void typedProgramIsOneStep();
    void argumentsAsAList();
    void badEnvironmentLosesNothing();
    void kindTheWiresForbid();
    void followsUndo();
};

void tst_StageInspector::showsTheStage()
{
    Form f;
    QCOMPARE(f.inspector.programEdit()->text(), QStringLiteral("grep"));
    QCOMPARE(f.inspector.argumentList()->count(), 1);
    QCOMPARE(f.inspector.argumentList()->item(0)->text(), QStringLiteral("7"));
    QCOMPARE(f.inspector.quotedLabel()->text(), QStringLiteral("As a shell line: grep 7"));
    QVERIFY(f.inspector.problemText().isEmpty());
    f.inspector.setStage(0);
    QVERIFY(!f.inspector.isEnabled());
}

void tst_StageInspector::typedProgramIsOneStep()
{
    Form f;
    QSignalSpy applied(&f.inspector, &StageInspector::applied);
    f.type(f.inspector.programEdit(), QStringLiteral("egrep"));
    QCOMPARE(f.doc.undoStack()->count(), 0); // checked as typed, committed when finished
    QTest::keyClick(f.inspector.programEdit(), Qt::Key_Return);
    QCOMPARE(f.stage().program, QStringLiteral("egrep"));
    QCOMPARE(f.doc.undoStack()->count(), 1);
    QCOMPARE(f.doc.undoStack()->text(0), QStringLiteral("Edit grep"));
    QCOMPARE(applied.count(), 1);
    f.leave(); // nothing new: no second step
    QCOMPARE(f.doc.undoStack()->count(), 1);
    // An empty program is refused, as typed, and says so; the document keeps its own.
    f.type(f.inspector.programEdit(), QStringLiteral(" "));
    QTest::keyClick(f.inspector.programEdit(), Qt::Key_Backspace);
    f.leave();
    QCOMPARE(f.stage().program, QStringLiteral("egrep"));
    QVERIFY(f.inspector.problemText().startsWith(QStringLiteral("Program: ")));
}

void tst_StageInspector::argumentsAsAList()
{
    Form f;
    QListWidget *args = f.inspector.argumentList();
    args->item(0)->setText(QStringLiteral("a b"));
    QCOMPARE(f.stage().args, QStringList{QStringLiteral("a b")});
    QCOMPARE(f.inspector.quotedLabel()->text(), QStringLiteral("As a shell line: grep 'a b'"));
    auto *more = new QListWidgetItem(QStringLiteral("file.txt"));
    more->setFlags(more->flags() | Qt::ItemIsEditable);
    args->addItem(more); // a row added and filled is an edit like any other
    more->setText(QStringLiteral("file.txt "));
    QCOMPARE(f.stage().args, (QStringList{QStringLiteral("a b"), QStringLiteral("file.txt ")}));
    QCOMPARE(f.inspector.quotedLabel()->text(), QStringLiteral("As a shell line: grep 'a b' 'file.txt '"));
}

void tst_StageInspector::badEnvironmentLosesNothing()
{
    Form f;
    f.inspector.environmentEdit()->setFocus();
    QTest::keyClicks(f.inspector.environmentEdit(), QStringLiteral("LANG=C"));
    QTest::keyClick(f.inspector.environmentEdit(), Qt::Key_Return);
    QTest::keyClicks(f.inspector.environmentEdit(), QStringLiteral("no equals sign"));
    f.leave();
    QVERIFY(f.stage().env.isEmpty());
    QCOMPARE(f.doc.undoStack()->count(), 0);
    QVERIFY2(f.inspector.problemText().startsWith(QStringLiteral("Environment, line 2: NAME=value expected")), qPrintable(f.inspector.problemText()));
    QCOMPARE(f.inspector.environmentEdit()->toPlainText(), QStringLiteral("LANG=C\nno equals sign"));
    // Fixed, it goes in.
    f.inspector.environmentEdit()->setFocus();
    QTest::keyClick(f.inspector.environmentEdit(), Qt::Key_End, Qt::ControlModifier);
    for (int i = 0; i < 15; ++i)
        QTest::keyClick(f.inspector.environmentEdit(), Qt::Key_Backspace);
    f.leave();
    QCOMPARE(f.stage().env, (QMap<QString, QString>{{QStringLiteral("LANG"), QStringLiteral("C")}}));
    QVERIFY(f.inspector.problemText().isEmpty());
}

void tst_StageInspector::kindTheWiresForbid()
{
    // grep has a wire into it: it cannot become a file that is read.
    Form f;
    QComboBox *kind = f.inspector.kindBox();
    const int source = kind->findData(int(StageSpec::Mode::ReadFile));
    kind->setCurrentIndex(source);
    f.type(f.inspector.pathEdit(), QStringLiteral("/etc/hostname"));
    f.leave();
    QCOMPARE(f.stage().mode, StageSpec::Mode::Spawn);
    QCOMPARE(f.doc.undoStack()->count(), 0);
    QVERIFY(!f.inspector.problemText().isEmpty());
    QCOMPARE(f.inspector.problemText(), f.doc.spec().stageProblem(2, *f.inspector.formSpec(nullptr)));
    // A shell command is fine.
    kind->setCurrentIndex(kind->findData(int(StageSpec::Mode::Exec)));
    Q_EMIT kind->activated(kind->currentIndex());
    f.type(f.inspector.commandEdit(), QStringLiteral("grep 7 | tr 7 x"));
    f.leave();
    QCOMPARE(f.stage().mode, StageSpec::Mode::Exec);
    QCOMPARE(f.stage().command, QStringLiteral("grep 7 | tr 7 x"));
    QVERIFY(f.stage().program.isEmpty());
}

void tst_StageInspector::followsUndo()
{
    Form f;
    f.type(f.inspector.cwdEdit(), QStringLiteral("/tmp"));
    f.leave();
    QCOMPARE(f.stage().cwd, QStringLiteral("/tmp"));
    f.doc.undoStack()->undo();
    QCOMPARE(f.inspector.cwdEdit()->text(), QString());
    f.doc.undoStack()->redo();
    QCOMPARE(f.inspector.cwdEdit()->text(), QStringLiteral("/tmp"));
    QVERIFY(f.inspector.problemText().isEmpty());
    f.type(f.inspector.cwdEdit(), QStringLiteral("/no/such/dir"));
    QVERIFY(f.inspector.problemText().contains(QStringLiteral("/no/such/dir does not exist")));
}

QTEST_MAIN(tst_StageInspector)
#include "tst_stageinspector.moc"
