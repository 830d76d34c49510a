// MainWindow: the batch dashboard's dock, and the batch it follows.
#include "mainwindow.h"

#include <batchdashboard.h>
#include <processlistmodel.h>

#include <processgroup.h>
#include <session.h>

#include <QDockWidget>
#include <QTabWidget>
#include <QTreeView>

namespace Spawnscope::Ui {

void MainWindow::buildBatchDock()
{
    m_batch = new BatchDashboard(m_session);
    m_batchDock = new QDockWidget(tr("Batch"), this);
    m_batchDock->setObjectName(QStringLiteral("batchDock")); // saveState() needs it
    m_batchDock->setWidget(m_batch);
    addDockWidget(Qt::BottomDockWidgetArea, m_batchDock);
    tabifyDockWidget(m_timelineDock, m_batchDock);
    // Out of the way until there is a batch: other work keeps the timeline in front.
    m_batchDock->hide();
    m_timelineDock->raise();
    connect(m_session, &Session::groupAdded, this, [this](int group) {
        const ProcessGroup *g = m_session->group(group);
        if (!g || g->kind != GroupKind::Batch)
            return;
        m_batch->setGroup(group);
        m_batchDock->show();
        m_batchDock->raise();
    });
    connect(m_batch, &BatchDashboard::processActivated, this, [this](int process) {
        selectProcess(process);
        m_tabs->setCurrentWidget(m_outputTab);
    });
}

void MainWindow::followBatchOf(int process)
{
    const ProcessInfo *info = m_session->process(process);
    const int group = info ? info->group : m_view->currentIndex().data(ProcessListModel::GroupIdRole).toInt();
    const ProcessGroup *g = m_session->group(group);
    if (g && g->kind == GroupKind::Batch && g->id != m_batch->group()) {
        m_batch->setGroup(g->id);
        m_batchDock->show();
        m_batchDock->raise();
    }
    m_batch->setCurrentProcess(process);
}

} // namespace Spawnscope::Ui
