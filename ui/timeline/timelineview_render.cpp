#include "timelineview.h"

#include "timelinelegend.h"
#include <colours.h>


#include <QHash>
#include <QImage>
#include <QPaintEngine>
#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>

#include <algorithm>
#include <array>
#include <cmath>

namespace Spawnscope::Ui {

namespace {

// Of one kind, at most one marker every this many pixels: closer ones would cover each other.
constexpr double DenseStepPx = 4;
constexpr double MarkerRadius = TimelineView::MarkerRadius;

// Lanes of one program differ by their arguments: the command, its program without a
// directory; and how it was started, for exec and spawn look alike otherwise.
QString laneLabel(const TimelineLane &lane)
{
    QString text = lane.command.trimmed().isEmpty() ? lane.name : lane.command.trimmed();
    const qsizetype space = text.indexOf(QLatin1Char(' '));
    const qsizetype slash = (space < 0 ? text : text.left(space)).lastIndexOf(QLatin1Char('/'));
    if (slash >= 0)
        text = text.mid(slash + 1);
    text.remove(QLatin1Char('\''));
    return lane.mode.isEmpty() ? text : QStringLiteral("%1: %2").arg(lane.mode, text);
}

// Rasterising an antialiased shape costs microseconds, copying a small pixmap a fraction of
// that: on screen every marker is a blit of one drawn once per kind, colour and pixel ratio.
const QPixmap &markerSprite(TraceKind kind, const QColor &color, qreal dpr)
{
    static QHash<quint64, QPixmap> cache;
    const quint64 key = quint64(color.rgba()) | quint64(kind) << 32 | quint64(qRound(dpr * 100)) << 40;
    auto it = cache.find(key);
    if (it == cache.end()) {
        const int side = int(2 * MarkerRadius + 6);
        QPixmap pixmap(QSize(side, side) * dpr);
        pixmap.setDevicePixelRatio(dpr);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        TimelineView::drawMarker(&p, kind, QPointF(side / 2.0, side / 2.0), color);
        p.end();
        it = cache.insert(key, pixmap);
    }
    return *it;
}


} // namespace

QColor TimelineView::bandColor(bool err, const QPalette &palette)
{
    const bool dark = Colours::isDark(palette);
    return err ? QColor(0xe5, 0x39, 0x35, dark ? 170 : 140) : QColor(0x1e, 0x88, 0xe5, dark ? 170 : 130);
}

QColor TimelineView::colorOf(TraceKind kind, const QJsonObject &fields)
{
    switch (kind) {
    case TraceKind::Spawn: return QColor(0x2e, 0x9d, 0x4f);
    case TraceKind::Message:
    case TraceKind::Send: return QColor(0x8a, 0x5c, 0xf0);
    case TraceKind::Disconnect: return QColor(0xe0, 0x8a, 0x00);
    case TraceKind::Error: return QColor(0xe5, 0x39, 0x35);
    case TraceKind::Exit:
    case TraceKind::Close: {
        const bool clean = fields.value(QStringLiteral("signal")).toString().isEmpty() && fields.value(QStringLiteral("code")).toInt() == 0;
        if (kind == TraceKind::Close)
            return clean ? QColor(0x80, 0x86, 0x8b) : QColor(0xe5, 0x39, 0x35);
        return clean ? QColor(0x1e, 0x88, 0xe5) : QColor(0xe5, 0x39, 0x35);
    }
    case TraceKind::Kill: return QColor(0xd8, 0x1b, 0x60);
    case TraceKind::Appeared: return QColor(0x26, 0xa6, 0x9a);
    case TraceKind::Gone: return QColor(0x80, 0x86, 0x8b);
    default: break;
    }
    return Qt::gray;
}

void TimelineView::drawMarker(QPainter *p, TraceKind kind, const QPointF &c, const QColor &color)
{
    const double r = MarkerRadius;
    p->save();
    p->setPen(QPen(color.darker(130), 1));
    p->setBrush(color);
    switch (kind) {
    case TraceKind::Spawn: {
        const QPointF pts[] = {{c.x() - r * 0.7, c.y() - r}, {c.x() + r, c.y()}, {c.x() - r * 0.7, c.y() + r}};
        p->drawPolygon(pts, 3);
        break;
    }
    case TraceKind::Message:
    case TraceKind::Send: {
        const QPointF pts[] = {{c.x(), c.y() - r}, {c.x() + r, c.y()}, {c.x(), c.y() + r}, {c.x() - r, c.y()}};
        if (kind == TraceKind::Send) {
            p->setPen(QPen(color, 2));
            p->setBrush(Qt::NoBrush);
        }
        p->drawPolygon(pts, 4);
        break;
    }
    case TraceKind::Disconnect:
        p->setPen(QPen(color, 2));
        p->setBrush(Qt::NoBrush);
        p->drawRect(QRectF(c.x() - r * 0.8, c.y() - r * 0.8, r * 1.6, r * 1.6));
        break;
    case TraceKind::Error:
        p->setPen(QPen(color, 2.5, Qt::SolidLine, Qt::RoundCap));
        p->drawLine(QPointF(c.x() - r, c.y() - r), QPointF(c.x() + r, c.y() + r));
        p->drawLine(QPointF(c.x() - r, c.y() + r), QPointF(c.x() + r, c.y() - r));
        break;
    case TraceKind::Exit:
        p->drawEllipse(c, r, r);
        break;
    case TraceKind::Close:
        p->setPen(QPen(color, 3, Qt::SolidLine, Qt::FlatCap));
        p->drawLine(QPointF(c.x(), c.y() - r - 1), QPointF(c.x(), c.y() + r + 1));
        break;
    case TraceKind::Kill: {
        const QPointF pts[] = {{c.x() - r, c.y() - r * 0.8}, {c.x() + r, c.y() - r * 0.8}, {c.x(), c.y() + r}};
        p->drawPolygon(pts, 3);
        break;
    }
    case TraceKind::Appeared: {
        // Spawn's triangle, hollow: seen, not started by us.
        const QPointF pts[] = {{c.x() - r * 0.7, c.y() - r}, {c.x() + r, c.y()}, {c.x() - r * 0.7, c.y() + r}};
        p->setPen(QPen(color, 2));
        p->setBrush(Qt::NoBrush);
        p->drawPolygon(pts, 3);
        break;
    }
    case TraceKind::Gone:
        // Exit's circle, hollow: its end, without the status that only its parent gets.
        p->setPen(QPen(color, 2));
        p->setBrush(Qt::NoBrush);
        p->drawEllipse(c, r * 0.8, r * 0.8);
        break;
    default: break;
    }
    p->restore();
}

TimelineView::Axis TimelineView::axisFor(double msPerPx, double minPx)
{
    // Round steps per unit, the unit chosen by the step: every label of a view in one unit.
    struct Unit
    {
        double ms;
        const char *name;
        std::initializer_list<double> steps;
    };
    static const Unit units[] = {
        {1, "ms", {1, 2, 5, 10, 20, 50, 100, 200, 500}},
        {1000, "s", {1, 2, 5, 10, 15, 30}},
        {60000, "min", {1, 2, 5, 10, 15, 30}},
        {3600000, "h", {1, 2, 3, 6, 12, 24, 48, 96, 168}},
    };
    const double raw = msPerPx * minPx;
    Axis axis;
    if (raw < 1) {
        // Below a millisecond: powers of ten of it, with as many decimals as that takes.
        const double power = std::pow(10.0, std::floor(std::log10(raw)));
        for (double m : {1.0, 2.0, 5.0, 10.0}) {
            if (m * power >= raw) {
                axis.step = m * power;
                break;
            }
        }
        axis.unit = 1;
        axis.unitName = QStringLiteral("ms");
        axis.decimals = std::max(0, int(std::ceil(-std::log10(axis.step))));
        return axis;
    }
    for (const Unit &u : units) {
        for (double step : u.steps) {
            if (step * u.ms >= raw) {
                axis.step = step * u.ms;
                axis.unit = u.ms;
                axis.unitName = QLatin1String(u.name);
                return axis;
            }
        }
    }
    // Beyond a week a tick: whole weeks of hours.
    axis.unit = 3600000;
    axis.unitName = QStringLiteral("h");
    axis.step = std::ceil(raw / (168 * axis.unit)) * 168 * axis.unit;
    return axis;
}

QString TimelineView::tickLabel(double ms, const Axis &axis)
{
    const double value = std::abs(ms) < axis.step / 2 ? 0 : ms / axis.unit;
    return QStringLiteral("%1 %2").arg(value, 0, 'f', axis.decimals).arg(axis.unitName);
}

void TimelineView::render(QPainter *p, const QSize &size, int laneOffset) const
{
    renderSpan(p, size, laneOffset, m_viewStart, m_msPerPx, true);
}

void TimelineView::renderSpan(QPainter *p, const QSize &size, int laneOffset, double viewStart, double msPerPx, bool live) const
{
    const QPalette pal = palette();
    const bool dark = Colours::isDark(pal);
    const bool vector = p->paintEngine() && p->paintEngine()->type() == QPaintEngine::SVG;
    const int width = size.width();
    const double plotLeft = LabelWidth;
    const double plotW = std::max(1, width - LabelWidth);
    const double t0 = viewStart;
    const double t1 = viewStart + plotW * msPerPx;
    auto xOf = [&](double t) { return plotLeft + (t - t0) / msPerPx; };

    p->fillRect(QRect(QPoint(0, 0), size), pal.color(QPalette::Base));
    const int lanes = m_timeline ? m_timeline->laneCount() : 0;
    const int first = std::max(0, laneOffset / laneHeight());
    const int last = std::min(lanes - 1, (laneOffset + size.height() - axisHeight()) / laneHeight());
    const Axis axis = axisFor(msPerPx);
    const double step = axis.step;
    // Opaque and drawn as rectangles: a translucent line the height of the view is blended
    // span by span, and Qt hands that many spans to its GUI thread pool and waits, which stalls
    // the window whenever other processes keep the CPUs busy.
    const QColor base = pal.color(QPalette::Base);
    const QColor gridColor = dark ? base.lighter(135) : base.darker(108);
    const double firstTick = std::ceil(t0 / step) * step;
    const double now = live && m_timeline && m_timeline->isRecording() ? m_timeline->now() : -1;
    // A picture of the session marks no selection; the view marks the selected process's lane.
    const int selected = live ? m_selectedProcess : 0;

    p->save();
    p->setClipRect(QRectF(0, axisHeight(), width, size.height() - axisHeight()));
    for (int i = first; i <= last; ++i) {
        const TimelineLane &lane = m_timeline->lane(m_timeline->laneAtRow(i));
        const double top = axisHeight() + i * laneHeight() - laneOffset;
        const QRectF row(0, top, width, laneHeight());
        if (lane.process == selected && selected)
            p->fillRect(row, QColor(pal.color(QPalette::Highlight).red(), pal.color(QPalette::Highlight).green(), pal.color(QPalette::Highlight).blue(), 60));
        else if (i % 2)
            p->fillRect(row, pal.color(QPalette::AlternateBase));
    }
    for (double t = firstTick; t <= t1; t += step)
        p->fillRect(QRectF(std::floor(xOf(t)), axisHeight(), 1, size.height() - axisHeight()), gridColor);
    for (int i = first; i <= last; ++i) {
        const TimelineLane &lane = m_timeline->lane(m_timeline->laneAtRow(i));
        const double top = axisHeight() + i * laneHeight() - laneOffset;
        const double mid = top + laneHeight() / 2.0;
        p->save();
        p->setClipRect(QRectF(plotLeft, top, plotW, laneHeight()));
        // The process's life: from its first event to its close (or now, while it lives).
        if (!lane.events.empty()) {
            const double born = lane.events.front().t;
            const TraceKind lastKind = lane.events.back().kind;
            const bool closed = lastKind == TraceKind::Close || lastKind == TraceKind::Error || lastKind == TraceKind::Gone;
            const double died = closed || now < 0 ? lane.events.back().t : now;
            const double a = std::max(plotLeft - 2, xOf(born));
            const double b = std::min(plotLeft + plotW + 2, xOf(died));
            if (b >= a)
                p->fillRect(QRectF(a, mid - 1, std::max(1.0, b - a), 2), pal.color(QPalette::Mid));
        }
        // Output bands, merged where they fall on the same pixels.
        for (int s = 0; s < 2; ++s) {
            const auto &bands = s ? lane.err : lane.out;
            const QColor c = bandColor(s == 1, pal);
            const double y = s ? top + 2 : top + laneHeight() - 6;
            auto it = std::lower_bound(bands.begin(), bands.end(), t0, [](const ActivityBand &b, double t) { return b.end < t; });
            double runA = -1, runB = -1;
            for (; it != bands.end() && it->start <= t1; ++it) {
                const double a = xOf(it->start);
                const double b = std::max(a + 2, xOf(it->end));
                if (runB >= 0 && a <= runB + 1) {
                    runB = std::max(runB, b);
                    continue;
                }
                if (runB >= 0)
                    p->fillRect(QRectF(runA, y, runB - runA, 4), c);
                runA = a;
                runB = b;
            }
            if (runB >= 0)
                p->fillRect(QRectF(runA, y, runB - runA, 4), c);
        }
        // Markers: of one kind, at most one every DenseStepPx, however many events fall there
        // (they would cover each other anyway).
        p->setRenderHint(QPainter::Antialiasing, true);
        const double margin = (MarkerRadius + 2) * msPerPx;
        auto it = std::lower_bound(lane.events.begin(), lane.events.end(), t0 - margin, [](const TimelineEvent &e, double t) { return e.t < t; });
        std::array<double, size_t(TraceKind::Other) + 1> lastX;
        lastX.fill(-1e9);
        const qreal dpr = p->device()->devicePixelRatioF();
        for (; it != lane.events.end() && it->t <= t1 + margin; ++it) {
            const double x = xOf(it->t);
            if (x - lastX[size_t(it->kind)] < DenseStepPx)
                continue;
            lastX[size_t(it->kind)] = x;
            const QColor color = colorOf(it->kind, it->fields);
            if (vector) {
                drawMarker(p, it->kind, QPointF(x, mid), color);
            } else {
                const QPixmap &sprite = markerSprite(it->kind, color, dpr);
                const double half = sprite.width() / dpr / 2.0;
                p->drawPixmap(QPointF(std::round(x - half), std::round(mid - half)), sprite);
            }
        }
        p->setRenderHint(QPainter::Antialiasing, false);
        p->restore();

        // The label column.
        p->fillRect(QRectF(0, top, LabelWidth, laneHeight()), lane.process == selected && selected
                                                                 ? pal.color(QPalette::Highlight)
                                                                 : pal.color(QPalette::Window));
        p->setPen(lane.process == selected && selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::WindowText));
        const QString label = laneLabel(lane);
        // A descendant's lane is indented under its parent's, named by its pid.
        const int indent = 8 + 12 * lane.depth;
        const QString text = lane.parentLane >= 0 ? QStringLiteral("\u2514 %1 %2").arg(lane.pid).arg(label)
                                                  : QStringLiteral("#%1 %2").arg(lane.process).arg(label);
        p->drawText(QRectF(indent, top, LabelWidth - indent - 6, laneHeight()), Qt::AlignVCenter | Qt::AlignLeft,
                    p->fontMetrics().elidedText(text, Qt::ElideMiddle, LabelWidth - indent - 6));
    }
    p->restore();

    // Axis, and the live end as a dashed line of small opaque rectangles (see the grid).
    p->fillRect(QRectF(0, 0, width, axisHeight()), pal.color(QPalette::Window));
    p->setPen(pal.color(QPalette::WindowText));
    for (double t = firstTick; t <= t1; t += step) {
        const double x = std::floor(xOf(t));
        p->fillRect(QRectF(x, axisHeight() - 6, 1, 6), pal.color(QPalette::WindowText));
        p->drawText(QRectF(x + 3, 0, 120, axisHeight() - 4), Qt::AlignBottom | Qt::AlignLeft, tickLabel(t, axis));
    }
    p->fillRect(QRectF(0, axisHeight() - 1, width, 1), pal.color(QPalette::Mid));
    p->fillRect(QRectF(LabelWidth - 1, 0, 1, size.height()), pal.color(QPalette::Mid));
    if (live && now >= 0 && now >= t0 && now <= t1) {
        const double x = std::floor(xOf(now));
        for (int y = axisHeight(); y < size.height(); y += 8)
            p->fillRect(QRectF(x, y, 1, 4), QColor(0x2e, 0x9d, 0x4f));
    }
    p->setPen(pal.color(QPalette::WindowText));
    p->drawText(QRectF(8, 0, LabelWidth - 10, axisHeight() - 4), Qt::AlignBottom | Qt::AlignLeft,
                lanes ? tr("%n process(es)", nullptr, lanes) : tr("Nothing has run yet"));
}
std::pair<double, double> TimelineView::exportView(ExportSpan span, int width) const
{
    if (span == ExportSpan::VisiblePart)
        return {m_viewStart, m_msPerPx};
    const double end = m_timeline ? std::max(1.0, m_timeline->endTime()) : 1000.0;
    const double margin = 16;
    const double msPerPx = end / std::max(1.0, width - LabelWidth - 2 * margin);
    return {-margin * msPerPx, msPerPx};
}

QSize TimelineView::exportSize(ExportSpan span) const
{
    const int lanes = m_timeline ? m_timeline->laneCount() : 0;
    const int width = span == ExportSpan::WholeSession ? std::max(1200, viewport()->width()) : std::max(640, viewport()->width());
    const QSize legend = TimelineLegend::sizeFor(fontMetrics());
    return {std::max(width, legend.width() + 8), legend.height() + axisHeight() + std::max(1, lanes) * laneHeight()};
}

void TimelineView::renderExport(QPainter *p, ExportSpan span) const
{
    const QSize size = exportSize(span);
    const int legendHeight = TimelineLegend::sizeFor(fontMetrics()).height();
    p->fillRect(QRect(QPoint(0, 0), size), palette().color(QPalette::Window));
    p->setFont(font());
    TimelineLegend::paint(p, QRect(0, 0, size.width(), legendHeight), palette());
    const auto [start, msPerPx] = exportView(span, size.width());
    p->save();
    p->translate(0, legendHeight);
    renderSpan(p, QSize(size.width(), size.height() - legendHeight), 0, start, msPerPx, false);
    p->restore();
}

bool TimelineView::exportPng(const QString &path, QString *error, ExportSpan span) const
{
    QImage image(exportSize(span), QImage::Format_ARGB32_Premultiplied);
    {
        QPainter p(&image);
        renderExport(&p, span);
    }
    if (!image.save(path, "PNG")) {
        *error = tr("cannot write %1").arg(path);
        return false;
    }
    return true;
}

bool TimelineView::exportSvg(const QString &path, QString *error, ExportSpan span) const
{
    const QSize size = exportSize(span);
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(tr("Spawnscope timeline"));
    QPainter p;
    if (!p.begin(&svg)) {
        *error = tr("cannot write %1").arg(path);
        return false;
    }
    renderExport(&p, span);
    p.end();
    return true;
}

} // namespace Spawnscope::Ui
