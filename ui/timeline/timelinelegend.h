#pragma once

#include <QWidget>

namespace Spawnscope::Ui {

// One row naming every marker shape and band colour the timeline draws, drawn with the
// timeline's own painter so the two never disagree.
class TimelineLegend : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineLegend(QWidget *parent = nullptr);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
};

} // namespace Spawnscope::Ui
