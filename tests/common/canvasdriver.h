#pragma once

// Test support: a hand on the pipeline canvas. Gestures go to the view's viewport as a user's
// do (press, a few moves, release), at scene points mapped through the view.

#include <builderscene.h>
#include <builderview.h>
#include <nodeitem.h>

#include <QMimeData>
#include <QtTest>

namespace CanvasDriver {

inline QPoint at(Spawnscope::Ui::BuilderView *view, const QPointF &scene)
{
    return view->mapFromScene(scene);
}

inline QPointF port(Spawnscope::Ui::BuilderScene *scene, int stage, Spawnscope::Ui::Port p)
{
    return scene->node(stage)->portPos(p);
}

inline QPointF centre(Spawnscope::Ui::BuilderScene *scene, int stage)
{
    return scene->node(stage)->sceneBoundingRect().center();
}

inline void drag(Spawnscope::Ui::BuilderView *view, const QPointF &from, const QPointF &to, Qt::KeyboardModifiers modifiers = {})
{
    QWidget *vp = view->viewport();
    QTest::mousePress(vp, Qt::LeftButton, modifiers, at(view, from));
    for (int i = 1; i <= 5; ++i)
        QTest::mouseMove(vp, at(view, from + (to - from) * (i / 5.0)));
    QTest::mouseRelease(vp, Qt::LeftButton, modifiers, at(view, to));
}

inline void click(Spawnscope::Ui::BuilderView *view, const QPointF &scene, Qt::KeyboardModifiers modifiers = {})
{
    QTest::mouseClick(view->viewport(), Qt::LeftButton, modifiers, at(view, scene));
}

// A drag from elsewhere (the palette, a file manager) dropped at a scene point.
inline bool drop(Spawnscope::Ui::BuilderView *view, QMimeData *data, const QPointF &scene)
{
    const QPoint p = at(view, scene);
    QDragEnterEvent enter(p, Qt::CopyAction, data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view->viewport(), &enter);
    QDragMoveEvent move(p, Qt::CopyAction, data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view->viewport(), &move);
    if (!move.isAccepted())
        return false;
    QDropEvent dropEvent(QPointF(p), Qt::CopyAction, data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view->viewport(), &dropEvent);
    return dropEvent.isAccepted();
}

} // namespace CanvasDriver
