// MainWindow: pipelines as documents in the left side's tabs (new, open, save, close, recent
// files, a file dropped on the window) and the menu of the one in front.
#include "mainwindow.h"

#include <pipelineeditor.h>
#include <builderview.h>

#include <pipelinedocument.h>
#include <session.h>

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>
#include <QUndoGroup>
#include <QUndoStack>

namespace Spawnscope::Ui {

namespace {

constexpr int RecentSize = 10;
const QString kRecent = QStringLiteral("pipelines/recent");
const QString kSuffix = QStringLiteral(".spawnscope.json");

bool isPipelineFile(const QString &path)
{
    return path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
}

} // namespace

void MainWindow::buildPipelineActions()
{
    connect(addAction(Action::NewPipeline, tr("&New Pipeline"), QKeySequence::New), &QAction::triggered, this, [this] { newPipeline(); });
    connect(addAction(Action::OpenPipeline, tr("&Open Pipeline..."), QKeySequence::Open), &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Pipeline"), QString(), tr("Pipelines (*.spawnscope.json *.json);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !openPipeline(path, &error))
            QMessageBox::warning(this, tr("Open Pipeline"), tr("Could not open %1:\n%2\n\nNothing was changed.").arg(QFileInfo(path).fileName(), error));
    });
    connect(addAction(Action::SavePipeline, tr("&Save Pipeline"), QKeySequence::Save), &QAction::triggered, this, [this] {
        QString error;
        if (PipelineEditor *e = currentEditor(); e && !savePipeline(e, true, &error) && !error.isEmpty())
            QMessageBox::warning(this, tr("Save Pipeline"), error);
    });
    connect(addAction(Action::SavePipelineAs, tr("Save Pipeline &As..."), QKeySequence::SaveAs), &QAction::triggered, this, [this] {
        PipelineEditor *e = currentEditor();
        if (!e)
            return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Save Pipeline As"), e->document()->path().isEmpty() ? QStringLiteral("pipeline") + kSuffix : e->document()->path(),
                                                          tr("Pipelines (*.spawnscope.json)"));
        QString error;
        if (!path.isEmpty() && !savePipelineAs(e, path, &error))
            QMessageBox::warning(this, tr("Save Pipeline"), error);
    });
    connect(addAction(Action::ClosePipeline, tr("&Close Pipeline"), QKeySequence::Close), &QAction::triggered, this, [this] {
        if (PipelineEditor *e = currentEditor())
            closePipeline(e);
    });
    connect(addAction(Action::RunPipeline, tr("&Run Pipeline"), QKeySequence(Qt::Key_F5)), &QAction::triggered, this, [this] {
        if (PipelineEditor *e = currentEditor())
            e->run();
    });
    connect(addAction(Action::StopPipeline, tr("S&top Pipeline"), QKeySequence(Qt::SHIFT | Qt::Key_F5)), &QAction::triggered, this, [this] {
        if (PipelineEditor *e = currentEditor())
            e->stop();
    });
    for (Action a : {Action::NewPipeline, Action::OpenPipeline, Action::SavePipeline, Action::SavePipelineAs, Action::ClosePipeline, Action::RunPipeline,
                     Action::StopPipeline})
        QWidget::addAction(m_actions.value(a));
}

QList<PipelineEditor *> MainWindow::pipelineEditors() const
{
    QList<PipelineEditor *> out;
    for (int i = 0; i < m_workspace->count(); ++i) {
        if (auto *e = qobject_cast<PipelineEditor *>(m_workspace->widget(i)))
            out << e;
    }
    return out;
}

PipelineEditor *MainWindow::currentEditor() const
{
    return qobject_cast<PipelineEditor *>(m_workspace->currentWidget());
}

PipelineEditor *MainWindow::newPipeline()
{
    auto *editor = new PipelineEditor(m_session);
    // Two unsaved pipelines must be told apart, in their tabs and in the question on closing.
    if (++m_untitledCount > 1)
        editor->document()->setUntitledName(tr("Untitled %1").arg(m_untitledCount));
    const int index = m_workspace->addTab(editor, editor->title());
    m_undoGroup->addStack(editor->document()->undoStack());
    connect(editor, &PipelineEditor::titleChanged, this, [this, editor](const QString &title) {
        m_workspace->setTabText(m_workspace->indexOf(editor), title);
        m_workspace->setTabToolTip(m_workspace->indexOf(editor), editor->document()->path());
        updateTitle();
    });
    connect(editor, &PipelineEditor::processSelected, this, [this](int process) {
        if (!process) {
            m_view->setCurrentIndex({}); // a node that has not run: no output to show
            return;
        }
        selectProcess(process);
        m_tabs->setCurrentWidget(m_outputTab);
    });
    connect(editor, &PipelineEditor::openRequested, this, [this](const QString &path) {
        QString error;
        if (!openPipeline(path, &error))
            statusBar()->showMessage(tr("Could not open %1: %2").arg(QFileInfo(path).fileName(), error), 10000);
    });
    connect(editor, &PipelineEditor::runningChanged, this, [this, editor] {
        if (editor == currentEditor())
            workspaceChanged();
    });
    m_workspace->setCurrentIndex(index);
    editor->view()->setFocus();
    return editor;
}

PipelineEditor *MainWindow::openPipeline(const QString &path, QString *error)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    for (PipelineEditor *e : pipelineEditors()) {
        if (e->document()->path() == absolute) {
            m_workspace->setCurrentWidget(e);
            return e;
        }
    }
    // Read first: a bad file opens no tab and changes nothing.
    PipelineDocument probe;
    if (!probe.load(path, error))
        return nullptr;
    PipelineEditor *target = currentEditor();
    const bool reuse = target && target->document()->path().isEmpty() && !target->document()->isModified()
                    && target->document()->spec().stages.isEmpty() && !target->isRunning();
    if (!reuse)
        target = newPipeline();
    if (!target->load(path, error)) {
        if (!reuse)
            closePipeline(target);
        return nullptr;
    }
    m_workspace->setCurrentWidget(target);
    rememberPipeline(absolute);
    updateTitle();
    return target;
}

bool MainWindow::savePipeline(PipelineEditor *editor, bool askPath, QString *error)
{
    if (!editor->document()->path().isEmpty())
        return savePipelineAs(editor, editor->document()->path(), error);
    if (!askPath) {
        *error = tr("it has no file yet");
        return false;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Pipeline"), QStringLiteral("pipeline") + kSuffix, tr("Pipelines (*.spawnscope.json)"));
    if (path.isEmpty()) {
        error->clear();
        return false;
    }
    return savePipelineAs(editor, path, error);
}

bool MainWindow::savePipelineAs(PipelineEditor *editor, const QString &path, QString *error)
{
    editor->commitPendingEdits();
    QString target = path;
    if (!isPipelineFile(target))
        target += kSuffix;
    QString why;
    if (!editor->saveTo(target, &why)) {
        *error = tr("Could not save %1: %2").arg(target, why);
        return false;
    }
    rememberPipeline(QFileInfo(target).absoluteFilePath());
    statusBar()->showMessage(tr("Saved %1").arg(target), 5000);
    return true;
}

QMessageBox::StandardButton MainWindow::askSave(PipelineEditor *editor)
{
    // What is being typed counts as a change, and is kept or dropped with the rest.
    editor->commitPendingEdits();
    if (!editor->document()->isModified())
        return QMessageBox::Discard;
    m_workspace->setCurrentWidget(editor);
    const QMessageBox::StandardButton answer =
        m_askSave ? m_askSave(editor)
                  : QMessageBox::question(this, tr("Close Pipeline"), tr("%1 has changes that are not saved. Save them?").arg(editor->document()->title()),
                                          QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer != QMessageBox::Save)
        return answer;
    QString error;
    if (savePipeline(editor, true, &error))
        return QMessageBox::Save;
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Save Pipeline"), error);
    return QMessageBox::Cancel; // not saved: nothing may go
}

bool MainWindow::closePipeline(PipelineEditor *editor)
{
    if (askSave(editor) == QMessageBox::Cancel)
        return false;
    m_undoGroup->removeStack(editor->document()->undoStack());
    m_workspace->removeTab(m_workspace->indexOf(editor));
    editor->deleteLater();
    return true;
}

bool MainWindow::settleUnsaved()
{
    for (PipelineEditor *e : pipelineEditors()) {
        if (askSave(e) == QMessageBox::Cancel)
            return false;
    }
    return true;
}

void MainWindow::workspaceChanged()
{
    PipelineEditor *editor = currentEditor();
    // While its pipeline runs, its history waits: an undo could take away what is running.
    m_undoGroup->setActiveStack(editor && !editor->isRunning() ? editor->document()->undoStack() : nullptr);
    for (Action a : {Action::SavePipeline, Action::SavePipelineAs, Action::ClosePipeline})
        m_actions[a]->setEnabled(editor);
    m_actions[Action::RunPipeline]->setEnabled(editor && !editor->isRunning());
    m_actions[Action::StopPipeline]->setEnabled(editor && editor->isRunning());
    // The splitter gives a pipeline the room it needs and the list its own; each is kept.
    const bool builder = editor != nullptr;
    if (builder != m_builderInFront && m_splitter->sizes().value(0) > 0) {
        (m_builderInFront ? m_builderSizes : m_listSizes) = m_splitter->sizes();
        const QList<int> sizes = builder ? m_builderSizes : m_listSizes;
        const int total = m_splitter->width();
        m_splitter->setSizes(!sizes.isEmpty() ? sizes : builder ? QList<int>{total * 3 / 4, total / 4} : QList<int>{total * 45 / 100, total * 55 / 100});
    }
    m_builderInFront = builder;
    if (editor)
        editor->announceSelection(); // the right side shows this pipeline's chosen node, or nothing
    updateTitle();
}

void MainWindow::updateTitle()
{
    PipelineEditor *editor = currentEditor();
    setWindowTitle(editor ? tr("%1 — Spawnscope").arg(editor->title()) : QStringLiteral("Spawnscope"));
}

QStringList MainWindow::recentPipelines() const
{
    return QSettings().value(kRecent).toStringList();
}

void MainWindow::rememberPipeline(const QString &path)
{
    QStringList recent = recentPipelines();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > RecentSize)
        recent.removeLast();
    QSettings().setValue(kRecent, recent);
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentPipelines();
    for (const QString &path : recent) {
        QAction *a = m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] {
            QString error;
            if (!openPipeline(path, &error))
                QMessageBox::warning(this, tr("Open Pipeline"), tr("Could not open %1:\n%2").arg(path, error));
        });
        a->setToolTip(path);
        a->setEnabled(QFileInfo::exists(path));
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No pipelines opened yet"))->setEnabled(false);
}

void MainWindow::fillPipelineMenu()
{
    m_pipelineMenu->clear();
    m_pipelineMenu->addAction(action(Action::RunPipeline));
    m_pipelineMenu->addAction(action(Action::StopPipeline));
    PipelineEditor *e = currentEditor();
    if (!e) {
        m_pipelineMenu->addSeparator();
        m_pipelineMenu->addAction(tr("Open or create a pipeline first (Ctrl+N)"))->setEnabled(false);
        return;
    }
    using A = PipelineEditor::Action;
    m_pipelineMenu->addAction(e->action(A::ClearResults));
    m_pipelineMenu->addSeparator();
    for (A a : {A::AddStage, A::AddNote, A::Cut, A::Paste, A::Duplicate, A::Delete, A::SelectAll})
        m_pipelineMenu->addAction(e->action(a));
    m_pipelineMenu->addSeparator();
    for (A a : {A::LayOut, A::FitAll, A::FitSelection, A::ZoomIn, A::ZoomOut, A::ActualSize, A::SnapToGrid})
        m_pipelineMenu->addAction(e->action(a));
    m_pipelineMenu->addSeparator();
    m_pipelineMenu->addAction(e->action(A::CopyShellLine));
    m_pipelineMenu->addAction(e->action(A::ExportImage));
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile() && isPipelineFile(url.toLocalFile())) {
            event->acceptProposedAction();
            return;
        }
    }
    event->ignore();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (!url.isLocalFile() || !isPipelineFile(url.toLocalFile()))
            continue;
        QString error;
        if (!openPipeline(url.toLocalFile(), &error))
            statusBar()->showMessage(tr("Could not open %1: %2").arg(QFileInfo(url.toLocalFile()).fileName(), error), 10000);
    }
    event->acceptProposedAction();
}

} // namespace Spawnscope::Ui
