#include "sessionfolder.h"

#include "sessionlogging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <cerrno>
#include <csignal>

namespace Spawnscope {

namespace {

bool isRunning(qint64 pid)
{
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
}

} // namespace

QString SessionFolder::defaultRoot()
{
    // The runtime folder is the user's alone (0700) and emptied at logout; the cache folder is
    // where a system without one keeps such files.
    QString base = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (base.isEmpty())
        base = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    return base.isEmpty() ? QString() : QDir(base).filePath(QStringLiteral("spawnscope"));
}

SessionFolder::SessionFolder(const QString &root)
{
    const QString where = root.isEmpty() ? defaultRoot() : root;
    if (where.isEmpty() || !QDir().mkpath(where)) {
        m_error = where.isEmpty() ? QStringLiteral("there is no runtime or cache folder") : QStringLiteral("cannot make %1").arg(where);
        qCWarning(lcOutput, "no session folder: %s", qPrintable(m_error));
        return;
    }
    QFile::setPermissions(where, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    // Sessions that ended without cleaning up (killed): their pid, before the dash, is gone.
    const QDir dir(where);
    for (const QFileInfo &f : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool ok = false;
        const qint64 pid = f.fileName().section(QLatin1Char('-'), 0, 0).toLongLong(&ok);
        if (ok && pid != QCoreApplication::applicationPid() && !isRunning(pid) && QDir(f.filePath()).removeRecursively())
            ++m_removed;
    }
    if (m_removed)
        qCInfo(lcOutput, "removed %d folder(s) of sessions that ended without cleaning up", m_removed);
    m_dir = std::make_unique<QTemporaryDir>(dir.filePath(QStringLiteral("%1-XXXXXX").arg(QCoreApplication::applicationPid())));
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("cannot make a folder in %1: %2").arg(where, m_dir->errorString());
        qCWarning(lcOutput, "no session folder: %s", qPrintable(m_error));
    }
}

SessionFolder::~SessionFolder() = default;

} // namespace Spawnscope
