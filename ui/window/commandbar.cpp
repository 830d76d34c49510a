#include "commandbar.h"

#include <colours.h>

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

namespace {

constexpr LaunchMode kModes[] = {LaunchMode::Spawn, LaunchMode::Exec, LaunchMode::ExecFile, LaunchMode::Fork, LaunchMode::Batch};

} // namespace

CommandBar::CommandBar(QWidget *parent)
    : QWidget(parent)
    , m_mode(new QComboBox)
    , m_line(new QLineEdit)
    , m_preview(new QLabel)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    for (LaunchMode m : kModes)
        m_mode->addItem(launchModeName(m), int(m));
    m_mode->setToolTip(tr("How the line is started: spawn (no shell; pipes become a pipeline; what needs a shell runs under /bin/sh), "
                          "exec (/bin/sh -c), execFile, fork (with a message channel), batch (TEMPLATE ::: INPUT..., one job per input, in parallel)"));
    m_line->setPlaceholderText(tr("Command line, e.g. seq 1 10 | grep 1 | wc -l   (Enter runs it)"));
    m_line->setClearButtonEnabled(true);
    auto *run = new QPushButton(tr("Run"));
    auto *options = new QPushButton(tr("Options..."));
    options->setToolTip(tr("Working directory, environment, shell, timeout, kill signal, maxBuffer, detached, stdio, fork's execPath"));
    bar->addWidget(m_mode);
    bar->addWidget(m_line, 1);
    m_forkSeveral = new QPushButton(tr("Fork N..."));
    m_forkSeveral->setToolTip(tr("Fork several children of this module at once, each with its own first message"));
    bar->addWidget(options);
    bar->addWidget(m_forkSeveral);
    bar->addWidget(run);
    layout->addLayout(bar);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setTextFormat(Qt::RichText);
    m_preview->setWordWrap(true);
    layout->addWidget(m_preview);

    connect(m_line, &QLineEdit::returnPressed, this, &CommandBar::runRequested);
    connect(run, &QPushButton::clicked, this, &CommandBar::runRequested);
    connect(options, &QPushButton::clicked, this, &CommandBar::optionsRequested);
    connect(m_forkSeveral, &QPushButton::clicked, this, &CommandBar::forkSeveralRequested);
    // Only fork mode starts children with a channel: elsewhere the button would only refuse.
    auto showFork = [this] { m_forkSeveral->setVisible(mode() == LaunchMode::Fork); };
    connect(m_mode, &QComboBox::currentIndexChanged, this, showFork);
    showFork();
    connect(m_line, &QLineEdit::textChanged, this, &CommandBar::refresh);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &CommandBar::refresh);
    refresh();
}

LaunchMode CommandBar::mode() const
{
    return LaunchMode(m_mode->currentData().toInt());
}

void CommandBar::setMode(LaunchMode mode)
{
    m_mode->setCurrentIndex(qMax(0, m_mode->findData(int(mode))));
}

void CommandBar::setOptions(const LaunchOptions &options)
{
    m_options = options;
    refresh();
}

CommandLine CommandBar::parsed() const
{
    return CommandLine::parse(mode(), m_line->text(), m_options);
}

void CommandBar::showRefusal()
{
    const CommandLine c = parsed();
    if (c.ok())
        return;
    m_line->setFocus();
    if (c.errorColumn >= 0)
        m_line->setCursorPosition(c.errorColumn);
}

QString CommandBar::plainPreview() const
{
    return QTextDocumentFragment::fromHtml(m_preview->text()).toPlainText();
}

void CommandBar::refresh()
{
    const QPalette pal = palette();
    const QString muted = pal.color(QPalette::PlaceholderText).name();
    if (m_line->text().trimmed().isEmpty()) {
        m_showingError = false;
        m_preview->setText(QStringLiteral("<span style='color:%1'>%2</span>").arg(muted, tr("What will run appears here before it runs.").toHtmlEscaped()));
        return;
    }
    const CommandLine c = parsed();
    m_showingError = !c.ok();
    if (c.ok()) {
        const QString options = m_options.summary();
        QString text = c.preview.toHtmlEscaped();
        if (!options.isEmpty())
            text += QStringLiteral(" · ") + options.toHtmlEscaped();
        m_preview->setText(QStringLiteral("<span style='color:%1'>%2</span>").arg(muted, text));
        return;
    }
    // The error where the eye is, in the error colour, with the line and a caret under the
    // column at fault, and what to do about it.
    const QString error = Colours::errorColor(pal).name();
    QString html = QStringLiteral("<span style='color:%1'><b>%2</b>%3</span>")
                       .arg(error, tr("Cannot run:").toHtmlEscaped(),
                            (c.errorColumn >= 0 ? tr(" column %1: %2").arg(c.errorColumn + 1).arg(c.error) : QLatin1Char(' ') + c.error).toHtmlEscaped());
    if (c.errorColumn >= 0) {
        const QString line = m_line->text();
        const QString caret = QString(c.errorColumn, QLatin1Char(' ')) + QLatin1Char('^');
        html += QStringLiteral("<pre style='margin:2px 0 0 0; color:%1'>%2\n<span style='color:%3'>%4</span></pre>")
                    .arg(pal.color(QPalette::WindowText).name(), line.toHtmlEscaped(), error, caret);
    }
    if (!c.hint.isEmpty())
        html += QStringLiteral("<span style='color:%1'>%2</span>").arg(muted, c.hint.toHtmlEscaped());
    m_preview->setText(html);
}

} // namespace Spawnscope::Ui
