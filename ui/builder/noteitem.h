#pragma once

#include <QGraphicsTextItem>

namespace Spawnscope::Ui {

// A text note on the canvas (for a lesson, a reminder). A double-click edits it in place; the
// edit becomes one undo step when it ends (focus leaves, or Escape).
class NoteItem : public QGraphicsTextItem
{
public:
    enum { Type = UserType + 3 };
    static constexpr double Width = 200;

    explicit NoteItem(int id);
    int type() const override { return Type; }
    int id() const { return m_id; }
    void setNoteText(const QString &text);
    bool isEditing() const { return textInteractionFlags() != Qt::NoTextInteraction; }
    void startEditing();
    void finishEditing();

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;

private:
    int m_id;
    QString m_before;
};

} // namespace Spawnscope::Ui
