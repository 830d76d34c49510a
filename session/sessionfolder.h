#pragma once

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace Spawnscope {

// Where a session keeps its output spools and lessons' files: a folder of its own, private to
// the user (0700), under the user's runtime folder (or cache folder where there is none), named
// after the process so that the folders of sessions that died (SIGKILL leaves them behind) are
// found and removed when the next session starts. Removed with the session.
class SessionFolder
{
public:
    // `root`: where session folders go; empty: the user's runtime folder's spawnscope/.
    explicit SessionFolder(const QString &root = {});
    ~SessionFolder();

    bool isValid() const { return m_dir && m_dir->isValid(); }
    QString path() const { return isValid() ? m_dir->path() : QString(); }
    // Why there is no folder, when there is none.
    QString error() const { return m_error; }
    // Folders of sessions that are no longer running, removed by the constructor.
    int removedStale() const { return m_removed; }

    static QString defaultRoot();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_error;
    int m_removed = 0;
};

} // namespace Spawnscope
