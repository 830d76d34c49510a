#pragma once

// Test support: another process's descendants, read from /proc, and whether a pid still runs.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>

#include <sys/types.h>

// The children of `pid` (zombies included), from every one of its threads.
inline QList<pid_t> childrenOf(pid_t pid)
{
    QList<pid_t> pids;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile file(tasks.filePath(task + QStringLiteral("/children")));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &child : file.readAll().split(' ')) {
            if (!child.trimmed().isEmpty())
                pids << pid_t(child.trimmed().toInt());
        }
    }
    return pids;
}

// Children, grandchildren and so on, parents before their children.
inline QList<pid_t> descendantsOf(pid_t pid)
{
    QList<pid_t> all = childrenOf(pid);
    for (qsizetype i = 0; i < all.size(); ++i)
        all += childrenOf(all[i]);
    return all;
}

// A field of /proc/PID/stat after the command's name (0: the state), or an empty array.
inline QByteArray statField(pid_t pid, int index)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = stat.readAll();
    const qsizetype paren = text.lastIndexOf(')');
    return paren < 0 ? QByteArray() : text.mid(paren + 2).split(' ').value(index);
}

inline pid_t parentOf(pid_t pid) { return pid_t(statField(pid, 1).toInt()); }
inline pid_t processGroupOf(pid_t pid) { return pid_t(statField(pid, 2).toInt()); }

// The program a process runs, or an empty string once it is gone (or a zombie).
inline QString programOf(pid_t pid)
{
    return QFileInfo(QStringLiteral("/proc/%1/exe").arg(pid)).symLinkTarget();
}

// The descendants of `pid` that run `program` (a path, as the tests' child's).
inline QList<pid_t> descendantsRunning(pid_t pid, const QString &program)
{
    QList<pid_t> found;
    for (pid_t p : descendantsOf(pid)) {
        if (programOf(p) == QFileInfo(program).canonicalFilePath())
            found << p;
    }
    return found;
}

// Whether `pid` is a process that still runs. A killed orphan goes to init (or a subreaper),
// which may take a while to reap it: a zombie counts as gone.
inline bool isRunning(pid_t pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype paren = text.lastIndexOf(')');
    return paren >= 0 && text.size() > paren + 2 && text[paren + 2] != 'Z' && text[paren + 2] != 'X';
}

inline QList<pid_t> stillRunning(const QList<pid_t> &pids)
{
    QList<pid_t> running;
    for (pid_t p : pids) {
        if (isRunning(p))
            running << p;
    }
    return running;
}
