#include "outputfile_p.h"

#include "osstring.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Spawnscope::Internal {

namespace {

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

mode_t newFileMode()
{
    const mode_t mask = ::umask(0); // one thread: nothing else reads it meanwhile
    ::umask(mask);
    return 0666 & ~mask;
}

} // namespace

OutputFile::OutputFile(const QString &target)
    : m_target(target)
{
}

OutputFile::~OutputFile()
{
    cancel();
}

bool OutputFile::open(QString *error)
{
    const QByteArray target = OsString::encode(m_target);
    QByteArray name = target + ".XXXXXX";
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) {
        *error = systemError();
        return false;
    }
    m_temporary = name;
    struct stat existing{};
    ::fchmod(fd, ::stat(target.constData(), &existing) == 0 ? existing.st_mode & 07777 : newFileMode());
    if (!m_file.open(fd, QIODevice::WriteOnly, QFileDevice::AutoCloseHandle)) {
        *error = m_file.errorString();
        ::close(fd);
        cancel();
        return false;
    }
    return true;
}

bool OutputFile::commit(QString *error)
{
    if (m_temporary.isEmpty()) {
        *error = QStringLiteral("not open");
        return false;
    }
    if (!m_file.flush()) {
        *error = m_file.errorString();
        cancel();
        return false;
    }
    if (::fsync(m_file.handle()) < 0 || ::rename(m_temporary.constData(), OsString::encode(m_target).constData()) < 0) {
        *error = systemError();
        cancel();
        return false;
    }
    m_file.close();
    m_temporary.clear();
    return true;
}

void OutputFile::cancel()
{
    m_file.close();
    if (!m_temporary.isEmpty())
        ::unlink(m_temporary.constData());
    m_temporary.clear();
}

} // namespace Spawnscope::Internal
