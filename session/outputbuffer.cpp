#include "outputbuffer.h"

#include "sessionlogging.h"

#include <algorithm>

#include <QDateTime>
#include <QElapsedTimer>
#include <QSaveFile>

namespace Spawnscope {

namespace {

bool endsInsideCharacter(const QByteArray &bytes)
{
    for (qsizetype i = 1; i <= qMin<qsizetype>(3, bytes.size()); ++i) {
        const uchar b = uchar(bytes[bytes.size() - i]);
        if ((b & 0xC0) == 0x80)
            continue;
        const qsizetype length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return i < length;
    }
    return false;
}

} // namespace

OutputBuffer::OutputBuffer(const QString &spoolBase, int maxLines, QObject *parent)
    : QObject(parent)
    , m_maxLines(qMax(1, maxLines))
{
    m_out.spool.setFileName(spoolBase + QStringLiteral(".stdout"));
    m_err.spool.setFileName(spoolBase + QStringLiteral(".stderr"));
    if (spoolBase.isEmpty()) {
        // No folder to spool in: never a relative path, which would be the working folder's.
        m_out.spoolBroken = m_err.spoolBroken = true;
        appendNote(QStringLiteral("Spawnscope has no folder to save this output in: only the last %1 lines are kept, in memory.")
                       .arg(m_maxLines));
        return;
    }
    for (StreamState *s : {&m_out, &m_err}) {
        // Only the spool keeps what scrolled out of memory: a spool that cannot be made is said
        // where the user looks, not only in the log. Unbuffered, so that what was shown is on
        // disk even if the window is killed; the user's alone, like the output it holds.
        if (!s->spool.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered))
            spoolFailed(*s, s->spool.errorString());
        else
            s->spool.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    }
}

void OutputBuffer::spoolFailed(StreamState &s, const QString &why)
{
    if (s.spoolBroken)
        return;
    s.spoolBroken = true;
    qCWarning(lcOutput, "cannot spool to %s: %s", qPrintable(s.spool.fileName()), qPrintable(why));
    appendNote(QStringLiteral("Spawnscope cannot save this output to %1 (%2): from here on only the last %3 lines are kept, "
                              "in memory. Free some space, or raise View > Scrollback.")
                   .arg(s.spool.fileName(), why)
                   .arg(m_maxLines));
}

QString OutputBuffer::spoolPath(Stream stream) const
{
    return stream == Stdout ? m_out.spool.fileName() : m_err.spool.fileName();
}

void OutputBuffer::append(Stream stream, const QByteArray &data)
{
    StreamState &s = stream == Stdout ? m_out : m_err;
    (stream == Stdout ? m_bytesOut : m_bytesErr) += data.size();
    if (!s.spoolBroken && s.spool.write(data) != data.size())
        spoolFailed(s, s.spool.errorString());
    s.lastBytes = data.size() >= 3 ? data.right(3) : (s.lastBytes + data).right(3); // not a copy of the chunk
    if (m_pending.empty() && data.size() <= SliceBytes) {
        decode(stream, data);
        return;
    }
    for (qsizetype at = 0; at < data.size(); at += SliceBytes)
        m_pending.emplace_back(stream, data.mid(at, SliceBytes));
    m_pendingBytes += data.size();
    if (m_pendingBytes > MaxPendingBytes) {
        processPending();
        return;
    }
    if (!m_sliceScheduled) {
        m_sliceScheduled = true;
        QMetaObject::invokeMethod(this, &OutputBuffer::processSlice, Qt::QueuedConnection);
    }
}

void OutputBuffer::processSlice()
{
    m_sliceScheduled = false;
    // As much as fits in a short budget per event-loop turn: enough to keep up with a flood,
    // short enough that timers, input and painting still get their turn.
    QElapsedTimer budget;
    budget.start();
    while (!m_pending.empty() && budget.elapsed() < SliceBudgetMs) {
        auto [stream, data] = std::move(m_pending.front());
        m_pending.pop_front();
        m_pendingBytes -= data.size();
        decode(stream, data);
    }
    if (!m_pending.empty()) {
        m_sliceScheduled = true;
        QMetaObject::invokeMethod(this, &OutputBuffer::processSlice, Qt::QueuedConnection);
    } else if (m_finishPending) {
        finish();
    }
}

void OutputBuffer::processPending()
{
    while (!m_pending.empty()) {
        auto [stream, data] = std::move(m_pending.front());
        m_pending.pop_front();
        m_pendingBytes -= data.size();
        decode(stream, data);
    }
    if (m_finishPending)
        finish();
}

void OutputBuffer::decode(Stream stream, const QByteArray &data)
{
    StreamState &s = stream == Stdout ? m_out : m_err;
    const qint64 before = m_nextSeq;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QString text = s.partial + s.decoder.decode(data);
    qsizetype start = 0;
    for (qsizetype nl = text.indexOf(QLatin1Char('\n')); nl >= 0; nl = text.indexOf(QLatin1Char('\n'), start)) {
        addLine(stream, s, text.mid(start, nl - start), now);
        start = nl + 1;
    }
    s.partial = text.mid(start);
    if (m_nextSeq != before)
        Q_EMIT linesAdded();
}

void OutputBuffer::finish()
{
    if (!m_pending.empty()) {
        m_finishPending = true; // after the last slice
        return;
    }
    m_finishPending = false;
    const qint64 before = m_nextSeq;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto [state, stream] : {std::pair{&m_out, Stdout}, std::pair{&m_err, Stderr}}) {
        if (endsInsideCharacter(state->lastBytes))
            state->partial += QChar::ReplacementCharacter; // cut off by the end: shown, not lost
        state->lastBytes.clear();
        if (!state->partial.isEmpty())
            addLine(stream, *state, state->partial, now);
        state->partial.clear();
        state->spool.flush();
    }
    if (m_nextSeq != before)
        Q_EMIT linesAdded();
}

void OutputBuffer::addLine(Stream stream, StreamState &state, const QString &text, qint64 now)
{
    QString raw = text;
    if (raw.endsWith(QLatin1Char('\r')))
        raw.chop(1);
    Line line{m_nextSeq++, {}, stream, now, {}};
    const bool escapes = raw.contains(QChar(0x1b));
    if (!raw.contains(QLatin1Char('\r'))) {
        line.text = escapes || !state.ansi.isPlain() ? state.ansi.parse(raw, &line.spans) : raw;
    } else {
        // As a terminal shows it: each \r returns to the start and overwrites what was there;
        // the colours are those of the last write.
        for (const QString &segment : raw.split(QLatin1Char('\r'))) {
            const QString visible = state.ansi.parse(segment, &line.spans);
            line.text = visible + line.text.mid(visible.size());
        }
    }
    m_lines.push_back(std::move(line));
    if (int(m_lines.size()) > m_maxLines)
        m_lines.pop_front();
}

void OutputBuffer::appendNote(const QString &text)
{
    processPending();
    m_lines.push_back(Line{m_nextSeq++, text, Note, QDateTime::currentMSecsSinceEpoch(), {}});
    if (int(m_lines.size()) > m_maxLines)
        m_lines.pop_front();
    Q_EMIT linesAdded();
}

QList<OutputBuffer::Line> OutputBuffer::linesFrom(qint64 from, int most) const
{
    QList<Line> out;
    if (m_lines.empty())
        return out;
    const qint64 first = m_lines.front().seq;
    qsizetype at = qMax<qint64>(0, from - first);
    for (; at < qsizetype(m_lines.size()) && out.size() < most; ++at)
        out.append(m_lines[size_t(at)]);
    return out;
}

bool OutputBuffer::save(const QString &path, bool stdoutToo, bool stderrToo, QString *error) const
{
    const_cast<QFile &>(m_out.spool).flush();
    const_cast<QFile &>(m_err.spool).flush();
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly)) {
        *error = out.errorString();
        return false;
    }
    for (const QString &spool : {stdoutToo ? spoolPath(Stdout) : QString(), stderrToo ? spoolPath(Stderr) : QString()}) {
        if (spool.isEmpty())
            continue;
        QFile in(spool);
        if (!in.open(QIODevice::ReadOnly)) {
            *error = in.errorString();
            return false;
        }
        while (!in.atEnd())
            out.write(in.read(1 << 20));
    }
    if (!out.commit()) {
        *error = out.errorString();
        return false;
    }
    return true;
}

qint64 OutputBuffer::seqAt(qint64 msecs) const
{
    const auto it = std::lower_bound(m_lines.begin(), m_lines.end(), msecs, [](const Line &l, qint64 t) { return l.msecs < t; });
    return it == m_lines.end() ? m_nextSeq : it->seq;
}

} // namespace Spawnscope
