#include "outputpane.h"
#include <colours.h>

#include "outputbuffer.h"

#include <QApplication>
#include <QDateTime>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QTextBlock>

namespace Spawnscope::Ui {

namespace {

QTextCharFormat spanFormat(const QTextCharFormat &base, const AnsiParser::Style &style)
{
    QTextCharFormat f = base;
    QColor fg = style.foreground;
    QColor bg = style.background;
    if (style.inverse) {
        std::swap(fg, bg);
        if (!fg.isValid())
            fg = QColor(Qt::white);
        if (!bg.isValid())
            bg = QColor(Qt::black);
    }
    if (fg.isValid())
        f.setForeground(fg);
    if (bg.isValid())
        f.setBackground(bg);
    if (style.bold)
        f.setFontWeight(QFont::Bold);
    f.setFontItalic(style.italic);
    f.setFontUnderline(style.underline);
    return f;
}

} // namespace

OutputPane::OutputPane(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_banner(new QLabel(this))
{
    m_banner->setWordWrap(false);
    m_banner->setAutoFillBackground(true);
    m_banner->setBackgroundRole(QPalette::ToolTipBase);
    m_banner->setForegroundRole(QPalette::ToolTipText);
    m_banner->setContentsMargins(6, 2, 6, 2);
    m_banner->hide();
    setReadOnly(true);
    setUndoRedoEnabled(false);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    applyScaledFont();
    setCenterOnScroll(false);
    m_timer.setInterval(CalmIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &OutputPane::tick);
    m_timer.start();
}

void OutputPane::setBuffer(OutputBuffer *buffer)
{
    m_buffer = buffer;
    reload();
}

void OutputPane::setFilter(Filter filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    reload();
}

void OutputPane::setTimestamps(bool on)
{
    if (m_timestamps == on)
        return;
    m_timestamps = on;
    reload();
}

void OutputPane::reload()
{
    clear();
    m_anyShown = false;
    m_skipped = 0;
    m_hidden = m_buffer ? m_buffer->firstRetained() : 0;
    setMaximumBlockCount(m_buffer ? m_buffer->maxLines() : 0);
    // What is retained is shown again, from the oldest line the scrollback can hold.
    m_nextSeq = m_buffer ? m_buffer->firstRetained() : 0;
    drain();
    updateBanner();
}

void OutputPane::drain()
{
    if (m_buffer)
        m_buffer->processPending();
    while (m_buffer && m_nextSeq < m_buffer->nextSeq())
        tick();
}

int OutputPane::shownLines() const
{
    return m_anyShown ? document()->blockCount() : 0;
}

void OutputPane::tick()
{
    if (!m_buffer || m_nextSeq >= m_buffer->nextSeq())
        return;
    // Lines the scrollback could not keep anyway are not drawn (they are in the spool).
    const qint64 oldestWorthDrawing = qMax(m_buffer->firstRetained(), m_buffer->nextSeq() - m_buffer->maxLines());
    if (m_nextSeq < oldestWorthDrawing) {
        m_skipped += oldestWorthDrawing - m_nextSeq;
        m_hidden += oldestWorthDrawing - m_nextSeq;
        m_nextSeq = oldestWorthDrawing;
    }
    const QList<OutputBuffer::Line> lines = m_buffer->linesFrom(m_nextSeq, m_chunkLines);
    if (lines.isEmpty())
        return;
    m_nextSeq = lines.last().seq + 1;

    QScrollBar *bar = verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 2;
    const int keptValue = bar->value();

    QTextCharFormat normal;
    QTextCharFormat error;
    error.setForeground(Colours::errorColor(palette()));
    QTextCharFormat note = error;
    note.setFontItalic(true);
    const int blocksBefore = m_anyShown ? document()->blockCount() : 0;
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    cursor.beginEditBlock();
    int added = 0;
    std::vector<qint64> shownSeqs;
    shownSeqs.reserve(size_t(lines.size()));
    QString run;
    OutputBuffer::Stream runStream = OutputBuffer::Stdout;
    auto flushRun = [&] {
        if (!run.isEmpty())
            cursor.insertText(run, runStream == OutputBuffer::Note                                 ? note
                                   : runStream == OutputBuffer::Stderr && m_filter == Filter::Both ? error
                                                                                                   : normal);
        run.clear();
    };
    for (const OutputBuffer::Line &line : lines) {
        if ((m_filter == Filter::Stdout && line.stream == OutputBuffer::Stderr)
            || (m_filter == Filter::Stderr && line.stream == OutputBuffer::Stdout))
            continue;
        if (line.stream != runStream) {
            flushRun();
            runStream = line.stream;
        }
        if (m_anyShown)
            run += QChar::ParagraphSeparator;
        m_anyShown = true;
        shownSeqs.push_back(line.seq);
        if (m_timestamps)
            run += QDateTime::fromMSecsSinceEpoch(line.msecs).toString(QStringLiteral("HH:mm:ss.zzz "));
        ++added;
        if (line.stream == OutputBuffer::Note) {
            run += QStringLiteral("[spawnscope] ") + line.text;
            continue;
        }
        if (line.spans.isEmpty()) {
            run += line.text;
            continue;
        }
        // A coloured line: its plain stretches in the stream's format, its spans in theirs.
        const QTextCharFormat base = line.stream == OutputBuffer::Stderr && m_filter == Filter::Both ? error : normal;
        int at = 0;
        for (const AnsiParser::Span &span : line.spans) {
            run += line.text.mid(at, span.start - at);
            flushRun();
            cursor.insertText(line.text.mid(span.start, span.length), spanFormat(base, span.style));
            at = span.start + span.length;
        }
        run += line.text.mid(at);
    }
    flushRun();
    cursor.endEditBlock();
    // The document drops its oldest blocks beyond the scrollback: those lines are hidden now.
    const int blocksAfter = document()->blockCount();
    if (m_anyShown && blocksBefore + added > blocksAfter)
        m_hidden += blocksBefore + added - blocksAfter;
    // Each block remembers its line's number, so that a moment can be found again (scrollToTime).
    QTextBlock block = document()->lastBlock();
    for (auto seq = shownSeqs.rbegin(); seq != shownSeqs.rend() && block.isValid(); ++seq, block = block.previous())
        block.setUserState(int(*seq & 0x7fffffff));
    if (atBottom)
        bar->setValue(bar->maximum());
    else
        bar->setValue(keptValue);
    // Under a flood, every tick means a repaint of the whole pane: fewer, fuller ticks leave
    // the event loop time for everything else. Calm output is shown promptly again.
    m_timer.setInterval(m_nextSeq < m_buffer->nextSeq() ? FloodIntervalMs : CalmIntervalMs);
    updateBanner();
    if (added)
        Q_EMIT appended(added);
}

void OutputPane::updateBanner()
{
    const bool show = m_buffer && m_hidden > 0;
    if (show) {
        m_banner->setText(tr("%1 earlier lines are not shown: the scrollback keeps the last %2. File > Save Output writes all of them.")
                              .arg(QLocale().toString(m_hidden), QLocale().toString(m_buffer->maxLines())));
    }
    if (show == m_banner->isVisible())
        return;
    m_banner->setVisible(show);
    setViewportMargins(0, show ? m_banner->sizeHint().height() : 0, 0, 0);
    m_banner->setGeometry(frameWidth(), frameWidth(), viewport()->width(), m_banner->sizeHint().height());
}

void OutputPane::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    if (m_banner->isVisible())
        m_banner->setGeometry(frameWidth(), frameWidth(), viewport()->width(), m_banner->sizeHint().height());
}

bool OutputPane::scrollToTime(qint64 msecs)
{
    if (!m_buffer || !m_anyShown)
        return false;
    drain();
    const qint64 seq = m_buffer->seqAt(msecs) & 0x7fffffff;
    // Blocks are in line order: the first one at or after that line.
    int lo = 0;
    int hi = document()->blockCount();
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (document()->findBlockByNumber(mid).userState() < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    const QTextBlock block = document()->findBlockByNumber(std::min(lo, document()->blockCount() - 1));
    QTextCursor cursor(block);
    cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
    setTextCursor(cursor);
    centerCursor();
    return true;
}

void OutputPane::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    // Text already shown keeps the colours it was inserted with: redraw it in the new ones.
    if (event->type() == QEvent::PaletteChange && m_buffer)
        reload();
}

bool OutputPane::event(QEvent *event)
{
    // Not a change event: a widget with a font of its own hears of the application's here.
    if (event->type() == QEvent::ApplicationFontChange)
        applyScaledFont();
    return QPlainTextEdit::event(event);
}

void OutputPane::applyScaledFont()
{
    // The fixed font grows with the application's (the window's text scale for a projector).
    QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const double general = QFontDatabase::systemFont(QFontDatabase::GeneralFont).pointSizeF();
    if (general > 0 && fixed.pointSizeF() > 0)
        fixed.setPointSizeF(fixed.pointSizeF() * QApplication::font().pointSizeF() / general);
    setFont(fixed);
}

} // namespace Spawnscope::Ui
