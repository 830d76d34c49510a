#include "stagepalette.h"

#include "builderscene.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMimeData>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

namespace {

constexpr int KeyRole = Qt::UserRole + 1;

// Rows drag as the template's key, which the canvas turns into a stage where it is dropped.
class PaletteTree : public QTreeWidget
{
public:
    using QTreeWidget::QTreeWidget;

protected:
    QStringList mimeTypes() const override { return {QLatin1String(BuilderScene::TemplateMime)}; }
    QMimeData *mimeData(const QList<QTreeWidgetItem *> &items) const override
    {
        if (items.isEmpty() || items.first()->data(0, KeyRole).toString().isEmpty())
            return nullptr;
        auto *data = new QMimeData;
        data->setData(QLatin1String(BuilderScene::TemplateMime), items.first()->data(0, KeyRole).toString().toUtf8());
        return data;
    }
    Qt::DropActions supportedDropActions() const override { return Qt::CopyAction; }
};

} // namespace

StagePalette::StagePalette(QWidget *parent)
    : QWidget(parent)
    , m_filter(new QLineEdit)
    , m_tree(new PaletteTree)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_filter->setPlaceholderText(tr("Filter stages"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(false);
    m_tree->setDragEnabled(true);
    m_tree->setDragDropMode(QAbstractItemView::DragOnly);
    m_tree->setAccessibleName(tr("Stages"));
    QHash<StageTemplate::Group, QTreeWidgetItem *> groups;
    for (const StageTemplate &t : StageTemplate::all()) {
        QTreeWidgetItem *&group = groups[t.group];
        if (!group) {
            group = new QTreeWidgetItem(m_tree, {StageTemplate::groupName(t.group)});
            group->setFlags(Qt::ItemIsEnabled);
            QFont bold = group->font(0);
            bold.setBold(true);
            group->setFont(0, bold);
        }
        auto *item = new QTreeWidgetItem(group, {t.title});
        item->setData(0, KeyRole, t.key);
        item->setToolTip(0, QStringLiteral("%1: %2").arg(t.title, t.hint));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
    }
    m_tree->expandAll();
    connect(m_filter, &QLineEdit::textChanged, this, &StagePalette::applyFilter);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (const auto t = StageTemplate::find(item->data(0, KeyRole).toString()))
            Q_EMIT activated(*t);
    });
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
            QTreeWidgetItem *group = m_tree->topLevelItem(g);
            for (int i = 0; i < group->childCount(); ++i) {
                if (!group->child(i)->isHidden()) {
                    Q_EMIT m_tree->itemActivated(group->child(i), 0);
                    return;
                }
            }
        }
    });
}

QTreeWidgetItem *StagePalette::itemFor(const QString &key) const
{
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_tree->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i) {
            if (group->child(i)->data(0, KeyRole).toString() == key)
                return group->child(i);
        }
    }
    return nullptr;
}

void StagePalette::applyFilter(const QString &text)
{
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_tree->topLevelItem(g);
        bool any = false;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem *item = group->child(i);
            const bool shown = text.isEmpty() || item->text(0).contains(text, Qt::CaseInsensitive) || item->toolTip(0).contains(text, Qt::CaseInsensitive);
            item->setHidden(!shown);
            any |= shown;
        }
        group->setHidden(!any);
    }
}

} // namespace Spawnscope::Ui
