#pragma once

#include <QHash>
#include <QObject>

namespace Spawnscope {

// Reads CPU use and resident memory of processes from /proc, on its own thread so a slow /proc
// never stalls the window. sample() may be called from any thread; sampled() arrives queued.
class ProcessSampler : public QObject
{
    Q_OBJECT
public:
    struct Sample
    {
        double cpuPercent = -1; // of one core, since the previous sample; -1 on the first
        qint64 rssBytes = -1;
        bool stopped = false;   // in the stopped state (T): by SIGSTOP, SIGTSTP, a debugger
    };

    explicit ProcessSampler(QObject *parent = nullptr);
    ~ProcessSampler() override;

    void sample(const QList<qint64> &pids);

Q_SIGNALS:
    // Once per sample() call, with the processes that could be read.
    void sampled(const QHash<qint64, Spawnscope::ProcessSampler::Sample> &samples);

private:
    class Worker;
    Worker *m_worker;
    class QThread *m_thread;
};

} // namespace Spawnscope
