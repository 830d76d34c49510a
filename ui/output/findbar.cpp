#include <colours.h>
#include "findbar.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QKeyEvent>
#include <QTextBlock>
#include <QToolButton>

namespace Spawnscope::Ui {

FindBar::FindBar(QWidget *parent)
    : QWidget(parent)
    , m_input(new QLineEdit)
    , m_regex(new QCheckBox(tr("Regex")))
    , m_case(new QCheckBox(tr("Match case")))
    , m_status(new QLabel)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_input->setPlaceholderText(tr("Find in output"));
    m_input->setClearButtonEnabled(true);
    auto *previous = new QToolButton;
    previous->setText(tr("Previous"));
    auto *next = new QToolButton;
    next->setText(tr("Next"));
    auto *close = new QToolButton;
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Close (Esc)"));
    layout->addWidget(m_input, 1);
    layout->addWidget(previous);
    layout->addWidget(next);
    layout->addWidget(m_regex);
    layout->addWidget(m_case);
    layout->addWidget(m_status);
    layout->addWidget(close);
    connect(m_input, &QLineEdit::textChanged, this, &FindBar::refresh);
    connect(m_regex, &QCheckBox::toggled, this, &FindBar::refresh);
    connect(m_case, &QCheckBox::toggled, this, &FindBar::refresh);
    connect(m_input, &QLineEdit::returnPressed, this, [this] { findNext(); });
    connect(next, &QToolButton::clicked, this, [this] { findNext(); });
    connect(previous, &QToolButton::clicked, this, [this] { findNext(true); });
    connect(close, &QToolButton::clicked, this, &FindBar::dismiss);
}

void FindBar::dismiss()
{
    hide();
    if (m_pane) {
        m_pane->setExtraSelections({});
        m_pane->setFocus();
    }
}

void FindBar::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        dismiss();
        return;
    }
    QWidget::keyPressEvent(event);
}

void FindBar::setPane(QPlainTextEdit *pane)
{
    if (m_pane)
        m_pane->setExtraSelections({});
    m_pane = pane;
    refresh();
}

std::optional<QRegularExpression> FindBar::pattern() const
{
    const QString text = m_input->text();
    if (text.isEmpty())
        return std::nullopt;
    QRegularExpression re(m_regex->isChecked() ? text : QRegularExpression::escape(text),
                          m_case->isChecked() ? QRegularExpression::NoPatternOption : QRegularExpression::CaseInsensitiveOption);
    if (!re.isValid())
        return std::nullopt;
    return re;
}

QString FindBar::status() const
{
    return m_status->text();
}

void FindBar::refresh()
{
    m_count = 0;
    m_error.clear();
    QList<QTextEdit::ExtraSelection> marks;
    const auto re = pattern();
    if (!re && !m_input->text().isEmpty()) {
        const QRegularExpression bad(m_input->text());
        m_error = tr("invalid: %1").arg(bad.errorString());
    }
    if (m_pane && re) {
        QTextCharFormat mark;
        mark.setBackground(QColor(0xff, 0xe0, 0x66));
        mark.setForeground(Qt::black);
        for (QTextBlock block = m_pane->document()->begin(); block.isValid(); block = block.next()) {
            auto it = re->globalMatch(block.text());
            while (it.hasNext()) {
                const QRegularExpressionMatch m = it.next();
                if (m.capturedLength() == 0)
                    continue;
                ++m_count;
                if (marks.size() < MaxHighlights) {
                    QTextCursor c(block);
                    c.setPosition(block.position() + int(m.capturedStart()));
                    c.setPosition(block.position() + int(m.capturedEnd()), QTextCursor::KeepAnchor);
                    marks.append({c, mark});
                }
            }
        }
    }
    if (m_pane)
        m_pane->setExtraSelections(marks);
    m_status->setText(!m_error.isEmpty() ? m_error
                      : m_input->text().isEmpty() ? QString()
                                                  : tr("%n match(es)", nullptr, m_count));
    m_status->setStyleSheet(m_error.isEmpty() && (m_count || m_input->text().isEmpty()) ? QString() : QStringLiteral("color: %1;").arg(Colours::errorColor(palette()).name()));
}

bool FindBar::findNext(bool backward)
{
    const auto re = pattern();
    if (!m_pane || !re)
        return false;
    QTextDocument::FindFlags flags;
    if (backward)
        flags |= QTextDocument::FindBackward;
    QTextCursor found = m_pane->document()->find(*re, m_pane->textCursor(), flags);
    if (found.isNull()) {
        QTextCursor wrap(m_pane->document());
        wrap.movePosition(backward ? QTextCursor::End : QTextCursor::Start);
        found = m_pane->document()->find(*re, wrap, flags);
    }
    if (found.isNull())
        return false;
    m_pane->setTextCursor(found);
    m_pane->ensureCursorVisible();
    return true;
}

} // namespace Spawnscope::Ui
