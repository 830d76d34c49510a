#include "ganttview.h"

#include <batchjobsmodel.h>
#include <colours.h>

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

namespace Spawnscope::Ui {

namespace {

constexpr double MinBarWidth = 3; // a job of a millisecond is still something to click

// A step of 1, 2 or 5 times a power of ten giving ticks about `pixels` apart.
qint64 tickStep(double msPerPixel, int pixels)
{
    const double raw = std::max(1.0, msPerPixel * pixels);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * power >= raw)
            return qint64(m * power);
    }
    return qint64(10 * power);
}

QString tickText(qint64 ms, qint64 step)
{
    if (step < 1000)
        return QStringLiteral("%1s").arg(double(ms) / 1000.0, 0, 'f', step < 100 ? 2 : 1);
    if (ms < 60000)
        return QStringLiteral("%1s").arg(ms / 1000);
    return QStringLiteral("%1:%2").arg(ms / 60000).arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

GanttView::GanttView(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(false);
}

void GanttView::setModel(BatchJobsModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (model) {
        auto repaint = [this] { update(); };
        connect(model, &QAbstractItemModel::modelReset, this, [this] {
            updateGeometry();
            update();
        });
        connect(model, &QAbstractItemModel::rowsInserted, this, repaint);
        connect(model, &QAbstractItemModel::dataChanged, this, repaint);
        connect(model, &BatchJobsModel::progressChanged, this, repaint);
    }
    updateGeometry();
    update();
}

void GanttView::setSelectedSeq(int seq)
{
    if (seq == m_selected)
        return;
    m_selected = seq;
    update();
}

qint64 GanttView::spanMs() const
{
    const BatchState *s = m_model ? m_model->state() : nullptr;
    if (!s)
        return 1000;
    // A running batch leaves room ahead, so bars do not crawl against the edge every tick.
    const qint64 now = s->nowMs();
    return s->isFinished() ? std::max<qint64>(now, 1) : std::max<qint64>(1000, now + now / 8);
}

QRectF GanttView::chartRect() const
{
    return QRectF(LabelWidth, AxisHeight, std::max(1, width() - LabelWidth - 6), std::max(1, height() - AxisHeight - 2));
}

QRectF GanttView::barFor(const BatchAttempt &a, const QRectF &chart, double msPerPixel) const
{
    const qint64 now = m_model->state()->nowMs();
    const double x0 = chart.left() + double(a.startMs) / msPerPixel;
    const double x1 = chart.left() + double(a.endMs >= 0 ? a.endMs : now) / msPerPixel;
    const double y = chart.top() + a.slot * SlotHeight + 2;
    return QRectF(x0, y, std::max(MinBarWidth, x1 - x0), SlotHeight - 4);
}

QRectF GanttView::barRect(int seq, int attempt) const
{
    const BatchState *s = m_model ? m_model->state() : nullptr;
    const BatchJob *job = s ? s->job(seq) : nullptr;
    if (!job || m_model->rowOfSeq(seq) < 0)
        return {};
    const QRectF chart = chartRect();
    const double msPerPixel = double(spanMs()) / chart.width();
    for (const BatchAttempt &a : job->attempts) {
        if (a.number == attempt && a.slot >= 0)
            return barFor(a, chart, msPerPixel);
    }
    return {};
}

int GanttView::seqAt(const QPointF &pos) const
{
    const BatchState *s = m_model ? m_model->state() : nullptr;
    if (!s)
        return 0;
    const QRectF chart = chartRect();
    const double msPerPixel = double(spanMs()) / chart.width();
    // The latest bar wins where short bars overlap at this scale: it is drawn on top.
    for (int row = m_model->rowCount() - 1; row >= 0; --row) {
        const BatchJob &job = s->jobs.at(row);
        for (auto a = job.attempts.crbegin(); a != job.attempts.crend(); ++a) {
            if (a->slot >= 0 && barFor(*a, chart, msPerPixel).contains(pos))
                return job.seq;
        }
    }
    return 0;
}

QColor GanttView::outcomeColor(AttemptOutcome outcome, const QPalette &palette)
{
    switch (outcome) {
    case AttemptOutcome::Running:
        return palette.color(QPalette::Highlight);
    case AttemptOutcome::Ok:
        return Colours::okColor(palette);
    case AttemptOutcome::Failed:
        return Colours::errorColor(palette);
    case AttemptOutcome::TimedOut:
        return Colours::warningColor(palette);
    case AttemptOutcome::Killed:
        return QColor(0x8e, 0x44, 0xad);
    }
    return palette.color(QPalette::Mid);
}

QSize GanttView::sizeHint() const
{
    const int lanes = m_model && m_model->state() ? m_model->state()->concurrency : 4;
    return QSize(600, AxisHeight + lanes * SlotHeight + 4);
}

QSize GanttView::minimumSizeHint() const
{
    return QSize(200, AxisHeight + SlotHeight + 4);
}

void GanttView::paintEvent(QPaintEvent *event)
{
    QPainter p(this);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const BatchState *s = m_model ? m_model->state() : nullptr;
    if (!s) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Run a batch (or choose one) to see its jobs here."));
        return;
    }
    const QRectF chart = chartRect();
    const qint64 span = spanMs();
    const double msPerPixel = double(span) / chart.width();
    const QRectF dirty = QRectF(event->rect());

    // Slot rows, striped, with their numbers as GNU parallel's {%} counts them.
    p.setPen(pal.color(QPalette::Text));
    for (int slot = 0; slot < s->concurrency; ++slot) {
        const QRectF row(0, chart.top() + slot * SlotHeight, width(), SlotHeight);
        if (slot % 2)
            p.fillRect(row, pal.color(QPalette::AlternateBase));
        p.drawText(QRectF(4, row.top(), LabelWidth - 8, SlotHeight), Qt::AlignVCenter | Qt::AlignRight, QString::number(slot + 1));
    }

    // The time axis.
    const qint64 step = tickStep(msPerPixel, 90);
    p.setPen(pal.color(QPalette::Mid));
    for (qint64 t = 0; t <= span; t += step) {
        const double x = chart.left() + double(t) / msPerPixel;
        p.drawLine(QPointF(x, chart.top() - 4), QPointF(x, chart.top() + s->concurrency * SlotHeight));
        p.drawText(QRectF(x + 2, 0, 80, AxisHeight - 2), Qt::AlignVCenter | Qt::AlignLeft, tickText(t, step));
    }

    // Bars, gathered per look so that each look is one drawRects() call.
    struct Look
    {
        AttemptOutcome outcome;
        bool retried;
        bool operator==(const Look &) const = default;
    };
    QList<QPair<Look, QList<QRectF>>> looks;
    auto bucket = [&](const Look &look) -> QList<QRectF> & {
        for (auto &entry : looks) {
            if (entry.first == look)
                return entry.second;
        }
        looks.append({look, {}});
        return looks.last().second;
    };
    QRectF selected;
    for (int row = 0, rows = m_model->rowCount(); row < rows; ++row) {
        const BatchJob &job = s->jobs.at(row);
        for (int i = 0; i < job.attempts.size(); ++i) {
            const BatchAttempt &a = job.attempts.at(i);
            if (a.slot < 0)
                continue;
            const QRectF bar = barFor(a, chart, msPerPixel);
            if (!bar.intersects(dirty))
                continue;
            bucket({a.outcome, i + 1 < job.attempts.size()}).append(bar);
            if (job.seq == m_selected)
                selected = selected.united(bar);
        }
    }
    p.setPen(Qt::NoPen);
    for (const auto &[look, bars] : std::as_const(looks)) {
        const QColor colour = outcomeColor(look.outcome, pal);
        if (look.retried) {
            // A failed attempt that was tried again: a pale fill under hatching.
            QColor pale = colour;
            pale.setAlpha(70);
            p.setBrush(pale);
            p.drawRects(bars.constData(), int(bars.size()));
            p.setBrush(QBrush(colour, Qt::BDiagPattern));
        } else {
            p.setBrush(colour);
        }
        p.drawRects(bars.constData(), int(bars.size()));
    }
    if (!selected.isNull()) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(pal.color(QPalette::Text), 2));
        p.drawRect(selected.adjusted(-1, -1, 1, 1));
    }
}

void GanttView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int seq = seqAt(event->position());
    if (!seq)
        return;
    setSelectedSeq(seq);
    Q_EMIT jobClicked(seq);
}

bool GanttView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && m_model && m_model->state()) {
        auto *help = static_cast<QHelpEvent *>(event);
        const BatchJob *job = m_model->state()->job(seqAt(help->pos()));
        if (!job) {
            QToolTip::hideText();
            return true;
        }
        const qint64 now = m_model->state()->nowMs();
        QStringList lines{tr("Job %1: %2").arg(job->seq).arg(job->input)};
        for (const BatchAttempt &a : job->attempts)
            lines << tr("attempt %1, slot %2: %3, %4 s").arg(a.number).arg(a.slot + 1).arg(BatchJobsModel::outcomeText(a.outcome)).arg(double(a.runtimeMs(now)) / 1000.0, 0, 'f', 3);
        if (!job->error.isEmpty())
            lines << job->error;
        QToolTip::showText(help->globalPos(), lines.join(QLatin1Char('\n')), this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace Spawnscope::Ui
