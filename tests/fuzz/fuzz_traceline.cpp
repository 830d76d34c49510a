// A trace file (JSON Lines), read line by line as the timeline's import and `spawnscope trace`'s
// readers read it.
//
// Properties: a line that is not a trace line says why; one that is writes back as one line that
// reads back to the same line (kind, who, and fields, but for lone surrogates, written as U+FFFD)
// and writes the same text again.

#include "fuzz.h"

#include <traceline.h>

#include <QRegularExpression>

using namespace Spawnscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView text = Fuzz::bytes(data, size);
    for (qsizetype at = 0; at <= text.size();) {
        qsizetype nl = text.indexOf('\n', at);
        if (nl < 0)
            nl = text.size();
        const QByteArray input = text.sliced(at, nl - at).toByteArray();
        at = nl + 1;

        QString error;
        const std::optional<TraceLine> line = TraceLine::fromJson(input, &error);
        if (!line) {
            FUZZ_CHECK(!error.isEmpty(), QString::fromUtf8(input));
            continue;
        }
        const QByteArray written = line->toJson();
        const QString what = QString::fromUtf8(input) + QStringLiteral("\nwritten as\n") + QString::fromUtf8(written);
        FUZZ_CHECK(!written.contains('\n'), what);
        const std::optional<TraceLine> back = TraceLine::fromJson(written, &error);
        FUZZ_CHECK(back, what + QLatin1Char('\n') + error);
        // A lone surrogate is written as U+FFFD, so that trace files stay Unicode (as Node's
        // are): a line holding a surrogate escape reads back changed, by design, once.
        static const QRegularExpression surrogateEscape(QStringLiteral(R"(\\u[dD][89abcdefABCDEF])"));
        if (!surrogateEscape.match(QString::fromUtf8(input)).hasMatch()) {
            FUZZ_CHECK(back->kind == line->kind && back->otherName == line->otherName && back->process == line->process
                           && back->stage == line->stage,
                       what);
            FUZZ_CHECK(back->name == line->name && back->command == line->command && back->mode == line->mode, what);
            FUZZ_CHECK(back->fields() == line->fields(), what);
            FUZZ_CHECK(back->toJson() == written, what + QStringLiteral("\nthen as\n") + QString::fromUtf8(back->toJson()));
        }
    }
    return 0;
}
