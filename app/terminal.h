#pragma once

#include <QByteArray>

// The headless commands' standard streams: raw, unbuffered writes that never lose a partial
// write, and whether a stream is a terminal (for progress bars).
class Terminal
{
public:
    static void write(int fd, const QByteArray &data);
    static bool isTerminal(int fd);
};
