#include "wireitem.h"

#include <colours.h>

#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

namespace Spawnscope::Ui {

namespace {

constexpr double HitWidth = 10;
constexpr double LabelLod = 0.5; // below half size the label is not drawn

} // namespace

WireItem::WireItem(const EdgeId &edge, bool draft)
    : m_edge(edge)
    , m_draft(draft)
{
    setZValue(draft ? 10 : -1);
    if (!draft)
        setFlags(ItemIsSelectable);
}

void WireItem::setEnds(const QPointF &from, const QPointF &to)
{
    if (from == m_from && to == m_to && !m_path.isEmpty())
        return;
    prepareGeometryChange();
    m_from = from;
    m_to = to;
    // Out to the right, in from the left, whichever way round the nodes stand.
    const double reach = std::max(40.0, std::abs(to.x() - from.x()) / 2);
    m_path = QPainterPath(from);
    m_path.cubicTo(from + QPointF(reach, 0), to - QPointF(reach, 0), to);
    QPainterPathStroker stroker;
    stroker.setWidth(HitWidth);
    m_shape = stroker.createStroke(m_path);
    m_mid = m_path.pointAtPercent(0.5);
    m_bounds = m_shape.boundingRect().adjusted(-4, -4, 4, 4).united(labelRect().adjusted(-2, -2, 2, 2));
}

QPointF WireItem::midpoint() const
{
    return m_path.isEmpty() ? (m_from + m_to) / 2 : m_mid;
}

void WireItem::setFlow(const FlowMeter &meter, qint64 msecs)
{
    const QString label = meter.label(msecs);
    const EdgeStats &s = meter.stats();
    if (m_hasFlow && label == m_label && m_blocked == s.writerBlocked && qFuzzyCompare(1 + m_fill, 1 + s.fill()))
        return;
    m_hasFlow = true;
    m_label = label;
    m_blocked = s.writerBlocked;
    m_fill = s.fill();
    m_exact = s.bytesExact || s.bytes < 0;
    setToolTip(QStringLiteral("%1%2\nqueued %3 of %4%5")
                   .arg(m_label, m_exact ? QString() : QStringLiteral("\n(bytes: all its writer wrote, from /proc)"),
                        FlowMeter::bytesText(s.queued), s.capacity > 0 ? FlowMeter::bytesText(s.capacity) : QStringLiteral("?"),
                        m_blocked ? QStringLiteral("\nblocked: the pipe is full and its writer waits in write()") : QString()));
    update();
}

void WireItem::clearFlow()
{
    if (!m_hasFlow)
        return;
    m_hasFlow = false;
    m_label.clear();
    m_blocked = false;
    m_fill = 0;
    setToolTip({});
    update();
}

void WireItem::setInsertHint(bool on)
{
    if (on == m_insertHint)
        return;
    m_insertHint = on;
    update();
}

void WireItem::setTapped(bool tapped)
{
    if (tapped == m_tapped)
        return;
    m_tapped = tapped;
    update();
}

QRectF WireItem::labelRect() const
{
    const QPointF mid = midpoint();
    return QRectF(mid.x() - LabelWidth / 2, mid.y() + 4, LabelWidth, LabelHeight);
}

QRectF WireItem::boundingRect() const
{
    // The label's room is always part of it: counters change without a geometry change.
    return m_bounds;
}

QPainterPath WireItem::shape() const
{
    return m_shape;
}

void WireItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QPalette palette = scene() ? scene()->palette() : QPalette();
    const QColor error = Colours::errorColor(palette);
    const bool err = m_edge.stream == OutputStream::Stderr;
    const bool selected = option->state & QStyle::State_Selected;
    painter->setRenderHint(QPainter::Antialiasing);

    QColor colour = palette.color(QPalette::Text);
    colour.setAlphaF(0.65);
    if (err) {
        // Red-tinted, and dashed so that it reads without colour too.
        colour = error;
        colour.setAlphaF(0.8);
    }
    double width = 2;
    if (m_blocked) {
        colour = error;
        width = 4;
    }
    if (selected || m_insertHint)
        colour = palette.color(QPalette::Highlight);
    QPen pen(colour, width, err || m_draft ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    // An arrowhead at the reader's end says which way bytes go.
    painter->setBrush(colour);
    painter->setPen(Qt::NoPen);
    const QPointF tip = m_to;
    painter->drawPolygon(QPolygonF({tip, tip + QPointF(-9, -4.5), tip + QPointF(-9, 4.5)}));

    if (m_tapped) {
        // A tap: a ring on the wire's middle, as a probe on a line.
        painter->setPen(QPen(palette.color(QPalette::Link), 2));
        painter->setBrush(palette.color(QPalette::Base));
        painter->drawEllipse(midpoint(), 5, 5);
    }
    const double lod = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    if (!m_hasFlow || lod < LabelLod)
        return;
    QFont font = scene() ? scene()->font() : QFont();
    font.setPointSizeF(std::max(6.0, font.pointSizeF() * 0.85));
    painter->setFont(font);
    const QFontMetricsF fm(font);
    // Two short lines, so that a label fits between two columns of nodes: what went through,
    // then how fast (or that its writer is blocked).
    QStringList parts = m_label.split(QStringLiteral(" · "));
    QString second = parts.size() > 1 ? parts.takeLast() : QString();
    if (m_blocked)
        second = second.isEmpty() ? QStringLiteral("‖ blocked") : QStringLiteral("‖ blocked · ") + second;
    const QString first = parts.join(QStringLiteral(" · "));
    const double textWidth = std::min(LabelWidth - 8, std::max(fm.horizontalAdvance(first), fm.horizontalAdvance(second)) + 2);
    const double lines = second.isEmpty() ? 1 : 2;
    const QRectF box(midpoint().x() - (textWidth + 8) / 2, labelRect().top(), textWidth + 8, fm.height() * lines + 9);
    painter->setPen(QPen(m_blocked ? error : palette.color(QPalette::Mid), m_blocked ? 1.5 : 1));
    painter->setBrush(palette.color(QPalette::Base));
    painter->drawRoundedRect(box, 3, 3);
    painter->setPen(palette.color(QPalette::Text));
    painter->drawText(QRectF(box.left() + 4, box.top() + 1, textWidth, fm.height()), Qt::AlignCenter, fm.elidedText(first, Qt::ElideRight, textWidth));
    if (!second.isEmpty()) {
        painter->setPen(m_blocked ? error : palette.color(QPalette::Text));
        painter->drawText(QRectF(box.left() + 4, box.top() + 1 + fm.height(), textWidth, fm.height()), Qt::AlignCenter,
                          fm.elidedText(second, Qt::ElideRight, textWidth));
    }
    // The pipe's fill: queued over capacity, green to 60%, yellow to 85%, red beyond.
    const QRectF bar(box.left() + 4, box.bottom() - 5, box.width() - 8, 3);
    painter->setPen(Qt::NoPen);
    painter->setBrush(palette.color(QPalette::Midlight));
    painter->drawRect(bar);
    const double fill = std::clamp(m_fill, 0.0, 1.0);
    if (fill > 0) {
        const QColor level = fill <= 0.60 ? Colours::okColor(palette) : fill <= 0.85 ? Colours::warningColor(palette) : error;
        painter->setBrush(level);
        painter->drawRect(QRectF(bar.left(), bar.top(), std::max(1.0, bar.width() * fill), bar.height()));
    }
}

} // namespace Spawnscope::Ui
