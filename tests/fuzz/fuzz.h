#pragma once

// What the fuzz targets share. A property that does not hold aborts, so that libFuzzer keeps
// the input as a crash and the replay test fails on it.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace Fuzz {

[[noreturn]] inline void fail(const char *property, const QString &detail)
{
    // Written whole: the detail may hold NUL characters.
    const QByteArray text = QByteArray("\nproperty does not hold: ") + property + '\n' + detail.toUtf8() + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stderr);
    std::fflush(stderr);
    std::abort();
}

// A string as a JSON literal: control characters and odd code points visible in a report.
inline QString shown(const QString &text)
{
    const QByteArray json = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

inline QByteArrayView bytes(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace Fuzz

#define FUZZ_CHECK(condition, detail)                                                                                  \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            Fuzz::fail(#condition, detail);                                                                            \
    } while (false)
