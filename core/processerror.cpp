#include "processerror.h"

#include <QJsonArray>

#include <cstring>

namespace Spawnscope {

QList<std::pair<QString, QJsonValue>> ProcessError::fields() const
{
    QList<std::pair<QString, QJsonValue>> f;
    f.append({QStringLiteral("name"), name});
    f.append({QStringLiteral("message"), message});
    if (!code.isUndefined())
        f.append({QStringLiteral("code"), code});
    if (errnum)
        f.append({QStringLiteral("errno"), *errnum});
    if (!syscall.isEmpty())
        f.append({QStringLiteral("syscall"), syscall});
    if (path)
        f.append({QStringLiteral("path"), *path});
    if (spawnargs)
        f.append({QStringLiteral("spawnargs"), QJsonArray::fromStringList(*spawnargs)});
    if (killed)
        f.append({QStringLiteral("killed"), *killed});
    if (!signal.isUndefined())
        f.append({QStringLiteral("signal"), signal});
    if (cmd)
        f.append({QStringLiteral("cmd"), *cmd});
    if (!status.isUndefined())
        f.append({QStringLiteral("status"), status});
    return f;
}

QJsonObject ProcessError::toJson() const
{
    QJsonObject o;
    for (const auto &[key, value] : fields())
        o.insert(key, value);
    return o;
}

ProcessError ProcessError::fromErrno(int err, const QString &syscall)
{
    ProcessError e;
    const QString codeName = errnoName(err);
    e.message = syscall + QLatin1Char(' ') + codeName;
    e.code = codeName;
    e.errnum = -err;
    e.syscall = syscall;
    return e;
}

ProcessError ProcessError::nodeError(const QString &code, const QString &message, const QString &name)
{
    ProcessError e;
    e.name = name;
    e.message = message;
    e.code = code;
    return e;
}

ProcessError ProcessError::abortError()
{
    return nodeError(QStringLiteral("ABORT_ERR"), QStringLiteral("The operation was aborted"),
                     QStringLiteral("AbortError"));
}

QString ProcessError::errnoName(int err)
{
    if (const char *name = strerrorname_np(err))
        return QString::fromLatin1(name);
    return QStringLiteral("UNKNOWN");
}

} // namespace Spawnscope
