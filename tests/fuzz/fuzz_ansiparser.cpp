// Program output (UTF-8) as an output pane shows it: line by line through one parser, the style
// carrying over from line to line.
//
// Properties: the visible text holds no ESC, is no longer than the line and keeps its characters in
// order (escape sequences are only removed); a line without ESC comes out unchanged; the spans are
// in order, inside the text, not empty, styled, and two that touch have different styles (else
// they would be one).

#include "fuzz.h"

#include <ansiparser.h>

using namespace Spawnscope;

namespace {

bool isSubsequence(const QString &part, const QString &whole)
{
    qsizetype k = 0;
    for (qsizetype i = 0; i < whole.size() && k < part.size(); ++i) {
        if (whole[i] == part[k])
            ++k;
    }
    return k == part.size();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(Fuzz::bytes(data, size));
    AnsiParser parser;
    QList<AnsiParser::Span> spans;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const bool plainBefore = parser.isPlain();
        const QString out = parser.parse(line, &spans);
        const QString what = Fuzz::shown(line) + QStringLiteral(" gave ") + Fuzz::shown(out);
        FUZZ_CHECK(!out.contains(QChar(0x1b)), what);
        FUZZ_CHECK(out.size() <= line.size() && isSubsequence(out, line), what);
        if (!line.contains(QChar(0x1b))) {
            FUZZ_CHECK(out == line, what);
            FUZZ_CHECK(spans.size() == ((plainBefore || line.isEmpty()) ? 0 : 1), what);
        }
        int end = 0;
        for (qsizetype k = 0; k < spans.size(); ++k) {
            const AnsiParser::Span &s = spans[k];
            FUZZ_CHECK(s.start >= end && s.length > 0 && s.start + s.length <= out.size() && !s.style.isPlain(),
                       what + QStringLiteral(" span %1+%2").arg(s.start).arg(s.length));
            if (k > 0 && s.start == end)
                FUZZ_CHECK(!(s.style == spans[k - 1].style), what + QStringLiteral(" span %1 not merged").arg(k));
            end = s.start + s.length;
        }
    }
    return 0;
}
