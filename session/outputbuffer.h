#pragma once

#include "ansiparser.h"

#include <QFile>
#include <QObject>
#include <QStringDecoder>

#include <deque>

namespace Spawnscope {

// One process's output: every byte spooled to files in the session folder (nothing is lost to
// the scrollback), and the most recent `maxLines` lines kept in memory, decoded (invalid UTF-8
// becomes U+FFFD), numbered, tagged with their stream, with ANSI colours as spans and `\r`
// applied as a terminal would, for the panes.
class OutputBuffer : public QObject
{
    Q_OBJECT
public:
    // Note: what the window says about the process (why it did not start, that it was stopped),
    // shown among its lines but never part of its output.
    enum Stream : quint8 { Stdout = 1, Stderr = 2, Note = 3 };
    struct Line
    {
        qint64 seq = 0;    // 0, 1, 2... over the process's whole life
        QString text;      // without its newline
        Stream stream = Stdout;
        qint64 msecs = 0;  // arrival, since the epoch
        QList<AnsiParser::Span> spans; // colours and emphasis; escape sequences are gone from text
    };

    OutputBuffer(const QString &spoolBase, int maxLines, QObject *parent = nullptr);

    // Spools `data` at once; lines come at once for a small chunk with nothing waiting,
    // otherwise in slices within a short time budget per event-loop turn, so that a flood never
    // holds the window's thread for long (beyond MaxPendingBytes waiting, all is done at once).
    void append(Stream stream, const QByteArray &data);
    bool hasPending() const { return !m_pending.empty(); }
    void processPending(); // all of it, now
    // Ends both streams: an unfinished last line becomes a line.
    void finish();
    // A line of our own after everything appended so far (pending slices included).
    void appendNote(const QString &text);

    // Retained lines with seq >= from (all of them when `from` was dropped already).
    QList<Line> linesFrom(qint64 from, int most) const;
    qint64 nextSeq() const { return m_nextSeq; }
    // The first retained line that arrived at or after `msecs` (since the epoch); nextSeq() if none.
    qint64 seqAt(qint64 msecs) const;
    qint64 firstRetained() const { return m_lines.empty() ? m_nextSeq : m_lines.front().seq; }
    int maxLines() const { return m_maxLines; }
    qint64 bytes(Stream stream) const { return stream == Stdout ? m_bytesOut : m_bytesErr; }
    QString spoolPath(Stream stream) const;
    // The complete output of one stream, or of both one after the other, from the spool.
    bool save(const QString &path, bool stdoutToo, bool stderrToo, QString *error) const;

Q_SIGNALS:
    // After append() or finish() added complete lines; at most once per call.
    void linesAdded();

private:
    struct StreamState
    {
        QFile spool;
        QStringDecoder decoder{QStringDecoder::Utf8};
        QString partial;
        QByteArray lastBytes; // the stream's last three bytes: does it end inside a character?
        AnsiParser ansi;
        bool spoolBroken = false; // said once; nothing more is written to it
    };
    void spoolFailed(StreamState &s, const QString &why);
    StreamState m_out;
    StreamState m_err;
    static constexpr qsizetype SliceBytes = 64 * 1024;
    static constexpr qsizetype MaxPendingBytes = 64 * 1024 * 1024;
    static constexpr int SliceBudgetMs = 6;
    std::deque<std::pair<Stream, QByteArray>> m_pending;
    qsizetype m_pendingBytes = 0;
    bool m_sliceScheduled = false;
    bool m_finishPending = false;
    void decode(Stream stream, const QByteArray &data);
    void processSlice();
    std::deque<Line> m_lines;
    int m_maxLines;
    qint64 m_nextSeq = 0;
    qint64 m_bytesOut = 0;
    qint64 m_bytesErr = 0;

    void addLine(Stream stream, StreamState &state, const QString &text, qint64 now);
};

} // namespace Spawnscope
