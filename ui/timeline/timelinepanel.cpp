#include "timelinepanel.h"

#include "timeline.h"
#include "timelinelegend.h"
#include "timelineview.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

TimelinePanel::TimelinePanel(Timeline *timeline, QWidget *parent)
    : QWidget(parent)
    , m_timeline(timeline)
    , m_view(new TimelineView)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 4);
    layout->setSpacing(2);
    auto *bar = new QHBoxLayout;
    auto button = [&](const QString &text, const QString &tip, auto slot) {
        auto *b = new QToolButton;
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        connect(b, &QToolButton::clicked, this, slot);
        bar->addWidget(b);
        return b;
    };
    button(tr("Fit All"), tr("Show the whole session (0)"), [this] {
        m_view->setFollowing(false);
        m_view->fitAll();
    });
    button(tr("Zoom In"), tr("Zoom in (+, or the wheel)"), [this] { m_view->zoomCentred(2); });
    button(tr("Zoom Out"), tr("Zoom out (-, or the wheel)"), [this] { m_view->zoomCentred(0.5); });
    m_follow = button(tr("Follow Live"), tr("Keep the newest moment in view (F); panning stops it"), [this](bool on) { m_view->setFollowing(on); });
    m_follow->setCheckable(true);
    m_follow->setVisible(timeline->isRecording());
    bar->addSpacing(12);
    QToolButton *exportButton = button(tr("Export..."), tr("Save the whole session as PNG, SVG, or JSON Lines in the trace format"),
                                       [this] { exportDialog(TimelineView::ExportSpan::WholeSession); });
    auto *exportMenu = new QMenu(exportButton);
    exportMenu->addAction(tr("Whole Session..."), this, [this] { exportDialog(TimelineView::ExportSpan::WholeSession); });
    exportMenu->addAction(tr("Visible Part Only..."), this, [this] { exportDialog(TimelineView::ExportSpan::VisiblePart); });
    exportButton->setMenu(exportMenu);
    exportButton->setPopupMode(QToolButton::MenuButtonPopup);
    if (timeline->isRecording())
        button(tr("Import..."), tr("Open a trace (.jsonl) in a window of its own"), [this] { importDialog(); });
    bar->addStretch(1);
    m_count = new QLabel;
    m_count->setForegroundRole(QPalette::PlaceholderText);
    // A hint, not a reason for the window to be wider: with big text it is cut, not the window.
    m_count->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    bar->addWidget(m_count);
    layout->addLayout(bar);
    layout->addWidget(new TimelineLegend);
    layout->addWidget(m_view, 1);

    connect(m_view, &TimelineView::followingChanged, m_follow, &QToolButton::setChecked);
    auto count = [this] {
        m_count->setText(tr("%1 processes, %2 events   ·   wheel zooms, drag pans, Shift+wheel scrolls lanes")
                             .arg(m_timeline->laneCount())
                             .arg(m_timeline->eventCount()));
    };
    // Thousands of events a second must not mean thousands of label layouts: a few a second.
    auto *countLater = new QTimer(this);
    countLater->setSingleShot(true);
    countLater->setInterval(250);
    connect(countLater, &QTimer::timeout, m_count, count);
    connect(timeline, &Timeline::changed, countLater, [countLater] {
        if (!countLater->isActive())
            countLater->start();
    });
    count();
    m_view->setTimeline(timeline);
    m_follow->setChecked(m_view->isFollowing());
}

bool TimelinePanel::exportTo(const QString &path, QString *error, TimelineView::ExportSpan span) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return m_view->exportPng(path, error, span);
    if (suffix == QLatin1String("svg"))
        return m_view->exportSvg(path, error, span);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    m_timeline->writeJsonLines(&file);
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void TimelinePanel::exportDialog(TimelineView::ExportSpan span)
{
    const QString path = QFileDialog::getSaveFileName(this, span == TimelineView::ExportSpan::WholeSession ? tr("Export Timeline") : tr("Export the Visible Part"),
                                                      QStringLiteral("timeline.jsonl"),
                                                      tr("Trace, JSON Lines (*.jsonl);;PNG image (*.png);;SVG image (*.svg)"));
    QString error;
    if (!path.isEmpty() && !exportTo(path, &error, span))
        QMessageBox::warning(this, tr("Export Timeline"), tr("Could not export to %1: %2").arg(path, error));
}

void TimelinePanel::importDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Trace"), {}, tr("Traces (*.jsonl *.json *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (QWidget *opened = openTrace(path, &error, window()))
        opened->show();
    else
        QMessageBox::warning(this, tr("Import Trace"), tr("Could not read %1: %2").arg(path, error));
}

QWidget *TimelinePanel::openTrace(const QString &path, QString *error, QWidget *parent)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return nullptr;
    }
    auto *timeline = new Timeline;
    if (!timeline->readJsonLines(&file, error)) {
        delete timeline;
        return nullptr;
    }
    auto *panel = new TimelinePanel(timeline, parent);
    timeline->setParent(panel);
    panel->setWindowFlag(Qt::Window);
    panel->setAttribute(Qt::WA_DeleteOnClose);
    panel->setWindowTitle(tr("%1 — Spawnscope timeline").arg(QFileInfo(path).fileName()));
    panel->resize(1100, std::min(800, 140 + timeline->laneCount() * panel->view()->laneHeight()));
    return panel;
}

} // namespace Spawnscope::Ui
