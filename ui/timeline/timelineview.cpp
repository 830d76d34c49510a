#include "timelineview.h"

#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace Spawnscope::Ui {

namespace {

constexpr double MinMsPerPx = 0.001;
constexpr double MaxMsPerPx = 1e6;
constexpr double MarkerRadius = TimelineView::MarkerRadius;

} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    updateMetrics();
    verticalScrollBar()->setSingleStep(laneHeight());
    connect(verticalScrollBar(), &QScrollBar::valueChanged, viewport(), qOverload<>(&QWidget::update));
    m_followTimer.setInterval(100);
    connect(&m_followTimer, &QTimer::timeout, this, &TimelineView::followNow);
    setMinimumHeight(axisHeight() + 3 * laneHeight());
}

void TimelineView::setTimeline(Timeline *timeline)
{
    if (m_timeline)
        disconnect(m_timeline, nullptr, this, nullptr);
    m_timeline = timeline;
    if (timeline) {
        connect(timeline, &Timeline::changed, viewport(), qOverload<>(&QWidget::update));
        connect(timeline, &Timeline::laneAdded, this, &TimelineView::updateScrollRange);
    }
    updateScrollRange();
    if (timeline && !timeline->isRecording())
        setFollowing(false);
    else
        setFollowing(m_follow);
    if (!m_follow)
        fitAll();
    viewport()->update();
}

int TimelineView::plotWidth() const
{
    return std::max(1, viewport()->width() - LabelWidth);
}

void TimelineView::updateMetrics()
{
    m_axisHeight = std::max(AxisHeight, fontMetrics().height() + 10);
    m_laneHeight = std::max(LaneHeight, fontMetrics().height() + 8);
}

void TimelineView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    // Rows grow with the text (a projector's scale): the scroll range and steps follow.
    if (event->type() == QEvent::FontChange) {
        updateMetrics();
        verticalScrollBar()->setSingleStep(laneHeight());
        setMinimumHeight(axisHeight() + 3 * laneHeight());
        updateScrollRange();
        viewport()->update();
    }
}

void TimelineView::updateScrollRange()
{
    const int lanes = m_timeline ? m_timeline->laneCount() : 0;
    const int visible = std::max(0, viewport()->height() - axisHeight());
    verticalScrollBar()->setRange(0, std::max(0, lanes * laneHeight() - visible));
    verticalScrollBar()->setPageStep(std::max(laneHeight(), visible));
}

void TimelineView::setView(double start, double msPerPixel)
{
    m_fitted = false;
    m_msPerPx = std::clamp(msPerPixel, MinMsPerPx, MaxMsPerPx);
    m_viewStart = std::max(-m_msPerPx * 20, start);
    viewport()->update();
    Q_EMIT viewChanged();
}

void TimelineView::zoomBy(double factor, int atX)
{
    const double x = std::clamp(atX - LabelWidth, 0, plotWidth());
    const double anchor = m_viewStart + x * m_msPerPx;
    const double scale = std::clamp(m_msPerPx / factor, MinMsPerPx, MaxMsPerPx);
    // While following, the live end stays at the right; otherwise the moment under the cursor stays put.
    setView(m_follow ? m_viewStart : anchor - x * scale, scale);
    if (m_follow)
        followNow();
}

void TimelineView::zoomCentred(double factor)
{
    zoomBy(factor, LabelWidth + plotWidth() / 2);
}

void TimelineView::fitAll()
{
    const double end = m_timeline ? std::max(1.0, m_timeline->endTime()) : 1000.0;
    const double margin = 16;
    setView(0, end / std::max(1.0, plotWidth() - 2 * margin));
    m_viewStart = -margin * m_msPerPx;
    m_fitted = true;
    viewport()->update();
}

void TimelineView::setFollowing(bool on)
{
    on = on && m_timeline && m_timeline->isRecording();
    const bool changed = on != m_follow;
    m_follow = on;
    if (on) {
        m_followTimer.start();
        followNow();
    } else {
        m_followTimer.stop();
    }
    if (changed)
        Q_EMIT followingChanged(on);
}

void TimelineView::followNow()
{
    if (!m_timeline || !isVisible())
        return;
    // While something runs the right edge is now; once all is quiet the view rests where the
    // last thing happened instead of scrolling it away.
    const double end = m_timeline->anyLive() ? m_timeline->now() : m_timeline->endTime();
    setView(std::max(-20 * m_msPerPx, end - plotWidth() * 0.92 * m_msPerPx), m_msPerPx);
}

void TimelineView::setSelectedProcess(int process)
{
    if (process == m_selectedProcess)
        return;
    m_selectedProcess = process;
    if (m_timeline) {
        // Bring the lane into view.
        const int lane = m_timeline->rowOfLane(m_timeline->laneOf(process));
        if (lane >= 0)
            verticalScrollBar()->setValue(std::clamp(verticalScrollBar()->value(), (lane + 1) * laneHeight() - (viewport()->height() - axisHeight()), lane * laneHeight()));
    }
    viewport()->update();
}


void TimelineView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    render(&p, viewport()->size(), verticalScrollBar()->value());
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollRange();
    // A fitted view (an opened trace, Fit All) stays fitted as the window finds its size.
    if (m_fitted)
        fitAll();
}

void TimelineView::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    if (event->modifiers() & Qt::ShiftModifier) {
        verticalScrollBar()->setValue(verticalScrollBar()->value() - (delta.y() ? delta.y() : delta.x()) / 120 * laneHeight() * 3);
    } else if (delta.x() != 0 && std::abs(delta.x()) > std::abs(delta.y())) {
        setFollowing(false);
        setView(m_viewStart - delta.x() / 120.0 * plotWidth() * 0.1 * m_msPerPx, m_msPerPx);
    } else if (delta.y() != 0) {
        zoomBy(std::pow(1.25, delta.y() / 120.0), int(event->position().x()));
    }
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QAbstractScrollArea::mousePressEvent(event);
    m_pressed = true;
    m_dragging = false;
    m_pressPos = event->position().toPoint();
    m_pressViewStart = m_viewStart;
    m_pressScroll = verticalScrollBar()->value();
}

void TimelineView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_pressed) {
        const QPoint d = pos - m_pressPos;
        if (!m_dragging && d.manhattanLength() > 3) {
            m_dragging = true;
            viewport()->setCursor(Qt::ClosedHandCursor);
            setFollowing(false);
        }
        if (m_dragging) {
            setView(m_pressViewStart - d.x() * m_msPerPx, m_msPerPx);
            verticalScrollBar()->setValue(m_pressScroll - d.y());
        }
        return;
    }
    const auto hit = hitTest(pos);
    viewport()->setCursor(hit && (hit->event >= 0) ? Qt::PointingHandCursor : Qt::ArrowCursor);
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_pressed)
        return QAbstractScrollArea::mouseReleaseEvent(event);
    m_pressed = false;
    viewport()->unsetCursor();
    if (m_dragging) {
        m_dragging = false;
        return;
    }
    if (const auto hit = hitTest(event->position().toPoint())) {
        const int process = m_timeline->lane(hit->lane).process;
        setSelectedProcess(process);
        Q_EMIT processActivated(process, hit->t);
    }
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomCentred(2); break;
    case Qt::Key_Minus: zoomCentred(0.5); break;
    case Qt::Key_0:
    case Qt::Key_Home:
        setFollowing(false);
        fitAll();
        break;
    case Qt::Key_F: setFollowing(!m_follow); break;
    case Qt::Key_Left:
    case Qt::Key_Right:
        setFollowing(false);
        setView(m_viewStart + (event->key() == Qt::Key_Left ? -0.2 : 0.2) * plotWidth() * m_msPerPx, m_msPerPx);
        break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
    }
    event->accept();
}

bool TimelineView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const auto hit = hitTest(help->pos());
        const QString text = hit ? toolTipFor(*hit) : QString();
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

std::optional<TimelineView::Hit> TimelineView::hitTest(const QPoint &pos) const
{
    if (!m_timeline || pos.y() < axisHeight())
        return std::nullopt;
    const int row = (pos.y() - axisHeight() + verticalScrollBar()->value()) / laneHeight();
    if (row < 0 || row >= m_timeline->laneCount())
        return std::nullopt;
    const int laneIndex = m_timeline->laneAtRow(row);
    const TimelineLane &lane = m_timeline->lane(laneIndex);
    Hit hit;
    hit.lane = laneIndex;
    hit.t = m_viewStart + (pos.x() - LabelWidth) * m_msPerPx;
    if (pos.x() < LabelWidth) {
        hit.t = lane.events.empty() ? 0 : lane.events.front().t;
        return hit;
    }
    // The nearest marker within its radius, the latest one winning a tie (it is drawn on top).
    const double reach = (MarkerRadius + 2) * m_msPerPx;
    auto it = std::lower_bound(lane.events.begin(), lane.events.end(), hit.t - reach, [](const TimelineEvent &e, double t) { return e.t < t; });
    double best = reach + 1;
    for (; it != lane.events.end() && it->t <= hit.t + reach; ++it) {
        const double d = std::abs(it->t - hit.t);
        if (d <= best) {
            best = d;
            hit.event = int(it - lane.events.begin());
        }
    }
    if (hit.event >= 0) {
        hit.t = lane.events[size_t(hit.event)].t;
        return hit;
    }
    const int top = axisHeight() + row * laneHeight() - verticalScrollBar()->value();
    const int inLane = pos.y() - top;
    for (int s = 0; s < 2; ++s) {
        const auto &bands = s ? lane.err : lane.out;
        const bool onStrip = s ? inLane <= laneHeight() / 2 : inLane > laneHeight() / 2;
        if (!onStrip)
            continue;
        const double slack = 2 * m_msPerPx;
        auto b = std::lower_bound(bands.begin(), bands.end(), hit.t - slack, [](const ActivityBand &x, double t) { return x.end < t; });
        if (b != bands.end() && b->start - slack <= hit.t) {
            hit.band = int(b - bands.begin());
            hit.err = s == 1;
        }
    }
    return hit;
}

QString TimelineView::toolTipFor(const Hit &hit) const
{
    const TimelineLane &lane = m_timeline->lane(hit.lane);
    const QString who = lane.parentLane >= 0
        ? QStringLiteral("<b>pid %1 %2</b>%3<br>started by #%4<br>").arg(lane.pid).arg(lane.name.toHtmlEscaped(),
                                                                      lane.command.isEmpty() ? QString() : QStringLiteral(" <tt>%1</tt>").arg(lane.command.toHtmlEscaped())).arg(lane.process)
        : QStringLiteral("<b>#%1 %2</b>%3<br>").arg(lane.process).arg(lane.name.toHtmlEscaped(),
                                                                   lane.command.isEmpty() ? QString() : QStringLiteral(" <tt>%1</tt>").arg(lane.command.toHtmlEscaped()));
    if (hit.event >= 0)
        return who + lane.events[size_t(hit.event)].describe().toHtmlEscaped();
    if (hit.band >= 0) {
        const ActivityBand &b = (hit.err ? lane.err : lane.out)[size_t(hit.band)];
        return who + tr("%1 active from %2 to %3 ms: %4 bytes")
                         .arg(QLatin1String(hit.err ? "stderr" : "stdout"))
                         .arg(b.start, 0, 'f', 1)
                         .arg(b.end, 0, 'f', 1)
                         .arg(b.bytes);
    }
    return {};
}

QPointF TimelineView::markerPosition(int laneIndex, int event) const
{
    const TimelineLane &lane = m_timeline->lane(laneIndex);
    return {LabelWidth + (lane.events[size_t(event)].t - m_viewStart) / m_msPerPx,
            axisHeight() + m_timeline->rowOfLane(laneIndex) * laneHeight() - verticalScrollBar()->value() + laneHeight() / 2.0};
}

} // namespace Spawnscope::Ui
