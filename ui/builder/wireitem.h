#pragma once

#include <flowmeter.h>
#include <pipelinespec.h>

#include <QGraphicsItem>

namespace Spawnscope::Ui {

// A wire from a stdout or stderr port to a stdin port: a curve, dashed and red-tinted for
// stderr; selectable by a 10 px stroke. While a run goes it carries a label ("12.3 MB · 41 k lines
// · 5.2 MB/s") with a bar of how full the pipe is (green, yellow past 60%, red past 85%), and a
// blocked writer turns it red at twice the width with "‖ blocked". Labels are left out below
// half size, where they could not be read. A wire without an edge is the draft being drawn.
class WireItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 2 };
    static constexpr double LabelWidth = 200;
    static constexpr double LabelHeight = 44;

    explicit WireItem(const EdgeId &edge, bool draft = false);
    int type() const override { return Type; }
    const EdgeId &edge() const { return m_edge; }
    bool isDraft() const { return m_draft; }

    void setEnds(const QPointF &from, const QPointF &to);
    QPointF from() const { return m_from; }
    QPointF to() const { return m_to; }
    QPointF midpoint() const;
    QPainterPath path() const { return m_path; }
    // The stats of the run, as the label shows them at `msecs`.
    void setFlow(const FlowMeter &meter, qint64 msecs);
    void clearFlow();
    bool hasFlow() const { return m_hasFlow; }
    QString label() const { return m_label; }
    bool isBlocked() const { return m_blocked; }
    double fill() const { return m_fill; }
    // A node dragged over it would go into it on release.
    void setInsertHint(bool on);
    // Relayed by the window: its lines are counted and its last ones can be peeked at.
    void setTapped(bool tapped);
    bool isTapped() const { return m_tapped; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    EdgeId m_edge;
    bool m_draft;
    QPointF m_from;
    QPointF m_to;
    QPainterPath m_path;
    QPainterPath m_shape;
    QPointF m_mid;
    QRectF m_bounds;
    bool m_hasFlow = false;
    QString m_label;
    bool m_blocked = false;
    double m_fill = 0;
    bool m_exact = true;
    bool m_insertHint = false;
    bool m_tapped = false;
    QRectF labelRect() const;
};

} // namespace Spawnscope::Ui
