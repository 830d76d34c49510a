#include "processsampler.h"

#include "sessionlogging.h"

#include <QElapsedTimer>
#include <QFile>
#include <QThread>

#include <unistd.h>

namespace Spawnscope {

class ProcessSampler::Worker : public QObject
{
public:
    QHash<qint64, std::pair<qint64, qint64>> previous; // pid -> (cpu ticks, at ms)
    QElapsedTimer clock;

    QHash<qint64, Sample> read(const QList<qint64> &pids)
    {
        if (!clock.isValid())
            clock.start();
        static const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
        static const long pageSize = ::sysconf(_SC_PAGESIZE);
        QHash<qint64, Sample> out;
        QHash<qint64, std::pair<qint64, qint64>> now;
        for (qint64 pid : pids) {
            QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
            QFile statm(QStringLiteral("/proc/%1/statm").arg(pid));
            // A process that just ended has no /proc entry: normal, so only a debug line.
            if (!stat.open(QIODevice::ReadOnly) || !statm.open(QIODevice::ReadOnly)) {
                qCDebug(lcSampler, "pid %lld: %s", pid, qPrintable(stat.isOpen() ? statm.errorString() : stat.errorString()));
                continue;
            }
            const QByteArray text = stat.readAll();
            // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
            const QList<QByteArray> f = text.mid(text.lastIndexOf(')') + 2).split(' ');
            if (f.size() < 13) {
                qCWarning(lcSampler, "pid %lld: /proc/%lld/stat has %lld fields after the name, not 13 or more", pid, pid, qlonglong(f.size()));
                continue;
            }
            const qint64 ticks = f[11].toLongLong() + f[12].toLongLong();
            const qint64 at = clock.elapsed();
            Sample s;
            s.stopped = f[0] == "T" || f[0] == "t";
            s.rssBytes = statm.readAll().split(' ').value(1).toLongLong() * pageSize;
            const auto before = previous.constFind(pid);
            if (before != previous.cend() && at > before->second)
                s.cpuPercent = 100.0 * double(ticks - before->first) / double(ticksPerSecond) * 1000.0 / double(at - before->second);
            now.insert(pid, {ticks, at});
            out.insert(pid, s);
        }
        previous = now;
        return out;
    }
};

ProcessSampler::ProcessSampler(QObject *parent)
    : QObject(parent)
    , m_worker(new Worker)
    , m_thread(new QThread(this))
{
    qRegisterMetaType<QHash<qint64, Sample>>();
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start(QThread::LowPriority);
}

ProcessSampler::~ProcessSampler()
{
    m_thread->quit();
    m_thread->wait();
}

void ProcessSampler::sample(const QList<qint64> &pids)
{
    QMetaObject::invokeMethod(m_worker, [this, pids] {
        const QHash<qint64, Sample> samples = m_worker->read(pids);
        QMetaObject::invokeMethod(this, [this, samples] { Q_EMIT sampled(samples); }, Qt::QueuedConnection);
    });
}

} // namespace Spawnscope
