#include "timelinelegend.h"

#include "timelineview.h"

#include <QPainter>

namespace Spawnscope::Ui {

namespace {

struct Entry
{
    TraceKind kind;
    QJsonObject fields;
    QString label;
};

QList<Entry> entries()
{
    const QJsonObject failed{{QStringLiteral("code"), 1}};
    return {
        {TraceKind::Spawn, {}, QStringLiteral("spawn")},
        {TraceKind::Message, {}, QStringLiteral("message in")},
        {TraceKind::Send, {}, QStringLiteral("message out")},
        {TraceKind::Disconnect, {}, QStringLiteral("disconnect")},
        {TraceKind::Error, {}, QStringLiteral("error")},
        {TraceKind::Exit, {}, QStringLiteral("exit 0")},
        {TraceKind::Exit, failed, QStringLiteral("exit ≠0 / signal")},
        {TraceKind::Close, {}, QStringLiteral("close")},
        {TraceKind::Kill, {}, QStringLiteral("signal sent")},
        {TraceKind::Appeared, {}, QStringLiteral("descendant appeared")},
        {TraceKind::Gone, {}, QStringLiteral("descendant gone")},
    };
}

constexpr int Gap = 14;
constexpr int Swatch = 16;

} // namespace

TimelineLegend::TimelineLegend(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

QSize TimelineLegend::sizeHint() const
{
    return sizeFor(fontMetrics());
}

QSize TimelineLegend::sizeFor(const QFontMetrics &metrics)
{
    int width = 0;
    for (const Entry &e : entries())
        width += Swatch + metrics.horizontalAdvance(e.label) + Gap;
    width += 2 * (Swatch + metrics.horizontalAdvance(QStringLiteral("stderr")) + Gap);
    return {width, metrics.height() + 6};
}

void TimelineLegend::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    paint(&p, rect(), palette());
}

void TimelineLegend::paint(QPainter *p, const QRect &rect, const QPalette &palette)
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QFontMetrics metrics = p->fontMetrics();
    const double mid = rect.top() + rect.height() / 2.0;
    int x = rect.left() + 4;
    for (const Entry &e : entries()) {
        TimelineView::drawMarker(p, e.kind, QPointF(x + 6, mid), TimelineView::colorOf(e.kind, e.fields));
        x += Swatch;
        p->setPen(palette.color(QPalette::WindowText));
        p->drawText(QRect(x, rect.top(), 400, rect.height()), Qt::AlignVCenter | Qt::AlignLeft, e.label);
        x += metrics.horizontalAdvance(e.label) + Gap;
    }
    const QList<std::pair<QColor, QString>> bands{{TimelineView::bandColor(false, palette), QStringLiteral("stdout")},
                                                   {TimelineView::bandColor(true, palette), QStringLiteral("stderr")}};
    for (const auto &[color, label] : bands) {
        p->fillRect(QRectF(x, mid - 2, 12, 4), color);
        x += Swatch;
        p->setPen(palette.color(QPalette::WindowText));
        p->drawText(QRect(x, rect.top(), 400, rect.height()), Qt::AlignVCenter | Qt::AlignLeft, label);
        x += metrics.horizontalAdvance(label) + Gap;
    }
    p->restore();
}

} // namespace Spawnscope::Ui
