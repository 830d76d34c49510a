#include "pipelinecommands.h"

#include <algorithm>

namespace Spawnscope {

namespace {

QString portName(const PipelineSpec &spec, int stage, const QString &port)
{
    return QStringLiteral("%1:%2").arg(spec.stages.value(stage).displayName(), port);
}

} // namespace

EditGraphCommand::EditGraphCommand(PipelineDocument *document, const QString &text, QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , m_document(document)
{
}

QString EditGraphCommand::problem() const
{
    // The edit tried on a copy: the model's own rules, nothing changed.
    PipelineSpec spec = m_document->spec();
    for (const EdgeId &e : m_removedEdges) {
        if (!spec.edge(e))
            return QStringLiteral("there is no wire %1").arg(ConnectCommand::describe(spec, e));
        spec.edges.removeAll(*spec.edge(e));
    }
    QList<int> ids;
    int next = m_document->pipeline()->nextStageId();
    for (const NewStage &s : m_stages) {
        spec.stages.insert(next, s.spec);
        ids << next++;
    }
    for (const NewEdge &e : m_newEdges) {
        const EdgeId id{e.from.isNew ? ids.value(e.from.stage) : e.from.stage, e.stream, e.to.isNew ? ids.value(e.to.stage) : e.to.stage};
        if (const QString why = spec.edgeProblem(id); !why.isEmpty())
            return why;
        spec.edges.append(Edge{id});
    }
    return {};
}

void EditGraphCommand::redo()
{
    Pipeline *p = m_document->pipeline();
    m_removed.clear();
    const PipelineSpec before = p->spec();
    for (const EdgeId &e : m_removedEdges) {
        for (qsizetype i = 0; i < before.edges.size(); ++i) {
            if (before.edges[i].id == e)
                m_removed.append({i, before.edges[i]});
        }
    }
    std::sort(m_removed.begin(), m_removed.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const EdgeId &e : m_removedEdges)
        p->removeEdge(e);
    const bool first = m_ids.isEmpty();
    for (qsizetype i = 0; i < m_stages.size(); ++i) {
        // Ids are handed out once; a redo puts each stage back under its own.
        if (first)
            m_ids << p->addStage(m_stages[i].spec);
        else
            p->insertStage(m_ids[i], m_stages[i].spec);
        m_document->setPosition(m_ids[i], m_stages[i].position);
    }
    m_added.clear();
    for (const NewEdge &e : m_newEdges) {
        const EdgeId id{resolve(e.from), e.stream, resolve(e.to)};
        if (p->addEdge(id))
            m_added << id;
    }
}

void EditGraphCommand::undo()
{
    Pipeline *p = m_document->pipeline();
    for (auto it = m_added.crbegin(); it != m_added.crend(); ++it)
        p->removeEdge(*it);
    for (auto it = m_ids.crbegin(); it != m_ids.crend(); ++it) {
        p->removeStage(*it);
        m_document->removePosition(*it);
    }
    for (const auto &[index, edge] : m_removed)
        p->insertEdge(edge, index);
}

RemoveItemsCommand::RemoveItemsCommand(PipelineDocument *document, const QList<int> &stages, const QList<EdgeId> &edges,
                                       const QList<int> &notes, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
{
    const PipelineSpec &spec = document->spec();
    QSet<int> going(stages.cbegin(), stages.cend());
    for (int id : stages) {
        if (spec.stages.contains(id)) {
            m_stages.append({id, spec.stages.value(id)});
            m_positions.insert(id, document->position(id));
        }
    }
    // Every wire that goes: those chosen, and those of the stages that go, with their places.
    for (qsizetype i = 0; i < spec.edges.size(); ++i) {
        const Edge &e = spec.edges[i];
        if (edges.contains(e.id) || going.contains(e.id.from) || going.contains(e.id.to))
            m_edges.append({i, e});
    }
    for (int id : notes) {
        if (document->hasNote(id))
            m_notes.append(document->note(id));
    }
    auto counted = [](qsizetype n, const char *one) { return QStringLiteral("%1 %2%3").arg(n).arg(QLatin1String(one), n == 1 ? QString() : QStringLiteral("s")); };
    QStringList parts;
    if (m_stages.size() == 1)
        parts << m_stages.first().second.displayName();
    else if (!m_stages.isEmpty())
        parts << counted(m_stages.size(), "stage");
    if (m_stages.isEmpty() && m_edges.size() == 1)
        parts << QStringLiteral("the wire %1").arg(ConnectCommand::describe(spec, m_edges.first().second.id));
    else if (!m_edges.isEmpty())
        parts << counted(m_edges.size(), "wire");
    if (!m_notes.isEmpty())
        parts << counted(m_notes.size(), "note");
    setText(QStringLiteral("Delete %1").arg(parts.join(QStringLiteral(", "))));
}

void RemoveItemsCommand::redo()
{
    Pipeline *p = m_document->pipeline();
    for (const auto &[index, e] : m_edges)
        p->removeEdge(e.id);
    for (const auto &[id, spec] : m_stages) {
        p->removeStage(id);
        m_document->removePosition(id);
    }
    for (const PipelineDocument::Note &n : m_notes)
        m_document->removeNote(n.id);
}

void RemoveItemsCommand::undo()
{
    Pipeline *p = m_document->pipeline();
    for (const auto &[id, spec] : m_stages) {
        p->insertStage(id, spec);
        m_document->setPosition(id, m_positions.value(id));
    }
    // Back where they stood, taps and unknown fields with them.
    for (const auto &[index, e] : m_edges)
        p->insertEdge(e, index);
    for (const PipelineDocument::Note &n : m_notes)
        m_document->putNote(n);
}

ConnectCommand::ConnectCommand(PipelineDocument *document, const EdgeId &edge, QUndoCommand *parent)
    : QUndoCommand(QStringLiteral("Connect %1").arg(describe(document->spec(), edge)), parent)
    , m_document(document)
    , m_edge(edge)
{
}

QString ConnectCommand::describe(const PipelineSpec &spec, const EdgeId &edge)
{
    return QStringLiteral("%1 → %2").arg(portName(spec, edge.from, PipelineSpec::streamName(edge.stream)), portName(spec, edge.to, QStringLiteral("stdin")));
}

void ConnectCommand::redo()
{
    m_document->pipeline()->addEdge(m_edge);
}

void ConnectCommand::undo()
{
    m_document->pipeline()->removeEdge(m_edge);
}

MoveCommand::MoveCommand(PipelineDocument *document, const QHash<int, QPointF> &stagesFrom, const QHash<int, QPointF> &stagesTo,
                         const QHash<int, QPointF> &notesFrom, const QHash<int, QPointF> &notesTo, Kind kind, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_stagesFrom(stagesFrom)
    , m_stagesTo(stagesTo)
    , m_notesFrom(notesFrom)
    , m_notesTo(notesTo)
    , m_kind(kind)
{
    m_when.start();
    const qsizetype count = stagesTo.size() + notesTo.size();
    if (kind == Kind::Layout)
        setText(QStringLiteral("Lay Out"));
    else if (stagesTo.size() == 1 && notesTo.isEmpty())
        setText(QStringLiteral("Move %1").arg(document->spec().stages.value(stagesTo.begin().key()).displayName()));
    else
        setText(QStringLiteral("Move %1 items").arg(count));
}

void MoveCommand::apply(const QHash<int, QPointF> &stages, const QHash<int, QPointF> &notes)
{
    for (auto it = stages.cbegin(); it != stages.cend(); ++it)
        m_document->setPosition(it.key(), it.value());
    for (auto it = notes.cbegin(); it != notes.cend(); ++it) {
        PipelineDocument::Note n = m_document->note(it.key());
        n.position = it.value();
        m_document->putNote(n);
    }
}

void MoveCommand::redo()
{
    apply(m_stagesTo, m_notesTo);
}

void MoveCommand::undo()
{
    apply(m_stagesFrom, m_notesFrom);
}

bool MoveCommand::mergeWith(const QUndoCommand *other)
{
    // Nudges of the same things within a second of each other are one step.
    const auto *next = static_cast<const MoveCommand *>(other);
    if (m_kind != Kind::Nudge || next->m_kind != Kind::Nudge || m_when.elapsed() > 1000 || m_stagesTo.keys() != next->m_stagesTo.keys()
        || m_notesTo.keys() != next->m_notesTo.keys())
        return false;
    m_stagesTo = next->m_stagesTo;
    m_notesTo = next->m_notesTo;
    m_when.restart();
    return true;
}

EditStageCommand::EditStageCommand(PipelineDocument *document, int stage, const StageSpec &after, QUndoCommand *parent)
    : QUndoCommand(QStringLiteral("Edit %1").arg(document->spec().stages.value(stage).displayName()), parent)
    , m_document(document)
    , m_stage(stage)
    , m_before(document->spec().stages.value(stage))
    , m_after(after)
{
}

void EditStageCommand::redo()
{
    m_document->pipeline()->setStage(m_stage, m_after);
}

void EditStageCommand::undo()
{
    m_document->pipeline()->setStage(m_stage, m_before);
}

NoteCommand::NoteCommand(PipelineDocument *document, const PipelineDocument::Note &after, QUndoCommand *parent)
    : QUndoCommand(document->hasNote(after.id) ? QStringLiteral("Edit Note") : QStringLiteral("Add Note"), parent)
    , m_document(document)
    , m_after(after)
{
    if (document->hasNote(after.id))
        m_before = document->note(after.id);
}

void NoteCommand::redo()
{
    m_document->putNote(m_after);
}

void NoteCommand::undo()
{
    if (m_before)
        m_document->putNote(*m_before);
    else
        m_document->removeNote(m_after.id);
}

TapCommand::TapCommand(PipelineDocument *document, const EdgeId &edge, bool tapped, QUndoCommand *parent)
    : QUndoCommand(QStringLiteral("%1 %2").arg(tapped ? QStringLiteral("Tap") : QStringLiteral("Untap"), ConnectCommand::describe(document->spec(), edge)), parent)
    , m_document(document)
    , m_edge(edge)
    , m_tapped(tapped)
{
}

void TapCommand::redo()
{
    m_document->pipeline()->setEdgeTapped(m_edge, m_tapped);
}

void TapCommand::undo()
{
    m_document->pipeline()->setEdgeTapped(m_edge, !m_tapped);
}

PipelinePropertiesCommand::PipelinePropertiesCommand(PipelineDocument *document, StatusPolicy policy, int pipeCapacity, QUndoCommand *parent)
    : QUndoCommand(QStringLiteral("Edit Pipeline Settings"), parent)
    , m_document(document)
    , m_policyBefore(document->spec().policy)
    , m_policyAfter(policy)
    , m_capacityBefore(document->spec().pipeCapacity)
    , m_capacityAfter(pipeCapacity)
{
}

void PipelinePropertiesCommand::redo()
{
    m_document->pipeline()->setPolicy(m_policyAfter);
    m_document->pipeline()->setPipeCapacity(m_capacityAfter);
}

void PipelinePropertiesCommand::undo()
{
    m_document->pipeline()->setPolicy(m_policyBefore);
    m_document->pipeline()->setPipeCapacity(m_capacityBefore);
}

} // namespace Spawnscope
