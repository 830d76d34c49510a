#pragma once

#include <QWidget>

class QPainter;

namespace Spawnscope::Ui {

// One row naming every marker shape and band colour the timeline draws, drawn with the
// timeline's own painter so the two never disagree.
class TimelineLegend : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineLegend(QWidget *parent = nullptr);
    QSize sizeHint() const override;
    // The legend drawn into `rect`, for the widget and for exported pictures alike.
    static void paint(QPainter *painter, const QRect &rect, const QPalette &palette);
    static QSize sizeFor(const QFontMetrics &metrics);

protected:
    void paintEvent(QPaintEvent *event) override;
};

} // namespace Spawnscope::Ui
