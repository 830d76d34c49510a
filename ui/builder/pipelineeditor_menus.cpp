// PipelineEditor: its right-click menus, Connect To, Peek, and the canvas as a picture.
#include "pipelineeditor.h"

#include "builderview.h"
#include "nodeitem.h"
#include "noteitem.h"
#include "peekview.h"
#include "wireitem.h"

#include <pipelinecommands.h>
#include <pipelinedocument.h>

#include <QAction>
#include <QImage>
#include <QMenu>
#include <QPainter>
#include <QScopeGuard>
#include <QSvgGenerator>

namespace Spawnscope::Ui {

void PipelineEditor::fillContextMenu(QMenu *menu, const QPointF &scenePos)
{
    QGraphicsItem *item = m_scene->itemAt(scenePos);
    if (item && item->type() == NodeItem::Type) {
        const int stage = static_cast<NodeItem *>(item)->stage();
        menu->addAction(m_actions[Action::Inspect]);
        fillConnectMenu(menu->addMenu(tr("Co&nnect To")), stage);
        QAction *output = menu->addAction(tr("Show &Output"), this, [this, stage] {
            if (const int process = m_processOf.value(stage))
                Q_EMIT processSelected(process);
        });
        output->setEnabled(m_processOf.contains(stage));
        if (!m_processOf.contains(stage))
            output->setToolTip(tr("It has not run yet"));
        menu->addSeparator();
        for (Action a : {Action::Cut, Action::Copy, Action::Duplicate, Action::Delete, Action::DeleteAndReconnect})
            menu->addAction(m_actions[a]);
        return;
    }
    if (item && item->type() == WireItem::Type) {
        const EdgeId edge = static_cast<WireItem *>(item)->edge();
        const bool tapped = m_document->spec().edge(edge).value_or(Edge{}).tapped;
        QAction *tap = menu->addAction(tr("&Tap: count its lines and keep the last ones"), this, [this, edge, tapped] { m_scene->setTapped(edge, !tapped); });
        tap->setCheckable(true);
        tap->setChecked(tapped);
        tap->setEnabled(!m_running);
        if (m_running)
            tap->setToolTip(tr("Stop to edit"));
        QAction *peekAction = menu->addAction(tr("&Peek at Its Last Lines"), this, [this, edge] { peek(edge); });
        peekAction->setEnabled(tapped);
        if (!tapped)
            peekAction->setToolTip(tr("Tap it first: the window sees the bytes of a tapped wire only"));
        menu->addSeparator();
        menu->addAction(m_actions[Action::Delete]);
        return;
    }
    menu->addAction(m_actions[Action::AddStage]);
    menu->addAction(m_actions[Action::AddNote]);
    menu->addAction(m_actions[Action::Paste]);
    menu->addSeparator();
    menu->addAction(m_actions[Action::LayOut]);
    menu->addAction(m_actions[Action::FitAll]);
    menu->addAction(m_actions[Action::ExportImage]);
}

void PipelineEditor::fillConnectMenu(QMenu *menu, int stage)
{
    const PipelineSpec &spec = m_document->spec();
    const StageSpec &from = spec.stages[stage];
    QList<OutputStream> streams;
    if (from.mode != StageSpec::Mode::WriteFile)
        streams << OutputStream::Stdout;
    if (!from.isFile())
        streams << OutputStream::Stderr;
    for (OutputStream stream : streams) {
        QMenu *target = stream == OutputStream::Stdout ? menu : menu->addMenu(tr("Its &stderr"));
        if (stream == OutputStream::Stdout)
            menu->addSection(tr("%1:stdout to").arg(from.displayName()));
        for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
            if (it->mode == StageSpec::Mode::ReadFile || it.key() == stage)
                continue;
            const EdgeId edge{stage, stream, it.key()};
            const QString name = NodeItem::titleOf(*it);
            QAction *a = target->addAction(tr("%1 (stage %2)").arg(name).arg(it.key()), this, [this, edge] {
                m_scene->connectPorts({edge.from, edge.stream == OutputStream::Stderr ? Port::Stderr : Port::Stdout}, {edge.to, Port::Stdin});
            });
            if (const QString why = spec.edgeProblem(edge); !why.isEmpty()) {
                a->setEnabled(false);
                a->setToolTip(why);
            }
        }
    }
    if (menu->actions().size() <= 2)
        menu->addAction(tr("No other stage to wire it to"))->setEnabled(false);
}

PeekView *PipelineEditor::peek(const EdgeId &edge)
{
    if (PeekView *open = m_peeks.value(edge)) {
        open->raise();
        return open;
    }
    auto *view = new PeekView(edge, ConnectCommand::describe(m_document->spec(), edge), this);
    m_peeks.insert(edge, view);
    if (const FlowMeter *meter = m_scene->flow(edge))
        view->setLines(meter->stats().lastLines);
    view->show();
    return view;
}

bool PipelineEditor::exportImage(const QString &path, QString *error)
{
    QRectF area;
    const QList<QGraphicsItem *> chosen = m_scene->selectedItems();
    for (QGraphicsItem *item : chosen.isEmpty() ? m_scene->items() : chosen) {
        if (item->isVisible() && (item->type() == NodeItem::Type || item->type() == WireItem::Type || item->type() == NoteItem::Type))
            area |= item->sceneBoundingRect();
    }
    if (area.isEmpty()) {
        *error = tr("the canvas is empty");
        return false;
    }
    area.adjust(-20, -20, 20, 20);
    // Drawn as seen, without the selection's frames.
    const QSignalBlocker quiet(m_scene);
    for (QGraphicsItem *item : chosen)
        item->setSelected(false);
    // Drawn afresh, not from the screen's cache: an SVG gets text and shapes, not pictures.
    QList<QGraphicsItem *> cached;
    for (QGraphicsItem *item : m_scene->items()) {
        if (item->cacheMode() != QGraphicsItem::NoCache) {
            cached << item;
            item->setCacheMode(QGraphicsItem::NoCache);
        }
    }
    auto restore = qScopeGuard([&] {
        for (QGraphicsItem *item : chosen)
            item->setSelected(true);
        for (QGraphicsItem *item : std::as_const(cached))
            item->setCacheMode(QGraphicsItem::DeviceCoordinateCache);
    });
    const QColor background = m_scene->palette().color(QPalette::Window);
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(area.size().toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), area.size()));
        svg.setTitle(m_document->title());
        QPainter painter;
        if (!painter.begin(&svg)) {
            *error = tr("cannot write %1").arg(path);
            return false;
        }
        painter.fillRect(QRectF(QPointF(0, 0), area.size()), background);
        m_scene->render(&painter, QRectF(QPointF(0, 0), area.size()), area);
        painter.end();
        return true;
    }
    const double scale = 2; // sharp on a dense screen and in print
    QImage image((area.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(background);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    m_scene->render(&painter, QRectF(QPointF(0, 0), area.size() * scale), area);
    painter.end();
    if (!image.save(path)) {
        *error = tr("cannot write %1 (the name should end in .png or .svg)").arg(path);
        return false;
    }
    return true;
}

} // namespace Spawnscope::Ui
