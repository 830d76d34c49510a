#include "peekview.h"

#include <QFontDatabase>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

PeekView::PeekView(const EdgeId &edge, const QString &title, QWidget *parent)
    : QFrame(parent, Qt::Tool)
    , m_edge(edge)
    , m_title(new QLabel(title))
    , m_text(new QPlainTextEdit)
{
    setWindowTitle(tr("Peek: %1").arg(title));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlaceholderText(tr("Nothing has passed yet: run the pipeline."));
    m_text->setAccessibleName(tr("Last lines on the wire"));
    layout->addWidget(m_text);
    resize(520, 320);
}

void PeekView::setLines(const QByteArrayList &lines)
{
    if (lines == m_lines)
        return;
    m_lines = lines;
    QStringList text;
    for (const QByteArray &l : lines)
        text << QString::fromUtf8(l);
    m_text->setPlainText(text.join(QLatin1Char('\n')));
    m_text->moveCursor(QTextCursor::End);
}

QString PeekView::text() const
{
    return m_text->toPlainText();
}

void PeekView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        close();
        return;
    }
    QFrame::keyPressEvent(event);
}

} // namespace Spawnscope::Ui
