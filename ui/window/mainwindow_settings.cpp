// MainWindow: what it remembers between runs.
#include "mainwindow.h"

#include "appearance.h"

#include <session.h>

#include <QActionGroup>
#include <QDockWidget>
#include <QHeaderView>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStringListModel>
#include <QTreeView>

namespace Spawnscope::Ui {

namespace {
constexpr int HistorySize = 200;
}

void MainWindow::remember(const QString &line)
{
    m_history.removeAll(line);
    m_history.prepend(line);
    while (m_history.size() > HistorySize)
        m_history.removeLast();
    m_historyModel->setStringList(m_history);
    // Writing the settings file syncs it to disk: once for a burst of launches, not per launch.
    if (!m_saveLater.isActive())
        m_saveLater.start();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    // The look first, so that nothing is drawn twice.
    const auto look = Appearance::fromName(settings.value(QStringLiteral("view/appearance")).toString());
    Appearance::apply(look.value_or(Appearance::Mode::System));
    for (QAction *a : m_looks->actions())
        a->setChecked(a->data().toString() == Appearance::name(Appearance::mode()));
    // The first time, most of the screen: a pipeline beside the process list needs the room.
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        const QSize room = screen() ? screen()->availableSize() : QSize(1280, 800);
        resize(std::min(room.width() * 9 / 10, 1800), std::min(room.height() * 9 / 10, 1100));
    }
    m_firstShow = !restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_view->header()->restoreState(settings.value(QStringLiteral("window/columns")).toByteArray());
    setSideBySide(settings.value(QStringLiteral("view/sideBySide")).toBool());
    m_history = settings.value(QStringLiteral("commands/history")).toStringList();
    m_session->setScrollback(settings.value(QStringLiteral("view/scrollback"), Session::DefaultScrollback).toInt());
    m_historyModel->setStringList(m_history);
    // A first run opens on the lesson's start page; after that, where the user left it.
    if (!settings.contains(QStringLiteral("lessons/seen"))) {
        m_lessonDock->show();
        settings.setValue(QStringLiteral("lessons/seen"), true);
    }
    const double scale = settings.value(QStringLiteral("view/textScale"), 1.0).toDouble();
    if (!qFuzzyCompare(scale, 1.0))
        setTextScale(scale);
    else
        action(Action::TextReset)->setEnabled(false);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("window/columns"), m_view->header()->saveState());
    settings.setValue(QStringLiteral("view/sideBySide"), sideBySide());
    settings.setValue(QStringLiteral("commands/history"), m_history);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // A size saved on a bigger screen, or text scaled up before the first show, must not leave
    // the window wider or taller than the screen.
    if (screen()) {
        const QSize room = screen()->availableGeometry().size();
        if (width() > room.width() || height() > room.height())
            resize(size().boundedTo(room));
    }
    // Without a saved layout the timeline gets a third of the height; a dock's own size hint
    // would leave it a sliver, and more would starve a pipeline's canvas.
    if (std::exchange(m_firstShow, false)) {
        resizeDocks({m_timelineDock}, {height() / 3}, Qt::Vertical);
        if (m_lessonDock->isVisible())
            resizeDocks({m_lessonDock}, {std::max(420, width() * 3 / 10)}, Qt::Horizontal);
    }
}

} // namespace Spawnscope::Ui
