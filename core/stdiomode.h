#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Spawnscope {

// What one of the child's descriptors is connected to (an entry of Node's `stdio` array).
struct StdioMode
{
    enum Kind {
        Pipe,    // a pipe to the parent: stdout/stderr data signals, write() for stdin
        Ignore,  // /dev/null
        Inherit, // the parent's own descriptor of the same number
        Ipc,     // the message channel (at most one)
        Fd,      // an open descriptor of the parent, given in `fd`
    };
    Kind kind = Pipe;
    int fd = -1;

    StdioMode(Kind k = Pipe) : kind(k) {}
    static StdioMode fromFd(int descriptor)
    {
        StdioMode m(Fd);
        m.fd = descriptor;
        return m;
    }
    // "pipe", "ignore", "inherit", "ipc", or a descriptor number; nullopt for anything else.
    static std::optional<StdioMode> fromString(const QString &text);
    QString toString() const;

    friend bool operator==(const StdioMode &a, const StdioMode &b)
    {
        return a.kind == b.kind && (a.kind != Fd || a.fd == b.fd);
    }
};

using StdioList = QList<StdioMode>;

} // namespace Spawnscope
