#include "pipelineoutlinemodel.h"

#include <pipelinedocument.h>
#include <shellline.h>

namespace Spawnscope::Ui {

namespace {

QList<Port> portsOf(const StageSpec &s)
{
    switch (s.mode) {
    case StageSpec::Mode::ReadFile: return {Port::Stdout};
    case StageSpec::Mode::WriteFile: return {Port::Stdin};
    default: return {Port::Stdin, Port::Stdout, Port::Stderr};
    }
}

QString portName(Port p)
{
    switch (p) {
    case Port::Stdin: return QStringLiteral("stdin (fd 0)");
    case Port::Stdout: return QStringLiteral("stdout (fd 1)");
    case Port::Stderr: return QStringLiteral("stderr (fd 2)");
    case Port::None: break;
    }
    return {};
}

Port portOf(OutputStream s)
{
    return s == OutputStream::Stderr ? Port::Stderr : Port::Stdout;
}

} // namespace

int PipelineOutlineModel::Node::row() const
{
    if (!parent)
        return 0;
    if (kind == Kind::Stage) {
        // Stages are kept in id order: found by halves, not by a walk past hundreds.
        const auto &c = parent->children;
        const auto it = std::lower_bound(c.begin(), c.end(), stage, [](const std::unique_ptr<Node> &n, int id) { return n->stage < id; });
        return it != c.end() && it->get() == this ? int(it - c.begin()) : -1;
    }
    for (size_t i = 0; i < parent->children.size(); ++i) {
        if (parent->children[i].get() == this)
            return int(i);
    }
    return -1;
}

PipelineOutlineModel::PipelineOutlineModel(PipelineDocument *document, QObject *parent)
    : QAbstractItemModel(parent)
    , m_document(document)
{
    Pipeline *p = document->pipeline();
    connect(p, &Pipeline::stageAdded, this, &PipelineOutlineModel::stageAdded);
    connect(p, &Pipeline::stageRemoved, this, &PipelineOutlineModel::stageRemoved);
    connect(p, &Pipeline::stageChanged, this, &PipelineOutlineModel::stageChanged);
    connect(p, &Pipeline::edgeAdded, this, &PipelineOutlineModel::edgeAdded);
    connect(p, &Pipeline::edgeRemoved, this, &PipelineOutlineModel::edgeRemoved);
    connect(p, &Pipeline::reset, this, [this] {
        beginResetModel();
        rebuild();
        endResetModel();
    });
    rebuild();
}

PipelineOutlineModel::~PipelineOutlineModel() = default;

void PipelineOutlineModel::fillPorts(Node *stage) const
{
    const PipelineSpec &spec = m_document->spec();
    for (Port p : portsOf(spec.stages.value(stage->stage))) {
        auto port = std::make_unique<Node>();
        port->kind = Node::Kind::Port;
        port->stage = stage->stage;
        port->port = p;
        port->parent = stage;
        const QList<Edge> edges = p == Port::Stdin ? spec.edgesTo(stage->stage) : spec.edgesFrom(stage->stage);
        for (const Edge &e : edges) {
            if (p != Port::Stdin && portOf(e.id.stream) != p)
                continue;
            auto wire = std::make_unique<Node>();
            wire->kind = Node::Kind::Wire;
            wire->stage = stage->stage;
            wire->port = p;
            wire->edge = e.id;
            wire->parent = port.get();
            port->children.push_back(std::move(wire));
        }
        stage->children.push_back(std::move(port));
    }
}

void PipelineOutlineModel::rebuild()
{
    m_root.children.clear();
    m_status.clear();
    m_flow.clear();
    for (int id : m_document->spec().stageIds()) {
        auto stage = std::make_unique<Node>();
        stage->kind = Node::Kind::Stage;
        stage->stage = id;
        stage->parent = &m_root;
        fillPorts(stage.get());
        m_root.children.push_back(std::move(stage));
    }
}

PipelineOutlineModel::Node *PipelineOutlineModel::stageNode(int stage) const
{
    // Stages are kept in id order: a binary search.
    const auto &c = m_root.children;
    auto it = std::lower_bound(c.begin(), c.end(), stage, [](const std::unique_ptr<Node> &n, int id) { return n->stage < id; });
    return it != c.end() && (*it)->stage == stage ? it->get() : nullptr;
}

PipelineOutlineModel::Node *PipelineOutlineModel::portNode(int stage, Port port) const
{
    Node *s = stageNode(stage);
    if (!s)
        return nullptr;
    for (const auto &p : s->children) {
        if (p->port == port)
            return p.get();
    }
    return nullptr;
}

void PipelineOutlineModel::stageAdded(int id)
{
    if (stageNode(id))
        return;
    auto &c = m_root.children;
    const auto at = std::lower_bound(c.begin(), c.end(), id, [](const std::unique_ptr<Node> &n, int v) { return n->stage < v; });
    const int row = int(at - c.begin());
    auto stage = std::make_unique<Node>();
    stage->kind = Node::Kind::Stage;
    stage->stage = id;
    stage->parent = &m_root;
    fillPorts(stage.get());
    beginInsertRows({}, row, row);
    c.insert(c.begin() + row, std::move(stage));
    endInsertRows();
}

void PipelineOutlineModel::stageRemoved(int id)
{
    Node *s = stageNode(id);
    if (!s)
        return;
    const int row = s->row();
    beginRemoveRows({}, row, row);
    m_root.children.erase(m_root.children.begin() + row);
    endRemoveRows(); // its last run stays known: an undo puts the stage back as it ran
}

void PipelineOutlineModel::stageChanged(int id)
{
    Node *s = stageNode(id);
    if (!s)
        return;
    QList<Port> now;
    for (const auto &p : s->children)
        now << p->port;
    if (now != portsOf(m_document->spec().stages.value(id))) {
        // A node that became a file (or stopped being one): its ports are new.
        if (!s->children.empty()) {
            beginRemoveRows(indexOf(s), 0, int(s->children.size()) - 1);
            s->children.clear();
            endRemoveRows();
        }
        Node fresh;
        fresh.stage = id;
        fillPorts(&fresh);
        if (!fresh.children.empty()) {
            beginInsertRows(indexOf(s), 0, int(fresh.children.size()) - 1);
            for (auto &p : fresh.children) {
                p->parent = s;
                s->children.push_back(std::move(p));
            }
            endInsertRows();
        }
    }
    Q_EMIT dataChanged(indexOf(s, 0), indexOf(s, ColumnCount - 1));
    // Its ports say where its files are, and its neighbours' wire rows say its name.
    for (const auto &port : s->children) {
        Q_EMIT dataChanged(indexOf(port.get(), 0), indexOf(port.get(), ColumnCount - 1));
        for (const auto &wire : port->children) {
            for (bool reader : {false, true}) {
                const QModelIndex other = indexOfEdge(wire->edge, reader);
                if (other.isValid())
                    Q_EMIT dataChanged(other, other.siblingAtColumn(ColumnCount - 1));
            }
        }
    }
}

void PipelineOutlineModel::addWireRow(Node *port, const EdgeId &edge)
{
    if (!port)
        return;
    for (const auto &w : port->children) {
        if (w->edge == edge)
            return; // there since its stage came
    }
    const int row = int(port->children.size());
    auto wire = std::make_unique<Node>();
    wire->kind = Node::Kind::Wire;
    wire->stage = port->stage;
    wire->port = port->port;
    wire->edge = edge;
    wire->parent = port;
    beginInsertRows(indexOf(port), row, row);
    port->children.push_back(std::move(wire));
    endInsertRows();
    Q_EMIT dataChanged(indexOf(port, 0), indexOf(port, ColumnCount - 1));
}

void PipelineOutlineModel::removeWireRow(Node *port, const EdgeId &edge)
{
    if (!port)
        return;
    for (size_t i = 0; i < port->children.size(); ++i) {
        if (port->children[i]->edge == edge) {
            beginRemoveRows(indexOf(port), int(i), int(i));
            port->children.erase(port->children.begin() + qsizetype(i));
            endRemoveRows();
            Q_EMIT dataChanged(indexOf(port, 0), indexOf(port, ColumnCount - 1));
            return;
        }
    }
}

void PipelineOutlineModel::edgeAdded(const EdgeId &edge)
{
    addWireRow(portNode(edge.from, portOf(edge.stream)), edge);
    addWireRow(portNode(edge.to, Port::Stdin), edge);
}

void PipelineOutlineModel::edgeRemoved(const EdgeId &edge)
{
    removeWireRow(portNode(edge.from, portOf(edge.stream)), edge);
    removeWireRow(portNode(edge.to, Port::Stdin), edge);
}

void PipelineOutlineModel::setStageStatus(int stage, const StageStatus &status)
{
    if (m_status.value(stage, StageStatus::idle()) == status)
        return;
    m_status.insert(stage, status);
    if (Node *s = stageNode(stage))
        Q_EMIT dataChanged(indexOf(s, State), indexOf(s, State));
}

void PipelineOutlineModel::setEdgeFlow(const EdgeId &edge, const QString &label)
{
    if (m_flow.value(edge) == label)
        return;
    m_flow.insert(edge, label);
    for (bool reader : {false, true}) {
        const QModelIndex i = indexOfEdge(edge, reader, State);
        if (i.isValid())
            Q_EMIT dataChanged(i, i.siblingAtColumn(Detail));
    }
}

void PipelineOutlineModel::clearResults()
{
    const QList<int> stages = m_status.keys();
    const QList<EdgeId> edges = m_flow.keys();
    m_status.clear();
    m_flow.clear();
    for (int s : stages) {
        if (Node *n = stageNode(s))
            Q_EMIT dataChanged(indexOf(n, State), indexOf(n, State));
    }
    for (const EdgeId &e : edges) {
        for (bool reader : {false, true}) {
            const QModelIndex i = indexOfEdge(e, reader, State);
            if (i.isValid())
                Q_EMIT dataChanged(i, i.siblingAtColumn(Detail));
        }
    }
}

PipelineOutlineModel::Node *PipelineOutlineModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : const_cast<Node *>(&m_root);
}

QModelIndex PipelineOutlineModel::indexOf(const Node *node, int column) const
{
    if (!node || node == &m_root)
        return {};
    return createIndex(node->row(), column, const_cast<Node *>(node));
}

QModelIndex PipelineOutlineModel::indexOfStage(int stage, int column) const
{
    return indexOf(stageNode(stage), column);
}

QModelIndex PipelineOutlineModel::indexOfEdge(const EdgeId &edge, bool underReader, int column) const
{
    const Node *port = underReader ? portNode(edge.to, Port::Stdin) : portNode(edge.from, portOf(edge.stream));
    if (!port)
        return {};
    for (const auto &w : port->children) {
        if (w->edge == edge)
            return indexOf(w.get(), column);
    }
    return {};
}

int PipelineOutlineModel::stageAt(const QModelIndex &index) const
{
    const Node *n = index.isValid() ? nodeOf(index) : nullptr;
    return n && n->kind == Node::Kind::Stage ? n->stage : 0;
}

std::optional<EdgeId> PipelineOutlineModel::edgeAt(const QModelIndex &index) const
{
    const Node *n = index.isValid() ? nodeOf(index) : nullptr;
    if (n && n->kind == Node::Kind::Wire)
        return n->edge;
    return std::nullopt;
}

QModelIndex PipelineOutlineModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Node *p = nodeOf(parent);
    if (row >= int(p->children.size()))
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex PipelineOutlineModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

int PipelineOutlineModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int PipelineOutlineModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString PipelineOutlineModel::portText(const Node *node) const
{
    const StageSpec s = m_document->spec().stages.value(node->stage);
    const int wires = int(node->children.size());
    if (wires)
        return wires == 1 ? tr("1 wire") : tr("%1 wires").arg(wires);
    switch (node->port) {
    case Port::Stdin:
        return s.stdinFile.isEmpty() || s.isFile() ? tr("not wired") : tr("from %1").arg(s.stdinFile);
    case Port::Stdout:
        return s.stdoutFile.isSet() && !s.isFile() ? tr("to %1").arg(s.stdoutFile.path) : tr("not wired: to the Output pane");
    case Port::Stderr:
        return s.mergeStderr ? tr("with stdout (2>&1)") : s.stderrFile.isSet() ? tr("to %1").arg(s.stderrFile.path) : tr("not wired: to the Output pane");
    case Port::None:
        break;
    }
    return {};
}

QVariant PipelineOutlineModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *n = nodeOf(index);
    const PipelineSpec &spec = m_document->spec();
    if (role == StageRole)
        return n->stage;
    if (role == IsWireRole)
        return n->kind == Node::Kind::Wire;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::AccessibleTextRole)
        return {};
    switch (n->kind) {
    case Node::Kind::Stage: {
        const StageSpec s = spec.stages.value(n->stage);
        const StageStatus status = m_status.value(n->stage, StageStatus::idle());
        if (role == Qt::AccessibleTextRole)
            return tr("Stage %1, %2, %3").arg(n->stage).arg(s.displayName(), status.label());
        switch (index.column()) {
        case Name: return s.isFile() ? (s.mode == StageSpec::Mode::ReadFile ? QStringLiteral("< %1").arg(s.stdinFile) : QStringLiteral("> %1").arg(s.stdoutFile.path))
                                     : QStringLiteral("%1 (stage %2)").arg(s.displayName()).arg(n->stage);
        case State: return status.label();
        case Detail: {
            if (s.mode == StageSpec::Mode::Exec)
                return s.command;
            if (s.isFile())
                return tr("file");
            QStringList words{ShellLine::quote(s.program)};
            for (const QString &a : s.args)
                words << ShellLine::quote(a);
            return words.join(QLatin1Char(' '));
        }
        }
        break;
    }
    case Node::Kind::Port:
        if (role == Qt::AccessibleTextRole)
            return tr("%1 of %2, %3").arg(portName(n->port), spec.stages.value(n->stage).displayName(), portText(n));
        if (index.column() == Name)
            return portName(n->port);
        if (index.column() == State)
            return portText(n);
        break;
    case Node::Kind::Wire: {
        const bool out = n->port != Port::Stdin;
        const QString other = out ? QStringLiteral("→ %1:stdin").arg(spec.stages.value(n->edge.to).displayName())
                                  : QStringLiteral("← %1:%2").arg(spec.stages.value(n->edge.from).displayName(), PipelineSpec::streamName(n->edge.stream));
        const QString flow = m_flow.value(n->edge);
        if (role == Qt::AccessibleTextRole)
            return tr("wire %1%2").arg(other, flow.isEmpty() ? QString() : QStringLiteral(", ") + flow);
        if (index.column() == Name)
            return other;
        if (index.column() == State)
            return flow.isEmpty() ? tr("no data yet") : flow;
        break;
    }
    case Node::Kind::Root:
        break;
    }
    return {};
}

QVariant PipelineOutlineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Stage, port, wire");
    case State: return tr("State");
    case Detail: return tr("Runs");
    }
    return {};
}

} // namespace Spawnscope::Ui
