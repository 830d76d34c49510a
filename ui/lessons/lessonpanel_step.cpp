// LessonPanel: the step shown, and running it.
#include "lessonpanel.h"

#include <colours.h>
#include <processsignal.h>
#include <session.h>

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTextBrowser>

namespace Spawnscope::Ui {

namespace {

// A block of the lesson as HTML: paragraphs at blank lines, `code` in a fixed font.
QString toHtml(const QString &text)
{
    static const QRegularExpression code(QStringLiteral("`([^`]+)`"));
    QString html;
    for (const QString &para : text.split(QRegularExpression(QStringLiteral("\\n\\s*\\n")), Qt::SkipEmptyParts)) {
        QString p = para.simplified().toHtmlEscaped();
        p.replace(code, QStringLiteral("<code>\\1</code>"));
        html += QStringLiteral("<p>%1</p>").arg(p);
    }
    return html;
}

} // namespace

void LessonPanel::showCurrent()
{
    const bool start = m_step < 0 || m_step >= m_lesson.steps.size();
    if (start) {
        m_title->setText(tr("Start here: %1").arg(m_lesson.title));
        m_runLine->setText(QString());
        m_look->setText(tr("Pick a step in the list, or press Begin. Each step runs here in the window: its processes join "
                           "the list, their output the panes, their events the timeline."));
        QString html = toHtml(m_lesson.about);
        html += QStringLiteral("<ol>");
        for (const LessonStep &s : m_lesson.steps)
            html += QStringLiteral("<li>%1</li>").arg(s.title.toHtmlEscaped());
        html += QStringLiteral("</ol>");
        m_explain->setHtml(html);
        for (QPlainTextEdit *c : m_code)
            c->clear();
        m_codeTabs->hide();
    } else {
        const LessonStep &s = m_lesson.steps[m_step];
        m_title->setText(tr("%1. %2").arg(m_step + 1).arg(s.title));
        m_runLine->setText(Lesson::runText(s.run));
        m_look->setText(s.look.isEmpty() ? QString()
                                         : QStringLiteral("<b>%1</b> %2").arg(tr("Look:").toHtmlEscaped(), s.look.simplified().toHtmlEscaped()));
        m_explain->setHtml(toHtml(s.explain));
        m_code[int(Code::Node)]->setPlainText(s.node);
        m_code[int(Code::Cpp)]->setPlainText(s.cpp);
        m_code[int(Code::Shell)]->setPlainText(s.shell);
        for (int i = 0; i < m_code.size(); ++i)
            m_codeTabs->setTabEnabled(i, !m_code[i]->toPlainText().isEmpty());
        m_codeTabs->show();
    }
    m_look->setVisible(!m_look->text().isEmpty());
    if (m_runningStep < 0 || m_runningStep != m_step)
        m_status->clear();
    updateButtons();
}

void LessonPanel::updateButtons()
{
    const bool start = m_step < 0;
    m_run->setText(start ? tr("Begin") : tr("Run"));
    m_run->setEnabled(start || !m_runner->isRunning());
    m_stop->setVisible(!start);
    m_stop->setEnabled(m_runner->isRunning());
    m_copy->setEnabled(!start);
}

QString LessonPanel::code(Code which) const
{
    return m_code[int(which)]->toPlainText();
}

QString LessonPanel::copyCode()
{
    const QString text = m_code.value(m_codeTabs->currentIndex())->toPlainText();
    if (!text.isEmpty()) {
        QApplication::clipboard()->setText(text);
        say(tr("Copied the %1 code.").arg(m_codeTabs->tabText(m_codeTabs->currentIndex())), false);
    }
    return text;
}

void LessonPanel::say(const QString &text, bool error)
{
    m_status->setText(error ? QStringLiteral("<span style=\"color:%1\">%2</span>").arg(Colours::errorColor(palette()).name(), text.toHtmlEscaped())
                            : text.toHtmlEscaped());
}

bool LessonPanel::runStep(QString *error)
{
    if (m_step < 0) {
        if (!m_lesson.steps.isEmpty())
            showStep(0);
        return true;
    }
    QString why;
    const LessonStep step = m_lesson.steps[m_step];
    int first = 0;
    // The step's first process, whoever launches it (the session or the window's builder).
    const QMetaObject::Connection added = connect(m_session, &Session::processAdded, this, [&first](int id) {
        if (!first)
            first = id;
    });
    const bool started = m_runner->start(step, &why, m_launchPipeline);
    disconnect(added);
    if (!started) {
        say(tr("Cannot run this step: %1").arg(why), true);
        if (error)
            *error = why;
        return false;
    }
    m_runningStep = m_step;
    m_stoppedByUser = false;
    const int count = m_runner->processes().size();
    if (m_runner->isRunning())
        say(count > 1 ? tr("Running %1 processes… Stop ends them.").arg(count) : tr("Running… Stop ends it."), false);
    updateButtons();
    if (first)
        Q_EMIT stepStarted(first);
    return true;
}

void LessonPanel::stopStep()
{
    m_stoppedByUser = m_runner->isRunning();
    m_runner->stop();
}

void LessonPanel::finished(int status)
{
    if (m_runningStep == m_step) {
        const int count = m_runner->processes().size();
        const QString what = count > 1 ? tr("%1 processes").arg(count) : tr("1 process");
        const QString signal = status > 128 ? ProcessSignal::nameOf(status - 128) : QString();
        if (m_stoppedByUser)
            say(tr("Stopped by you (Stop sends SIGTERM): status %1 (%2).").arg(status).arg(what), false);
        else if (status == 0)
            say(tr("Ended with status 0 (%1). Run it again, or go on to the next step.").arg(what), false);
        else if (!signal.isEmpty())
            say(tr("Ended with status %1: %2, signal %3 (%4). See Look for whether that is the point of the step.")
                    .arg(status)
                    .arg(signal)
                    .arg(status - 128)
                    .arg(what),
                false);
        else
            say(tr("Ended with status %1 (%2).").arg(status).arg(what), false);
    }
    m_runningStep = -1;
    updateButtons();
    Q_EMIT stepFinished(status);
}

} // namespace Spawnscope::Ui
