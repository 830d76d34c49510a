#pragma once

#include "pipelinedocument.h"

#include <QElapsedTimer>
#include <QUndoCommand>

namespace Spawnscope {

// The undoable edits of a PipelineDocument. Each touches only the document's model (the
// Pipeline, places and notes), never a view, and says what it does ("Connect grep:stdout →
// wc:stdin"). Undo puts back exactly what was: stages under their own ids, their places, the
// wires they had, in their order.

// Stages added, wires taken away and added, in one step: a stage from the palette, quick-add
// from a dragged wire (the stage arrives wired), a pasted shell line or selection, a stage
// dropped onto a wire.
class EditGraphCommand : public QUndoCommand
{
public:
    struct NewStage
    {
        StageSpec spec;
        QPointF position;
    };
    // An end of a new wire: a stage that exists (its id), or one of the new ones (its index).
    struct End
    {
        int stage = 0;
        bool isNew = false;
    };
    struct NewEdge
    {
        End from;
        OutputStream stream = OutputStream::Stdout;
        End to;
    };

    EditGraphCommand(PipelineDocument *document, const QString &text, QUndoCommand *parent = nullptr);
    void addStage(const StageSpec &spec, const QPointF &position) { m_stages.append({spec, position}); }
    void addEdge(const NewEdge &edge) { m_newEdges.append(edge); }
    void removeEdge(const EdgeId &edge) { m_removedEdges.append(edge); }
    // After redo(): the ids the new stages got (the same at every redo).
    QList<int> stageIds() const { return m_ids; }
    // Why it cannot be done (a wire the model refuses), checked without changing anything.
    QString problem() const;

    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    QList<NewStage> m_stages;
    QList<NewEdge> m_newEdges;
    QList<EdgeId> m_removedEdges;
    QList<std::pair<qsizetype, Edge>> m_removed; // as they were, where they were
    QList<int> m_ids;
    QList<EdgeId> m_added;
    int resolve(const End &end) const { return end.isNew ? m_ids.value(end.stage) : end.stage; }
};

// A selection deleted as one safe step: wires first, then stages (with every wire they had), then
// notes; undo restores stages, then every wire in its old order.
class RemoveItemsCommand : public QUndoCommand
{
public:
    RemoveItemsCommand(PipelineDocument *document, const QList<int> &stages, const QList<EdgeId> &edges, const QList<int> &notes,
                       QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    QList<std::pair<int, StageSpec>> m_stages;
    QHash<int, QPointF> m_positions;
    QList<std::pair<qsizetype, Edge>> m_edges; // as the spec had them, where they were
    QList<PipelineDocument::Note> m_notes;
};

// One wire; a refused one is never pushed (check PipelineSpec::edgeProblem first).
class ConnectCommand : public QUndoCommand
{
public:
    ConnectCommand(PipelineDocument *document, const EdgeId &edge, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    static QString describe(const PipelineSpec &spec, const EdgeId &edge); // "grep:stdout → wc:stdin"

private:
    PipelineDocument *m_document;
    EdgeId m_edge;
};

// Stages and notes moved: a drag (pushed once, on release), a nudge by the arrow keys (nudges
// within a second of each other merge), a layout.
class MoveCommand : public QUndoCommand
{
public:
    enum class Kind { Drag, Nudge, Layout };
    MoveCommand(PipelineDocument *document, const QHash<int, QPointF> &stagesFrom, const QHash<int, QPointF> &stagesTo,
                const QHash<int, QPointF> &notesFrom, const QHash<int, QPointF> &notesTo, Kind kind, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return m_kind == Kind::Nudge ? 0x5350 : -1; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    PipelineDocument *m_document;
    QHash<int, QPointF> m_stagesFrom;
    QHash<int, QPointF> m_stagesTo;
    QHash<int, QPointF> m_notesFrom;
    QHash<int, QPointF> m_notesTo;
    Kind m_kind;
    QElapsedTimer m_when;
    void apply(const QHash<int, QPointF> &stages, const QHash<int, QPointF> &notes);
};

// A stage's settings changed in the inspector.
class EditStageCommand : public QUndoCommand
{
public:
    EditStageCommand(PipelineDocument *document, int stage, const StageSpec &after, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    int m_stage;
    StageSpec m_before;
    StageSpec m_after;
};

// A note added (`before` empty), changed, or its text edited.
class NoteCommand : public QUndoCommand
{
public:
    NoteCommand(PipelineDocument *document, const PipelineDocument::Note &after, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    std::optional<PipelineDocument::Note> m_before;
    PipelineDocument::Note m_after;
};

// A wire tapped (relayed through the window, so that its lines are counted and its last ones
// can be watched) or no longer.
class TapCommand : public QUndoCommand
{
public:
    TapCommand(PipelineDocument *document, const EdgeId &edge, bool tapped, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    EdgeId m_edge;
    bool m_tapped;
};

// The pipeline's own settings: its status policy and its pipes' capacity.
class PipelinePropertiesCommand : public QUndoCommand
{
public:
    PipelinePropertiesCommand(PipelineDocument *document, StatusPolicy policy, int pipeCapacity, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_document;
    StatusPolicy m_policyBefore, m_policyAfter;
    int m_capacityBefore, m_capacityAfter;
};

} // namespace Spawnscope
