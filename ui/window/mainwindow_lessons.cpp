// MainWindow: the lesson panel, and the text scale a teacher sets for a projector.
#include "mainwindow.h"

#include <lessonpanel.h>
#include <messagepanel.h>
#include <pipelineeditor.h>
#include <timelinepanel.h>
#include <timelineview.h>

#include <launchrequest.h>
#include <pipelinedocument.h>
#include <session.h>

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

#include <array>

namespace Spawnscope::Ui {

namespace {
// From a laptop's small print to the back row of a lecture hall.
constexpr std::array<double, 11> kScales{0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0};
}

void MainWindow::buildLessons()
{
    // The font before any window scaled it: another window's scale must not compound.
    static const QFont unscaled = QApplication::font();
    m_baseFont = unscaled;
    m_lessons = new LessonPanel(m_session);
    m_lessonDock = new QDockWidget(tr("Lessons"), this);
    m_lessonDock->setObjectName(QStringLiteral("lessonDock"));
    m_lessonDock->setWidget(m_lessons);
    // The lesson takes the window's whole height on the right, the timeline the rest below.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, m_lessonDock);
    m_lessonDock->hide();
    m_lessons->setPipelineLauncher([this](const LaunchRequest &r, QString *error) { return launchLessonPipeline(r, error); });
    connect(m_lessons, &LessonPanel::stepStarted, this, [this](int process) {
        // A pipeline step is shown in its builder tab; anything else in the process list.
        if (!m_lessonPipeline || m_lessonPipeline->runGroup() != m_session->process(process)->group)
            m_workspace->setCurrentIndex(0);
        selectProcess(process);
        // Forked children talk in messages: those are what the step is about.
        const ProcessInfo *info = m_session->process(process);
        m_tabs->setCurrentWidget(info && info->mode == LaunchMode::Fork ? static_cast<QWidget *>(m_messages) : m_outputTab);
        // A batch is watched on its dashboard; anything else on the timeline, following the run
        // as it happens (a step's markers off the edge would show nothing of it).
        const ProcessGroup *group = info ? m_session->group(info->group) : nullptr;
        if (group && group->kind == GroupKind::Batch) {
            m_batchDock->show();
            m_batchDock->raise();
        } else {
            m_timelineDock->show();
            m_timelineDock->raise();
        }
        m_timeline->view()->setFollowing(true);
    });
    connect(m_lessons, &LessonPanel::openRequested, this, [this] { action(Action::OpenLesson)->trigger(); });

    QAction *lessons = m_lessonDock->toggleViewAction();
    lessons->setText(tr("&Lessons"));
    lessons->setShortcut(QKeySequence(Qt::Key_F1));
    m_actions.insert(Action::Lessons, lessons);
    connect(addAction(Action::OpenLesson, tr("Open &Lesson...")), &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Lesson"), QString(), tr("Lessons (*.lesson);;All files (*)"));
        QString error;
        if (!path.isEmpty())
            openLesson(path, &error);
    });
    // Ctrl+= is what the key with + on it gives without Shift; Ctrl++ is accepted too.
    QAction *bigger = addAction(Action::TextBigger, tr("&Bigger Text"));
    bigger->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)});
    connect(bigger, &QAction::triggered, this, [this] { scaleText(1); });
    QAction *smaller = addAction(Action::TextSmaller, tr("&Smaller Text"));
    smaller->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    connect(smaller, &QAction::triggered, this, [this] { scaleText(-1); });
    connect(addAction(Action::TextReset, tr("&Normal Text"), QKeySequence(Qt::CTRL | Qt::Key_0)), &QAction::triggered, this,
            [this] { setTextScale(1.0); });
}

bool MainWindow::openLesson(const QString &path, QString *error)
{
    m_lessonDock->show();
    m_lessonDock->raise();
    if (!m_lessons->openLesson(path, error))
        return false;
    statusBar()->showMessage(tr("Opened the lesson %1: %n step(s).", nullptr, int(m_lessons->lesson().steps.size())).arg(m_lessons->lesson().title), 6000);
    return true;
}

int MainWindow::launchLessonPipeline(const LaunchRequest &request, QString *error)
{
    if (!m_lessonPipeline || m_lessonPipeline->isRunning())
        m_lessonPipeline = newPipeline();
    PipelineEditor *editor = m_lessonPipeline;
    // The lesson's pipeline, laid out as it loads; nothing to save unless the user edits it.
    editor->document()->setUntitledName(tr("Lesson: %1").arg(request.title));
    editor->document()->setSpec(request.pipeline);
    m_workspace->setTabText(m_workspace->indexOf(editor), editor->title());
    m_workspace->setCurrentWidget(editor);
    if (!editor->run(error))
        return 0;
    const ProcessGroup *group = m_session->group(editor->runGroup());
    return group && !group->processes.isEmpty() ? group->processes.first() : 0;
}

void MainWindow::scaleText(int steps)
{
    // The next step up or down from where the scale is, wherever that is.
    double to = m_textScale;
    if (steps > 0) {
        const auto it = std::upper_bound(kScales.begin(), kScales.end(), m_textScale + 1e-6);
        to = it == kScales.end() ? kScales.back() : *it;
    } else {
        const auto it = std::lower_bound(kScales.begin(), kScales.end(), m_textScale - 1e-6);
        to = it == kScales.begin() ? kScales.front() : *(it - 1);
    }
    setTextScale(to);
}

void MainWindow::setTextScale(double scale)
{
    scale = std::clamp(scale, kScales.front(), kScales.back());
    m_textScale = scale;
    // Bigger text must not make a bigger window: the minimum sizes of its parts grow with the
    // font, and Qt would widen the window past the screen to honour them.
    const QSize before = size();
    QFont f = m_baseFont;
    if (m_baseFont.pointSizeF() > 0)
        f.setPointSizeF(m_baseFont.pointSizeF() * scale);
    else
        f.setPixelSize(qRound(m_baseFont.pixelSize() * scale));
    QApplication::setFont(f);
    // Qt tells widgets of the new font only once the event loop runs, and widgets with a font
    // of their own (the fixed-width panes) never by a font change: tell them now, whenever.
    QEvent changed(QEvent::ApplicationFontChange);
    for (QWidget *w : findChildren<QWidget *>())
        QCoreApplication::sendEvent(w, &changed);
    if (isVisible()) {
        QTimer::singleShot(0, this, [this, before] {
            const QSize room = screen() ? screen()->availableGeometry().size() : before;
            resize(before.boundedTo(room));
        });
    }
    action(Action::TextSmaller)->setEnabled(scale > kScales.front());
    action(Action::TextBigger)->setEnabled(scale < kScales.back());
    action(Action::TextReset)->setEnabled(!qFuzzyCompare(scale, 1.0));
    QSettings().setValue(QStringLiteral("view/textScale"), scale);
    statusBar()->showMessage(tr("Text at %1% (Ctrl+0: normal)").arg(qRound(scale * 100)), 3000);
}

} // namespace Spawnscope::Ui
