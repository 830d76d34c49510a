#include "guicommand.h"

#include <launchmode.h>

#include <lessonpanel.h>
#include <mainwindow.h>
#include <osstring.h>
#include <pipelineeditor.h>
#include <session.h>
#include <shellline.h>

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QMessageBox>
#include <QScreen>
#include <QTimer>

#include <cstdio>
#include <memory>

int runGui(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("spawnscope"));
    QApplication::setOrganizationName(QStringLiteral("Spawnscope"));
    QApplication::setApplicationVersion(QStringLiteral(SPAWNSCOPE_VERSION));
    // The desktop matches the window to its menu entry (and its icon) by this name.
    QGuiApplication::setDesktopFileName(QStringLiteral("org.spawnscope.Spawnscope"));

    // As Qt left them once it took its own options, but every byte kept.
    QStringList args = Spawnscope::OsString::arguments(argc, argv).mid(1);
    if (!args.isEmpty() && args.first() == QLatin1String("gui"))
        args.removeFirst();
    QString screenshot;
    QString open;
    QString lessonStep;
    bool run = false;
    int quitAfter = -1;
    QStringList command;
    std::optional<Spawnscope::LaunchMode> mode;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--")) {
            command = args.mid(i + 1);
            break;
        }
        if (args[i] == QLatin1String("--screenshot") && i + 1 < args.size()) {
            screenshot = args[++i];
        } else if (args[i] == QLatin1String("--open") && i + 1 < args.size()) {
            open = args[++i];
        } else if (args[i] == QLatin1String("--lesson") && i + 1 < args.size()) {
            lessonStep = args[++i];
        } else if (args[i] == QLatin1String("--mode") && i + 1 < args.size()) {
            mode = Spawnscope::launchModeFromName(args[++i]);
            if (!mode || *mode == Spawnscope::LaunchMode::Pipeline) {
                std::fprintf(stderr, "spawnscope gui: --mode takes spawn, exec, execFile, fork or batch\n");
                return 2;
            }
        } else if (args[i] == QLatin1String("--run")) {
            run = true;
        } else if (args[i] == QLatin1String("--quit-after") && i + 1 < args.size()) {
            bool ok = false;
            quitAfter = args[++i].toInt(&ok);
            if (!ok || quitAfter < 0) {
                std::fprintf(stderr, "spawnscope gui: --quit-after takes milliseconds\n");
                return 2;
            }
        } else {
            std::fprintf(stderr, "spawnscope gui: unknown option %s\nusage: spawnscope gui [--open FILE.spawnscope.json | --lesson STEP] [--run] [--screenshot FILE --quit-after MS] [--mode MODE] [-- COMMAND...]\n",
                         qPrintable(args[i]));
            return 2;
        }
    }

    if (run && open.isEmpty() == lessonStep.isEmpty()) {
        std::fprintf(stderr, "spawnscope gui: --run needs --open FILE or --lesson STEP\n");
        return 2;
    }
    if (!screenshot.isEmpty() && quitAfter < 0) {
        std::fprintf(stderr, "spawnscope gui: --screenshot needs --quit-after MS\n");
        return 2;
    }

    Spawnscope::Ui::MainWindow window; // its size: as it was left, or most of the screen
    window.show();
    Spawnscope::Ui::PipelineEditor *editor = nullptr;
    if (!open.isEmpty()) {
        QString error;
        editor = window.openPipeline(open, &error);
        if (!editor) {
            std::fprintf(stderr, "spawnscope gui: cannot open %s: %s\n", qPrintable(open), qPrintable(error));
            return 1;
        }
        if (run && !editor->run(&error)) {
            // The window says why where the user looks; the terminal hears it too.
            std::fprintf(stderr, "spawnscope gui: cannot run %s: %s\n", qPrintable(open), qPrintable(error));
        }
    }
    if (!lessonStep.isEmpty()) {
        Spawnscope::Ui::LessonPanel *lessons = window.lessonPanel();
        window.lessonDock()->show();
        if (!lessons->showStep(lessonStep)) {
            std::fprintf(stderr, "spawnscope gui: no lesson step %s (spawnscope lesson --list lists them)\n", qPrintable(lessonStep));
            return 2;
        }
        QString error;
        if (run && !lessons->runStep(&error))
            std::fprintf(stderr, "spawnscope gui: cannot run %s: %s\n", qPrintable(lessonStep), qPrintable(error));
    }
    if (!command.isEmpty()) {
        QStringList quoted;
        for (const QString &word : command)
            quoted << Spawnscope::ShellLine::quote(word);
        if (mode)
            window.modeBox()->setCurrentText(Spawnscope::launchModeName(*mode));
        window.commandLine()->setText(quoted.join(QLatin1Char(' ')));
        window.runCommandBar();
    }
    if (quitAfter >= 0) {
        auto done = std::make_shared<bool>(false);
        auto finish = [&window, screenshot, done] {
            if (std::exchange(*done, true))
                return;
            if (!screenshot.isEmpty() && !window.grab().save(screenshot))
                std::fprintf(stderr, "spawnscope gui: cannot write %s\n", qPrintable(screenshot));
            // No question on the way out: what still runs is stopped as on a confirmed quit,
            // and unsaved pipelines are left as they are.
            window.setSaveQuestion([](Spawnscope::Ui::PipelineEditor *) { return QMessageBox::Discard; });
            window.session()->stopAll(500, [] { QApplication::exit(0); });
        };
        QTimer::singleShot(quitAfter, &window, finish);
        // A run's picture is taken once it has ended (and its last frame is drawn), if before MS.
        if (editor && editor->isRunning()) {
            QObject::connect(editor, &Spawnscope::Ui::PipelineEditor::runningChanged, &window, [&window, finish](bool running) {
                if (!running)
                    QTimer::singleShot(300, &window, finish);
            });
        }
    }
    return QApplication::exec();
}
