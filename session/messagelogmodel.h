#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonValue>
#include <QList>

namespace Spawnscope {

// The messages of one forked child's channel, both ways, oldest first; the newest MaxEntries
// are kept.
class MessageLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Direction { ToChild, FromChild };
    enum Column { Time, Way, Message, ColumnCount };
    enum Role { JsonRole = Qt::UserRole + 1 }; // the message, pretty-printed

    static constexpr int MaxEntries = 10000;

    explicit MessageLogModel(QObject *parent = nullptr);

    void add(Direction direction, const QJsonValue &message);
    QJsonValue message(int row) const { return m_entries.value(row).message; }
    qint64 dropped() const { return m_dropped; } // the oldest, beyond MaxEntries
    Direction direction(int row) const { return m_entries.value(row).direction; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString compact(const QJsonValue &value);
    static QString pretty(const QJsonValue &value);

private:
    struct Entry
    {
        qint64 msecs = 0; // since the epoch
        Direction direction = ToChild;
        QJsonValue message;
    };
    QList<Entry> m_entries;
    qint64 m_dropped = 0;
};

} // namespace Spawnscope
