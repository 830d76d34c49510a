#include "mainwindow.h"

#include "appearance.h"
#include "findbar.h"
#include "outputbuffer.h"
#include "outputpane.h"
#include "processlistmodel.h"
#include "session.h"

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
#include <QStatusBar>
#include <QTreeView>

#include <csignal>
#include <memory>

namespace Spawnscope::Ui {

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Save Output..."), QKeySequence::Save, this, &MainWindow::saveOutput);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(tr("&Copy"), QKeySequence::Copy, this, [this] {
        auto *pane = qobject_cast<OutputPane *>(QApplication::focusWidget());
        (pane ? pane : m_merged)->copy();
    });
    edit->addAction(tr("&Find..."), QKeySequence::Find, this, [this] {
        m_find->setPane(visiblePane());
        m_find->show();
        m_find->input()->setFocus();
        m_find->input()->selectAll();
    });
    edit->addAction(tr("Find &Next"), QKeySequence::FindNext, this, [this] { m_find->findNext(); });
    edit->addAction(tr("Find &Previous"), QKeySequence::FindPrevious, this, [this] { m_find->findNext(true); });
    edit->addAction(tr("Filter &Processes"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), this, [this] { m_filter->setFocus(); });
    edit->addAction(tr("C&lear Output"), this, [this] {
        m_merged->clear();
        m_stdout->clear();
        m_stderr->clear();
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *side = view->addAction(tr("&Side by Side"), this, [this](bool on) { setSideBySide(on); });
    side->setCheckable(true);
    side->setObjectName(QStringLiteral("sideBySideAction"));
    QAction *wrap = view->addAction(tr("&Wrap Lines"), this, [this](bool on) {
        for (OutputPane *p : {m_merged, m_stdout, m_stderr})
            p->setLineWrapMode(on ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
    });
    wrap->setCheckable(true);
    QAction *stamps = view->addAction(tr("&Timestamps"), this, [this](bool on) {
        for (OutputPane *p : {m_merged, m_stdout, m_stderr})
            p->setTimestamps(on);
    });
    stamps->setCheckable(true);
    view->addAction(tr("Scroll&back..."), this, &MainWindow::chooseScrollback);
    QMenu *look = view->addMenu(tr("&Appearance"));
    auto *looks = new QActionGroup(look);
    for (const auto &[mode, label] : {std::pair{Appearance::Mode::System, tr("Follow the &System")},
                                      std::pair{Appearance::Mode::Light, tr("&Light")},
                                      std::pair{Appearance::Mode::Dark, tr("&Dark")}}) {
        QAction *a = look->addAction(label, this, [this, mode = mode] {
            Appearance::apply(mode);
            QSettings().setValue(QStringLiteral("view/appearance"), Appearance::name(mode));
        });
        a->setCheckable(true);
        a->setChecked(Appearance::mode() == mode);
        a->setObjectName(QStringLiteral("appearance-") + Appearance::name(mode));
        looks->addAction(a);
    }
    view->addSeparator();
    QAction *timeline = findChild<QDockWidget *>(QStringLiteral("timelineDock"))->toggleViewAction();
    timeline->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    view->addAction(timeline);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(tr("Launch &Options..."), QKeySequence(Qt::CTRL | Qt::Key_Comma), this, &MainWindow::editOptions);
    run->addAction(tr("Focus &Command Bar"), QKeySequence(Qt::CTRL | Qt::Key_L), this, [this] {
        m_command->setFocus();
        m_command->selectAll();
    });
    run->addAction(tr("&Run Again"), QKeySequence(Qt::CTRL | Qt::Key_R), this, [this] { runAgain(selectedProcess()); });
    QAction *stop = run->addAction(tr("&Stop"), this, [this] { m_session->signal(selectedProcess(), SIGTERM); });
    stop->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_K), QKeySequence(Qt::Key_Delete)});
    stop->setShortcutContext(Qt::WindowShortcut);
    run->addAction(tr("&Kill"), this, [this] { m_session->signal(selectedProcess(), SIGKILL); });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Spawnscope"), this, [this] {
        QMessageBox::about(this, tr("About Spawnscope"),
                           tr("<b>Spawnscope %1</b><p>Run, wire and watch child processes.</p><p>Session folder: %2</p>")
                               .arg(QApplication::applicationVersion(), m_session->folder()));
    });
}

void MainWindow::runAgain(int process)
{
    QString error;
    if (process && !m_session->launch(m_session->modeOf(process), m_session->lineOf(process), &error))
        statusBar()->showMessage(error, 5000);
}

void MainWindow::restart(int process)
{
    const ProcessInfo *info = m_session->model()->process(process);
    if (!info)
        return;
    if (!info->isLive()) {
        runAgain(process);
        return;
    }
    // Stopped as Stop does, started again once it has ended.
    auto waiting = std::make_shared<QMetaObject::Connection>();
    *waiting = connect(m_session, &Session::processChanged, this, [this, process, waiting](int changed) {
        const ProcessInfo *p = m_session->model()->process(changed);
        if (changed != process || !p || p->isLive())
            return;
        disconnect(*waiting);
        runAgain(process);
    });
    m_session->signal(process, SIGTERM);
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

void MainWindow::processMenu(const QPoint &at)
{
    const int id = m_view->indexAt(at).data(ProcessListModel::ProcessIdRole).toInt();
    if (!id)
        return;
    QMenu menu(this);
    const ProcessInfo *info = m_session->model()->process(id);
    QMenu *signals_ = menu.addMenu(tr("Send Signal"));
    for (int n = 1; n < 32; ++n) {
        const QString name = ProcessSignal::nameOf(n);
        if (!name.isEmpty())
            signals_->addAction(QStringLiteral("%1 (%2)").arg(name).arg(n), this, [this, id, n] { m_session->signal(id, n); });
    }
    signals_->setEnabled(info && info->isLive());
    menu.addAction(tr("Stop (SIGTERM)"), this, [this, id] { m_session->signal(id, SIGTERM); })->setEnabled(info && info->isLive());
    menu.addAction(tr("Kill (SIGKILL)"), this, [this, id] { m_session->signal(id, SIGKILL); })->setEnabled(info && info->isLive());
    menu.addSeparator();
    menu.addAction(tr("Restart"), this, [this, id] { restart(id); });
    menu.addAction(tr("Run Again"), this, [this, id] { runAgain(id); });
    menu.addAction(tr("Copy Command"), this, [info] { QApplication::clipboard()->setText(info->command); });
    menu.addAction(tr("Copy PID"), this, [info] { QApplication::clipboard()->setText(QString::number(info->pid)); })->setEnabled(info && info->pid > 0);
    menu.exec(m_view->viewport()->mapToGlobal(at));
}

} // namespace Spawnscope::Ui
