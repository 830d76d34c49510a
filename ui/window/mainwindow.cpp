#include "mainwindow.h"

#include "appearance.h"
#include "commandbar.h"
#include "optionsdialog.h"

#include <findbar.h>
#include <pipelineeditor.h>
#include <messagepanel.h>
#include <outputpane.h>
#include <processlistmodel.h>
#include <timelinepanel.h>
#include <timelineview.h>

#include <messagelogmodel.h>
#include <outputbuffer.h>
#include <session.h>
#include <timeline.h>

#include <childprocess.h>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QCompleter>
#include <QDockWidget>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStringListModel>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <QUndoGroup>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

namespace {
constexpr int QuitGraceMs = 2000;
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new Session(this))
    , m_model(new ProcessListModel(m_session, this))
    , m_undoGroup(new QUndoGroup(this))
    , m_commandBar(new CommandBar)
{
    setWindowTitle(QStringLiteral("Spawnscope"));
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/spawnscope-%1.png").arg(size), QSize(size, size));
    setWindowIcon(icon);
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_commandBar);

    // Process list, filterable and sortable.
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_filter = new QLineEdit;
    m_filter->setPlaceholderText(tr("Filter by name"));
    m_filter->setClearButtonEnabled(true);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
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
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setDefaultSectionSize(70);
    m_view->setColumnWidth(ProcessListModel::Name, 190);
    m_view->setColumnWidth(ProcessListModel::Mode, 60);
    m_view->setColumnWidth(ProcessListModel::State, 130);
    m_view->setColumnWidth(ProcessListModel::Started, 95);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_view);

    // Output: merged, or stdout and stderr side by side; stdin below.
    m_outputTab = new QWidget;
    auto *rightLayout = new QVBoxLayout(m_outputTab);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_outputTitle = new QLabel;
    m_outputTitle->setWordWrap(true);
    m_outputTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    rightLayout->addWidget(m_outputTitle);
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
    m_closeStdin = new QPushButton(tr("Close stdin"));
    stdinRow->addWidget(m_stdin, 1);
    stdinRow->addWidget(m_closeStdin);
    rightLayout->addLayout(stdinRow);

    m_messages = new MessagePanel;
    m_tabs = new QTabWidget;
    m_tabs->addTab(m_outputTab, tr("Output"));
    m_tabs->addTab(m_messages, tr("Messages"));
    // The process list and the pipelines being built share the left side, as tabs; the output
    // of what is chosen in either stays on the right.
    m_workspace = new QTabWidget;
    m_workspace->setDocumentMode(true);
    m_workspace->setTabsClosable(true);
    m_workspace->addTab(left, tr("Processes"));
    m_workspace->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    m_workspace->tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);
    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(m_workspace);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setSizes({600, 680});
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    m_timeline = new TimelinePanel(m_session->timeline());
    m_timelineDock = new QDockWidget(tr("Timeline"), this);
    m_timelineDock->setObjectName(QStringLiteral("timelineDock")); // saveState() needs it
    m_timelineDock->setWidget(m_timeline);
    addDockWidget(Qt::BottomDockWidgetArea, m_timelineDock);
    connect(m_timeline->view(), &TimelineView::processActivated, this, &MainWindow::showMoment);
    buildBatchDock();
    m_status = new QLabel;
    statusBar()->addPermanentWidget(m_status);

    connect(m_commandBar, &CommandBar::runRequested, this, &MainWindow::runCommandBar);
    connect(m_commandBar, &CommandBar::optionsRequested, this, &MainWindow::editOptions);
    connect(m_commandBar, &CommandBar::forkSeveralRequested, this, &MainWindow::forkSeveral);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    // Group rows are headings across every column, wherever sorting puts them.
    auto spanGroups = [this] {
        for (int row = 0; row < m_proxy->rowCount(); ++row)
            m_view->setFirstColumnSpanned(row, {}, true);
    };
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, spanGroups);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, spanGroups);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, spanGroups);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showProcess(selectedProcess());
        m_timeline->view()->setSelectedProcess(selectedProcess());
        followBatchOf(selectedProcess());
    });
    connect(m_view, &QTreeView::customContextMenuRequested, this, &MainWindow::processMenu);
    connect(m_stdin, &QLineEdit::returnPressed, this, [this] {
        if (m_session->writeStdin(selectedProcess(), m_stdin->text().toUtf8() + '\n'))
            m_stdin->clear();
        updateStdin();
    });
    connect(m_closeStdin, &QPushButton::clicked, this, [this] {
        m_session->closeStdin(selectedProcess());
        updateStdin();
    });
    connect(m_session, &Session::processAdded, this, [this](int id) {
        m_view->expand(m_proxy->mapFromSource(m_model->indexOfProcess(id).parent()));
        selectProcess(id);
        updateStatus();
    });
    // What a process starts shows as it is found; a row the user collapsed since stays so.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int first) {
        if (first == 0 && parent.parent().isValid())
            m_view->expand(m_proxy->mapFromSource(parent));
    });
    connect(m_session, &Session::processChanged, this, [this](int id) {
        if (id == selectedProcess()) {
            updateOutputTitle();
            updateStdin();
            updateProcessActions();
        }
        updateStatus();
    });

    m_historyModel = new QStringListModel(this);
    auto *completer = new QCompleter(m_historyModel, commandLine());
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    commandLine()->setCompleter(completer);
    m_saveLater.setSingleShot(true);
    m_saveLater.setInterval(1000);
    connect(&m_saveLater, &QTimer::timeout, this, &MainWindow::saveSettings);
    // The output rate: what all processes wrote in the last second.
    m_rateTimer.setInterval(1000);
    connect(&m_rateTimer, &QTimer::timeout, this, [this] {
        const qint64 bytes = m_session->totalBytes();
        m_rate = double(bytes - m_lastBytes);
        m_lastBytes = bytes;
        updateStatus();
    });
    m_rateTimer.start();
    setAcceptDrops(true);
    buildLessons();
    buildActions();
    buildPipelineActions();
    buildMenus();
    restoreSettings();
    connect(m_workspace, &QTabWidget::currentChanged, this, &MainWindow::workspaceChanged);
    connect(m_workspace, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (auto *editor = qobject_cast<PipelineEditor *>(m_workspace->widget(index)))
            closePipeline(editor);
    });
    workspaceChanged();
    updateStatus();
    showProcess(0);
}

MainWindow::~MainWindow()
{
    if (m_saveLater.isActive())
        saveSettings();
}

QLineEdit *MainWindow::commandLine() const
{
    return m_commandBar->lineEdit();
}

QComboBox *MainWindow::modeBox() const
{
    return m_commandBar->modeBox();
}

QLabel *MainWindow::previewLabel() const
{
    return m_commandBar->previewLabel();
}

int MainWindow::runCommandBar()
{
    const CommandLine c = m_commandBar->parsed();
    if (!c.ok()) {
        m_commandBar->showRefusal();
        return 0;
    }
    QString error;
    const int id = m_session->launch(*c.request, &error);
    if (!id) {
        statusBar()->showMessage(tr("Cannot run: %1").arg(error), 8000);
        return 0;
    }
    remember(commandLine()->text().trimmed());
    commandLine()->clear();
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
    OptionsDialog dialog(m_options, this);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    m_options = dialog.options();
    m_commandBar->setOptions(m_options);
    Q_EMIT optionsChanged();
    return true;
}

void MainWindow::setLaunchOptions(const LaunchOptions &options)
{
    m_options = options;
    m_commandBar->setOptions(options);
    Q_EMIT optionsChanged();
}

int MainWindow::selectedProcess() const
{
    return m_view->currentIndex().data(ProcessListModel::ProcessIdRole).toInt();
}

void MainWindow::selectProcess(int process)
{
    const QModelIndex index = m_proxy->mapFromSource(m_model->indexOfProcess(process));
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
    MessageLogModel *log = m_session->messages(process);
    m_messages->setProcess(log, log ? m_session->child(process) : nullptr);
    const ProcessInfo *info = m_session->process(process);
    m_tabs->setTabText(m_tabs->indexOf(m_messages), log && info ? tr("Messages (%1, pid %2)").arg(info->name).arg(info->pid) : tr("Messages"));
    updateOutputTitle();
    updateStdin();
    updateProcessActions();
}

void MainWindow::updateOutputTitle()
{
    const int process = selectedProcess();
    const ProcessInfo *info = m_session->process(process);
    if (!info) {
        m_outputTitle->setText(tr("No process chosen: run a command, or click a process or a pipeline's node."));
        return;
    }
    QString text = tr("#%1 %2").arg(process).arg(info->name);
    if (info->pid > 0)
        text += tr(", pid %1").arg(info->pid);
    text += QStringLiteral(": ") + info->stateText();
    // A stage whose stdout went down a wire shows only its stderr here: say where the rest went.
    const LaunchRequest *request = m_session->request(process);
    if (request && info->stage > 0 && request->mode == LaunchMode::Pipeline) {
        QStringList readers;
        for (const Edge &e : request->pipeline.edgesFrom(info->stage)) {
            if (e.id.stream == OutputStream::Stdout)
                readers << QStringLiteral("%1:stdin").arg(request->pipeline.stages.value(e.id.to).displayName());
        }
        if (!readers.isEmpty())
            text += tr(" · its stdout went to %1, not here").arg(readers.join(QStringLiteral(", ")));
    }
    m_outputTitle->setText(text);
}

void MainWindow::updateStdin()
{
    const int process = selectedProcess();
    const QString problem = m_session->stdinProblem(process);
    m_stdin->setEnabled(problem.isEmpty());
    m_closeStdin->setEnabled(problem.isEmpty());
    const ProcessInfo *info = m_session->process(process);
    m_stdin->setPlaceholderText(problem.isEmpty() ? tr("A line for %1's stdin (Enter sends it)").arg(info ? info->name : QString()) : problem);
    m_stdin->setToolTip(problem);
}

void MainWindow::updateProcessActions()
{
    const ProcessInfo *info = m_session->process(selectedProcess());
    const bool live = info && info->isLive();
    m_actions[Action::Stop]->setEnabled(live);
    m_actions[Action::Kill]->setEnabled(live);
    m_actions[Action::Continue]->setEnabled(info && info->state == ProcessInfo::State::Stopped);
    m_actions[Action::RunAgain]->setEnabled(info);
    m_actions[Action::Restart]->setEnabled(info);
    m_actions[Action::SaveOutput]->setEnabled(info);
}

bool MainWindow::sideBySide() const
{
    return m_panes->currentIndex() == 1;
}

void MainWindow::setSideBySide(bool on)
{
    m_panes->setCurrentIndex(on ? 1 : 0);
    m_find->setPane(visiblePane());
    if (QAction *a = m_actions.value(Action::SideBySide))
        a->setChecked(on);
}

void MainWindow::updateStatus()
{
    m_status->setText(statusText());
}

QString MainWindow::statusText() const
{
    const int stopped = m_session->stoppedCount();
    QString text = stopped ? tr("%1 running, %2 stopped / %3 total").arg(m_session->liveCount() - stopped).arg(stopped).arg(m_session->processCount())
                           : tr("%1 running / %2 total").arg(m_session->liveCount()).arg(m_session->processCount());
    if (m_rate > 0)
        text += tr("   ·   output %1/s").arg(QLocale().formattedDataSize(qint64(m_rate), 1));
    return text;
}

void MainWindow::showMoment(int process, double t)
{
    selectProcess(process);
    m_tabs->setCurrentWidget(m_outputTab);
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

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_closing && !settleUnsaved()) {
        event->ignore();
        return;
    }
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
