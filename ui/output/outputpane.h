#pragma once

#include <outputbuffer.h>

#include <QPlainTextEdit>
#include <QPointer>
#include <QTimer>

class QLabel;

namespace Spawnscope::Ui {

// Shows one OutputBuffer and keeps the window responsive however fast lines come: new lines are
// taken on a timer in bounded chunks (never more than `chunkLines` per tick), scrollback is
// bounded by the buffer's maxLines, and the view follows the tail only while the user is at
// the bottom. A backlog larger than the scrollback is skipped over, not drawn; a bar at the top
// then says how many earlier lines are not shown. The window's notes (why a process did not
// start...) show in every pane, in the error colour.
class OutputPane : public QPlainTextEdit
{
    Q_OBJECT
public:
    enum class Filter { Both, Stdout, Stderr };

    explicit OutputPane(QWidget *parent = nullptr);

    void setBuffer(OutputBuffer *buffer); // nullptr: empty
    OutputBuffer *buffer() const { return m_buffer; }
    void setFilter(Filter filter);
    Filter filter() const { return m_filter; }
    void setTimestamps(bool on);
    void setChunkLines(int lines) { m_chunkLines = qMax(1, lines); }
    // Shows everything pending now (for tests and before saving).
    void drain();
    int shownLines() const;
    // Selects the first shown line that arrived at or after `msecs` (since the epoch), or the
    // last line, and scrolls it to the middle; false when nothing is shown.
    bool scrollToTime(qint64 msecs);
    qint64 skippedLines() const { return m_skipped; }
    // Earlier lines of the process that are not in the pane (dropped by the scrollback).
    qint64 hiddenLines() const { return m_hidden; }
    QLabel *hiddenBanner() const { return m_banner; }

Q_SIGNALS:
    // After a tick that appended lines.
    void appended(int lines);

protected:
    void changeEvent(QEvent *event) override;
    bool event(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyScaledFont();
    QPointer<OutputBuffer> m_buffer;
    Filter m_filter = Filter::Both;
    bool m_timestamps = false;
    qint64 m_nextSeq = 0;
    qint64 m_skipped = 0;
    qint64 m_hidden = 0;
    QLabel *m_banner;
    bool m_anyShown = false;
    static constexpr int CalmIntervalMs = 40;
    static constexpr int FloodIntervalMs = 120;
    int m_chunkLines = 3000;
    QTimer m_timer;

    void tick();
    void reload();
    void updateBanner();
};

} // namespace Spawnscope::Ui
