// BuilderScene: what the mouse and keys do on the canvas.
#include "builderscene.h"

#include "noteitem.h"
#include "wireitem.h"

#include <colours.h>
#include <pipelinecommands.h>
#include <pipelinedocument.h>

#include <QGraphicsLineItem>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QUndoStack>
#include <QUrl>

namespace Spawnscope::Ui {

namespace {

bool isOutput(Port p)
{
    return p == Port::Stdout || p == Port::Stderr;
}

NodeItem *nodeAt(const QGraphicsScene *scene, const QPointF &at)
{
    for (QGraphicsItem *item : scene->items(at, Qt::IntersectsItemShape, Qt::DescendingOrder)) {
        if (item->type() == NodeItem::Type)
            return static_cast<NodeItem *>(item);
    }
    return nullptr;
}

// Whether a drawn line crosses a curve, tested on the curve as the segments it is drawn with.
bool crosses(const QLineF &cut, const QPainterPath &path)
{
    for (const QPolygonF &poly : path.toSubpathPolygons()) {
        for (qsizetype i = 1; i < poly.size(); ++i) {
            if (cut.intersects(QLineF(poly[i - 1], poly[i])) == QLineF::BoundedIntersection)
                return true;
        }
    }
    return false;
}

} // namespace

std::optional<EdgeId> BuilderScene::edgeFor(const PortRef &a, const PortRef &b) const
{
    const PortRef &out = isOutput(a.port) ? a : b;
    const PortRef &in = isOutput(a.port) ? b : a;
    if (!isOutput(out.port) || in.port != Port::Stdin)
        return std::nullopt;
    return EdgeId{out.stage, out.port == Port::Stderr ? OutputStream::Stderr : OutputStream::Stdout, in.stage};
}

QString BuilderScene::problemFor(const EdgeId &edge) const
{
    if (!m_detached)
        return m_document->spec().edgeProblem(edge);
    // The wire being moved no longer counts where it was.
    PipelineSpec spec = m_document->spec();
    spec.edges.removeIf([this](const Edge &e) { return e.id == *m_detached; });
    return spec.edgeProblem(edge);
}

std::optional<BuilderScene::PortRef> BuilderScene::portNear(const QPointF &at, Port wanted, double reach) const
{
    // Nodes whose ports could be within reach; the nearest port of the wanted kind wins.
    const QRectF area(at.x() - reach - NodeItem::Width, at.y() - reach - NodeItem::Height, 2 * (reach + NodeItem::Width), 2 * (reach + NodeItem::Height));
    std::optional<PortRef> best;
    double bestDistance = reach;
    for (QGraphicsItem *item : items(area)) {
        if (item->type() != NodeItem::Type)
            continue;
        const auto *n = static_cast<NodeItem *>(item);
        for (Port p : {Port::Stdin, Port::Stdout, Port::Stderr}) {
            if (!n->hasPort(p) || (wanted == Port::Stdin) != (p == Port::Stdin))
                continue;
            const QPointF d = n->portPos(p) - at;
            const double distance = std::hypot(d.x(), d.y());
            if (distance <= bestDistance) {
                bestDistance = distance;
                best = PortRef{n->stage(), p};
            }
        }
    }
    return best;
}

void BuilderScene::showHints(bool on)
{
    // Which ports the wire may go to is worked out once, as the drag starts; each move then
    // only finds the nearest.
    m_compatible.clear();
    m_hot = {};
    for (NodeItem *n : std::as_const(m_nodes)) {
        n->clearHints();
        if (!on)
            continue;
        for (Port p : {Port::Stdin, Port::Stdout, Port::Stderr}) {
            if (!n->hasPort(p) || isOutput(p) == isOutput(m_wireStart.port))
                continue;
            const auto edge = edgeFor(m_wireStart, PortRef{n->stage(), p});
            const bool ok = edge && problemFor(*edge).isEmpty();
            if (ok)
                m_compatible.insert(PortRef{n->stage(), p});
            n->setHint(p, ok ? NodeItem::Hint::Compatible : NodeItem::Hint::Incompatible);
        }
    }
}

void BuilderScene::updateHot(const QPointF &at)
{
    const Port wanted = isOutput(m_wireStart.port) ? Port::Stdin : Port::Stdout;
    const auto near = portNear(at, wanted, NodeItem::PortReach);
    const PortRef hot = near && m_compatible.contains(*near) ? *near : PortRef{};
    if (hot == m_hot)
        return;
    if (NodeItem *was = m_nodes.value(m_hot.stage))
        was->setHint(m_hot.port, NodeItem::Hint::Compatible);
    if (NodeItem *now = m_nodes.value(hot.stage))
        now->setHint(hot.port, NodeItem::Hint::Hot);
    m_hot = hot;
}

void BuilderScene::cancelGesture()
{
    delete m_draft;
    m_draft = nullptr;
    delete m_knife;
    m_knife = nullptr;
    if (m_detached) {
        if (WireItem *w = m_wires.value(*m_detached))
            w->setVisible(true);
        m_detached.reset();
    }
    if (m_insertTarget)
        m_insertTarget->setInsertHint(false);
    m_insertTarget = nullptr;
    if (m_gesture == Gesture::Wire)
        showHints(false);
    if (m_gesture == Gesture::Move) {
        // A move given up half way goes back: the document never heard of it.
        m_syncing = true;
        for (auto it = m_moveStages.cbegin(); it != m_moveStages.cend(); ++it) {
            if (NodeItem *n = m_nodes.value(it.key()))
                n->setPos(it.value());
        }
        for (auto it = m_moveNotes.cbegin(); it != m_moveNotes.cend(); ++it) {
            if (NoteItem *n = m_notes.value(it.key()))
                n->setPos(it.value());
        }
        m_syncing = false;
        m_moveStages.clear();
        m_moveNotes.clear();
        if (QGraphicsItem *grabber = mouseGrabberItem())
            grabber->ungrabMouse();
    }
    m_gesture = Gesture::None;
}

void BuilderScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    m_cursor = event->scenePos();
    if (m_gesture != Gesture::None && m_gesture != Gesture::Move) {
        // A second button during a gesture ends it as it was.
        cancelGesture();
        event->accept();
        return;
    }
    if (event->button() == Qt::LeftButton && (event->modifiers() & Qt::AltModifier)) {
        event->accept();
        if (refuseIfLocked())
            return;
        m_gesture = Gesture::Knife;
        m_knife = new QGraphicsLineItem(QLineF(event->scenePos(), event->scenePos()));
        m_knife->setPen(QPen(Colours::errorColor(palette()), 2, Qt::DashLine));
        m_knife->setZValue(20);
        addItem(m_knife);
        return;
    }
    if (event->button() == Qt::LeftButton) {
        NodeItem *n = nodeAt(this, event->scenePos());
        const Port port = n ? n->portAt(event->scenePos()) : Port::None;
        if (port != Port::None) {
            event->accept();
            if (refuseIfLocked())
                return;
            m_wireStart = PortRef{n->stage(), port};
            m_detached.reset();
            if (port == Port::Stdin) {
                // A wired stdin: its newest wire comes off it, to go elsewhere or nowhere.
                const QList<Edge> in = m_document->spec().edgesTo(n->stage());
                if (!in.isEmpty()) {
                    const EdgeId e = in.last().id;
                    m_detached = e;
                    m_wireStart = PortRef{e.from, e.stream == OutputStream::Stderr ? Port::Stderr : Port::Stdout};
                    if (WireItem *w = m_wires.value(e))
                        w->setVisible(false);
                }
            }
            m_gesture = Gesture::Wire;
            m_draft = new WireItem(EdgeId{}, true);
            addItem(m_draft);
            const QPointF fixed = m_nodes.value(m_wireStart.stage)->portPos(m_wireStart.port);
            m_draft->setEnds(isOutput(m_wireStart.port) ? fixed : event->scenePos(), isOutput(m_wireStart.port) ? event->scenePos() : fixed);
            showHints(true);
            updateHot(event->scenePos());
            return;
        }
    }
    QGraphicsScene::mousePressEvent(event);
    if (event->button() != Qt::LeftButton)
        return;
    QGraphicsItem *grabber = mouseGrabberItem();
    const bool editingNote = grabber && grabber->type() == NoteItem::Type && static_cast<NoteItem *>(grabber)->isEditing();
    if (grabber && !editingNote && (grabber->type() == NodeItem::Type || grabber->type() == NoteItem::Type)) {
        m_gesture = Gesture::Move;
        m_moveStages.clear();
        m_moveNotes.clear();
        for (QGraphicsItem *item : selectedItems()) {
            if (item->type() == NodeItem::Type)
                m_moveStages.insert(static_cast<NodeItem *>(item)->stage(), item->pos());
            else if (item->type() == NoteItem::Type)
                m_moveNotes.insert(static_cast<NoteItem *>(item)->id(), item->pos());
        }
    }
}

void BuilderScene::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    m_cursor = event->scenePos();
    switch (m_gesture) {
    case Gesture::Wire: {
        const QPointF fixed = m_nodes.value(m_wireStart.stage)->portPos(m_wireStart.port);
        if (isOutput(m_wireStart.port))
            m_draft->setEnds(fixed, event->scenePos());
        else
            m_draft->setEnds(event->scenePos(), fixed);
        updateHot(event->scenePos());
        event->accept();
        return;
    }
    case Gesture::Knife:
        m_knife->setLine(QLineF(m_knife->line().p1(), event->scenePos()));
        event->accept();
        return;
    case Gesture::Move: {
        QGraphicsScene::mouseMoveEvent(event);
        WireItem *target = nullptr;
        if (m_moveStages.size() == 1 && m_moveNotes.isEmpty() && !(event->modifiers() & Qt::ShiftModifier) && !m_locked)
            target = wireUnder(m_nodes.value(m_moveStages.cbegin().key()));
        if (target != m_insertTarget) {
            if (m_insertTarget)
                m_insertTarget->setInsertHint(false);
            m_insertTarget = target;
            if (target)
                target->setInsertHint(true);
        }
        return;
    }
    case Gesture::None:
        break;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void BuilderScene::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    m_cursor = event->scenePos();
    switch (m_gesture) {
    case Gesture::Wire:
        event->accept();
        finishWire(event->scenePos(), event->modifiers());
        return;
    case Gesture::Knife:
        event->accept();
        finishKnife();
        return;
    case Gesture::Move:
        QGraphicsScene::mouseReleaseEvent(event);
        finishMove(event->modifiers());
        return;
    case Gesture::None:
        break;
    }
    QGraphicsScene::mouseReleaseEvent(event);
}

void BuilderScene::finishWire(const QPointF &at, Qt::KeyboardModifiers)
{
    const PortRef start = m_wireStart;
    const std::optional<EdgeId> detached = m_detached;
    const Port wanted = isOutput(start.port) ? Port::Stdin : Port::Stdout;
    std::optional<PortRef> target = portNear(at, wanted, NodeItem::PortReach);
    if (!target) {
        // Released over a node, away from its ports: the port a wire of this kind goes to.
        if (NodeItem *n = nodeAt(this, at); n && n->hasPort(wanted))
            target = PortRef{n->stage(), wanted};
    }
    std::optional<EdgeId> edge = target ? edgeFor(start, *target) : std::nullopt;
    const QString problem = edge ? problemFor(*edge) : QString();
    cancelGesture(); // the detached wire shows again until a command moves it
    const PipelineSpec &spec = m_document->spec();
    if (!target) {
        if (detached) {
            auto *cmd = new RemoveItemsCommand(m_document, {}, {*detached}, {});
            cmd->setText(QStringLiteral("Disconnect %1").arg(ConnectCommand::describe(spec, *detached)));
            m_document->undoStack()->push(cmd);
        } else {
            Q_EMIT quickAddRequested(at, start);
        }
        return;
    }
    if (!edge || (detached && *edge == *detached))
        return;
    if (!problem.isEmpty()) {
        Q_EMIT message(QStringLiteral("Cannot connect %1: %2").arg(ConnectCommand::describe(spec, *edge), problem), true);
        return;
    }
    if (detached) {
        auto *cmd = new EditGraphCommand(m_document, QStringLiteral("Reconnect %1 to %2").arg(ConnectCommand::describe(spec, *detached),
                                                                                                 QStringLiteral("%1:stdin").arg(spec.stages.value(edge->to).displayName())));
        cmd->removeEdge(*detached);
        cmd->addEdge({{edge->from, false}, edge->stream, {edge->to, false}});
        m_document->undoStack()->push(cmd);
    } else {
        m_document->undoStack()->push(new ConnectCommand(m_document, *edge));
    }
    Q_EMIT message(QStringLiteral("Connected %1").arg(ConnectCommand::describe(m_document->spec(), *edge)), false);
}

void BuilderScene::finishKnife()
{
    const QLineF cut = m_knife->line();
    cancelGesture();
    QList<EdgeId> crossed;
    for (auto it = m_wires.cbegin(); it != m_wires.cend(); ++it) {
        if (crosses(cut, it.value()->path()))
            crossed << it.key();
    }
    cutWires(crossed);
}

WireItem *BuilderScene::wireUnder(const NodeItem *node) const
{
    if (!node || !node->hasPort(Port::Stdin) || !node->hasPort(Port::Stdout))
        return nullptr;
    const PipelineSpec &spec = m_document->spec();
    if (!spec.edgesTo(node->stage()).isEmpty())
        return nullptr;
    for (const Edge &e : spec.edgesFrom(node->stage())) {
        if (e.id.stream == OutputStream::Stdout)
            return nullptr;
    }
    const QRectF body = node->sceneBoundingRect();
    for (QGraphicsItem *item : items(body)) {
        if (item->type() != WireItem::Type)
            continue;
        auto *w = static_cast<WireItem *>(item);
        if (w->isDraft() || w->edge().from == node->stage() || w->edge().to == node->stage())
            continue;
        if (node->mapRectToScene(QRectF(0, 0, NodeItem::Width, NodeItem::Height)).contains(w->midpoint()))
            return w;
    }
    return nullptr;
}

void BuilderScene::finishMove(Qt::KeyboardModifiers modifiers)
{
    WireItem *target = m_insertTarget;
    if (target)
        target->setInsertHint(false);
    m_insertTarget = nullptr;
    m_gesture = Gesture::None;
    QHash<int, QPointF> stagesFrom, stagesTo, notesFrom, notesTo;
    for (auto it = m_moveStages.cbegin(); it != m_moveStages.cend(); ++it) {
        const NodeItem *n = m_nodes.value(it.key());
        if (n && n->pos() != it.value()) {
            stagesFrom.insert(it.key(), it.value());
            stagesTo.insert(it.key(), n->pos());
        }
    }
    for (auto it = m_moveNotes.cbegin(); it != m_moveNotes.cend(); ++it) {
        const NoteItem *n = m_notes.value(it.key());
        if (n && n->pos() != it.value()) {
            notesFrom.insert(it.key(), it.value());
            notesTo.insert(it.key(), n->pos());
        }
    }
    m_moveStages.clear();
    m_moveNotes.clear();
    if (stagesTo.isEmpty() && notesTo.isEmpty())
        return;
    if (target && stagesTo.size() == 1 && notesTo.isEmpty() && !(modifiers & Qt::ShiftModifier) && !m_locked) {
        const int stage = stagesTo.cbegin().key();
        // The document still has the old place: the insert moves it there as part of one step.
        if (insertIntoWire(stage, target->edge(), stagesTo.value(stage)))
            return;
    }
    m_document->undoStack()->push(new MoveCommand(m_document, stagesFrom, stagesTo, notesFrom, notesTo, MoveCommand::Kind::Drag));
}

void BuilderScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event)
{
    m_cursor = event->scenePos();
    const QList<QGraphicsItem *> under = items(event->scenePos(), Qt::IntersectsItemShape, Qt::DescendingOrder);
    for (QGraphicsItem *item : under) {
        if (item->type() == NodeItem::Type) {
            Q_EMIT stageActivated(static_cast<NodeItem *>(item)->stage());
            event->accept();
            return;
        }
        if (item->type() == NoteItem::Type || item->type() == WireItem::Type) {
            QGraphicsScene::mouseDoubleClickEvent(event);
            return;
        }
    }
    event->accept();
    if (event->button() == Qt::LeftButton && !refuseIfLocked())
        Q_EMIT quickAddRequested(event->scenePos(), std::nullopt);
}

void BuilderScene::keyPressEvent(QKeyEvent *event)
{
    if (QGraphicsItem *f = focusItem(); f && f->type() == NoteItem::Type && static_cast<NoteItem *>(f)->isEditing()) {
        QGraphicsScene::keyPressEvent(event);
        return;
    }
    const double step = event->modifiers() & Qt::ShiftModifier ? 50 : GridSize;
    switch (event->key()) {
    case Qt::Key_Escape:
        if (m_gesture != Gesture::None)
            cancelGesture();
        else
            clearSelection();
        event->accept();
        return;
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
        if (selectedItems().isEmpty())
            break;
        nudgeSelection(event->key() == Qt::Key_Left    ? QPointF(-step, 0)
                       : event->key() == Qt::Key_Right ? QPointF(step, 0)
                       : event->key() == Qt::Key_Up    ? QPointF(0, -step)
                                                       : QPointF(0, step));
        event->accept();
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter: {
        const int stage = focusedStage() ? focusedStage() : selectedStages().value(0);
        if (stage) {
            Q_EMIT stageActivated(stage);
            event->accept();
            return;
        }
        break;
    }
    default:
        break;
    }
    QGraphicsScene::keyPressEvent(event);
}

} // namespace Spawnscope::Ui
