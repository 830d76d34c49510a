#pragma once

#include "pipelinespec.h"

#include <QObject>

namespace Spawnscope {

// The editable pipeline graph: a PipelineSpec behind operations that keep it valid and tell
// what changed. Headless; the pipeline builder edits it, PipelineRun runs a snapshot (spec()).
// Every operation that changes nothing (unknown id, invalid edge) returns false and emits nothing.
class Pipeline : public QObject
{
    Q_OBJECT
public:
    explicit Pipeline(QObject *parent = nullptr);

    const PipelineSpec &spec() const { return m_spec; }
    // Replaces everything; emits reset() once.
    void setSpec(const PipelineSpec &spec);
    // Loads a document; on error changes nothing, emits nothing and sets `error`.
    bool load(const QByteArray &json, QString *error);
    bool loadFile(const QString &path, QString *error);
    bool saveFile(const QString &path, QString *error) const;

    // A new id, larger than every id this pipeline has held since the last setSpec()/load():
    // ids are never handed out twice, so an undo can put a stage back under its own.
    int addStage(const StageSpec &stage);
    // Puts a stage under a given id (an undo, a paste); false with the reason when the id is
    // taken or not positive.
    bool insertStage(int id, const StageSpec &stage, QString *error = nullptr);
    // False when nothing changes, or with the reason when the stage would contradict its
    // wires (a stdin file on a stage a wire feeds, an output file where a wire goes).
    bool setStage(int id, const StageSpec &stage, QString *error = nullptr);
    // Removes the stage, its edges (each with edgeRemoved() first) and its layout entry.
    bool removeStage(int id);
    // The id the next addStage() returns.
    int nextStageId() const { return m_nextId; }

    // Adds the edge, or returns false with the reason in `error`.
    bool addEdge(const EdgeId &id, QString *error = nullptr);
    // An edge as it was, taps and unknown fields included, at `index` among the edges (an undo
    // puts it back where it stood); false with the reason when it may not be there.
    bool insertEdge(const Edge &edge, qsizetype index, QString *error = nullptr);
    bool removeEdge(const EdgeId &id);
    bool setEdgeTapped(const EdgeId &id, bool tapped);

    void setPolicy(StatusPolicy policy);
    void setPipeCapacity(int bytes); // 0: the system's default
    void setName(const QString &name);
    void setLayout(const QJsonObject &layout); // kept and saved, never read by the core

Q_SIGNALS:
    // Each fires once per change, after the change is visible in spec().
    void stageAdded(int id);
    void stageChanged(int id);
    void stageRemoved(int id);
    void edgeAdded(const Spawnscope::EdgeId &id);
    void edgeChanged(const Spawnscope::EdgeId &id);
    void edgeRemoved(const Spawnscope::EdgeId &id);
    // Name, policy, pipe capacity or layout changed.
    void propertiesChanged();
    // After setSpec() or a successful load().
    void reset();

private:
    PipelineSpec m_spec;
    int m_nextId = 1;
};

} // namespace Spawnscope
