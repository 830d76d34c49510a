#pragma once

#include <batchjobsmodel.h>

#include <QPointer>
#include <QWidget>

namespace Spawnscope::Ui {

// A batch's jobs over time, a row per slot of the pool and a bar per attempt, coloured by how
// it went; an attempt that was retried is hatched. Paints from the model's batch state, one
// brush at a time, so thousands of bars cost a few draw calls.
class GanttView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int SlotHeight = 18;
    static constexpr int LabelWidth = 44;
    static constexpr int AxisHeight = 18;

    explicit GanttView(QWidget *parent = nullptr);

    void setModel(BatchJobsModel *model);
    BatchJobsModel *model() const { return m_model; }
    // The job drawn outlined (0: none).
    void setSelectedSeq(int seq);
    int selectedSeq() const { return m_selected; }
    // Where an attempt's bar is (null when the job or attempt is not shown); for tests and
    // tooltips alike.
    QRectF barRect(int seq, int attempt) const;
    // The job whose bar is at `pos`, the latest attempt first; 0 when none is.
    int seqAt(const QPointF &pos) const;
    static QColor outcomeColor(AttemptOutcome outcome, const QPalette &palette);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // Once per left click on a bar, with that bar's job (after it became the selected one).
    void jobClicked(int seq);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override; // tooltips

private:
    QPointer<BatchJobsModel> m_model;
    int m_selected = 0;

    qint64 spanMs() const;
    QRectF chartRect() const;
    QRectF barFor(const BatchAttempt &attempt, const QRectF &chart, double msPerPixel) const;
};

} // namespace Spawnscope::Ui
