#pragma once

#include "nodeitem.h"

#include <pipelinespec.h>
#include <stagestatus.h>

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace Spawnscope {
class PipelineDocument;
}

namespace Spawnscope::Ui {

// The pipeline as a tree for keyboard and screen-reader users (canvas items are invisible to
// them): stages in id order, under each its ports (stdin, stdout, stderr), under each port its
// wires ("→ wc:stdin", "← grep:stdout") with their counters. Follows the document's signals row
// by row, never by a reset except when the whole document is new.
class PipelineOutlineModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Name, State, Detail, ColumnCount };
    enum Role { StageRole = Qt::UserRole + 1, IsWireRole };

    explicit PipelineOutlineModel(PipelineDocument *document, QObject *parent = nullptr);
    ~PipelineOutlineModel() override;

    QModelIndex indexOfStage(int stage, int column = 0) const;
    // A wire's row under its writer's port (or under its reader's stdin).
    QModelIndex indexOfEdge(const EdgeId &edge, bool underReader = false, int column = 0) const;
    int stageAt(const QModelIndex &index) const; // the stage of a stage row; 0 otherwise
    std::optional<EdgeId> edgeAt(const QModelIndex &index) const;

    void setStageStatus(int stage, const StageStatus &status);
    void setEdgeFlow(const EdgeId &edge, const QString &label);
    void clearResults();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        enum class Kind { Root, Stage, Port, Wire } kind = Kind::Root;
        int stage = 0;
        Port port = Port::None;
        EdgeId edge;
        Node *parent = nullptr;
        std::vector<std::unique_ptr<Node>> children;
        int row() const;
    };
    PipelineDocument *m_document;
    Node m_root;
    QHash<int, StageStatus> m_status;
    QHash<EdgeId, QString> m_flow;

    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(const Node *node, int column = 0) const;
    Node *stageNode(int stage) const;
    Node *portNode(int stage, Port port) const;
    void fillPorts(Node *stage) const;
    void rebuild();
    void stageAdded(int stage);
    void stageRemoved(int stage);
    void stageChanged(int stage);
    void edgeAdded(const EdgeId &edge);
    void edgeRemoved(const EdgeId &edge);
    void addWireRow(Node *port, const EdgeId &edge);
    void removeWireRow(Node *port, const EdgeId &edge);
    QString portText(const Node *node) const;
};

} // namespace Spawnscope::Ui
