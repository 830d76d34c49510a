// Light, dark and the system's look: the palette set, and our own colours readable on each.
#include <appearance.h>
#include <colours.h>
#include <mainwindow.h>
#include <outputbuffer.h>
#include <outputpane.h>
#include <session.h>

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>

using namespace Spawnscope;
using namespace Spawnscope::Ui;

namespace {

double luminance(const QColor &c)
{
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

// WCAG's contrast ratio: 4.5 is enough for body text, 3 for large or bold text.
double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class tst_Appearance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }
    void cleanup() { Appearance::apply(Appearance::Mode::System); }

    void names_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("name");
        QTest::newRow("system") << int(Appearance::Mode::System) << QStringLiteral("system");
        QTest::newRow("light") << int(Appearance::Mode::Light) << QStringLiteral("light");
        QTest::newRow("dark") << int(Appearance::Mode::Dark) << QStringLiteral("dark");
    }
    void names()
    {
        QFETCH(int, mode);
        QFETCH(QString, name);
        QCOMPARE(Appearance::name(Appearance::Mode(mode)), name);
        QCOMPARE(Appearance::fromName(name), Appearance::Mode(mode));
        QVERIFY(!Appearance::fromName(name.toUpper()));
    }

    void paletteAndReadableColours_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << int(Appearance::Mode::Light) << false;
        QTest::newRow("dark") << int(Appearance::Mode::Dark) << true;
    }
    void paletteAndReadableColours()
    {
        QFETCH(int, mode);
        QFETCH(bool, dark);
        Appearance::apply(Appearance::Mode(mode));
        QCOMPARE(Appearance::mode(), Appearance::Mode(mode));
        const QPalette p = QApplication::palette();
        QCOMPARE(Colours::isDark(p), dark);
        QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
        QVERIFY(contrast(p.color(QPalette::Text), p.color(QPalette::Base)) >= 7);
        QVERIFY(contrast(p.color(QPalette::WindowText), p.color(QPalette::Window)) >= 7);
        QVERIFY2(contrast(Colours::errorColor(p), p.color(QPalette::Base)) >= 4.5, "stderr must read on the pane");
        QVERIFY(contrast(Colours::okColor(p), p.color(QPalette::Base)) >= 4.5);
        QVERIFY(contrast(p.color(QPalette::HighlightedText), p.color(QPalette::Highlight)) >= 4.5);
    }

    void systemGivesBackThePlatformLook()
    {
        const QString style = QApplication::style()->name();
        const QColor base = QApplication::palette().color(QPalette::Base);
        Appearance::apply(Appearance::Mode::Dark);
        QVERIFY(QApplication::palette().color(QPalette::Base) != base);
        Appearance::apply(Appearance::Mode::System);
        QCOMPARE(QApplication::style()->name(), style);
        QCOMPARE(QApplication::palette().color(QPalette::Base), base);
    }

    void systemFollowsADarkPlatform()
    {
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
        // Without Qt's colour scheme, a GTK theme named dark is what the platform says.
        qputenv("GTK_THEME", "Adwaita:dark");
        {
            MainWindow window; // no look saved: it follows the system
            QCOMPARE(Appearance::mode(), Appearance::Mode::System);
            QVERIFY(Colours::isDark(QApplication::palette()));
        }
        qunsetenv("GTK_THEME");
        Appearance::apply(Appearance::Mode::System);
        QVERIFY(!Colours::isDark(QApplication::palette()));
#else
        QSKIP("Qt 6.5+ asks the platform's colour scheme instead");
#endif
    }

    void theMenuSwitchesRemembersAndRecolours()
    {
        MainWindow window;
        window.show();
        OutputBuffer *buffer = nullptr;
        window.commandLine()->setText(QStringLiteral("%1 stderr oops").arg(QStringLiteral(TESTCHILD)));
        const int id = window.runCommandBar();
        buffer = window.session()->output(id);
        QTRY_COMPARE(window.mergedPane()->toPlainText(), QStringLiteral("oops"));
        auto stderrColour = [&] {
            QTextCursor c(window.mergedPane()->document()->firstBlock());
            c.movePosition(QTextCursor::Right);
            return c.charFormat().foreground().color();
        };
        QCOMPARE(stderrColour(), Colours::errorColor(QApplication::palette()));
        auto *dark = window.appearanceAction(int(Appearance::Mode::Dark));
        QVERIFY(dark);
        dark->trigger();
        QVERIFY(dark->isChecked());
        QVERIFY(Colours::isDark(QApplication::palette()));
        QCOMPARE(QSettings().value(QStringLiteral("view/appearance")).toString(), QStringLiteral("dark"));
        QTRY_COMPARE(stderrColour(), Colours::errorColor(Colours::darkPalette())); // shown again in the new colour
        QCOMPARE(window.mergedPane()->toPlainText(), QStringLiteral("oops"));
        Q_UNUSED(buffer);

        // A new window starts in the remembered look.
        Appearance::apply(Appearance::Mode::System);
        MainWindow second;
        QCOMPARE(Appearance::mode(), Appearance::Mode::Dark);
        QVERIFY(second.appearanceAction(int(Appearance::Mode::Dark))->isChecked());
        QSettings().remove(QStringLiteral("view/appearance"));
    }
};

QTEST_MAIN(tst_Appearance)
#include "tst_appearance.moc"
