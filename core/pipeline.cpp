#include "pipeline.h"

#include "osstring.h"
#include "outputfile_p.h"

#include <QFile>

#include <algorithm>

namespace Spawnscope {

Pipeline::Pipeline(QObject *parent)
    : QObject(parent)
{
}

void Pipeline::setSpec(const PipelineSpec &spec)
{
    m_spec = spec;
    m_nextId = spec.nextStageId();
    Q_EMIT reset();
}

bool Pipeline::load(const QByteArray &json, QString *error)
{
    std::optional<PipelineSpec> parsed = PipelineSpec::fromJson(json, error);
    if (!parsed)
        return false;
    setSpec(*parsed);
    return true;
}

bool Pipeline::loadFile(const QString &path, QString *error)
{
    // By the name's bytes, which need not be UTF-8; the name is shown readably.
    QFile file;
    QString why;
    if (!OsString::openFile(file, path, QIODevice::ReadOnly, &why)) {
        *error = QStringLiteral("%1: %2").arg(OsString::readable(path), why);
        return false;
    }
    if (load(file.readAll(), &why))
        return true;
    *error = QStringLiteral("%1: %2").arg(OsString::readable(path), why);
    return false;
}

bool Pipeline::saveFile(const QString &path, QString *error) const
{
    Internal::OutputFile file(path);
    QString why;
    const QByteArray json = m_spec.toJson();
    if (!file.open(&why) || (file.write(json) != json.size() && (why = file.errorString(), true)) || !file.commit(&why)) {
        *error = QStringLiteral("%1: %2").arg(OsString::readable(path), why);
        return false;
    }
    return true;
}

int Pipeline::addStage(const StageSpec &stage)
{
    const int id = m_nextId++;
    m_spec.stages.insert(id, stage);
    Q_EMIT stageAdded(id);
    return id;
}

bool Pipeline::insertStage(int id, const StageSpec &stage, QString *error)
{
    if (id <= 0 || m_spec.stages.contains(id)) {
        if (error)
            *error = id <= 0 ? QStringLiteral("stage ids are positive") : QStringLiteral("stage %1 exists").arg(id);
        return false;
    }
    m_spec.stages.insert(id, stage);
    m_nextId = qMax(m_nextId, id + 1);
    Q_EMIT stageAdded(id);
    return true;
}

bool Pipeline::setStage(int id, const StageSpec &stage, QString *error)
{
    if (!m_spec.stages.contains(id) || m_spec.stages[id] == stage)
        return false;
    if (const QString why = m_spec.stageProblem(id, stage); !why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    m_spec.stages[id] = stage;
    Q_EMIT stageChanged(id);
    return true;
}

bool Pipeline::removeStage(int id)
{
    if (!m_spec.stages.contains(id))
        return false;
    const QList<Edge> all = m_spec.edges;
    for (const Edge &e : all) {
        if (e.id.from == id || e.id.to == id)
            removeEdge(e.id);
    }
    m_spec.stages.remove(id);
    m_spec.layout.remove(QString::number(id));
    Q_EMIT stageRemoved(id);
    return true;
}

bool Pipeline::addEdge(const EdgeId &id, QString *error)
{
    const QString why = m_spec.edgeProblem(id);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    m_spec.edges.append(Edge{id, false});
    Q_EMIT edgeAdded(id);
    return true;
}

bool Pipeline::insertEdge(const Edge &edge, qsizetype index, QString *error)
{
    const QString why = m_spec.edgeProblem(edge.id);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    m_spec.edges.insert(std::clamp<qsizetype>(index, 0, m_spec.edges.size()), edge);
    Q_EMIT edgeAdded(edge.id);
    return true;
}

bool Pipeline::removeEdge(const EdgeId &id)
{
    for (int i = 0; i < m_spec.edges.size(); ++i) {
        if (m_spec.edges[i].id == id) {
            m_spec.edges.removeAt(i);
            Q_EMIT edgeRemoved(id);
            return true;
        }
    }
    return false;
}

bool Pipeline::setEdgeTapped(const EdgeId &id, bool tapped)
{
    for (Edge &e : m_spec.edges) {
        if (e.id == id) {
            if (e.tapped == tapped)
                return false;
            e.tapped = tapped;
            Q_EMIT edgeChanged(id);
            return true;
        }
    }
    return false;
}

void Pipeline::setPolicy(StatusPolicy policy)
{
    if (m_spec.policy == policy)
        return;
    m_spec.policy = policy;
    Q_EMIT propertiesChanged();
}

void Pipeline::setPipeCapacity(int bytes)
{
    if (m_spec.pipeCapacity == bytes)
        return;
    m_spec.pipeCapacity = bytes;
    Q_EMIT propertiesChanged();
}

void Pipeline::setName(const QString &name)
{
    if (m_spec.name == name)
        return;
    m_spec.name = name;
    Q_EMIT propertiesChanged();
}

void Pipeline::setLayout(const QJsonObject &layout)
{
    if (m_spec.layout == layout)
        return;
    m_spec.layout = layout;
    Q_EMIT propertiesChanged();
}

} // namespace Spawnscope
