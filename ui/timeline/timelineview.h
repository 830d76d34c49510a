#pragma once

#include <algorithm>

#include "timeline.h"

#include <QAbstractScrollArea>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace Spawnscope::Ui {

// Draws a Timeline: one lane per process on a shared time axis, a marker per event (shape and
// colour by kind), bands where stdout and stderr were active, a line for each process's life.
// Wheel zooms around the cursor (Shift+wheel scrolls the lanes), dragging pans, +/- zoom, 0 fits
// all, F follows the live end. Painting touches only the visible lanes and the events in the
// visible time span, at most one marker of a kind per pixel column.
class TimelineView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    static constexpr int LabelWidth = 220;
    // At the normal text size; a larger font (a projector's) makes them taller, never smaller.
    static constexpr int AxisHeight = 26;
    static constexpr int LaneHeight = 24;
    int axisHeight() const { return m_axisHeight; }
    int laneHeight() const { return m_laneHeight; }
    static constexpr double MarkerRadius = 5;

    struct Hit
    {
        int lane = -1;
        int event = -1;     // index in the lane's events, or -1
        int band = -1;      // index in the lane's out/err bands, or -1
        bool err = false;   // the band is stderr's
        double t = 0;       // the marker's time, or the time under the cursor
    };

    explicit TimelineView(QWidget *parent = nullptr);

    void setTimeline(Timeline *timeline);
    Timeline *timeline() const { return m_timeline; }

    double msPerPixel() const { return m_msPerPx; }
    double viewStart() const { return m_viewStart; } // ms at the plot's left edge
    void setView(double start, double msPerPixel);
    void zoomBy(double factor, int atX); // atX: a viewport x that stays on the same moment
    void zoomCentred(double factor);
    void fitAll();
    bool isFollowing() const { return m_follow; }
    void setFollowing(bool on);
    void setSelectedProcess(int process);

    std::optional<Hit> hitTest(const QPoint &viewportPos) const;
    QString toolTipFor(const Hit &hit) const;
    QPointF markerPosition(int lane, int event) const; // in viewport coordinates

    // What an exported picture shows: the whole session (every lane, from the first moment to
    // the last) or only the time span in view; either way with the legend and lane labels.
    enum class ExportSpan { WholeSession, VisiblePart };
    QSize exportSize(ExportSpan span = ExportSpan::WholeSession) const;
    void render(QPainter *painter, const QSize &size, int laneOffset) const;
    bool exportPng(const QString &path, QString *error, ExportSpan span = ExportSpan::WholeSession) const;
    bool exportSvg(const QString &path, QString *error, ExportSpan span = ExportSpan::WholeSession) const;

    // The time axis: one unit and a round step for the whole view, as plotting libraries do.
    struct Axis
    {
        double step = 1;   // ms between ticks
        double unit = 1;   // ms in one unit
        QString unitName;  // "ms", "s", "min", "h"
        int decimals = 0;
    };
    static Axis axisFor(double msPerPixel, double minPixels = 90);
    static QString tickLabel(double ms, const Axis &axis);

    static QColor colorOf(TraceKind kind, const QJsonObject &fields = {});
    static QColor bandColor(bool err, const QPalette &palette); // stdout's or stderr's activity
    static void drawMarker(QPainter *painter, TraceKind kind, const QPointF &at, const QColor &color);

Q_SIGNALS:
    // Once per click (press and release without dragging) on a lane: the lane's process, and
    // the clicked marker's time, or the time under the cursor.
    void processActivated(int process, double t);
    // Whenever following the live end is switched on or off (by the user panning, too).
    void followingChanged(bool on);
    // After every zoom or pan.
    void viewChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    // From the font, kept here: every frame asks for them many times.
    int m_axisHeight = AxisHeight;
    int m_laneHeight = LaneHeight;
    void updateMetrics();
    QPointer<Timeline> m_timeline;
    double m_viewStart = 0;
    double m_msPerPx = 10;
    bool m_follow = true;
    int m_selectedProcess = 0;
    QTimer m_followTimer;
    QPoint m_pressPos;
    double m_pressViewStart = 0;
    int m_pressScroll = 0;
    bool m_pressed = false;
    bool m_dragging = false;

    int plotWidth() const;
    // `live`: the view on screen (the live end, the selection); otherwise a picture for export.
    void renderSpan(QPainter *painter, const QSize &size, int laneOffset, double viewStart, double msPerPixel, bool live) const;
    void renderExport(QPainter *painter, ExportSpan span) const;
    std::pair<double, double> exportView(ExportSpan span, int width) const; // start, ms per pixel
    bool m_fitted = false; // the view is fitted and stays so until the user zooms or pans
    void updateScrollRange();
    void followNow();
};

} // namespace Spawnscope::Ui
