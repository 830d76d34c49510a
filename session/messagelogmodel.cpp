#include "messagelogmodel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Spawnscope {

MessageLogModel::MessageLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void MessageLogModel::add(Direction direction, const QJsonValue &message)
{
    if (m_entries.size() >= MaxEntries) {
        // Bounded: the oldest go first (the timeline still has every message).
        const int drop = MaxEntries / 10;
        beginRemoveRows({}, 0, drop - 1);
        m_entries.remove(0, drop);
        m_dropped += drop;
        endRemoveRows();
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    // Milliseconds, not QDateTime::currentDateTime(): that one re-reads the time zone on every
    // call, a stat() per message under a flood of them.
    m_entries.append({QDateTime::currentMSecsSinceEpoch(), direction, message});
    endInsertRows();
}

int MessageLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int MessageLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MessageLogModel::compact(const QJsonValue &value)
{
    // QJsonDocument holds only objects and arrays; a scalar goes through a one-element array.
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QString MessageLogModel::pretty(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    return compact(value);
}

QVariant MessageLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const Entry &e = m_entries[index.row()];
    if (role == JsonRole)
        return pretty(e.message);
    if (role == Qt::ToolTipRole)
        return pretty(e.message);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time: return QDateTime::fromMSecsSinceEpoch(e.msecs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case Way: return e.direction == ToChild ? tr("→ child") : tr("← child");
    case Message: return compact(e.message);
    }
    return {};
}

QVariant MessageLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Way: return tr("Direction");
    case Message: return tr("Message");
    }
    return {};
}

} // namespace Spawnscope
