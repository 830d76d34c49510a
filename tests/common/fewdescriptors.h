#pragma once

// Test support: this process short of descriptors for a while.

#include <QDir>
#include <QSet>
#include <QStringList>

#include <sys/resource.h>

// Lowers this process's soft limit of descriptors so that `room` more can be opened, until
// restore() or the end of the scope: what the code under test, the library's I/O thread and
// the children started meanwhile get. (A new descriptor takes the lowest free number, which must
// be below the limit; one inherited far above it stays usable.)
class FewDescriptors
{
public:
    explicit FewDescriptors(int room)
    {
        ::getrlimit(RLIMIT_NOFILE, &m_saved);
        QSet<int> open;
        for (const QString &fd : QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot | QDir::System))
            open.insert(fd.toInt());
        int limit = 0;
        for (int free = 0; free < room; ++limit)
            free += !open.contains(limit);
        rlimit low = m_saved;
        low.rlim_cur = rlim_t(limit);
        ::setrlimit(RLIMIT_NOFILE, &low);
    }
    ~FewDescriptors() { restore(); }
    FewDescriptors(const FewDescriptors &) = delete;
    FewDescriptors &operator=(const FewDescriptors &) = delete;
    void restore() { ::setrlimit(RLIMIT_NOFILE, &m_saved); }

private:
    rlimit m_saved{};
};
