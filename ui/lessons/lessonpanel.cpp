#include "lessonpanel.h"

#include <colours.h>

#include <QApplication>
#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

LessonPanel::LessonPanel(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_runner(new LessonRunner(session, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *top = new QHBoxLayout;
    m_lessonTitle = new QLabel;
    m_lessonTitle->setWordWrap(true);
    auto *open = new QPushButton(tr("Open Lesson…"));
    open->setToolTip(tr("Open a lesson file of your own (File > Open Lesson)"));
    top->addWidget(m_lessonTitle, 1);
    top->addWidget(open);
    layout->addLayout(top);
    m_error = new QLabel;
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    layout->addWidget(m_error);

    auto *split = new QSplitter(Qt::Vertical);
    m_steps = new QListWidget;
    m_steps->setWordWrap(true);
    split->addWidget(m_steps);

    auto *detail = new QWidget;
    auto *d = new QVBoxLayout(detail);
    d->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel;
    m_title->setWordWrap(true);
    d->addWidget(m_title);
    auto *runRow = new QHBoxLayout;
    m_runLine = new QLabel;
    m_runLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_runLine->setWordWrap(true);
    m_run = new QPushButton(tr("Run"));
    m_run->setToolTip(tr("Run this step in the window (Ctrl+Return)"));
    m_run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_stop = new QPushButton(tr("Stop"));
    runRow->addWidget(m_runLine, 1);
    runRow->addWidget(m_run);
    runRow->addWidget(m_stop);
    d->addLayout(runRow);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    d->addWidget(m_status);
    m_look = new QLabel;
    m_look->setWordWrap(true);
    m_look->setTextFormat(Qt::RichText);
    d->addWidget(m_look);
    m_explain = new QTextBrowser;
    m_explain->setOpenExternalLinks(false);
    m_explain->setFrameShape(QFrame::NoFrame);
    d->addWidget(m_explain, 2);
    m_codeTabs = new QTabWidget;
    m_codeTabs->setDocumentMode(true);
    for (const QString &name : {tr("Node.js"), tr("C++"), tr("Shell")}) {
        auto *code = new QPlainTextEdit;
        code->setReadOnly(true);
        code->setLineWrapMode(QPlainTextEdit::NoWrap);
        m_code << code;
        m_codeTabs->addTab(code, name);
    }
    m_copy = new QPushButton(tr("Copy"));
    m_copy->setToolTip(tr("Copy the code of this tab"));
    m_codeTabs->setCornerWidget(m_copy);
    d->addWidget(m_codeTabs, 3);
    // Short of room (big text on a small screen) the step scrolls; its parts never overlap.
    auto *scroll = new QScrollArea;
    scroll->setWidget(detail);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    split->addWidget(scroll);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    layout->addWidget(split, 1);
    updateFonts();

    connect(open, &QPushButton::clicked, this, &LessonPanel::openRequested);
    connect(m_steps, &QListWidget::currentRowChanged, this, [this](int row) {
        // Row 0 is the start page.
        m_step = row - 1;
        showCurrent();
    });
    connect(m_run, &QPushButton::clicked, this, [this] { runStep(); });
    connect(m_stop, &QPushButton::clicked, this, &LessonPanel::stopStep);
    connect(m_copy, &QPushButton::clicked, this, &LessonPanel::copyCode);
    connect(m_runner, &LessonRunner::finished, this, &LessonPanel::finished);

    const QList<Lesson> bundled = Lesson::bundled();
    if (!bundled.isEmpty())
        setLesson(bundled.first());
}

void LessonPanel::setLesson(const Lesson &lesson)
{
    if (m_runner->isRunning())
        m_runner->stop();
    m_lesson = lesson;
    m_error->hide();
    m_lessonTitle->setText(QStringLiteral("<b>%1</b>").arg(lesson.title.toHtmlEscaped()));
    fillSteps();
}

bool LessonPanel::openLesson(const QString &path, QString *error)
{
    QString why;
    const auto lesson = Lesson::load(path, &why);
    if (!lesson) {
        // The lesson shown stays: a broken file loses nothing.
        const QString text = tr("Cannot open %1").arg(why); // why starts with the file's name
        m_error->setText(QStringLiteral("<span style=\"color:%1\">%2</span><br>%3")
                             .arg(Colours::errorColor(palette()).name(), text.toHtmlEscaped(),
                                  tr("Fix the file and open it again, or go on with the lesson below.").toHtmlEscaped()));
        m_error->show();
        if (error)
            *error = text;
        return false;
    }
    setLesson(*lesson);
    return true;
}

void LessonPanel::fillSteps()
{
    const QSignalBlocker block(m_steps);
    m_steps->clear();
    m_steps->addItem(tr("About this lesson"));
    for (int i = 0; i < m_lesson.steps.size(); ++i)
        m_steps->addItem(QStringLiteral("%1. %2").arg(i + 1).arg(m_lesson.steps[i].title));
    m_steps->setCurrentRow(0);
    m_step = -1;
    m_runningStep = -1;
    showCurrent();
}

void LessonPanel::showStep(int index)
{
    if (index < -1 || index >= m_lesson.steps.size())
        return;
    m_steps->setCurrentRow(index + 1);
}

bool LessonPanel::showStep(const QString &id)
{
    for (int i = 0; i < m_lesson.steps.size(); ++i) {
        if (m_lesson.steps[i].id == id) {
            showStep(i);
            return true;
        }
    }
    return false;
}

bool LessonPanel::event(QEvent *event)
{
    // The application's font scaled (a projector): the code's fixed font follows.
    if (event->type() == QEvent::ApplicationFontChange)
        updateFonts();
    return QWidget::event(event);
}

void LessonPanel::updateFonts()
{
    // Code follows the window's text scale: the fixed font grows as the application's does.
    const double scale = QApplication::font().pointSizeF() / QFontDatabase::systemFont(QFontDatabase::GeneralFont).pointSizeF();
    QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (scale > 0 && fixed.pointSizeF() > 0)
        fixed.setPointSizeF(fixed.pointSizeF() * scale);
    for (QPlainTextEdit *code : m_code)
        code->setFont(fixed);
    m_runLine->setFont(fixed);
    QFont title = QApplication::font();
    title.setPointSizeF(title.pointSizeF() * 1.25);
    title.setBold(true);
    m_title->setFont(title);
    if (m_step >= 0 || !m_lesson.steps.isEmpty())
        showCurrent();
}

} // namespace Spawnscope::Ui
