#include "forkdialog.h"

#include <colours.h>
#include <commandline.h>
#include <jsliteral.h>

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

namespace {
constexpr int MaxChildren = 256;
}

ForkDialog::ForkDialog(const QString &line, const LaunchOptions &options, QWidget *parent)
    : QDialog(parent)
    , m_options(options)
{
    setWindowTitle(tr("Fork Several"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_line = new QLineEdit(line);
    m_line->setPlaceholderText(tr("module and its arguments, e.g. child.js --fast"));
    m_count = new QSpinBox;
    m_count->setRange(1, MaxChildren);
    m_count->setValue(3);
    m_messages = new QPlainTextEdit;
    m_messages->setPlaceholderText(tr("One first message a line, e.g. {n: 5}"));
    m_messages->setTabChangesFocus(true);
    m_disconnect = new QCheckBox(tr("Disconnect each child once it has answered (so that it can end)"));
    form->addRow(tr("&Module:"), m_line);
    form->addRow(tr("&Children:"), m_count);
    form->addRow(tr("First &messages:"), m_messages);
    layout->addLayout(form);
    layout->addWidget(m_disconnect);
    m_problem = new QLabel;
    m_problem->setWordWrap(true);
    layout->addWidget(m_problem);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Fork"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ForkDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    fillMessages(m_count->value());
    // The count writes the messages until the user writes them; then the messages are the count.
    connect(m_count, &QSpinBox::valueChanged, this, [this](int n) {
        if (!m_messagesEdited)
            fillMessages(n);
    });
    connect(m_messages, &QPlainTextEdit::textChanged, this, [this] {
        m_messagesEdited = true;
        QString error;
        if (const auto r = request(&error)) {
            const QSignalBlocker block(m_count);
            m_count->setValue(int(r->forkMessages.size()));
        }
        check();
    });
    connect(m_line, &QLineEdit::textChanged, this, &ForkDialog::check);
    check();
}

void ForkDialog::fillMessages(int count)
{
    QStringList lines;
    for (int i = 1; i <= count; ++i)
        lines << QStringLiteral("{\"child\": %1}").arg(i);
    const QSignalBlocker block(m_messages);
    m_messages->setPlainText(lines.join(QLatin1Char('\n')));
    check();
}

std::optional<LaunchRequest> ForkDialog::requestFor(const QString &line, const QString &messages, bool disconnectWhenAnswered,
                                                    const LaunchOptions &options, QString *error)
{
    const CommandLine parsed = CommandLine::parse(LaunchMode::Fork, line, options);
    if (!parsed.ok()) {
        *error = parsed.errorColumn >= 0 ? tr("Module, column %1: %2").arg(parsed.errorColumn + 1).arg(parsed.error) : parsed.error;
        return std::nullopt;
    }
    LaunchRequest r = *parsed.request;
    const QStringList lines = messages.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed().isEmpty())
            continue;
        JsLiteral::Error bad;
        const auto value = JsLiteral::parse(lines[i], &bad);
        if (!value) {
            *error = tr("Message line %1, column %2: %3").arg(i + 1).arg(bad.position + 1).arg(bad.message);
            return std::nullopt;
        }
        r.forkMessages << *value;
    }
    if (r.forkMessages.isEmpty()) {
        *error = tr("No message: each child is one line of first messages.");
        return std::nullopt;
    }
    if (r.forkMessages.size() > MaxChildren) {
        *error = tr("%1 children: at most %2 at once.").arg(r.forkMessages.size()).arg(MaxChildren);
        return std::nullopt;
    }
    r.disconnectWhenAnswered = disconnectWhenAnswered;
    r.title = line.trimmed(); // the group adds how many
    return r;
}

std::optional<LaunchRequest> ForkDialog::request(QString *error) const
{
    return requestFor(m_line->text(), m_messages->toPlainText(), m_disconnect->isChecked(), m_options, error);
}

void ForkDialog::check()
{
    QString error;
    const auto r = request(&error);
    if (r) {
        const int n = int(r->forkMessages.size());
        m_problem->setText(tr("Forks %1 %2, each sent its line once it has started.").arg(n).arg(n == 1 ? tr("child") : tr("children")));
    } else {
        m_problem->setText(QStringLiteral("<span style=\"color:%1\">%2</span>").arg(Colours::errorColor(palette()).name(), error.toHtmlEscaped()));
    }
}

void ForkDialog::accept()
{
    QString error;
    if (!request(&error)) {
        check(); // says why where the user looks; the dialog stays with all that was typed
        return;
    }
    QDialog::accept();
}

} // namespace Spawnscope::Ui
