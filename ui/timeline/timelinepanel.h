#pragma once

#include "timelineview.h"

#include <QWidget>

class QLabel;
class QToolButton;

namespace Spawnscope {
class Timeline;
}

namespace Spawnscope::Ui {


// The timeline with its controls: fit all, zoom, follow live, export (PNG, SVG, JSON Lines),
// import (opens the trace in a window of its own), the legend and a count of what is shown.
class TimelinePanel : public QWidget
{
    Q_OBJECT
public:
    explicit TimelinePanel(Timeline *timeline, QWidget *parent = nullptr);

    TimelineView *view() const { return m_view; }
    QToolButton *followButton() const { return m_follow; }
    // By the file's suffix: .png, .svg (the whole session, or the part in view), or JSON Lines
    // for anything else (always the whole session).
    bool exportTo(const QString &path, QString *error, TimelineView::ExportSpan span = TimelineView::ExportSpan::WholeSession) const;
    // Reads a trace into a new window; nullptr (and `error`) when the file cannot be read.
    static QWidget *openTrace(const QString &path, QString *error, QWidget *parent = nullptr);

private:
    Timeline *m_timeline;
    TimelineView *m_view;
    QToolButton *m_follow;
    QLabel *m_count;

    void exportDialog(TimelineView::ExportSpan span);
    void importDialog();
};

} // namespace Spawnscope::Ui
