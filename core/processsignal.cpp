#include "processsignal.h"

#include <csignal>
#include <iterator>

namespace Spawnscope {

namespace {

struct SignalEntry
{
    const char *name;
    int number;
};

// Node's os.constants.signals on Linux, in number order; SIGIOT and SIGPOLL are aliases.
constexpr SignalEntry kSignals[] = {
    {"SIGHUP", SIGHUP},     {"SIGINT", SIGINT},       {"SIGQUIT", SIGQUIT},   {"SIGILL", SIGILL},
    {"SIGTRAP", SIGTRAP},   {"SIGABRT", SIGABRT},     {"SIGIOT", SIGIOT},     {"SIGBUS", SIGBUS},
    {"SIGFPE", SIGFPE},     {"SIGKILL", SIGKILL},     {"SIGUSR1", SIGUSR1},   {"SIGSEGV", SIGSEGV},
    {"SIGUSR2", SIGUSR2},   {"SIGPIPE", SIGPIPE},     {"SIGALRM", SIGALRM},   {"SIGTERM", SIGTERM},
    {"SIGSTKFLT", SIGSTKFLT}, {"SIGCHLD", SIGCHLD},   {"SIGCONT", SIGCONT},   {"SIGSTOP", SIGSTOP},
    {"SIGTSTP", SIGTSTP},   {"SIGTTIN", SIGTTIN},     {"SIGTTOU", SIGTTOU},   {"SIGURG", SIGURG},
    {"SIGXCPU", SIGXCPU},   {"SIGXFSZ", SIGXFSZ},     {"SIGVTALRM", SIGVTALRM}, {"SIGPROF", SIGPROF},
    {"SIGWINCH", SIGWINCH}, {"SIGIO", SIGIO},         {"SIGPOLL", SIGPOLL},   {"SIGPWR", SIGPWR},
    {"SIGSYS", SIGSYS},
};

} // namespace

ProcessSignal::ProcessSignal(int number)
    : m_number(number >= 0 && number < NSIG ? number : -1), m_given(QString::number(number))
{
}

ProcessSignal::ProcessSignal(const QString &name) : m_number(numberOf(name)), m_given(name) {}

QString ProcessSignal::name() const
{
    return nameOf(m_number);
}

QString ProcessSignal::nameOf(int number)
{
    for (const auto &entry : kSignals) {
        if (entry.number == number)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

int ProcessSignal::numberOf(const QString &name)
{
    bool isNumber = false;
    const int number = name.toInt(&isNumber);
    if (isNumber)
        return number >= 0 && number < NSIG ? number : -1;
    QString upper = name.trimmed().toUpper();
    if (!upper.startsWith(QLatin1String("SIG")))
        upper.prepend(QLatin1String("SIG"));
    for (const auto &entry : kSignals) {
        if (upper == QLatin1String(entry.name))
            return entry.number;
    }
    return -1;
}

} // namespace Spawnscope
