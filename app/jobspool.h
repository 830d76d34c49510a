#pragma once

#include <QByteArray>
#include <QString>
#include <QTemporaryFile>

#include <memory>

// One stream of one batch job, held until the job's turn to be printed: in memory up to a
// bound, then in a temporary file, so that a job may write any amount and none of it is lost.
class JobSpool
{
public:
    static constexpr qsizetype DefaultMemoryBytes = 1024 * 1024;

    explicit JobSpool(qsizetype memoryBytes = DefaultMemoryBytes);

    void append(const QByteArray &data);
    qint64 size() const { return m_size; }
    // Writes everything held to `fd`, in order; false (and `error` set) if the spill file could
    // not be read back.
    bool writeTo(int fd, QString *error) const;
    void clear();

private:
    qsizetype m_memoryBytes;
    QByteArray m_head; // the first bytes, up to the bound
    std::unique_ptr<QTemporaryFile> m_spill;
    QByteArray m_tail; // what the spill file refused: kept here instead of lost
    qint64 m_size = 0;
};
