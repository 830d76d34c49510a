#pragma once

#include <stagetemplate.h>

#include <QWidget>

class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace Spawnscope::Ui {

// The stages one can add, by group, with a filter: drag one onto the canvas, or press Enter
// (double-click) to add it in the middle of what the canvas shows.
class StagePalette : public QWidget
{
    Q_OBJECT
public:
    explicit StagePalette(QWidget *parent = nullptr);
    QTreeWidget *tree() const { return m_tree; }
    QLineEdit *filter() const { return m_filter; }
    // The entry's row (for tests and keyboard users), or nullptr.
    QTreeWidgetItem *itemFor(const QString &key) const;

Q_SIGNALS:
    // Enter or a double-click on an entry; once per such action.
    void activated(const Spawnscope::StageTemplate &entry);

private:
    QLineEdit *m_filter;
    QTreeWidget *m_tree;
    void applyFilter(const QString &text);
};

} // namespace Spawnscope::Ui
