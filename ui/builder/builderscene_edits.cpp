// BuilderScene: the edits a gesture, a key or a menu asks for, each one undo step.
#include "builderscene.h"

#include "noteitem.h"
#include "wireitem.h"

#include <pipelinecommands.h>
#include <pipelinedocument.h>
#include <pipelinelayout.h>
#include <shellline.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QGraphicsView>
#include <QMimeData>
#include <QTextCursor>
#include <QUndoStack>

namespace Spawnscope::Ui {

namespace {

QPointF snapped(const QPointF &at, bool snap)
{
    if (!snap)
        return at;
    const double g = BuilderScene::GridSize;
    return QPointF(std::round(at.x() / g) * g, std::round(at.y() / g) * g);
}

// Where each stage of a spec goes, its top-left corner at `topLeft`: the places its layout has,
// or a layered layout when it has none for some.
QHash<int, QPointF> placesFor(const PipelineSpec &spec, const QPointF &topLeft, bool snap)
{
    QHash<int, QPointF> places;
    bool all = true;
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        const QJsonObject at = spec.layout.value(QString::number(it.key())).toObject();
        if (!at.value(QStringLiteral("x")).isDouble() || !at.value(QStringLiteral("y")).isDouble()) {
            all = false;
            break;
        }
        places.insert(it.key(), QPointF(at.value(QStringLiteral("x")).toDouble(), at.value(QStringLiteral("y")).toDouble()));
    }
    if (!all) {
        places = PipelineLayout::compute(spec, PipelineDocument::layoutOptions());
    }
    if (places.isEmpty())
        return places;
    QPointF corner = places.cbegin().value();
    for (const QPointF &p : std::as_const(places))
        corner = QPointF(std::min(corner.x(), p.x()), std::min(corner.y(), p.y()));
    for (QPointF &p : places)
        p = snapped(p - corner + topLeft, snap);
    return places;
}

// The stage of a new group a wire from outside goes to (one nothing feeds), or comes from (one
// that feeds nothing).
int openEnd(const PipelineSpec &spec, bool input)
{
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        if (input && it->mode != StageSpec::Mode::ReadFile && spec.edgesTo(it.key()).isEmpty() && it->stdinFile.isEmpty())
            return it.key();
        if (!input && it->mode != StageSpec::Mode::WriteFile && spec.edgesFrom(it.key()).isEmpty() && !it->stdoutFile.isSet())
            return it.key();
    }
    return 0;
}

} // namespace

QPointF BuilderScene::nodeTopLeft(const QPointF &at) const
{
    return snapped(at - QPointF(NodeItem::Width / 2, NodeItem::Height / 2), m_snap);
}

bool BuilderScene::addEntry(const StageTemplate &entry, const QPointF &at, const std::optional<PortRef> &wiredTo)
{
    return addChoice(Choice{entry, {}}, at, wiredTo);
}

bool BuilderScene::addChoice(const Choice &choice, const QPointF &at, const std::optional<PortRef> &wiredTo)
{
    if (refuseIfLocked())
        return false;
    PipelineSpec spec;
    QString what;
    if (choice.entry) {
        spec.stages.insert(1, choice.entry->spec);
        what = choice.entry->title;
    } else {
        ShellLine::Error error;
        ShellLine::Context context;
        const auto parsed = ShellLine::parse(choice.line, &error, context);
        if (!parsed) {
            Q_EMIT message(QStringLiteral("Cannot add \"%1\": %2").arg(choice.line, error.toString()), true);
            return false;
        }
        spec = *parsed;
        spec.layout = {};
        what = choice.line.simplified();
    }
    const QPointF corner = nodeTopLeft(at);
    const QHash<int, QPointF> places = placesFor(spec, corner, m_snap);
    QString text = QStringLiteral("Add %1").arg(what);
    auto *cmd = new EditGraphCommand(m_document, text);
    QHash<int, int> index; // the spec's id -> its place among the new stages
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        index.insert(it.key(), int(index.size()));
        cmd->addStage(*it, places.value(it.key()));
    }
    for (const Edge &e : spec.edges)
        cmd->addEdge({{index.value(e.id.from), true}, e.id.stream, {index.value(e.id.to), true}});
    if (wiredTo) {
        const bool fromOutside = wiredTo->port == Port::Stdout || wiredTo->port == Port::Stderr;
        const int end = openEnd(spec, fromOutside);
        if (!end) {
            delete cmd;
            Q_EMIT message(QStringLiteral("Cannot wire %1 there: it has no free %2").arg(what, fromOutside ? QStringLiteral("stdin") : QStringLiteral("stdout")), true);
            return false;
        }
        const OutputStream stream = wiredTo->port == Port::Stderr ? OutputStream::Stderr : OutputStream::Stdout;
        if (fromOutside)
            cmd->addEdge({{wiredTo->stage, false}, stream, {index.value(end), true}});
        else
            cmd->addEdge({{index.value(end), true}, OutputStream::Stdout, {wiredTo->stage, false}});
        const QString other = m_document->spec().stages.value(wiredTo->stage).displayName();
        cmd->setText(fromOutside ? QStringLiteral("Add %1 after %2").arg(what, other) : QStringLiteral("Add %1 before %2").arg(what, other));
    }
    if (const QString why = cmd->problem(); !why.isEmpty()) {
        delete cmd;
        Q_EMIT message(QStringLiteral("Cannot add %1: %2").arg(what, why), true);
        return false;
    }
    m_document->undoStack()->push(cmd);
    selectStages(cmd->stageIds());
    showStages(cmd->stageIds());
    return true;
}

bool BuilderScene::addLine(const QString &line, const QPointF &at, const std::optional<PortRef> &wiredTo)
{
    return addChoice(Choice{std::nullopt, line}, at, wiredTo);
}

bool BuilderScene::connectPorts(const PortRef &from, const PortRef &to)
{
    if (refuseIfLocked())
        return false;
    const auto edge = edgeFor(from, to);
    if (!edge) {
        Q_EMIT message(QStringLiteral("A wire goes from a stdout or stderr to a stdin"), true);
        return false;
    }
    const PipelineSpec &spec = m_document->spec();
    if (const QString why = spec.edgeProblem(*edge); !why.isEmpty()) {
        Q_EMIT message(QStringLiteral("Cannot connect %1: %2").arg(ConnectCommand::describe(spec, *edge), why), true);
        return false;
    }
    m_document->undoStack()->push(new ConnectCommand(m_document, *edge));
    return true;
}

bool BuilderScene::deleteSelection()
{
    const QList<int> stages = selectedStages();
    const QList<EdgeId> edges = selectedEdges();
    const QList<int> notes = selectedNotes();
    if (stages.isEmpty() && edges.isEmpty() && notes.isEmpty())
        return false;
    if ((!stages.isEmpty() || !edges.isEmpty()) && refuseIfLocked())
        return false;
    cancelGesture();
    m_document->undoStack()->push(new RemoveItemsCommand(m_document, stages, edges, notes));
    return true;
}

bool BuilderScene::deleteAndReconnect()
{
    const QList<int> stages = selectedStages();
    if (stages.size() != 1)
        return deleteSelection();
    if (refuseIfLocked())
        return false;
    const int stage = stages.first();
    const PipelineSpec &spec = m_document->spec();
    const QList<Edge> in = spec.edgesTo(stage);
    QList<Edge> out;
    for (const Edge &e : spec.edgesFrom(stage)) {
        if (e.id.stream == OutputStream::Stdout)
            out << e;
    }
    const QString name = spec.stages.value(stage).displayName();
    QUndoStack *undo = m_document->undoStack();
    auto *remove = new RemoveItemsCommand(m_document, {stage}, {}, {});
    if (in.isEmpty() || out.isEmpty()) {
        m_document->undoStack()->push(remove); // nothing to join: a plain delete
        return true;
    }
    // What the join would be, checked on the graph without the stage.
    PipelineSpec after = spec;
    after.stages.remove(stage);
    after.edges.removeIf([stage](const Edge &e) { return e.id.from == stage || e.id.to == stage; });
    auto *join = new EditGraphCommand(m_document, {});
    QStringList joined;
    for (const Edge &i : in) {
        for (const Edge &o : out) {
            const EdgeId e{i.id.from, i.id.stream, o.id.to};
            if (after.edge(e))
                continue; // already there
            if (const QString why = after.edgeProblem(e); !why.isEmpty()) {
                delete remove;
                delete join;
                Q_EMIT message(QStringLiteral("Cannot take %1 out and join its neighbours: %2").arg(name, why), true);
                return false;
            }
            after.edges.append(Edge{e});
            join->addEdge({{e.from, false}, e.stream, {e.to, false}});
            joined << ConnectCommand::describe(spec, e);
        }
    }
    undo->beginMacro(QStringLiteral("Delete %1, reconnecting %2").arg(name, joined.join(QStringLiteral(", "))));
    undo->push(remove);
    undo->push(join);
    undo->endMacro();
    return true;
}

bool BuilderScene::setTapped(const EdgeId &edge, bool tapped)
{
    const auto e = m_document->spec().edge(edge);
    if (!e || e->tapped == tapped)
        return false;
    if (refuseIfLocked())
        return false;
    m_document->undoStack()->push(new TapCommand(m_document, edge, tapped));
    return true;
}

bool BuilderScene::cutWires(const QList<EdgeId> &edges)
{
    if (edges.isEmpty())
        return false;
    if (refuseIfLocked())
        return false;
    auto *cmd = new RemoveItemsCommand(m_document, {}, edges, {});
    cmd->setText(edges.size() == 1 ? QStringLiteral("Cut the wire %1").arg(ConnectCommand::describe(m_document->spec(), edges.first()))
                                   : QStringLiteral("Cut %1 wires").arg(edges.size()));
    m_document->undoStack()->push(cmd);
    Q_EMIT message(cmd->text(), false);
    return true;
}

void BuilderScene::nudgeSelection(const QPointF &delta)
{
    QHash<int, QPointF> stagesFrom, stagesTo, notesFrom, notesTo;
    for (int id : selectedStages()) {
        stagesFrom.insert(id, m_document->position(id));
        stagesTo.insert(id, m_document->position(id) + delta);
    }
    for (int id : selectedNotes()) {
        notesFrom.insert(id, m_document->note(id).position);
        notesTo.insert(id, m_document->note(id).position + delta);
    }
    if (stagesTo.isEmpty() && notesTo.isEmpty())
        return;
    m_document->undoStack()->push(new MoveCommand(m_document, stagesFrom, stagesTo, notesFrom, notesTo, MoveCommand::Kind::Nudge));
}

bool BuilderScene::layOut()
{
    QList<int> stages = selectedStages();
    if (stages.size() < 2)
        stages.clear(); // one stage has nothing to be laid out against: everything is
    QHash<int, QPointF> to = m_document->laidOut(stages);
    if (to.isEmpty())
        return false;
    if (!stages.isEmpty()) {
        // A selection keeps its corner where it was.
        QPointF was = m_document->position(stages.first()), now = to.value(stages.first());
        for (int id : stages) {
            was = QPointF(std::min(was.x(), m_document->position(id).x()), std::min(was.y(), m_document->position(id).y()));
            now = QPointF(std::min(now.x(), to.value(id).x()), std::min(now.y(), to.value(id).y()));
        }
        for (QPointF &p : to)
            p += was - now;
    }
    QHash<int, QPointF> from;
    for (auto it = to.cbegin(); it != to.cend(); ++it)
        from.insert(it.key(), m_document->position(it.key()));
    if (from == to)
        return false;
    auto *cmd = new MoveCommand(m_document, from, to, {}, {}, MoveCommand::Kind::Layout);
    m_document->undoStack()->push(cmd);
    return true;
}

void BuilderScene::addNote(const QPointF &at, const QString &text)
{
    const int id = m_document->nextNoteId();
    m_document->undoStack()->push(new NoteCommand(m_document, PipelineDocument::Note{id, snapped(at, m_snap), text.isEmpty() ? QStringLiteral("Note") : text}));
    if (NoteItem *n = m_notes.value(id)) {
        clearSelection();
        n->setSelected(true);
        if (text.isEmpty()) {
            n->startEditing();
            QTextCursor all = n->textCursor();
            all.select(QTextCursor::Document);
            n->setTextCursor(all);
        }
    }
}

void BuilderScene::noteEdited(int id, const QString &text)
{
    if (!m_document->hasNote(id))
        return;
    if (text.trimmed().isEmpty()) {
        // An emptied note goes (one step, undone as any delete).
        m_document->undoStack()->push(new RemoveItemsCommand(m_document, {}, {}, {id}));
        return;
    }
    PipelineDocument::Note note = m_document->note(id);
    note.text = text;
    m_document->undoStack()->push(new NoteCommand(m_document, note));
}

QMimeData *BuilderScene::copySelection() const
{
    const QList<int> stages = selectedStages();
    const QList<int> notes = selectedNotes();
    if (stages.isEmpty() && notes.isEmpty())
        return nullptr;
    const PipelineSpec &spec = m_document->spec();
    PipelineSpec part;
    part.policy = spec.policy;
    part.pipeCapacity = spec.pipeCapacity;
    for (int id : stages) {
        part.stages.insert(id, spec.stages.value(id));
        part.layout.insert(QString::number(id), QJsonObject{{QStringLiteral("x"), m_document->position(id).x()}, {QStringLiteral("y"), m_document->position(id).y()}});
    }
    for (const Edge &e : spec.edges) {
        if (part.stages.contains(e.id.from) && part.stages.contains(e.id.to))
            part.edges.append(e);
    }
    QJsonArray noteArray;
    for (int id : notes) {
        const PipelineDocument::Note n = m_document->note(id);
        noteArray.append(QJsonObject{{QStringLiteral("id"), n.id}, {QStringLiteral("x"), n.position.x()}, {QStringLiteral("y"), n.position.y()}, {QStringLiteral("text"), n.text}});
    }
    if (!noteArray.isEmpty())
        part.layout.insert(QStringLiteral("notes"), noteArray);
    auto *data = new QMimeData;
    const QByteArray json = part.toJson();
    data->setData(QLatin1String(PipelineMime), json);
    QString why;
    const auto line = part.stages.isEmpty() ? std::nullopt : ShellLine::format(part, &why);
    data->setText(line ? *line : QString::fromUtf8(json));
    return data;
}

bool BuilderScene::paste(const QMimeData *data, const QPointF &at)
{
    if (!data)
        return false;
    QByteArray json;
    if (data->hasFormat(QLatin1String(PipelineMime)))
        json = data->data(QLatin1String(PipelineMime));
    else if (data->hasText() && data->text().trimmed().startsWith(QLatin1Char('{')))
        json = data->text().toUtf8();
    if (json.isEmpty()) {
        const QString text = data->text().trimmed();
        if (text.isEmpty()) {
            Q_EMIT message(QStringLiteral("Nothing to paste: the clipboard holds no pipeline and no text"), true);
            return false;
        }
        return addLine(text, at + QPointF(NodeItem::Width / 2, NodeItem::Height / 2));
    }
    QString error;
    const auto spec = PipelineSpec::fromJson(json, &error);
    if (!spec) {
        Q_EMIT message(QStringLiteral("Cannot paste: %1").arg(error), true);
        return false;
    }
    const QJsonArray notes = spec->layout.value(QStringLiteral("notes")).toArray();
    if (!spec->stages.isEmpty() && refuseIfLocked())
        return false;
    const QHash<int, QPointF> places = placesFor(*spec, snapped(at, m_snap), m_snap);
    // Notes keep where they were against the stages (or among themselves).
    QPointF corner = at;
    QPointF oldCorner;
    bool first = true;
    for (auto it = spec->stages.cbegin(); it != spec->stages.cend(); ++it) {
        const QJsonObject o = spec->layout.value(QString::number(it.key())).toObject();
        const QPointF p(o.value(QStringLiteral("x")).toDouble(), o.value(QStringLiteral("y")).toDouble());
        oldCorner = first ? p : QPointF(std::min(oldCorner.x(), p.x()), std::min(oldCorner.y(), p.y()));
        first = false;
    }
    for (const QJsonValue &v : notes) {
        const QPointF p(v[QStringLiteral("x")].toDouble(), v[QStringLiteral("y")].toDouble());
        oldCorner = first ? p : QPointF(std::min(oldCorner.x(), p.x()), std::min(oldCorner.y(), p.y()));
        first = false;
    }
    const int count = int(spec->stages.size());
    const QString text = count ? QStringLiteral("Paste %1 stage%2").arg(count).arg(count == 1 ? QString() : QStringLiteral("s"))
                               : QStringLiteral("Paste %1 note%2").arg(notes.size()).arg(notes.size() == 1 ? QString() : QStringLiteral("s"));
    QUndoStack *undo = m_document->undoStack();
    undo->beginMacro(text);
    QList<int> ids;
    if (count) {
        auto *cmd = new EditGraphCommand(m_document, text);
        QHash<int, int> index;
        for (auto it = spec->stages.cbegin(); it != spec->stages.cend(); ++it) {
            index.insert(it.key(), int(index.size()));
            cmd->addStage(*it, places.value(it.key()));
        }
        for (const Edge &e : spec->edges)
            cmd->addEdge({{index.value(e.id.from), true}, e.id.stream, {index.value(e.id.to), true}});
        undo->push(cmd);
        ids = cmd->stageIds();
    }
    for (const QJsonValue &v : notes) {
        const QPointF p(v[QStringLiteral("x")].toDouble(), v[QStringLiteral("y")].toDouble());
        undo->push(new NoteCommand(m_document, PipelineDocument::Note{m_document->nextNoteId(), snapped(p - oldCorner + corner, m_snap),
                                                                       v[QStringLiteral("text")].toString()}));
    }
    undo->endMacro();
    selectStages(ids);
    showStages(ids);
    return true;
}

void BuilderScene::showStages(const QList<int> &stages)
{
    // What was just added is brought into view, whole: a node dropped at the canvas's edge
    // must not hide its own ports.
    QRectF area;
    for (int id : stages) {
        if (NodeItem *n = m_nodes.value(id))
            area |= n->sceneBoundingRect();
    }
    if (area.isEmpty())
        return;
    for (QGraphicsView *v : views())
        v->ensureVisible(area, 30, 30);
}

bool BuilderScene::duplicateSelection()
{
    std::unique_ptr<QMimeData> data(copySelection());
    if (!data)
        return false;
    QPointF corner;
    bool first = true;
    for (QGraphicsItem *item : selectedItems()) {
        if (item->type() == WireItem::Type)
            continue;
        corner = first ? item->pos() : QPointF(std::min(corner.x(), item->pos().x()), std::min(corner.y(), item->pos().y()));
        first = false;
    }
    return paste(data.get(), corner + QPointF(20, 20));
}

bool BuilderScene::insertIntoWire(int stage, const EdgeId &edge, const QPointF &position)
{
    const PipelineSpec &spec = m_document->spec();
    auto *cmd = new EditGraphCommand(m_document, {});
    cmd->removeEdge(edge);
    cmd->addEdge({{edge.from, false}, edge.stream, {stage, false}});
    cmd->addEdge({{stage, false}, OutputStream::Stdout, {edge.to, false}});
    if (const QString why = cmd->problem(); !why.isEmpty()) {
        delete cmd;
        Q_EMIT message(QStringLiteral("Cannot put %1 into %2: %3").arg(spec.stages.value(stage).displayName(), ConnectCommand::describe(spec, edge), why), true);
        return false;
    }
    QUndoStack *undo = m_document->undoStack();
    undo->beginMacro(QStringLiteral("Insert %1 into %2").arg(spec.stages.value(stage).displayName(), ConnectCommand::describe(spec, edge)));
    const QPointF was = m_document->position(stage);
    if (was != position)
        undo->push(new MoveCommand(m_document, {{stage, was}}, {{stage, position}}, {}, {}, MoveCommand::Kind::Drag));
    undo->push(cmd);
    undo->endMacro();
    return true;
}

} // namespace Spawnscope::Ui
