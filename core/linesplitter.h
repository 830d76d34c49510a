#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>

namespace Spawnscope {

// Cuts a byte stream into lines, the way an output pane or a line-oriented reader needs it:
// chunks may end anywhere, a line may span many chunks, and nothing is copied for lines that
// lie inside one chunk. A line excludes its '\n' (and a '\r' right before it).
class LineSplitter
{
public:
    // Calls onLine(QByteArrayView) for every line completed by `chunk`, in order. The view is
    // valid only during the call.
    template<typename OnLine>
    void feed(QByteArrayView chunk, OnLine &&onLine)
    {
        const char *p = chunk.data();
        const char *end = p + chunk.size();
        while (p < end) {
            const char *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
            if (!nl) {
                m_partial.append(p, end - p);
                return;
            }
            if (m_partial.isEmpty()) {
                onLine(trimmed(QByteArrayView(p, nl - p)));
            } else {
                m_partial.append(p, nl - p);
                onLine(trimmed(QByteArrayView(m_partial)));
                m_partial.clear();
            }
            p = nl + 1;
        }
    }

    // The unfinished last line (e.g. at end of stream), which is then forgotten.
    QByteArray takePartial()
    {
        QByteArray rest = std::move(m_partial);
        m_partial.clear();
        return rest;
    }
    bool hasPartial() const { return !m_partial.isEmpty(); }

private:
    static QByteArrayView trimmed(QByteArrayView line)
    {
        return (!line.isEmpty() && line.back() == '\r') ? line.chopped(1) : line;
    }

    QByteArray m_partial;
};

} // namespace Spawnscope
