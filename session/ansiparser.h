#pragma once

#include <QColor>
#include <QList>
#include <QString>

namespace Spawnscope {

// Terminal escape sequences in program output: SGR (colours in 16, 256 and 24-bit form, bold,
// italic, underline, inverse) becomes styled spans; every other escape sequence (cursor moves,
// erase, OSC titles and links, charset switches) is removed. The style carries over from one
// line to the next, as on a terminal.
class AnsiParser
{
public:
    struct Style
    {
        QColor foreground; // invalid: the pane's own
        QColor background;
        bool bold = false;
        bool italic = false;
        bool underline = false;
        bool inverse = false;
        bool isPlain() const { return !foreground.isValid() && !background.isValid() && !bold && !italic && !underline && !inverse; }
        friend bool operator==(const Style &, const Style &) = default;
    };
    struct Span
    {
        int start = 0;
        int length = 0;
        Style style;
    };

    // The visible text of `line`; its styled stretches go to `spans` (none for plain text).
    QString parse(const QString &line, QList<Span> *spans);
    void reset() { m_style = Style(); }
    bool isPlain() const { return m_style.isPlain(); }

    static QColor paletteColor(int index); // the xterm 256-colour palette

private:
    Style m_style;
    void applySgr(const QList<int> &params);
};

} // namespace Spawnscope
