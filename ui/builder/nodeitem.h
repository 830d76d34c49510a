#pragma once

#include <pipelinedocument.h>
#include <stagespec.h>
#include <stagestatus.h>

#include <QGraphicsItem>

namespace Spawnscope::Ui {

class BuilderScene;

// A stage's standard streams, as ports on its node: stdin on the left, stdout and stderr on the
// right. A file node has one: a source its stdout, a sink its stdin.
enum class Port { None, Stdin, Stdout, Stderr };

// One stage on the canvas: its name and what it runs, its ports, and when a run has been, the
// badge (text and icon, never colour alone), the last stderr line under it, and "blocked on
// stdout" while its writer waits. Drawn from the palette, without shadows, and cached in device
// coordinates: a frame of many nodes redraws none of them.
class NodeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 1 };
    // How a port looks while a wire is drawn: one it may go to, one it may not, the one under
    // the pointer.
    enum class Hint { None, Compatible, Incompatible, Hot };

    static constexpr double Width = PipelineDocument::NodeWidth;
    static constexpr double Height = PipelineDocument::NodeHeight;
    static constexpr double PortRadius = 6;
    static constexpr double PortReach = 40; // how near a released wire must be to a port

    explicit NodeItem(int stage);
    int type() const override { return Type; }
    int stage() const { return m_stage; }

    void setSpec(const StageSpec &spec);
    const StageSpec &spec() const { return m_spec; }
    void setStatus(const StageStatus &status, const QString &details);
    const StageStatus &status() const { return m_status; }
    void setLastLine(const QString &line);
    QString lastLine() const { return m_lastLine; }
    void setBlocked(bool blocked);
    bool isBlocked() const { return m_blocked; }
    void setProblem(const QString &problem);
    QString problem() const { return m_problem; }
    void setHint(Port port, Hint hint);
    void clearHints();

    bool hasPort(Port port) const;
    QPointF portPos(Port port) const; // in scene coordinates
    // The port within `reach` of a scene point, the nearest first; None when there is none.
    Port portAt(const QPointF &scenePos, double reach = PortRadius + 4) const;
    // What its title says ("grep", "< input.txt").
    QString title() const;
    static QString titleOf(const StageSpec &spec);
    QString subtitle() const;

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;

private:
    int m_stage;
    StageSpec m_spec;
    StageStatus m_status = StageStatus::idle();
    QString m_details;
    QString m_lastLine;
    QString m_problem;
    bool m_blocked = false;
    Hint m_hints[4] = {};
    void updateToolTip();
    BuilderScene *builder() const;
};

} // namespace Spawnscope::Ui
