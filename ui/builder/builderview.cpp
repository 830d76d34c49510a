#include "builderview.h"

#include "builderscene.h"

#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>

namespace Spawnscope::Ui {

BuilderView::BuilderView(BuilderScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(AnchorUnderMouse);
    setViewportUpdateMode(SmartViewportUpdate);
    setOptimizationFlags(DontSavePainterState);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAccessibleName(tr("Pipeline canvas"));
    centerOn(0, 0);
}

BuilderScene *BuilderView::builderScene() const
{
    return static_cast<BuilderScene *>(scene());
}

double BuilderView::zoom() const
{
    return transform().m11();
}

void BuilderView::setZoom(double z, const QPoint &anchor)
{
    m_keepFitted = false;
    z = std::clamp(z, MinZoom, MaxZoom);
    if (qFuzzyCompare(z, zoom()))
        return;
    const QPointF before = mapToScene(anchor);
    setTransform(QTransform::fromScale(z, z));
    // Keep the point under the anchor where it was.
    const QPointF after = mapToScene(anchor);
    const QPointF shift = (after - before) * z;
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - qRound(shift.x()));
    verticalScrollBar()->setValue(verticalScrollBar()->value() - qRound(shift.y()));
    Q_EMIT zoomChanged(zoom());
}

void BuilderView::zoomBy(double factor)
{
    setZoom(zoom() * factor, viewport()->rect().center());
}

void BuilderView::fit(const QRectF &rect)
{
    if (rect.isEmpty()) {
        setZoom(1, viewport()->rect().center());
        centerOn(0, 0);
        return;
    }
    const QRectF area = rect.adjusted(-30, -30, 30, 30);
    const double z = std::clamp(std::min(viewport()->width() / area.width(), viewport()->height() / area.height()), MinZoom, 1.0);
    setTransform(QTransform::fromScale(z, z));
    centerOn(area.center());
    Q_EMIT zoomChanged(zoom());
}

void BuilderView::fitAll()
{
    fit(scene()->itemsBoundingRect());
    // Until the user zooms or pans, the graph stays fitted as the canvas gets its size (a tab
    // is laid out after it is first shown) or is resized.
    m_keepFitted = true;
}

void BuilderView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (m_keepFitted)
        fit(scene()->itemsBoundingRect());
}

void BuilderView::fitSelection()
{
    m_keepFitted = false;
    QRectF r;
    for (QGraphicsItem *item : scene()->selectedItems())
        r |= item->sceneBoundingRect();
    if (r.isEmpty())
        fitAll();
    else
        fit(r);
}

void BuilderView::centreOn(int stage)
{
    m_keepFitted = false;
    if (NodeItem *n = builderScene()->node(stage))
        centerOn(n);
}

QPointF BuilderView::cursorOrCentre() const
{
    const QPoint at = viewport()->mapFromGlobal(QCursor::pos());
    if (viewport()->rect().contains(at) && underMouse())
        return mapToScene(at);
    return mapToScene(viewport()->rect().center());
}

void BuilderView::wheelEvent(QWheelEvent *event)
{
    // A mouse wheel (or Ctrl with anything) zooms; a touchpad's two fingers pan.
    const bool touchpad = !event->pixelDelta().isNull() && !(event->modifiers() & Qt::ControlModifier);
    if (touchpad) {
        m_keepFitted = false;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - event->pixelDelta().x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - event->pixelDelta().y());
        event->accept();
        return;
    }
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0) {
        event->ignore();
        return;
    }
    setZoom(zoom() * std::pow(ZoomStep, notches), event->position().toPoint());
    event->accept();
}

void BuilderView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton || (m_space && event->button() == Qt::LeftButton)) {
        m_panning = true;
        m_keepFitted = false;
        m_panFrom = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void BuilderView::mouseMoveEvent(QMouseEvent *event)
{
    builderScene()->setLastCursor(mapToScene(event->position().toPoint()));
    if (m_panning) {
        const QPoint delta = event->position().toPoint() - m_panFrom;
        m_panFrom = event->position().toPoint();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void BuilderView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning) {
        m_panning = false;
        viewport()->setCursor(m_space ? Qt::OpenHandCursor : Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void BuilderView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        QGraphicsItem *f = scene()->focusItem();
        if (!f || !(f->flags() & QGraphicsItem::ItemAcceptsInputMethod)) {
            m_space = true;
            viewport()->setCursor(Qt::OpenHandCursor);
            event->accept();
            return;
        }
    }
    QGraphicsView::keyPressEvent(event);
}

void BuilderView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat() && m_space) {
        m_space = false;
        viewport()->setCursor(Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void BuilderView::focusOutEvent(QFocusEvent *event)
{
    // Space let go elsewhere never reaches here: panning ends with the focus.
    if (m_space) {
        m_space = false;
        viewport()->setCursor(Qt::ArrowCursor);
    }
    QGraphicsView::focusOutEvent(event);
}

bool BuilderView::focusNextPrevChild(bool next)
{
    // Tab belongs to the canvas: node to node (a note being edited keeps its own Tab).
    QGraphicsItem *f = scene()->focusItem();
    if (f && (f->flags() & QGraphicsItem::ItemAcceptsInputMethod))
        return QGraphicsView::focusNextPrevChild(next);
    // On an empty canvas there is no node to go to: Tab adds the first one (quick-add).
    if (builderScene()->stageIds().isEmpty()) {
        if (!next)
            return QGraphicsView::focusNextPrevChild(next);
        Q_EMIT builderScene()->quickAddRequested(cursorOrCentre(), std::nullopt);
        return true;
    }
    builderScene()->focusNextStage(!next);
    return true;
}

void BuilderView::drawBackground(QPainter *painter, const QRectF &rect)
{
    const QColor window = palette().color(QPalette::Window);
    painter->fillRect(rect, window);
    // The grid: lines every 50 px, and every 10 px once they are 16 pixels apart (positions snap
    // to 10 px all the same). Opaque colours mixed here and no antialiasing: blended, smoothed
    // lines over the whole view cost a frame its budget.
    auto mix = [&](double amount) {
        const QColor mid = palette().color(QPalette::Mid);
        return QColor::fromRgbF(window.redF() + (mid.redF() - window.redF()) * amount, window.greenF() + (mid.greenF() - window.greenF()) * amount,
                                window.blueF() + (mid.blueF() - window.blueF()) * amount);
    };
    const double z = zoom();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    for (const auto &[step, colour] : {std::pair{BuilderScene::GridSize, mix(0.18)}, std::pair{BuilderScene::GridSize * 5, mix(0.35)}}) {
        if (step * z < 16)
            continue;
        QVarLengthArray<QLineF, 256> lines;
        for (double x = std::floor(rect.left() / step) * step; x <= rect.right(); x += step)
            lines.append(QLineF(x, rect.top(), x, rect.bottom()));
        for (double y = std::floor(rect.top() / step) * step; y <= rect.bottom(); y += step)
            lines.append(QLineF(rect.left(), y, rect.right(), y));
        painter->setPen(QPen(colour, 0));
        painter->drawLines(lines.constData(), int(lines.size()));
    }
    painter->restore();
}

} // namespace Spawnscope::Ui
