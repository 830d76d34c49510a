// A trace file (JSON Lines), read line by line as the timeline's import and `spawnscope trace`'s
// readers read it.
//
// Properties: a line that is not a trace line says why; one that is writes back as one line that
// reads back to the same line (kind, who, and fields) and writes the same text again.

#include "fuzz.h"

#include <traceline.h>

#include <QJsonObject>

using namespace Spawnscope;

namespace {

bool validUtf16(const QJsonValue &v);

bool validUtf16(const QJsonObject &o)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!it.key().isValidUtf16() || !validUtf16(it.value()))
            return false;
    }
    return true;
}

// A lone surrogate ("\ud800") has no UTF-8 form; writing it changes it, once.
bool validUtf16(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().isValidUtf16();
    if (v.isObject())
        return validUtf16(v.toObject());
    if (v.isArray()) {
        for (const QJsonValue &x : v.toArray()) {
            if (!validUtf16(x))
                return false;
        }
    }
    return true;
}

} // namespace

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
        FUZZ_CHECK(back->kind == line->kind && back->otherName == line->otherName && back->process == line->process
                       && back->stage == line->stage,
                   what);
        const bool clean = line->name.isValidUtf16() && line->command.isValidUtf16() && line->mode.isValidUtf16()
                        && line->otherName.isValidUtf16() && validUtf16(line->fields());
        if (clean) {
            FUZZ_CHECK(back->name == line->name && back->command == line->command && back->mode == line->mode, what);
            FUZZ_CHECK(back->fields() == line->fields(), what);
        }
        FUZZ_CHECK(back->toJson() == written, what + QStringLiteral("\nthen as\n") + QString::fromUtf8(back->toJson()));
    }
    return 0;
}
