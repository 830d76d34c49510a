#include <optionsdialog.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

class tst_OptionsDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void editsEveryOption()
    {
        QTemporaryDir dir;
        OptionsDialog dialog(LaunchOptions{});
        QVERIFY(dialog.options().isDefault());
        QCOMPARE(dialog.options().summary(), QString());
        QTest::keyClicks(dialog.cwdEdit(), dir.path());
        dialog.addEnvironmentRow(QStringLiteral("GREETING"), QStringLiteral("hello"));
        dialog.timeoutBox()->setValue(500);
        dialog.signalBox()->setCurrentIndex(dialog.signalBox()->findData(QStringLiteral("SIGKILL")));
        dialog.stdioBox(0)->setCurrentText(QStringLiteral("ignore"));
        QTest::keyClicks(dialog.execPathEdit(), QStringLiteral("/usr/bin/env"));
        QTest::keyClicks(dialog.execArgvEdit(), QStringLiteral("--a 'b c'"));
        const LaunchOptions o = dialog.options();
        QCOMPARE(o.cwd, dir.path());
        QCOMPARE(o.environment, (QList<std::pair<QString, QString>>{{QStringLiteral("GREETING"), QStringLiteral("hello")}}));
        QCOMPARE(o.timeoutMs, 500);
        QCOMPARE(o.killSignal.name(), QStringLiteral("SIGKILL"));
        QVERIFY(o.stdio[0] == StdioMode::Ignore);
        QCOMPARE(o.execPath, QStringLiteral("/usr/bin/env"));
        QCOMPARE(o.execArgv, (QStringList{QStringLiteral("--a"), QStringLiteral("b c")}));
        QCOMPARE(o.summary(), QStringLiteral("in %1, GREETING=hello, timeout 500 ms, kill with SIGKILL, stdio ignore,pipe,pipe, fork under /usr/bin/env, execArgv --a b c").arg(dir.path()));
        QVERIFY(dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
        if (const QString shots = qEnvironmentVariable("SPAWNSCOPE_SCREENSHOTS"); !shots.isEmpty()) {
            dialog.show();
            dialog.resize(640, 560);
            QTest::qWait(100);
            dialog.grab().save(shots + QStringLiteral("/options.png"));
        }

        QTest::mouseClick(dialog.buttons()->button(QDialogButtonBox::RestoreDefaults), Qt::LeftButton);
        QVERIFY(dialog.options().isDefault());
    }

    void problemsKeepOkDisabled_data()
    {
        QTest::addColumn<QString>("cwd");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("problem");
        QTest::addColumn<QString>("execArgv");
        QTest::newRow("missing cwd") << "/nonexistent/dir" << "" << "" << "The working directory /nonexistent/dir does not exist." << "";
        QTest::newRow("value without name") << "" << "" << "x" << "Row 1 of the environment has a value but no name." << "";
        QTest::newRow("= in name") << "" << "A=B" << "x" << "The variable name \"A=B\" may not contain '='." << "";
        QTest::newRow("execArgv quote") << "" << "" << "" << "execArgv: column 1: unterminated single quote" << "'a";
        QTest::newRow("execArgv pipe") << "" << "" << "" << "execArgv: only words, quoted as in a shell" << "a | b";
    }
    void problemsKeepOkDisabled()
    {
        QFETCH(QString, cwd);
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, problem);
        QFETCH(QString, execArgv);
        OptionsDialog dialog(LaunchOptions{});
        dialog.cwdEdit()->setText(cwd);
        dialog.execArgvEdit()->setText(execArgv);
        if (!name.isEmpty() || !value.isEmpty())
            dialog.addEnvironmentRow(name, value);
        QCOMPARE(dialog.problem(), problem);
        QVERIFY(!dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    }

    void startsFromGivenOptions()
    {
        LaunchOptions o;
        o.clearEnvironment = true;
        o.environment = {{QStringLiteral("A"), QStringLiteral("1")}};
        o.detached = true;
        o.maxBuffer = 4096 * 1024;
        OptionsDialog dialog(o);
        QCOMPARE(dialog.environmentTable()->rowCount(), 1);
        QVERIFY(dialog.options() == o);
    }
};

QTEST_MAIN(tst_OptionsDialog)
#include "tst_optionsdialog.moc"
