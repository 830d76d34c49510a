// A `*.spawnscope.json` file, loaded as File > Open and `spawnscope run FILE` load it.
//
// Properties: a file that does not load says why; one that loads holds no string with a NUL (a C
// string would cut it), and when it has no problem() it saves and loads back to the same spec and
// the same text, and folding its file nodes into redirections leaves it without a problem.

#include "fuzz.h"

#include <pipelinespec.h>
#include <shellline.h>

using namespace Spawnscope;

namespace {

bool noNul(const QString &s)
{
    return !s.contains(QChar(0));
}

void checkNoNul(const PipelineSpec &spec, const QString &what)
{
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        const StageSpec &s = *it;
        const QString where = what + QStringLiteral("\nstage %1: ").arg(it.key());
        FUZZ_CHECK(noNul(s.name) && noNul(s.program) && noNul(s.command) && noNul(s.cwd) && noNul(s.shell), where + QStringLiteral("name, program, command, cwd or shell"));
        for (const QString &a : s.args)
            FUZZ_CHECK(noNul(a), where + QStringLiteral("args"));
        for (auto e = s.env.cbegin(); e != s.env.cend(); ++e)
            FUZZ_CHECK(noNul(e.key()) && noNul(e.value()), where + QStringLiteral("env"));
        FUZZ_CHECK(noNul(s.stdinFile), where + QStringLiteral("stdin"));
        FUZZ_CHECK(noNul(s.stdoutFile.path), where + QStringLiteral("stdout"));
        FUZZ_CHECK(noNul(s.stderrFile.path), where + QStringLiteral("stderr"));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json = Fuzz::bytes(data, size).toByteArray();
    QString error;
    const std::optional<PipelineSpec> spec = PipelineSpec::fromJson(json, &error);
    if (!spec) {
        FUZZ_CHECK(!error.isEmpty(), QString::fromUtf8(json));
        return 0;
    }
    const QString what = QString::fromUtf8(json);
    checkNoNul(*spec, what);
    if (!spec->problem().isEmpty())
        return 0;

    const QByteArray saved = spec->toJson();
    const std::optional<PipelineSpec> loaded = PipelineSpec::fromJson(saved, &error);
    FUZZ_CHECK(loaded, what + QStringLiteral("\nsaved as\n") + QString::fromUtf8(saved) + error);
    FUZZ_CHECK(*loaded == *spec, what + QStringLiteral("\nsaved as\n") + QString::fromUtf8(saved) + QStringLiteral("\nloads as\n")
                                     + QString::fromUtf8(loaded->toJson()));
    FUZZ_CHECK(loaded->toJson() == saved, what);

    const PipelineSpec folded = spec->withFilesAsRedirections();
    FUZZ_CHECK(folded.problem().isEmpty(), what + QStringLiteral("\nfolded: ") + folded.problem());
    QString why;
    ShellLine::format(*spec, &why);
    return 0;
}
