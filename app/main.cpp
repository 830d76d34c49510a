#include "batchcommand.h"
#include "guicommand.h"
#include "lessoncommand.h"
#include "runcommand.h"
#include "tracecommand.h"

#include <childprocess.h>
#include <osstring.h>

#include <QCoreApplication>

#include <cstdio>
#include <cstring>

namespace {

const char kHelp[] = R"(Spawnscope: run, wire and watch child processes.

Usage:
  spawnscope                                       open the window
  spawnscope gui [--screenshot FILE --quit-after MS] [--mode MODE] [-- COMMAND...]
                                                   open it running COMMAND; save a picture and quit
  spawnscope gui --open FILE.spawnscope.json [--run] [--screenshot FILE --quit-after MS]
                                                   open a pipeline in the builder (and run it; the
                                                   picture is taken once the run ended, or at MS)
  spawnscope trace [OPTIONS] -- PROGRAM [ARG...]   run one child, print every event as JSON Lines
  spawnscope run [OPTIONS] (FILE.spawnscope.json | -e 'LINE')
                                                   run a pipeline; exit with its status
  spawnscope batch [OPTIONS] TEMPLATE [INPUT...]   a job per input, N at a time
  spawnscope batch --worker [PROGRAM] --op OP INPUT...
                                                   jobs as messages to forked workers
  spawnscope lesson --list | STEP [--trace]        the bundled lesson's steps, or one run headless
  spawnscope --help | --version

trace options:
  --mode spawn|exec|execFile|fork|spawnSync|execSync|execFileSync
  --cwd DIR  --env KEY=VALUE  --env-clear  --shell[=PATH]  --argv0 NAME  --detached
  --stdio MODE|A,B,C  --input TEXT  --timeout MS  --kill-signal SIG  --max-buffer BYTES
  --kill SIG@MS  --abort-after MS  --send JSON  --disconnect  --exec-path PATH

run options:
  --trace            every stage's events as JSON Lines (trace format plus "stage")
  --policy P         last (as sh), pipefail (default, as bash -o pipefail), all
  --grace MS         Ctrl-C: SIGTERM to the group, SIGKILL after MS (default 2000)
  --tap              relay every edge through spawnscope to count it
  --save FILE        write the pipeline that -e parsed

batch options:
  -j N               jobs at once (default: the number of cores)
  --retries N        attempts per job (as GNU parallel)    --timeout MS   per attempt
  --halt P           never (default), soon (start no more after a failure), now (stop all)
  --joblog FILE      GNU parallel's job log, plus bytes out/err
  --keep-order       print jobs' output in input order     --shell        run TEMPLATE by /bin/sh
  Inputs are read from standard input, one a line, when none are given. The exit status is the
  number of failed jobs (at most 101); 130 after Ctrl-C, 143 after SIGTERM.
)";

} // namespace

int main(int argc, char *argv[])
{
    // The window needs a display; the headless commands must not.
    const QString first = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    // Help needs no display, and the window's options are part of it.
    for (int i = 1; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            if (first == QLatin1String("gui") || i == 1) {
                std::fputs(kHelp, stdout);
                return 0;
            }
        }
    }
    // The window and batch guard the groups of what they start; the guard is forked now, while
    // this process is small (it keeps a copy of each page changed later).
    if (first == QLatin1String("batch"))
        Spawnscope::ChildProcess::startGroupGuard();
    if (argc == 1 || first == QLatin1String("gui") || first == QLatin1String("--screenshot") || first == QLatin1String("--quit-after")
        || first == QLatin1String("--open")) {
        Spawnscope::ChildProcess::startGroupGuard();
        return runGui(argc, argv);
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("spawnscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SPAWNSCOPE_VERSION));
    // Arguments are bytes: names that are not UTF-8 must reach the children as they came.
    const QStringList args = Spawnscope::OsString::arguments(argc, argv).mid(1);
    if (args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        std::fputs(kHelp, stdout);
        return 0;
    }
    if (args.first() == QLatin1String("--version")) {
        std::printf("spawnscope %s\n", SPAWNSCOPE_VERSION);
        return 0;
    }
    if (args.first() == QLatin1String("trace"))
        return runTraceCommand(args.mid(1));
    if (args.first() == QLatin1String("run"))
        return runRunCommand(args.mid(1));
    if (args.first() == QLatin1String("batch"))
        return runBatchCommand(args.mid(1));
    if (args.first() == QLatin1String("lesson"))
        return runLessonCommand(args.mid(1));
    std::fprintf(stderr, "spawnscope: unknown command '%s' (see spawnscope --help)\n", qPrintable(Spawnscope::OsString::readable(args.first())));
    return 2;
}
