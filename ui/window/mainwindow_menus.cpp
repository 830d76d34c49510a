// MainWindow: its named actions, the menus that show them, and the process context menu.
#include "mainwindow.h"

#include "appearance.h"
#include "commandbar.h"

#include <findbar.h>
#include <pipelineeditor.h>
#include <outputpane.h>
#include <processlistmodel.h>

#include <session.h>

#include <processsignal.h>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSettings>
#include <QShortcut>
#include <QStatusBar>
#include <QTreeView>
#include <QUndoGroup>

#include <csignal>
#include <memory>

namespace Spawnscope::Ui {

QAction *MainWindow::addAction(Action which, const QString &text, const QKeySequence &shortcut)
{
    auto *a = new QAction(text, this);
    if (!shortcut.isEmpty())
        a->setShortcut(shortcut);
    m_actions.insert(which, a);
    return a;
}

void MainWindow::buildActions()
{
    connect(addAction(Action::SaveOutput, tr("Save &Output..."), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S)), &QAction::triggered, this,
            &MainWindow::saveOutput);
    connect(addAction(Action::Quit, tr("&Quit"), QKeySequence::Quit), &QAction::triggered, this, &QWidget::close);

    // Whatever undo stack is active (the builder's) answers Edit > Undo and Redo.
    QAction *undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    m_actions.insert(Action::Undo, undo);
    QAction *redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(Qt::CTRL | Qt::Key_Y)))
        redoKeys << QKeySequence(Qt::CTRL | Qt::Key_Y);
    redo->setShortcuts(redoKeys);
    m_actions.insert(Action::Redo, redo);
    connect(addAction(Action::Copy, tr("&Copy"), QKeySequence::Copy), &QAction::triggered, this, [this] {
        // The canvas copies its selection; elsewhere the pane with the focus (or in front) its text.
        if (PipelineEditor *editor = currentEditor(); editor && editor->canvasHasFocus()) {
            editor->copySelection();
            return;
        }
        auto *pane = qobject_cast<OutputPane *>(QApplication::focusWidget());
        (pane ? pane : visiblePane())->copy();
    });
    connect(addAction(Action::Find, tr("&Find..."), QKeySequence::Find), &QAction::triggered, this, [this] {
        m_find->setPane(visiblePane());
        m_find->show();
        m_find->input()->setFocus();
        m_find->input()->selectAll();
    });
    connect(addAction(Action::FindNext, tr("Find &Next"), QKeySequence::FindNext), &QAction::triggered, this, [this] { m_find->findNext(); });
    connect(addAction(Action::FindPrevious, tr("Find &Previous"), QKeySequence::FindPrevious), &QAction::triggered, this,
            [this] { m_find->findNext(true); });
    connect(addAction(Action::FilterProcesses, tr("Filter &Processes"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F)), &QAction::triggered,
            this, [this] { m_filter->setFocus(); });
    connect(addAction(Action::ClearOutput, tr("C&lear Output")), &QAction::triggered, this, [this] {
        for (OutputPane *p : {m_merged, m_stdout, m_stderr})
            p->clear();
    });

    QAction *side = addAction(Action::SideBySide, tr("&Side by Side"));
    side->setCheckable(true);
    connect(side, &QAction::toggled, this, [this](bool on) { setSideBySide(on); });
    QAction *wrap = addAction(Action::WrapLines, tr("&Wrap Lines"));
    wrap->setCheckable(true);
    connect(wrap, &QAction::toggled, this, [this](bool on) {
        for (OutputPane *p : {m_merged, m_stdout, m_stderr})
            p->setLineWrapMode(on ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
    });
    QAction *stamps = addAction(Action::Timestamps, tr("&Timestamps"));
    stamps->setCheckable(true);
    connect(stamps, &QAction::toggled, this, [this](bool on) {
        for (OutputPane *p : {m_merged, m_stdout, m_stderr})
            p->setTimestamps(on);
    });
    connect(addAction(Action::Scrollback, tr("Scroll&back...")), &QAction::triggered, this, &MainWindow::chooseScrollback);
    QAction *timeline = m_timelineDock->toggleViewAction();
    timeline->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_actions.insert(Action::ShowTimeline, timeline);
    m_actions.insert(Action::ShowBatchDashboard, m_batchDock->toggleViewAction());

    connect(addAction(Action::LaunchOptions, tr("Launch &Options..."), QKeySequence(Qt::CTRL | Qt::Key_Comma)), &QAction::triggered, this,
            &MainWindow::editOptions);
    connect(addAction(Action::FocusCommandBar, tr("Focus &Command Bar"), QKeySequence(Qt::Key_F6)), &QAction::triggered, this, [this] {
        commandLine()->setFocus();
        commandLine()->selectAll();
    });
    connect(addAction(Action::ForkSeveral, tr("&Fork Several...")), &QAction::triggered, this, &MainWindow::forkSeveral);
    connect(addAction(Action::RunAgain, tr("Run &Again"), QKeySequence(Qt::CTRL | Qt::Key_R)), &QAction::triggered, this,
            [this] { runAgain(selectedProcess()); });
    connect(addAction(Action::Restart, tr("Re&start")), &QAction::triggered, this, [this] { restart(selectedProcess()); });
    QAction *stop = addAction(Action::Stop, tr("&Stop (SIGTERM)"), QKeySequence(Qt::CTRL | Qt::Key_K));
    connect(stop, &QAction::triggered, this, [this] { m_session->stop(selectedProcess()); });
    // Delete stops the selected process only where the list has the focus: elsewhere it edits.
    auto *deleteStops = new QShortcut(QKeySequence(Qt::Key_Delete), m_view, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(deleteStops, &QShortcut::activated, stop, &QAction::trigger);
    connect(addAction(Action::Continue, tr("C&ontinue (SIGCONT)")), &QAction::triggered, this, [this] { m_session->resume(selectedProcess()); });
    connect(addAction(Action::Kill, tr("&Kill (SIGKILL)")), &QAction::triggered, this, [this] { m_session->signal(selectedProcess(), SIGKILL); });

    connect(addAction(Action::About, tr("&About Spawnscope")), &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Spawnscope"),
                           tr("<b>Spawnscope %1</b><p>Run, wire and watch child processes.</p><p>Session folder: %2</p>")
                               .arg(QApplication::applicationVersion(), m_session->folder()));
    });
    for (QAction *a : std::as_const(m_actions))
        QWidget::addAction(a); // shortcuts work wherever the focus is in the window
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(action(Action::NewPipeline));
    file->addAction(action(Action::OpenPipeline));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addAction(action(Action::SavePipeline));
    file->addAction(action(Action::SavePipelineAs));
    file->addAction(action(Action::ClosePipeline));
    file->addSeparator();
    file->addAction(action(Action::OpenLesson));
    file->addSeparator();
    file->addAction(action(Action::SaveOutput));
    file->addSeparator();
    file->addAction(action(Action::Quit));

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(action(Action::Undo));
    edit->addAction(action(Action::Redo));
    edit->addSeparator();
    QAction *copy = action(Action::Copy);
    edit->addAction(copy);
    // The pipeline in front adds its own edits after Copy (their keys act on its canvas).
    connect(edit, &QMenu::aboutToShow, this, [this, edit, copy] {
        // An editor closed since takes its actions with it (and out of the menu): the guarded
        // pointers of those are null by now.
        for (const QPointer<QAction> &a : std::as_const(m_canvasEdits)) {
            if (a)
                edit->removeAction(a);
        }
        m_canvasEdits.clear();
        QList<QAction *> edits;
        if (PipelineEditor *e = currentEditor()) {
            using A = PipelineEditor::Action;
            for (A which : {A::Cut, A::Paste, A::Duplicate, A::Delete, A::SelectAll}) {
                edits << e->action(which);
                m_canvasEdits << e->action(which);
            }
        }
        const QList<QAction *> all = edit->actions();
        QAction *after = all.value(all.indexOf(copy) + 1);
        edit->insertActions(after, edits);
    });
    edit->addAction(action(Action::Find));
    edit->addAction(action(Action::FindNext));
    edit->addAction(action(Action::FindPrevious));
    edit->addAction(action(Action::FilterProcesses));
    edit->addAction(action(Action::ClearOutput));

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(action(Action::SideBySide));
    view->addAction(action(Action::WrapLines));
    view->addAction(action(Action::Timestamps));
    view->addAction(action(Action::Scrollback));
    QMenu *look = view->addMenu(tr("&Appearance"));
    m_looks = new QActionGroup(look);
    for (const auto &[mode, label] : {std::pair{Appearance::Mode::System, tr("Follow the &System")},
                                      std::pair{Appearance::Mode::Light, tr("&Light")},
                                      std::pair{Appearance::Mode::Dark, tr("&Dark")}}) {
        QAction *a = look->addAction(label, this, [mode = mode] {
            Appearance::apply(mode);
            QSettings().setValue(QStringLiteral("view/appearance"), Appearance::name(mode));
        });
        a->setCheckable(true);
        a->setChecked(Appearance::mode() == mode);
        a->setData(Appearance::name(mode));
        m_looks->addAction(a);
    }
    view->addSeparator();
    view->addAction(action(Action::TextBigger));
    view->addAction(action(Action::TextSmaller));
    view->addAction(action(Action::TextReset));
    view->addSeparator();
    view->addAction(action(Action::ShowTimeline));
    view->addAction(action(Action::ShowBatchDashboard));

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(action(Action::LaunchOptions));
    run->addAction(action(Action::FocusCommandBar));
    run->addAction(action(Action::ForkSeveral));
    run->addSeparator();
    run->addAction(action(Action::RunAgain));
    run->addAction(action(Action::Restart));
    run->addAction(action(Action::Stop));
    run->addAction(action(Action::Continue));
    run->addAction(action(Action::Kill));

    m_pipelineMenu = menuBar()->addMenu(tr("&Pipeline"));
    connect(m_pipelineMenu, &QMenu::aboutToShow, this, &MainWindow::fillPipelineMenu);
    fillPipelineMenu();

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(action(Action::Lessons));
    help->addSeparator();
    help->addAction(action(Action::About));
}

QAction *MainWindow::appearanceAction(int mode) const
{
    for (QAction *a : m_looks->actions()) {
        if (a->data().toString() == Appearance::name(Appearance::Mode(mode)))
            return a;
    }
    return nullptr;
}

void MainWindow::runAgain(int process)
{
    QString error;
    if (process && !m_session->runAgain(process, &error))
        statusBar()->showMessage(tr("Cannot run again: %1").arg(error), 8000);
}

void MainWindow::restart(int process)
{
    const ProcessInfo *info = m_session->process(process);
    if (!info)
        return;
    if (!info->isLive()) {
        runAgain(process);
        return;
    }
    // Stopped as Stop does, started again once it has ended.
    auto waiting = std::make_shared<QMetaObject::Connection>();
    *waiting = connect(m_session, &Session::processChanged, this, [this, process, waiting](int changed) {
        const ProcessInfo *p = m_session->process(changed);
        if (changed != process || !p || p->isLive())
            return;
        disconnect(*waiting);
        runAgain(process);
    });
    m_session->stop(process);
}

void MainWindow::chooseScrollback()
{
    bool ok = false;
    const int lines = QInputDialog::getInt(this, tr("Scrollback"), tr("Lines kept in memory per process, for processes started from now on\n(the complete output is always in the session folder):"),
                                           m_session->scrollback(), 1000, 10000000, 10000, &ok);
    if (!ok)
        return;
    m_session->setScrollback(lines);
    QSettings().setValue(QStringLiteral("view/scrollback"), lines);
}

void MainWindow::fillProcessMenu(QMenu *menu, int id)
{
    // Everything here looks the process up again when chosen: it may have changed, or its
    // group grown, while the menu was open.
    const ProcessInfo *info = m_session->process(id);
    const bool live = info && info->isLive();
    QMenu *signals_ = menu->addMenu(tr("Send Signal"));
    for (int n = 1; n < 32; ++n) {
        const QString name = ProcessSignal::nameOf(n);
        if (!name.isEmpty())
            signals_->addAction(QStringLiteral("%1 (%2)").arg(name).arg(n), this, [this, id, n] { m_session->signal(id, n); });
    }
    signals_->setEnabled(live);
    menu->addAction(tr("Stop (SIGTERM)"), this, [this, id] { m_session->stop(id); })->setEnabled(live);
    if (info && info->state == ProcessInfo::State::Stopped)
        menu->addAction(tr("Continue (SIGCONT)"), this, [this, id] { m_session->resume(id); });
    menu->addAction(tr("Kill (SIGKILL)"), this, [this, id] { m_session->signal(id, SIGKILL); })->setEnabled(live);
    menu->addSeparator();
    menu->addAction(tr("Restart"), this, [this, id] { restart(id); });
    menu->addAction(tr("Run Again"), this, [this, id] { runAgain(id); });
    menu->addAction(tr("Copy Command"), this, [this, id] {
        if (const ProcessInfo *p = m_session->process(id))
            QApplication::clipboard()->setText(p->command);
    });
    menu->addAction(tr("Copy PID"), this, [this, id] {
        if (const ProcessInfo *p = m_session->process(id))
            QApplication::clipboard()->setText(QString::number(p->pid));
    })->setEnabled(info && info->pid > 0);
}

} // namespace Spawnscope::Ui
