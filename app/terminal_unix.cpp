#include "terminal.h"

#include <cerrno>

#include <unistd.h>

void Terminal::write(int fd, const QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // a closed terminal or pipe: nothing more can be shown
        done += n;
    }
}

bool Terminal::isTerminal(int fd)
{
    return ::isatty(fd) == 1;
}
