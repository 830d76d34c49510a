// MainWindow: many processes at once: a group's menu, the list's multiple selection, Fork N...
#include "mainwindow.h"

#include "commandbar.h"
#include "forkdialog.h"

#include <processlistmodel.h>

#include <jsliteral.h>
#include <session.h>

#include <childprocess.h>

#include <QInputDialog>
#include <QItemSelectionModel>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTreeView>

#include <csignal>

namespace Spawnscope::Ui {

QList<int> MainWindow::selectedProcesses() const
{
    QList<int> ids;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows()) {
        if (const int id = i.data(ProcessListModel::ProcessIdRole).toInt())
            ids << id;
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

int MainWindow::sendMessageTo(const QList<int> &processes, const QString &text, QString *error)
{
    JsLiteral::Error bad;
    const auto value = JsLiteral::parse(text, &bad);
    if (!value) {
        *error = tr("column %1: %2").arg(bad.position + 1).arg(bad.message);
        return -1;
    }
    int reached = 0;
    for (int id : processes)
        reached += m_session->sendMessage(id, *value) ? 1 : 0;
    return reached;
}

void MainWindow::askMessageFor(const QList<int> &processes)
{
    QString text = m_lastGroupMessage;
    QString why;
    for (;;) {
        bool ok = false;
        const QString label = why.isEmpty() ? tr("A message to %n child(ren), as JSON or a JavaScript literal ({n: 5}):", nullptr, int(processes.size()))
                                            : tr("Cannot send: %1\nFix the message, or Cancel:").arg(why);
        text = QInputDialog::getText(this, tr("Send Message"), label, QLineEdit::Normal, text, &ok);
        if (!ok)
            return;
        const int reached = sendMessageTo(processes, text, &why);
        if (reached >= 0) {
            m_lastGroupMessage = text;
            const int all = int(processes.size());
            statusBar()->showMessage(reached == all ? tr("Sent to all %1.").arg(all)
                                                    : tr("Sent to %1 of %2: the channels of the others are closed.").arg(reached).arg(all),
                                     6000);
            return;
        }
    }
}

void MainWindow::fillGroupMenu(QMenu *menu, int group)
{
    // The group's processes are looked up when an entry is chosen: a batch grows while the menu
    // is open, and children end.
    const ProcessGroup *g = m_session->group(group);
    if (!g)
        return;
    auto members = [this, group] {
        const ProcessGroup *g = m_session->group(group);
        return g ? g->processes : QList<int>{};
    };
    int live = 0;
    int connected = 0;
    for (int id : g->processes) {
        const ProcessInfo *p = m_session->process(id);
        live += p && p->isLive() ? 1 : 0;
        const ChildProcess *c = m_session->child(id);
        connected += c && c->connected() ? 1 : 0;
    }
    if (g->kind == GroupKind::Forks || connected > 0) {
        menu->addAction(tr("Send Message to All..."), this, [this, members] { askMessageFor(members()); })->setEnabled(connected > 0);
        menu->addAction(tr("Disconnect All"), this, [this, group] { m_session->disconnectGroup(group); })->setEnabled(connected > 0);
        menu->addSeparator();
    }
    QMenu *signals_ = menu->addMenu(tr("Send Signal to All"));
    for (int n = 1; n < 32; ++n) {
        const QString name = ProcessSignal::nameOf(n);
        if (!name.isEmpty())
            signals_->addAction(QStringLiteral("%1 (%2)").arg(name).arg(n), this, [this, group, n] { m_session->signalGroup(group, n); });
    }
    signals_->setEnabled(live > 0);
    menu->addAction(tr("Stop All (SIGTERM)"), this, [this, group] {
        if (!m_session->stopGroup(group))
            m_session->signalGroup(group, SIGTERM);
    })->setEnabled(live > 0);
    menu->addAction(tr("Kill All (SIGKILL)"), this, [this, group] { m_session->signalGroup(group, SIGKILL); })->setEnabled(live > 0);
}

void MainWindow::fillSelectionMenu(QMenu *menu, const QList<int> &processes)
{
    int live = 0;
    int connected = 0;
    for (int id : processes) {
        const ProcessInfo *p = m_session->process(id);
        live += p && p->isLive() ? 1 : 0;
        const ChildProcess *c = m_session->child(id);
        connected += c && c->connected() ? 1 : 0;
    }
    menu->addSection(tr("%n selected", nullptr, int(processes.size())));
    if (connected > 0) {
        menu->addAction(tr("Send Message to %n...", nullptr, connected), this, [this, processes] { askMessageFor(processes); });
        menu->addAction(tr("Disconnect %n", nullptr, connected), this, [this, processes] {
            for (int id : processes) {
                ChildProcess *c = m_session->child(id);
                if (c && c->connected())
                    c->disconnectChannel();
            }
        });
        menu->addSeparator();
    }
    QMenu *signals_ = menu->addMenu(tr("Send Signal"));
    for (int n = 1; n < 32; ++n) {
        const QString name = ProcessSignal::nameOf(n);
        if (!name.isEmpty())
            signals_->addAction(QStringLiteral("%1 (%2)").arg(name).arg(n), this, [this, processes, n] {
                for (int id : processes)
                    m_session->signal(id, n);
            });
    }
    signals_->setEnabled(live > 0);
    menu->addAction(tr("Stop %n (SIGTERM)", nullptr, live), this, [this, processes] {
        for (int id : processes)
            m_session->stop(id);
    })->setEnabled(live > 0);
    menu->addAction(tr("Kill %n (SIGKILL)", nullptr, live), this, [this, processes] {
        for (int id : processes)
            m_session->signal(id, SIGKILL);
    })->setEnabled(live > 0);
}

void MainWindow::processMenu(const QPoint &at)
{
    const QModelIndex index = m_view->indexAt(at);
    const int id = index.data(ProcessListModel::ProcessIdRole).toInt();
    const int group = index.data(ProcessListModel::GroupIdRole).toInt();
    QMenu menu(this);
    const QList<int> selected = selectedProcesses();
    if (id && selected.size() > 1 && selected.contains(id))
        fillSelectionMenu(&menu, selected);
    else if (id)
        fillProcessMenu(&menu, id);
    else if (group)
        fillGroupMenu(&menu, group);
    else
        return;
    menu.exec(m_view->viewport()->mapToGlobal(at));
}

void MainWindow::forkSeveral()
{
    const QString line = m_commandBar->mode() == LaunchMode::Fork ? commandLine()->text() : QString();
    ForkDialog dialog(line, m_options, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    const auto request = dialog.request(&error);
    if (!request || !m_session->launch(*request, &error)) {
        statusBar()->showMessage(tr("Cannot fork: %1").arg(error), 8000);
        return;
    }
    remember(dialog.moduleLine()->text().trimmed());
}

} // namespace Spawnscope::Ui
