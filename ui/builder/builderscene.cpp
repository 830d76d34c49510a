#include "builderscene.h"

#include "noteitem.h"
#include "wireitem.h"

#include <pipelinedocument.h>

#include <QEvent>
#include <QGraphicsSceneHelpEvent>
#include <QGraphicsView>
#include <QTimer>
#include <QToolTip>

#include <algorithm>
#include <set>

namespace Spawnscope::Ui {

BuilderScene::BuilderScene(PipelineDocument *document, QObject *parent)
    : QGraphicsScene(parent)
    , m_document(document)
{
    // Room to pan anywhere; fitting uses what is drawn, not this.
    setSceneRect(-50000, -50000, 100000, 100000);
    setItemIndexMethod(BspTreeIndex);
    Pipeline *p = document->pipeline();
    connect(p, &Pipeline::stageAdded, this, &BuilderScene::addNodeItem);
    connect(p, &Pipeline::stageRemoved, this, &BuilderScene::removeNodeItem);
    connect(p, &Pipeline::stageChanged, this, [this](int id) {
        if (NodeItem *n = m_nodes.value(id)) {
            n->setSpec(m_document->spec().stages.value(id));
            for (const EdgeId &e : m_wiresOf.value(id))
                placeWire(m_wires.value(e)); // a port may have moved (a file's stdout)
        }
    });
    connect(p, &Pipeline::edgeAdded, this, &BuilderScene::addWireItem);
    connect(p, &Pipeline::edgeChanged, this, [this](const EdgeId &edge) {
        if (WireItem *w = m_wires.value(edge))
            w->setTapped(m_document->spec().edge(edge).value_or(Edge{}).tapped);
    });
    connect(p, &Pipeline::edgeRemoved, this, &BuilderScene::removeWireItem);
    connect(p, &Pipeline::reset, this, &BuilderScene::rebuild);
    connect(document, &PipelineDocument::reset, this, &BuilderScene::rebuild);
    connect(document, &PipelineDocument::positionChanged, this, [this](int id) {
        if (NodeItem *n = m_nodes.value(id)) {
            m_syncing = true;
            n->setPos(m_document->position(id));
            m_syncing = false;
        }
    });
    connect(document, &PipelineDocument::noteChanged, this, &BuilderScene::putNoteItem);
    connect(document, &PipelineDocument::noteRemoved, this, [this](int id) {
        if (NoteItem *n = m_notes.take(id))
            deleteItem(n);
    });
    rebuild();
}

BuilderScene::~BuilderScene()
{
    // The items go while the maps that name them are empty: nothing looks them up as they do.
    m_nodes.clear();
    m_wires.clear();
    m_notes.clear();
    clear();
}

void BuilderScene::rebuild()
{
    cancelGesture();
    m_nodes.clear();
    m_wires.clear();
    m_notes.clear();
    m_wiresOf.clear();
    m_flow.clear();
    m_insertTarget = nullptr;
    clear();
    const PipelineSpec &spec = m_document->spec();
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it)
        addNodeItem(it.key());
    for (const Edge &e : spec.edges)
        addWireItem(e.id);
    for (const PipelineDocument::Note &n : m_document->notes())
        putNoteItem(n.id);
}

void BuilderScene::addNodeItem(int stage)
{
    if (m_nodes.contains(stage))
        return;
    auto *n = new NodeItem(stage);
    m_nodes.insert(stage, n); // before it is placed: nodeMoved() looks it up
    n->setSpec(m_document->spec().stages.value(stage));
    m_syncing = true;
    n->setPos(m_document->position(stage));
    m_syncing = false;
    addItem(n);
}

void BuilderScene::removeNodeItem(int stage)
{
    NodeItem *n = m_nodes.take(stage);
    if (!n)
        return;
    if (m_gesture == Gesture::Wire && m_wireStart.stage == stage)
        cancelGesture();
    m_moveStages.remove(stage);
    m_wiresOf.remove(stage);
    deleteItem(n);
}

void BuilderScene::addWireItem(const EdgeId &edge)
{
    if (m_wires.contains(edge))
        return;
    auto *w = new WireItem(edge);
    m_wires.insert(edge, w);
    m_wiresOf[edge.from].append(edge);
    m_wiresOf[edge.to].append(edge);
    addItem(w);
    placeWire(w);
    w->setTapped(m_document->spec().edge(edge).value_or(Edge{}).tapped);
    if (auto f = m_flow.constFind(edge); f != m_flow.cend())
        w->setFlow(*f, 0);
}

void BuilderScene::removeWireItem(const EdgeId &edge)
{
    WireItem *w = m_wires.take(edge);
    if (!w)
        return;
    if (m_insertTarget == w)
        m_insertTarget = nullptr;
    m_wiresOf[edge.from].removeAll(edge);
    m_wiresOf[edge.to].removeAll(edge);
    deleteItem(w);
}

void BuilderScene::deleteItem(QGraphicsItem *item)
{
    if (!item->isSelected()) {
        delete item;
        return;
    }
    // An undo that takes 500 selected stages away says the selection changed once, not 500 times.
    {
        const QSignalBlocker quiet(this);
        delete item;
    }
    if (!std::exchange(m_selectionPending, true)) {
        QTimer::singleShot(0, this, [this] {
            m_selectionPending = false;
            Q_EMIT selectionChanged();
        });
    }
}

void BuilderScene::placeWire(WireItem *wire)
{
    if (!wire)
        return;
    const NodeItem *from = m_nodes.value(wire->edge().from);
    const NodeItem *to = m_nodes.value(wire->edge().to);
    if (!from || !to)
        return;
    wire->setEnds(from->portPos(wire->edge().stream == OutputStream::Stderr ? Port::Stderr : Port::Stdout), to->portPos(Port::Stdin));
}

void BuilderScene::nodeMoved(int stage)
{
    for (const EdgeId &e : m_wiresOf.value(stage))
        placeWire(m_wires.value(e));
}

void BuilderScene::putNoteItem(int id)
{
    const PipelineDocument::Note note = m_document->note(id);
    NoteItem *item = m_notes.value(id);
    if (!item) {
        item = new NoteItem(id);
        item->setDefaultTextColor(palette().color(QPalette::ToolTipText));
        m_notes.insert(id, item);
        addItem(item);
    }
    if (!item->isEditing())
        item->setNoteText(note.text);
    m_syncing = true;
    item->setPos(note.position);
    m_syncing = false;
}

void BuilderScene::applyPalette()
{
    for (NoteItem *n : std::as_const(m_notes))
        n->setDefaultTextColor(palette().color(QPalette::ToolTipText));
    // Cached nodes keep their old colours until told.
    for (QGraphicsItem *item : items())
        item->update();
}

bool BuilderScene::event(QEvent *event)
{
    const bool done = QGraphicsScene::event(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyPalette();
    return done;
}

QList<int> BuilderScene::selectedStages() const
{
    QList<int> out;
    for (QGraphicsItem *item : selectedItems()) {
        if (item->type() == NodeItem::Type)
            out << static_cast<NodeItem *>(item)->stage();
    }
    std::sort(out.begin(), out.end());
    return out;
}

QList<EdgeId> BuilderScene::selectedEdges() const
{
    QList<EdgeId> out;
    for (QGraphicsItem *item : selectedItems()) {
        if (item->type() == WireItem::Type)
            out << static_cast<WireItem *>(item)->edge();
    }
    std::sort(out.begin(), out.end());
    return out;
}

QList<int> BuilderScene::selectedNotes() const
{
    QList<int> out;
    for (QGraphicsItem *item : selectedItems()) {
        if (item->type() == NoteItem::Type)
            out << static_cast<NoteItem *>(item)->id();
    }
    std::sort(out.begin(), out.end());
    return out;
}

void BuilderScene::selectStages(const QList<int> &stages, const QList<EdgeId> &edges)
{
    // One selectionChanged() for the whole change, not one per item.
    {
        const QSignalBlocker quiet(this);
        clearSelection();
        for (int id : stages) {
            if (NodeItem *n = m_nodes.value(id))
                n->setSelected(true);
        }
        for (const EdgeId &e : edges) {
            if (WireItem *w = m_wires.value(e))
                w->setSelected(true);
        }
        if (!stages.isEmpty()) {
            if (NodeItem *n = m_nodes.value(stages.first()))
                setFocusItem(n);
        }
    }
    Q_EMIT selectionChanged();
}

QList<int> BuilderScene::flowOrder() const
{
    const PipelineSpec &spec = m_document->spec();
    QHash<int, int> waiting;
    for (const Edge &e : spec.edges)
        ++waiting[e.id.to];
    QHash<int, QList<int>> readers;
    for (const Edge &e : spec.edges)
        readers[e.id.from] << e.id.to;
    std::set<int> ready;
    for (int id : spec.stageIds()) {
        if (!waiting.value(id))
            ready.insert(id);
    }
    QList<int> out;
    while (!ready.empty()) {
        const int id = *ready.begin();
        ready.erase(ready.begin());
        out << id;
        for (int to : readers.value(id)) {
            if (--waiting[to] == 0)
                ready.insert(to);
        }
    }
    return out;
}

int BuilderScene::focusedStage() const
{
    QGraphicsItem *f = focusItem();
    return f && f->type() == NodeItem::Type ? static_cast<NodeItem *>(f)->stage() : 0;
}

int BuilderScene::focusNextStage(bool backwards)
{
    const QList<int> order = flowOrder();
    if (order.isEmpty())
        return 0;
    int current = focusedStage();
    if (!current && !selectedStages().isEmpty())
        current = selectedStages().first();
    qsizetype at = order.indexOf(current);
    if (at < 0)
        at = backwards ? 0 : -1;
    const int next = order[(at + (backwards ? order.size() - 1 : 1)) % order.size()];
    selectStages({next});
    for (QGraphicsView *v : views())
        v->ensureVisible(m_nodes.value(next), 40, 40);
    return next;
}

void BuilderScene::setLocked(bool locked)
{
    if (locked == m_locked)
        return;
    m_locked = locked;
    if (locked && (m_gesture == Gesture::Wire || m_gesture == Gesture::Knife))
        cancelGesture();
}

QString BuilderScene::lockedReason() const
{
    return QStringLiteral("The pipeline is running: Stop to edit (moving stays allowed)");
}

bool BuilderScene::refuseIfLocked()
{
    if (!m_locked)
        return false;
    Q_EMIT message(lockedReason(), true);
    return true;
}

void BuilderScene::setStageStatus(int stage, const StageStatus &status, const QString &details)
{
    if (NodeItem *n = m_nodes.value(stage))
        n->setStatus(status, details);
}

void BuilderScene::setStageLastLine(int stage, const QString &line)
{
    if (NodeItem *n = m_nodes.value(stage))
        n->setLastLine(line);
}

void BuilderScene::setEdgeStats(const QHash<EdgeId, EdgeStats> &stats, qint64 msecs)
{
    for (auto it = stats.cbegin(); it != stats.cend(); ++it) {
        FlowMeter &meter = m_flow[it.key()];
        meter.update(*it, msecs);
        if (WireItem *w = m_wires.value(it.key()))
            w->setFlow(meter, msecs);
    }
    // Idle wires say so a second after their last bytes even when no new stats came for them
    // (stats come only when something changed); a writer is blocked by its latest stats.
    QSet<int> blockedWriters;
    for (auto it = m_flow.cbegin(); it != m_flow.cend(); ++it) {
        if (!stats.contains(it.key()))
            if (WireItem *w = m_wires.value(it.key()))
                w->setFlow(*it, msecs);
        if (it->stats().writerBlocked)
            blockedWriters << it.key().from;
    }
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it)
        it.value()->setBlocked(blockedWriters.contains(it.key()));
}

void BuilderScene::finishFlow()
{
    for (auto it = m_flow.begin(); it != m_flow.end(); ++it) {
        it->finish();
        if (WireItem *w = m_wires.value(it.key()))
            w->setFlow(*it, 0);
    }
    for (NodeItem *n : std::as_const(m_nodes))
        n->setBlocked(false);
}

void BuilderScene::clearResults()
{
    m_flow.clear();
    for (WireItem *w : std::as_const(m_wires))
        w->clearFlow();
    for (NodeItem *n : std::as_const(m_nodes)) {
        n->setStatus(StageStatus::idle(), {});
        n->setLastLine({});
        n->setBlocked(false);
    }
}

const FlowMeter *BuilderScene::flow(const EdgeId &edge) const
{
    const auto it = m_flow.constFind(edge);
    return it == m_flow.cend() ? nullptr : &*it;
}

void BuilderScene::setProblems(const QHash<int, QString> &problems)
{
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it)
        it.value()->setProblem(problems.value(it.key()));
}

void BuilderScene::helpEvent(QGraphicsSceneHelpEvent *event)
{
    // A port names its stream and descriptor; the rest is the items' own tooltips.
    for (QGraphicsItem *item : items(event->scenePos(), Qt::IntersectsItemShape, Qt::DescendingOrder)) {
        if (item->type() != NodeItem::Type)
            continue;
        const auto *n = static_cast<NodeItem *>(item);
        const Port p = n->portAt(event->scenePos());
        if (p == Port::None)
            break;
        const QString text = p == Port::Stdin ? QStringLiteral("stdin (fd 0) of %1: drag a stdout or stderr here")
                           : p == Port::Stdout ? QStringLiteral("stdout (fd 1) of %1: drag to a stdin to wire it")
                                               : QStringLiteral("stderr (fd 2) of %1: drag to a stdin to wire it");
        QToolTip::showText(event->screenPos(), text.arg(n->title()), event->widget());
        event->accept();
        return;
    }
    QGraphicsScene::helpEvent(event);
}

} // namespace Spawnscope::Ui
