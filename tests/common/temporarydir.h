#pragma once

// A QTemporaryDir that also goes when it holds names that are not UTF-8: QDir's removal goes
// through QString and leaves such a name, and with it the folder, behind in /tmp.

#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

#include <ftw.h>

class TemporaryDir : public QTemporaryDir
{
public:
    ~TemporaryDir()
    {
        if (isValid()) {
            // By bytes, deepest first, without following links; what is left QTemporaryDir
            // finds gone.
            ::nftw(QFile::encodeName(path()).constData(),
                   [](const char *name, const struct stat *, int, FTW *) { return std::remove(name) == 0 ? 0 : 1; },
                   16, FTW_DEPTH | FTW_PHYS);
        }
    }
};
