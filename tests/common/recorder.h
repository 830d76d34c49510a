#pragma once

// Test support: records everything one ChildProcess reports, in order.

#include <childprocess.h>

#include <QDir>
#include <QFile>
#include <QJsonValue>
#include <QObject>
#include <QStringList>

#include <sys/types.h>

class Recorder : public QObject
{
public:
    explicit Recorder(Spawnscope::ChildProcess *child)
    {
        using Spawnscope::ChildProcess;
        using Spawnscope::ProcessError;
        connect(child, &ChildProcess::spawned, this, [this] { events << QStringLiteral("spawn"); });
        connect(child, &ChildProcess::stdoutData, this, [this](const QByteArray &d) { out += d; });
        connect(child, &ChildProcess::stderrData, this, [this](const QByteArray &d) { err += d; });
        connect(child, &ChildProcess::message, this, [this](const QJsonValue &m) {
            events << QStringLiteral("message");
            messages << m;
        });
        connect(child, &ChildProcess::disconnected, this, [this] { events << QStringLiteral("disconnect"); });
        connect(child, &ChildProcess::errorOccurred, this, [this](const ProcessError &e) {
            events << QStringLiteral("error");
            errors << e;
        });
        connect(child, &ChildProcess::stdinError, this, [this](const ProcessError &e) { stdinErrors << e; });
        connect(child, &ChildProcess::exited, this, [this](int code, const QString &signal) {
            events << QStringLiteral("exit");
            exitCode = code;
            exitSignal = signal;
        });
        connect(child, &ChildProcess::closed, this, [this](int code, const QString &signal) {
            events << QStringLiteral("close");
            closeCode = code;
            closeSignal = signal;
            closed = true;
        });
    }

    QStringList events;
    QByteArray out;
    QByteArray err;
    QList<QJsonValue> messages;
    QList<Spawnscope::ProcessError> errors;
    QList<Spawnscope::ProcessError> stdinErrors;
    int exitCode = -100;
    QString exitSignal;
    int closeCode = -100;
    QString closeSignal;
    bool closed = false;
};

// The children of this process (zombies included), read from /proc without reaping any.
inline QList<pid_t> childrenOfThisProcess()
{
    QList<pid_t> pids;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile file(tasks.filePath(task + QStringLiteral("/children")));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &pid : file.readAll().split(' ')) {
            if (!pid.trimmed().isEmpty())
                pids << pid_t(pid.trimmed().toInt());
        }
    }
    return pids;
}

inline int openDescriptorCount()
{
    return int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot | QDir::System).size());
}
