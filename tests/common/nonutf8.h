#pragma once

// A file name that is not UTF-8, as users have them: `caf\xE9.txt`, written in Latin-1. The
// tests run spawnscope by /bin/sh, which makes the name's bytes itself (printf '\351'), so they
// reach the program by the shell and not by the code under test.

#include "temporarydir.h"

#include <spawnfunctions.h>

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QTest>

#include <cstdio>

namespace NonUtf8 {

inline const QByteArray name("caf\xe9.txt");
inline const QByteArray nameHex = name.toHex(); // 636166e92e747874
inline const QByteArray content("latin-1 content\n");

// Writes `content` into `dir`/`name` by the name's bytes.
inline bool writeFile(const QString &dir, const QByteArray &fileName = name, const QByteArray &data = content)
{
    FILE *f = std::fopen((dir.toUtf8() + '/' + fileName).constData(), "wb");
    if (!f)
        return false;
    const bool written = std::fwrite(data.constData(), 1, size_t(data.size()), f) == size_t(data.size());
    return std::fclose(f) == 0 && written;
}

// `script` run by /bin/sh -c in `cwd`, with $NAME the name's bytes and $APP, $CHILD, $WORKER
// the programs under test.
inline Spawnscope::SyncResult sh(const QString &cwd, const QString &script, const QByteArray &input = {})
{
    Spawnscope::SyncOptions o;
    o.cwd = cwd;
    o.timeout = 60000;
    o.input = input;
    o.maxBuffer = 16 * 1024 * 1024;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("APP"), QStringLiteral(SPAWNSCOPE_APP));
    env.insert(QStringLiteral("CHILD"), QStringLiteral(TESTCHILD));
#ifdef SPAWNSCOPE_WORKER
    env.insert(QStringLiteral("WORKER"), QStringLiteral(SPAWNSCOPE_WORKER));
#endif
    o.env = env;
    return Spawnscope::spawnSync(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("NAME=$(printf 'caf\\351.txt'); ") + script}, o);
}

// `script` run by sh() in a fresh folder that holds the file: it must print `out` and nothing on
// stderr, and succeed.
inline void runsAndPrints(const QString &script, const QByteArray &out)
{
    TemporaryDir dir;
    QVERIFY(writeFile(dir.path()));
    const Spawnscope::SyncResult r = sh(dir.path(), script);
    QCOMPARE(r.standardError, QByteArray());
    QCOMPARE(r.standardOutput, out);
    QCOMPARE(r.status, std::optional<int>(0));
}

} // namespace NonUtf8
