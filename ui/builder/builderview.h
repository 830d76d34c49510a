#pragma once

#include <QGraphicsView>

namespace Spawnscope::Ui {

class BuilderScene;

// The canvas's view: the wheel zooms about the pointer (×1.2 a notch, 25% to 300%) and a touchpad
// scrolls; middle-drag or Space+drag pans; a left drag on empty canvas selects by rubber band
// (Ctrl adds); a 10 px grid; Tab and Shift+Tab go from node to node in the order data flows (on
// an empty canvas Tab opens quick-add).
class BuilderView : public QGraphicsView
{
    Q_OBJECT
public:
    static constexpr double MinZoom = 0.25;
    static constexpr double MaxZoom = 3.0;
    static constexpr double ZoomStep = 1.2;

    explicit BuilderView(BuilderScene *scene, QWidget *parent = nullptr);
    BuilderScene *builderScene() const;

    double zoom() const;
    // Scales to `zoom` (clamped) keeping the scene point under `anchor` (viewport coordinates)
    // where it is.
    void setZoom(double zoom, const QPoint &anchor);
    void zoomBy(double factor); // about the middle
    void fitAll();
    void fitSelection();
    void centreOn(int stage);
    // The point of the scene at the middle of what is seen, or under the pointer when it is in.
    QPointF cursorOrCentre() const;

Q_SIGNALS:
    // After each change of the zoom (once per step).
    void zoomChanged(double zoom);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    bool focusNextPrevChild(bool next) override;
    void focusOutEvent(QFocusEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    bool m_space = false;
    bool m_panning = false;
    bool m_keepFitted = false;
    QPoint m_panFrom;
    void fit(const QRectF &rect);
};

} // namespace Spawnscope::Ui
