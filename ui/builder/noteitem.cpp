#include "noteitem.h"

#include "builderscene.h"

#include <QKeyEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QTextCursor>

namespace Spawnscope::Ui {

NoteItem::NoteItem(int id)
    : m_id(id)
{
    setFlags(ItemIsMovable | ItemIsSelectable | ItemIsFocusable | ItemSendsGeometryChanges);
    setTextWidth(Width);
    setZValue(-2);
}

void NoteItem::setNoteText(const QString &text)
{
    if (toPlainText() != text)
        setPlainText(text);
}

void NoteItem::startEditing()
{
    m_before = toPlainText();
    setTextInteractionFlags(Qt::TextEditorInteraction);
    setFocus(Qt::MouseFocusReason);
    QTextCursor cursor = textCursor();
    cursor.movePosition(QTextCursor::End);
    setTextCursor(cursor);
}

void NoteItem::finishEditing()
{
    if (!isEditing())
        return;
    setTextInteractionFlags(Qt::NoTextInteraction);
    QTextCursor cursor = textCursor();
    cursor.clearSelection();
    setTextCursor(cursor);
    if (auto *s = static_cast<BuilderScene *>(scene()); s && toPlainText() != m_before)
        s->noteEdited(m_id, toPlainText());
}

QRectF NoteItem::boundingRect() const
{
    return QGraphicsTextItem::boundingRect().adjusted(-4, -4, 4, 4);
}

void NoteItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    const QPalette palette = scene() ? scene()->palette() : QPalette();
    painter->setPen(QPen(option->state & QStyle::State_Selected ? palette.color(QPalette::Highlight) : palette.color(QPalette::Mid),
                         option->state & QStyle::State_Selected ? 2 : 1, Qt::DotLine));
    painter->setBrush(palette.color(QPalette::ToolTipBase));
    painter->drawRect(boundingRect().adjusted(1, 1, -1, -1));
    QStyleOptionGraphicsItem plain(*option);
    plain.state &= ~(QStyle::State_Selected | QStyle::State_HasFocus); // our own frame says it
    QGraphicsTextItem::paint(painter, &plain, widget);
}

void NoteItem::mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event)
{
    if (!isEditing()) {
        startEditing();
        return;
    }
    QGraphicsTextItem::mouseDoubleClickEvent(event);
}

void NoteItem::focusOutEvent(QFocusEvent *event)
{
    QGraphicsTextItem::focusOutEvent(event);
    finishEditing();
}

void NoteItem::keyPressEvent(QKeyEvent *event)
{
    if (isEditing() && event->key() == Qt::Key_Escape) {
        finishEditing();
        return;
    }
    QGraphicsTextItem::keyPressEvent(event);
}

QVariant NoteItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemPositionChange && scene() && static_cast<BuilderScene *>(scene())->snapToGrid() && !static_cast<BuilderScene *>(scene())->isSyncing()) {
        const QPointF at = value.toPointF();
        const double g = BuilderScene::GridSize;
        return QPointF(std::round(at.x() / g) * g, std::round(at.y() / g) * g);
    }
    return QGraphicsTextItem::itemChange(change, value);
}

} // namespace Spawnscope::Ui
