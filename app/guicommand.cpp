#include "guicommand.h"

#include <mainwindow.h>
#include <session.h>
#include <shellline.h>

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QScreen>
#include <QTimer>

#include <cstdio>

int runGui(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("spawnscope"));
    QApplication::setOrganizationName(QStringLiteral("Spawnscope"));
    QApplication::setApplicationVersion(QStringLiteral(SPAWNSCOPE_VERSION));

    QStringList args = QApplication::arguments().mid(1);
    if (!args.isEmpty() && args.first() == QLatin1String("gui"))
        args.removeFirst();
    QString screenshot;
    int quitAfter = -1;
    QStringList command;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--")) {
            command = args.mid(i + 1);
            break;
        }
        if (args[i] == QLatin1String("--screenshot") && i + 1 < args.size()) {
            screenshot = args[++i];
        } else if (args[i] == QLatin1String("--quit-after") && i + 1 < args.size()) {
            bool ok = false;
            quitAfter = args[++i].toInt(&ok);
            if (!ok || quitAfter < 0) {
                std::fprintf(stderr, "spawnscope gui: --quit-after takes milliseconds\n");
                return 2;
            }
        } else {
            std::fprintf(stderr, "spawnscope gui: unknown option %s\nusage: spawnscope gui [--screenshot FILE] [--quit-after MS] [-- COMMAND...]\n",
                         qPrintable(args[i]));
            return 2;
        }
    }

    Spawnscope::Ui::MainWindow window;
    window.resize(1280, 780);
    window.show();
    if (!command.isEmpty()) {
        QStringList quoted;
        for (const QString &word : command)
            quoted << Spawnscope::ShellLine::quote(word);
        window.commandLine()->setText(quoted.join(QLatin1Char(' ')));
        window.runCommandBar();
    }
    if (quitAfter >= 0) {
        QTimer::singleShot(quitAfter, &window, [&window, screenshot] {
            if (!screenshot.isEmpty() && !window.grab().save(screenshot))
                std::fprintf(stderr, "spawnscope gui: cannot write %s\n", qPrintable(screenshot));
            // No question on the way out: what still runs is stopped as on a confirmed quit.
            window.session()->stopAll(500, [] { QApplication::exit(0); });
        });
    }
    return QApplication::exec();
}
