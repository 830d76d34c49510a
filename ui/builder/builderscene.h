#pragma once

#include "nodeitem.h"

#include <edgestats.h>
#include <flowmeter.h>
#include <pipelinespec.h>
#include <stagestatus.h>
#include <stagetemplate.h>

#include <QElapsedTimer>
#include <QGraphicsScene>
#include <QHash>
#include <QPointer>
#include <QSet>

#include <optional>

class QGraphicsLineItem;
class QMimeData;

namespace Spawnscope {
class PipelineDocument;
}

namespace Spawnscope::Ui {

class NoteItem;
class WireItem;

// The canvas of one PipelineDocument. Its items follow the document's signals (they are never
// the truth); every gesture that changes the pipeline becomes one command on the document's undo
// stack, or a refusal said by message(). Gestures: drag from an output port to a stdin (or back)
// to wire; drag a wired stdin away to re-target or (on empty canvas) disconnect; Alt+drag cuts
// the wires it crosses; a node dropped on a wire goes into it (Shift: not); a drag moves the
// selection as one step on release; palette entries and .spawnscope.json files dropped on it.
// While a run goes the topology is locked ("Stop to edit") and moving stays allowed.
class BuilderScene : public QGraphicsScene
{
    Q_OBJECT
public:
    static constexpr double GridSize = 10;
    static constexpr const char *TemplateMime = "application/x-spawnscope-template";
    static constexpr const char *PipelineMime = "application/x-spawnscope-pipeline+json";

    // A port of a stage: where a dragged wire began, or where a new stage is wired to.
    struct PortRef
    {
        int stage = 0;
        Port port = Port::None;
        friend bool operator==(const PortRef &, const PortRef &) = default;
        friend size_t qHash(const PortRef &p, size_t seed = 0) { return qHashMulti(seed, p.stage, int(p.port)); }
    };
    // What quick-add adds: a palette entry, or a typed shell line.
    struct Choice
    {
        std::optional<StageTemplate> entry;
        QString line;
    };

    explicit BuilderScene(PipelineDocument *document, QObject *parent = nullptr);
    ~BuilderScene() override;
    PipelineDocument *document() const { return m_document; }

    NodeItem *node(int stage) const { return m_nodes.value(stage); }
    WireItem *wire(const EdgeId &edge) const { return m_wires.value(edge); }
    NoteItem *noteItem(int id) const { return m_notes.value(id); }
    QList<int> stageIds() const { return m_nodes.keys(); }
    QList<int> selectedStages() const;
    QList<EdgeId> selectedEdges() const;
    QList<int> selectedNotes() const;
    void selectStages(const QList<int> &stages, const QList<EdgeId> &edges = {});
    // Each stage after the stages that feed it, the lowest id first among those ready: Tab's order.
    QList<int> flowOrder() const;
    // The stage after (or before) the focused one in flow order, focused and selected.
    int focusNextStage(bool backwards);
    int focusedStage() const;

    bool isLocked() const { return m_locked; }
    void setLocked(bool locked);
    bool snapToGrid() const { return m_snap; }
    void setSnapToGrid(bool on) { m_snap = on; }

    // Edits: each is one undo step, or a refusal said by message() and false.
    bool addEntry(const StageTemplate &entry, const QPointF &at, const std::optional<PortRef> &wiredTo = std::nullopt);
    bool addChoice(const Choice &choice, const QPointF &at, const std::optional<PortRef> &wiredTo = std::nullopt);
    // A shell line's stages, laid out left to right from `at`; a parse error says its column.
    bool addLine(const QString &line, const QPointF &at, const std::optional<PortRef> &wiredTo = std::nullopt);
    bool connectPorts(const PortRef &from, const PortRef &to);
    bool deleteSelection();
    // The one selected stage taken out, each stage that fed it wired to each that read its
    // stdout instead (grep out of `cat | grep x | wc`), as one step.
    bool deleteAndReconnect();
    bool setTapped(const EdgeId &edge, bool tapped);
    // What is under a scene point: a stage, a wire, a note, or nothing.
    QGraphicsItem *itemAt(const QPointF &at) const;
    bool cutWires(const QList<EdgeId> &edges);
    void nudgeSelection(const QPointF &delta);
    bool layOut(); // the selection, or everything
    void addNote(const QPointF &at, const QString &text = {});
    void noteEdited(int id, const QString &text);
    // The selection as a file's JSON (own type, and text), and a shell line when it is one.
    QMimeData *copySelection() const;
    bool paste(const QMimeData *data, const QPointF &at);
    bool duplicateSelection();
    // The Insert gesture: a stage with a free stdin and stdout into a wire, as one step.
    bool insertIntoWire(int stage, const EdgeId &edge, const QPointF &position);

    // What the last run says, shown on the nodes and wires (not part of the document).
    void setStageStatus(int stage, const StageStatus &status, const QString &details);
    void setStageLastLine(int stage, const QString &line);
    void setEdgeStats(const QHash<EdgeId, EdgeStats> &stats, qint64 msecs);
    void finishFlow(); // the run ended: rates become means, counters stay as they are
    void clearResults();
    const FlowMeter *flow(const EdgeId &edge) const;
    // Problems marked on their nodes.
    void setProblems(const QHash<int, QString> &problems);

    // Scrolls the views so that these stages are seen whole.
    void showStages(const QList<int> &stages);

    // Where the pointer last was over the canvas: paste and quick-add by key go there.
    QPointF lastCursor() const { return m_cursor; }
    void setLastCursor(const QPointF &at) { m_cursor = at; }
    // Called by items.
    void nodeMoved(int stage);
    // Items are being placed where the document says: not a user's move, not snapped.
    bool isSyncing() const { return m_syncing; }

Q_SIGNALS:
    // A refusal (error: true) or a remark for the status line; once per gesture refused.
    void message(const QString &text, bool error);
    // A wire was dropped on empty canvas, or quick-add asked for by a double-click: once each.
    void quickAddRequested(const QPointF &at, const std::optional<Spawnscope::Ui::BuilderScene::PortRef> &wiredTo);
    // A node was double-clicked (or Enter pressed on it): its settings are wanted. Once each.
    void stageActivated(int stage);
    // A file was dropped on the canvas: once per file of the drop.
    void fileDropped(const QString &path);
    // A right click: what is under it is selected first (unless it already was). Once per click.
    void contextMenuRequested(const QPointF &scenePos, const QPoint &screenPos);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void dragEnterEvent(QGraphicsSceneDragDropEvent *event) override;
    void dragMoveEvent(QGraphicsSceneDragDropEvent *event) override;
    void dropEvent(QGraphicsSceneDragDropEvent *event) override;
    void helpEvent(QGraphicsSceneHelpEvent *event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent *event) override;
    bool event(QEvent *event) override;

private:
    PipelineDocument *m_document;
    QHash<int, NodeItem *> m_nodes;
    QHash<EdgeId, WireItem *> m_wires;
    QHash<int, NoteItem *> m_notes;
    QHash<int, QList<EdgeId>> m_wiresOf; // a stage's wires, in and out
    QHash<EdgeId, FlowMeter> m_flow;
    bool m_locked = false;
    bool m_snap = true;
    bool m_syncing = false; // placing items from the document: not a user's move
    QPointF m_cursor;
    bool m_selectionPending = false;

    enum class Gesture { None, Wire, Knife, Move };
    Gesture m_gesture = Gesture::None;
    PortRef m_wireStart;                 // the end being held still
    std::optional<EdgeId> m_detached;    // a wire taken from its stdin to go elsewhere
    WireItem *m_draft = nullptr;
    QGraphicsLineItem *m_knife = nullptr;
    QHash<int, QPointF> m_moveStages;    // where the moving selection started
    QHash<int, QPointF> m_moveNotes;
    WireItem *m_insertTarget = nullptr;
    QSet<PortRef> m_compatible; // where the wire being drawn may go
    PortRef m_hot;

    void rebuild();
    void addNodeItem(int stage);
    void removeNodeItem(int stage);
    void addWireItem(const EdgeId &edge);
    void removeWireItem(const EdgeId &edge);
    void deleteItem(QGraphicsItem *item);
    void placeWire(WireItem *wire);
    void putNoteItem(int id);
    void applyPalette();

    QString lockedReason() const;
    bool refuseIfLocked();
    std::optional<PortRef> portNear(const QPointF &at, Port wanted, double reach) const;
    std::optional<EdgeId> edgeFor(const PortRef &a, const PortRef &b) const;
    QString problemFor(const EdgeId &edge) const;
    void showHints(bool on);
    void updateHot(const QPointF &at);
    void finishWire(const QPointF &at, Qt::KeyboardModifiers modifiers);
    void finishKnife();
    void finishMove(Qt::KeyboardModifiers modifiers);
    WireItem *wireUnder(const NodeItem *node) const;
    void cancelGesture();
    QPointF nodeTopLeft(const QPointF &at) const;
};

} // namespace Spawnscope::Ui

Q_DECLARE_METATYPE(Spawnscope::Ui::BuilderScene::PortRef)
