#include "ansiparser.h"

namespace Spawnscope {

QColor AnsiParser::paletteColor(int n)
{
    static const QRgb basic[16] = {0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
                                   0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff};
    if (n < 0 || n > 255)
        return {};
    if (n < 16)
        return QColor(basic[n]);
    if (n < 232) {
        const int i = n - 16;
        auto level = [](int v) { return v == 0 ? 0 : 55 + v * 40; };
        return QColor(level(i / 36), level(i / 6 % 6), level(i % 6));
    }
    const int grey = 8 + (n - 232) * 10;
    return QColor(grey, grey, grey);
}

void AnsiParser::applySgr(const QList<int> &p)
{
    if (p.isEmpty()) {
        m_style = Style();
        return;
    }
    for (int i = 0; i < p.size(); ++i) {
        const int c = p[i];
        if (c == 0)
            m_style = Style();
        else if (c == 1)
            m_style.bold = true;
        else if (c == 3)
            m_style.italic = true;
        else if (c == 4)
            m_style.underline = true;
        else if (c == 7)
            m_style.inverse = true;
        else if (c == 22)
            m_style.bold = false;
        else if (c == 23)
            m_style.italic = false;
        else if (c == 24)
            m_style.underline = false;
        else if (c == 27)
            m_style.inverse = false;
        else if (c >= 30 && c <= 37)
            m_style.foreground = paletteColor(c - 30);
        else if (c >= 90 && c <= 97)
            m_style.foreground = paletteColor(c - 90 + 8);
        else if (c == 39)
            m_style.foreground = QColor();
        else if (c >= 40 && c <= 47)
            m_style.background = paletteColor(c - 40);
        else if (c >= 100 && c <= 107)
            m_style.background = paletteColor(c - 100 + 8);
        else if (c == 49)
            m_style.background = QColor();
        else if ((c == 38 || c == 48) && i + 1 < p.size()) {
            QColor color;
            if (p[i + 1] == 5 && i + 2 < p.size()) {
                color = paletteColor(p[i + 2]);
                i += 2;
            } else if (p[i + 1] == 2 && i + 4 < p.size()) {
                color = QColor(qBound(0, p[i + 2], 255), qBound(0, p[i + 3], 255), qBound(0, p[i + 4], 255));
                i += 4;
            } else {
                break; // malformed: the rest of this sequence means nothing reliable
            }
            (c == 38 ? m_style.foreground : m_style.background) = color;
        }
    }
}

QString AnsiParser::parse(const QString &line, QList<Span> *spans)
{
    spans->clear();
    QString out;
    out.reserve(line.size());
    auto styled = [&](const QString &text) {
        if (text.isEmpty())
            return;
        if (!m_style.isPlain()) {
            if (!spans->isEmpty() && spans->last().style == m_style && spans->last().start + spans->last().length == out.size())
                spans->last().length += int(text.size());
            else
                spans->append(Span{int(out.size()), int(text.size()), m_style});
        }
        out += text;
    };
    qsizetype i = 0;
    qsizetype plainStart = 0;
    const qsizetype n = line.size();
    while (i < n) {
        if (line[i] != QChar(0x1b)) {
            ++i;
            continue;
        }
        styled(line.mid(plainStart, i - plainStart));
        if (i + 1 >= n) {
            i = n;
        } else if (line[i + 1] == QLatin1Char('[')) {
            // CSI: parameters, intermediates, one final byte in @..~
            qsizetype j = i + 2;
            while (j < n && !(line[j].unicode() >= 0x40 && line[j].unicode() <= 0x7e))
                ++j;
            if (j < n && line[j] == QLatin1Char('m')) {
                QList<int> params;
                for (const QString &part : line.mid(i + 2, j - i - 2).split(QLatin1Char(';')))
                    params << (part.isEmpty() ? 0 : part.toInt());
                if (line.mid(i + 2, j - i - 2).isEmpty())
                    params.clear();
                applySgr(params);
            }
            i = qMin(j + 1, n);
        } else if (line[i + 1] == QLatin1Char(']')) {
            // OSC: up to BEL or ST (ESC \)
            qsizetype j = i + 2;
            while (j < n && line[j] != QChar(0x07) && !(line[j] == QChar(0x1b) && j + 1 < n && line[j + 1] == QLatin1Char('\\')))
                ++j;
            i = j < n ? (line[j] == QChar(0x07) ? j + 1 : j + 2) : n;
        } else if (QStringLiteral("()*+").contains(line[i + 1])) {
            i = qMin(i + 3, n); // charset designation: ESC ( B
        } else {
            i += 2;
        }
        plainStart = i;
    }
    styled(line.mid(plainStart));
    return out;
}

} // namespace Spawnscope
