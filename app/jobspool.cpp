#include "jobspool.h"

#include "terminal.h"

#include <QDir>

JobSpool::JobSpool(qsizetype memoryBytes)
    : m_memoryBytes(memoryBytes)
{
}

void JobSpool::append(const QByteArray &data)
{
    m_size += data.size();
    if (m_tail.isEmpty() && !m_spill && m_head.size() + data.size() <= m_memoryBytes) {
        m_head += data;
        return;
    }
    if (m_tail.isEmpty() && !m_spill) {
        auto spill = std::make_unique<QTemporaryFile>(QDir::tempPath() + QStringLiteral("/spawnscope-batch-XXXXXX"));
        if (spill->open())
            m_spill = std::move(spill);
    }
    // A full disk must not cost output: what the file cannot take stays in memory, in order.
    qint64 written = 0;
    if (m_spill && m_tail.isEmpty())
        written = qMax<qint64>(0, m_spill->write(data));
    if (written < data.size())
        m_tail += data.mid(written);
}

bool JobSpool::writeTo(int fd, QString *error) const
{
    Terminal::write(fd, m_head);
    if (m_spill) {
        if (!m_spill->flush() || !m_spill->seek(0)) {
            *error = QStringLiteral("cannot read back %1: %2").arg(m_spill->fileName(), m_spill->errorString());
            return false;
        }
        QByteArray block;
        while (!m_spill->atEnd()) {
            block = m_spill->read(1024 * 1024);
            if (block.isEmpty()) {
                *error = QStringLiteral("cannot read back %1: %2").arg(m_spill->fileName(), m_spill->errorString());
                return false;
            }
            Terminal::write(fd, block);
        }
    }
    Terminal::write(fd, m_tail);
    return true;
}

void JobSpool::clear()
{
    m_head.clear();
    m_spill.reset();
    m_tail.clear();
    m_size = 0;
}
