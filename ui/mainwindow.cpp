#include "mainwindow.h"

#include "appearance.h"
#include "findbar.h"
#include "messagepanel.h"
#include "optionsdialog.h"

#include "outputbuffer.h"
#include "outputpane.h"
#include "processlistmodel.h"
#include "session.h"
#include "timeline.h"
#include "timelinepanel.h"
#include "timelineview.h"

#include <childprocess.h>
#include <processsignal.h>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QCompleter>
#include <QDockWidget>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLocale>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QStringListModel>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>


namespace Spawnscope::Ui {

namespace {
constexpr int HistorySize = 200;
constexpr int QuitGraceMs = 2000;
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new Session(this))
{
    setWindowTitle(QStringLiteral("Spawnscope"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 6);

    // Command bar: mode, line, Run, and what exactly will run.
    auto *bar = new QHBoxLayout;
    m_mode = new QComboBox;
    m_mode->addItems({QStringLiteral("spawn"), QStringLiteral("exec"), QStringLiteral("execFile"), QStringLiteral("fork"), QStringLiteral("batch")});
    m_mode->setToolTip(tr("How the line is started: spawn (no shell; pipes become a pipeline), exec (/bin/sh -c), execFile, fork (with a message channel), "
                          "batch (TEMPLATE ::: INPUT..., one job per input, in parallel)"));
    m_command = new QLineEdit;
    m_command->setPlaceholderText(tr("Command line, e.g. seq 1 10 | grep 1 | wc -l   (Enter runs it)"));
    m_command->setClearButtonEnabled(true);
    auto *run = new QPushButton(tr("Run"));
    auto *optionsButton = new QPushButton(tr("Options..."));
    optionsButton->setToolTip(tr("Working directory, environment, shell, timeout, kill signal, maxBuffer, detached, stdio"));
    bar->addWidget(m_mode);
    bar->addWidget(m_command, 1);
    bar->addWidget(optionsButton);
    bar->addWidget(run);
    layout->addLayout(bar);
    m_preview = new QLabel;
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setStyleSheet(QStringLiteral("color: palette(mid);"));
    layout->addWidget(m_preview);

    // Process list, filterable and sortable.
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter by name"));
    m_filter->setClearButtonEnabled(true);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_session->model());
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(ProcessListModel::SortRole);
    m_view = new QTreeView;
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setDefaultSectionSize(70);
    m_view->setColumnWidth(ProcessListModel::Name, 150);
    m_view->setColumnWidth(ProcessListModel::State, 110);
    m_view->setColumnWidth(ProcessListModel::Started, 95);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_view);

    // Output: merged, or stdout and stderr side by side; stdin below.
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_panes = new QStackedWidget;
    m_merged = new OutputPane;
    m_stdout = new OutputPane;
    m_stderr = new OutputPane;
    m_stdout->setFilter(OutputPane::Filter::Stdout);
    m_stderr->setFilter(OutputPane::Filter::Stderr);
    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_stdout);
    split->addWidget(m_stderr);
    m_panes->addWidget(m_merged);
    m_panes->addWidget(split);
    m_find = new FindBar;
    m_find->hide();
    rightLayout->addWidget(m_panes, 1);
    rightLayout->addWidget(m_find);
    // New lines get highlighted too, at most a few times a second: a flood must not rescan
    // the whole pane on every tick.
    auto *findRefresh = new QTimer(this);
    findRefresh->setSingleShot(true);
    findRefresh->setInterval(300);
    connect(findRefresh, &QTimer::timeout, m_find, &FindBar::refresh);
    for (OutputPane *p : {m_merged, m_stdout, m_stderr}) {
        connect(p, &OutputPane::appended, this, [this, findRefresh] {
            if (m_find->isVisible() && !findRefresh->isActive())
                findRefresh->start();
        });
    }
    auto *stdinRow = new QHBoxLayout;
    m_stdin = new QLineEdit;
    m_stdin->setPlaceholderText(tr("Type a line for the process's stdin (Enter sends it)"));
    auto *closeStdin = new QPushButton(tr("Close stdin"));
    stdinRow->addWidget(m_stdin, 1);
    stdinRow->addWidget(closeStdin);
    rightLayout->addLayout(stdinRow);

    m_messages = new MessagePanel;
    m_tabs = new QTabWidget;
    m_tabs->addTab(right, tr("Output"));
    m_tabs->addTab(m_messages, tr("Messages"));
    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setSizes({560, 700});
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    m_timeline = new TimelinePanel(m_session->timeline());
    auto *dock = new QDockWidget(tr("Timeline"), this);
    dock->setObjectName(QStringLiteral("timelineDock"));
    dock->setWidget(m_timeline);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    connect(m_timeline->view(), &TimelineView::processActivated, this, &MainWindow::showMoment);
    m_status = new QLabel;
    statusBar()->addPermanentWidget(m_status);

    connect(m_command, &QLineEdit::returnPressed, this, &MainWindow::runCommandBar);
    connect(run, &QPushButton::clicked, this, &MainWindow::runCommandBar);
    connect(optionsButton, &QPushButton::clicked, this, &MainWindow::editOptions);
    auto refreshPreview = [this] {
        const QString what = Session::preview(m_mode->currentText(), m_command->text(), m_session->options());
        const QString options = m_session->options().summary();
        m_preview->setText((what.isEmpty() ? tr("What will run appears here before it runs.") : what)
                           + (options.isEmpty() || what.startsWith(QStringLiteral("cannot run")) ? QString() : QStringLiteral("   ·   ") + options));
    };
    connect(this, &MainWindow::optionsChanged, this, refreshPreview);
    connect(m_command, &QLineEdit::textChanged, this, refreshPreview);
    connect(m_mode, &QComboBox::currentTextChanged, this, refreshPreview);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showProcess(selectedProcess());
        m_timeline->view()->setSelectedProcess(selectedProcess());
    });
    connect(m_view, &QTreeView::customContextMenuRequested, this, &MainWindow::processMenu);
    connect(m_stdin, &QLineEdit::returnPressed, this, [this] {
        if (ChildProcess *c = m_session->child(selectedProcess())) {
            c->write(m_stdin->text().toUtf8() + '\n');
            m_stdin->clear();
        }
    });
    connect(closeStdin, &QPushButton::clicked, this, [this] {
        if (ChildProcess *c = m_session->child(selectedProcess()))
            c->end();
    });
    connect(m_session, &Session::processAdded, this, [this](int id) {
        m_view->expand(m_proxy->mapFromSource(m_session->model()->indexOfProcess(id).parent()));
        selectProcess(id);
        updateStatus();
    });
    connect(m_session, &Session::processChanged, this, &MainWindow::updateStatus);

    m_historyModel = new QStringListModel(this);
    auto *completer = new QCompleter(m_historyModel, m_command);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_command->setCompleter(completer);
    m_saveLater.setSingleShot(true);
    m_saveLater.setInterval(1000);
    connect(&m_saveLater, &QTimer::timeout, this, &MainWindow::saveSettings);
    // The output rate: what all processes wrote in the last second.
    m_rateTimer.setInterval(1000);
    connect(&m_rateTimer, &QTimer::timeout, this, [this] {
        qint64 bytes = 0;
        for (int id : m_session->model()->processIds()) {
            const ProcessInfo *p = m_session->model()->process(id);
            bytes += p->bytesOut + p->bytesErr;
        }
        m_rate = double(bytes - m_lastBytes);
        m_lastBytes = bytes;
        updateStatus();
    });
    m_rateTimer.start();
    buildMenus();
    refreshPreview();
    restoreSettings();
    updateStatus();
}

MainWindow::~MainWindow()
{
    if (m_saveLater.isActive())
        saveSettings();
}

int MainWindow::runCommandBar()
{
    const QString line = m_command->text().trimmed();
    QString error;
    const int id = m_session->launch(m_mode->currentText(), line, &error);
    if (!id) {
        m_preview->setText(tr("cannot run: %1").arg(error));
        return 0;
    }
    remember(line);
    m_command->clear();
    return id;
}

OutputPane *MainWindow::visiblePane() const
{
    if (!sideBySide())
        return m_merged;
    return m_stderr->hasFocus() ? m_stderr : m_stdout;
}

bool MainWindow::editOptions()
{
    OptionsDialog dialog(m_session->options(), this);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    m_session->setOptions(dialog.options());
    Q_EMIT optionsChanged();
    return true;
}

int MainWindow::selectedProcess() const
{
    return m_view->currentIndex().data(ProcessListModel::ProcessIdRole).toInt();
}

void MainWindow::selectProcess(int process)
{
    const QModelIndex index = m_proxy->mapFromSource(m_session->model()->indexOfProcess(process));
    if (index.isValid())
        m_view->setCurrentIndex(index);
}

void MainWindow::showProcess(int process)
{
    OutputBuffer *buffer = process ? m_session->output(process) : nullptr;
    for (OutputPane *p : {m_merged, m_stdout, m_stderr})
        p->setBuffer(buffer);
    if (m_find->isVisible())
        m_find->refresh();
    m_messages->setProcess(m_session->messages(process), m_session->messages(process) ? m_session->child(process) : nullptr);
    m_tabs->setTabText(1, m_session->messages(process) ? tr("Messages (%1)").arg(m_session->model()->process(process)->name) : tr("Messages"));
}

bool MainWindow::sideBySide() const
{
    return m_panes->currentIndex() == 1;
}

void MainWindow::setSideBySide(bool on)
{
    m_panes->setCurrentIndex(on ? 1 : 0);
    m_find->setPane(visiblePane());
    if (auto *action = findChild<QAction *>(QStringLiteral("sideBySideAction")))
        action->setChecked(on);
}

void MainWindow::updateStatus()
{
    m_status->setText(statusText());
}

QString MainWindow::statusText() const
{
    const int total = int(m_session->model()->processIds().size());
    QString text = tr("%1 running / %2 total").arg(m_session->liveCount()).arg(total);
    if (m_rate > 0)
        text += tr("   ·   output %1/s").arg(QLocale().formattedDataSize(qint64(m_rate), 1));
    return text;
}

void MainWindow::showMoment(int process, double t)
{
    selectProcess(process);
    m_tabs->setCurrentIndex(0);
    visiblePane()->scrollToTime(m_session->timeline()->startEpochMs() + qint64(t));
}

void MainWindow::saveOutput()
{
    OutputBuffer *buffer = m_session->output(selectedProcess());
    if (!buffer)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Output"), QStringLiteral("output.txt"));
    QString error;
    if (!path.isEmpty() && !buffer->save(path, true, true, &error))
        QMessageBox::warning(this, tr("Save Output"), tr("Could not save %1: %2").arg(path, error));
}

void MainWindow::remember(const QString &line)
{
    m_history.removeAll(line);
    m_history.prepend(line);
    while (m_history.size() > HistorySize)
        m_history.removeLast();
    m_historyModel->setStringList(m_history);
    // Writing the settings file syncs it to disk: once for a burst of launches, not per launch.
    if (!m_saveLater.isActive())
        m_saveLater.start();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    // The look first, so that nothing is drawn twice.
    const auto look = Appearance::fromName(settings.value(QStringLiteral("view/appearance")).toString());
    Appearance::apply(look.value_or(Appearance::Mode::System));
    if (auto *a = findChild<QAction *>(QStringLiteral("appearance-") + Appearance::name(Appearance::mode())))
        a->setChecked(true);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_firstShow = !restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_view->header()->restoreState(settings.value(QStringLiteral("window/columns")).toByteArray());
    setSideBySide(settings.value(QStringLiteral("view/sideBySide")).toBool());
    m_history = settings.value(QStringLiteral("commands/history")).toStringList();
    m_session->setScrollback(settings.value(QStringLiteral("view/scrollback"), Session::DefaultScrollback).toInt());
    m_historyModel->setStringList(m_history);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("window/columns"), m_view->header()->saveState());
    settings.setValue(QStringLiteral("view/sideBySide"), sideBySide());
    settings.setValue(QStringLiteral("commands/history"), m_history);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // Without a saved layout the timeline gets two fifths of the height; a dock's own size
    // hint would leave it a sliver.
    if (std::exchange(m_firstShow, false))
        resizeDocks({findChild<QDockWidget *>(QStringLiteral("timelineDock"))}, {height() * 2 / 5}, Qt::Vertical);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    const int live = m_session->liveCount();
    if (live == 0 || m_closing) {
        event->accept();
        return;
    }
    if (QMessageBox::question(this, tr("Quit Spawnscope"),
                              tr("%n process(es) still running. Stop them and quit?", nullptr, live))
        != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    event->ignore();
    statusBar()->showMessage(tr("Stopping %n process(es)...", nullptr, live));
    m_session->stopAll(QuitGraceMs, [this] {
        m_closing = true;
        close();
    });
}

} // namespace Spawnscope::Ui
