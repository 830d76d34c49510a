// BuilderScene: what arrives from elsewhere (a palette entry, a file) and the right click.
#include "builderscene.h"

#include "noteitem.h"
#include "wireitem.h"

#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneDragDropEvent>
#include <QMimeData>
#include <QUrl>

namespace Spawnscope::Ui {

QGraphicsItem *BuilderScene::itemAt(const QPointF &at) const
{
    for (QGraphicsItem *item : items(at, Qt::IntersectsItemShape, Qt::DescendingOrder)) {
        if (item->type() == NodeItem::Type || item->type() == NoteItem::Type || (item->type() == WireItem::Type && !static_cast<WireItem *>(item)->isDraft()))
            return item;
    }
    return nullptr;
}

void BuilderScene::contextMenuEvent(QGraphicsSceneContextMenuEvent *event)
{
    if (m_gesture != Gesture::None)
        cancelGesture(); // a move half way goes back; a wire or knife is dropped
    m_cursor = event->scenePos();
    QGraphicsItem *item = itemAt(event->scenePos());
    if (item && !item->isSelected()) {
        {
            const QSignalBlocker quiet(this);
            clearSelection();
            item->setSelected(true);
            if (item->type() == NodeItem::Type)
                setFocusItem(item);
        }
        Q_EMIT selectionChanged();
    }
    event->accept();
    Q_EMIT contextMenuRequested(event->scenePos(), event->screenPos());
}

void BuilderScene::dragEnterEvent(QGraphicsSceneDragDropEvent *event)
{
    const QMimeData *data = event->mimeData();
    if (data->hasFormat(QLatin1String(TemplateMime)) || data->hasUrls()) {
        event->setDropAction(Qt::CopyAction);
        event->accept();
        return;
    }
    event->ignore();
}

void BuilderScene::dragMoveEvent(QGraphicsSceneDragDropEvent *event)
{
    m_cursor = event->scenePos();
    dragEnterEvent(event);
}

void BuilderScene::dropEvent(QGraphicsSceneDragDropEvent *event)
{
    m_cursor = event->scenePos();
    const QMimeData *data = event->mimeData();
    if (data->hasFormat(QLatin1String(TemplateMime))) {
        const QString key = QString::fromUtf8(data->data(QLatin1String(TemplateMime)));
        if (const auto entry = StageTemplate::find(key))
            addEntry(*entry, event->scenePos());
        event->setDropAction(Qt::CopyAction);
        event->accept();
        return;
    }
    if (data->hasUrls()) {
        for (const QUrl &url : data->urls()) {
            if (url.isLocalFile())
                Q_EMIT fileDropped(url.toLocalFile());
        }
        event->setDropAction(Qt::CopyAction);
        event->accept();
        return;
    }
    event->ignore();
}

} // namespace Spawnscope::Ui
