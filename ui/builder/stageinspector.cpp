#include "stageinspector.h"

#include <colours.h>
#include <pipelinecommands.h>
#include <pipelinedocument.h>
#include <shellline.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QUndoStack>

#include <csignal>

namespace Spawnscope::Ui {

namespace {

const QList<std::pair<StageSpec::Mode, const char *>> kKinds{
    {StageSpec::Mode::Spawn, "Program (no shell)"},
    {StageSpec::Mode::Exec, "Shell command (sh -c)"},
    {StageSpec::Mode::ExecFile, "Program, as execFile"},
    {StageSpec::Mode::Fork, "Node module (fork, with messages)"},
    {StageSpec::Mode::ReadFile, "File read into the pipeline (<)"},
    {StageSpec::Mode::WriteFile, "File written by the pipeline (>, >>)"},
};

const QList<int> kSignals{SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGKILL, SIGUSR1, SIGUSR2};

// A row of the form: its label and field, shown and hidden together.
QWidget *row(QFormLayout *form, const QString &label, QWidget *field, QList<QWidget *> *group)
{
    auto *l = new QLabel(label);
    l->setBuddy(field);
    form->addRow(l, field);
    group->append(l);
    group->append(field);
    return field;
}

// A field for a file's name with its boxes (append, 2>&1) after it, as one row.
QWidget *fileRow(QLineEdit *path, std::initializer_list<QWidget *> boxes)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(path, 1);
    for (QWidget *b : boxes)
        layout->addWidget(b);
    return row;
}

} // namespace

StageInspector::StageInspector(PipelineDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    auto *outer = new QVBoxLayout(this);
    m_heading = new QLabel;
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    outer->addWidget(m_heading);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // In a narrow dock a label goes above its field rather than pushing the form off the side.
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    outer->addLayout(form);

    QList<QWidget *> always;
    m_kind = new QComboBox;
    m_kind->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_kind->setMinimumContentsLength(10);
    for (const auto &[mode, label] : kKinds)
        m_kind->addItem(tr(label), int(mode));
    row(form, tr("&Kind"), m_kind, &always);
    m_name = new QLineEdit;
    m_name->setToolTip(tr("Shown on the node; the program's name when empty"));
    m_name->setPlaceholderText(tr("the program's name"));
    row(form, tr("&Name"), m_name, &m_nameRows);

    m_program = new QLineEdit;
    m_program->setPlaceholderText(tr("a name in PATH, or a path"));
    row(form, tr("&Program"), m_program, &m_argRows);
    auto *args = new QWidget;
    auto *argsLayout = new QVBoxLayout(args);
    argsLayout->setContentsMargins(0, 0, 0, 0);
    m_args = new QListWidget;
    m_args->setAccessibleName(tr("Arguments"));
    m_args->setMaximumHeight(110);
    auto *argButtons = new QHBoxLayout;
    m_addArg = new QPushButton(tr("+"));
    m_addArg->setToolTip(tr("Add an argument"));
    m_addArg->setAccessibleName(tr("Add an argument"));
    m_removeArg = new QPushButton(tr("−"));
    m_removeArg->setToolTip(tr("Remove the argument"));
    m_removeArg->setAccessibleName(tr("Remove the argument"));
    m_argUp = new QPushButton(tr("↑"));
    m_argUp->setToolTip(tr("Move it up"));
    m_argUp->setAccessibleName(tr("Move the argument up"));
    m_argDown = new QPushButton(tr("↓"));
    m_argDown->setToolTip(tr("Move it down"));
    m_argDown->setAccessibleName(tr("Move the argument down"));
    for (QPushButton *b : {m_addArg, m_removeArg, m_argUp, m_argDown})
        b->setMaximumWidth(40);
    for (QPushButton *b : {m_addArg, m_removeArg, m_argUp, m_argDown})
        argButtons->addWidget(b);
    argsLayout->addWidget(m_args);
    argsLayout->addLayout(argButtons);
    m_quoted = new QLabel;
    m_quoted->setWordWrap(true);
    m_quoted->setTextInteractionFlags(Qt::TextSelectableByMouse);
    argsLayout->addWidget(m_quoted);
    row(form, tr("&Arguments"), args, &m_argRows);

    m_command = new QLineEdit;
    m_command->setPlaceholderText(tr("run by /bin/sh -c"));
    row(form, tr("&Command"), m_command, &m_commandRows);

    m_path = new QLineEdit;
    m_append = new QCheckBox(tr("Append (>>)"));
    row(form, tr("&File"), fileRow(m_path, {m_append}), &m_fileRows);

    m_cwd = new QLineEdit;
    m_cwd->setToolTip(tr("Where it runs; empty: the directory Spawnscope was started in"));
    m_cwd->setPlaceholderText(tr("Spawnscope's own"));
    row(form, tr("&Directory"), m_cwd, &always);
    m_env = new QPlainTextEdit;
    m_env->setToolTip(tr("Added to the environment it inherits"));
    m_env->setPlaceholderText(tr("NAME=value, one a line"));
    m_env->setMaximumHeight(70);
    m_env->setTabChangesFocus(true);
    row(form, tr("&Environment"), m_env, &m_processRows);
    m_stdin = new QLineEdit;
    m_stdin->setPlaceholderText(tr("< file (no wire in)"));
    row(form, tr("std&in file"), m_stdin, &m_processRows);
    m_stdout = new QLineEdit;
    m_stdout->setPlaceholderText(tr("> file (no wire out)"));
    m_stdoutAppend = new QCheckBox(tr(">>"));
    row(form, tr("std&out file"), fileRow(m_stdout, {m_stdoutAppend}), &m_processRows);
    m_stderr = new QLineEdit;
    m_stderr->setPlaceholderText(tr("2> file"));
    m_stderrAppend = new QCheckBox(tr(">>"));
    m_merge = new QCheckBox(tr("2>&&1"));
    m_merge->setToolTip(tr("stderr goes where stdout goes"));
    row(form, tr("std&err file"), fileRow(m_stderr, {m_stderrAppend, m_merge}), &m_processRows);
    m_timeout = new QSpinBox;
    m_timeout->setRange(0, 24 * 3600 * 1000);
    m_timeout->setSingleStep(1000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setSpecialValueText(tr("none"));
    row(form, tr("&Timeout"), m_timeout, &m_processRows);
    m_signal = new QComboBox;
    for (int s : kSignals)
        m_signal->addItem(ProcessSignal::nameOf(s), s);
    row(form, tr("&Kill signal"), m_signal, &m_processRows);

    m_problem = new QLabel;
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    outer->addWidget(m_problem);
    outer->addStretch(1);

    // Checked as typed; committed when an edit is finished.
    for (QLineEdit *e : {m_name, m_program, m_command, m_path, m_cwd, m_stdin, m_stdout, m_stderr}) {
        connect(e, &QLineEdit::textEdited, this, &StageInspector::check);
        connect(e, &QLineEdit::editingFinished, this, [this] {
            if (!m_loading)
                apply();
        });
    }
    for (QCheckBox *c : {m_append, m_stdoutAppend, m_stderrAppend, m_merge})
        connect(c, &QCheckBox::toggled, this, [this] {
            if (!m_loading)
                apply();
        });
    connect(m_kind, &QComboBox::activated, this, [this] {
        showRows(StageSpec::Mode(m_kind->currentData().toInt()));
        apply();
    });
    connect(m_signal, &QComboBox::activated, this, [this] { apply(); });
    connect(m_timeout, &QSpinBox::editingFinished, this, [this] {
        if (!m_loading)
            apply();
    });
    connect(m_env, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_loading)
            check();
    });
    m_env->installEventFilter(this);
    connect(m_args, &QListWidget::itemChanged, this, [this] {
        if (!m_loading)
            argumentsEdited();
    });
    connect(m_addArg, &QPushButton::clicked, this, [this] {
        auto *item = new QListWidgetItem(QString(), m_args);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
        m_args->setCurrentItem(item);
        m_args->editItem(item);
    });
    connect(m_removeArg, &QPushButton::clicked, this, [this] {
        delete m_args->currentItem();
        argumentsEdited();
    });
    auto moveArg = [this](int by) {
        const int from = m_args->currentRow();
        const int to = from + by;
        if (from < 0 || to < 0 || to >= m_args->count())
            return;
        m_args->insertItem(to, m_args->takeItem(from));
        m_args->setCurrentRow(to);
        argumentsEdited();
    };
    connect(m_argUp, &QPushButton::clicked, this, [moveArg] { moveArg(-1); });
    connect(m_argDown, &QPushButton::clicked, this, [moveArg] { moveArg(1); });
    connect(document->pipeline(), &Pipeline::stageChanged, this, [this](int id) {
        if (id == m_stage)
            load();
    });
    connect(document->pipeline(), &Pipeline::stageRemoved, this, [this](int id) {
        if (id == m_stage)
            setStage(0);
    });
    connect(document->pipeline(), &Pipeline::reset, this, [this] { setStage(0); });
    setStage(0);
}

void StageInspector::setStage(int stage)
{
    m_stage = m_document->spec().stages.contains(stage) ? stage : 0;
    setEnabled(m_stage != 0 && !m_locked);
    load();
}

void StageInspector::setLocked(bool locked)
{
    // What is running is what the node says: its settings wait for Stop.
    m_locked = locked;
    setEnabled(m_stage != 0 && !locked);
    load();
}

void StageInspector::focusFirstField()
{
    const StageSpec::Mode mode = m_document->spec().stages.value(m_stage).mode;
    QWidget *first = mode == StageSpec::Mode::Exec ? static_cast<QWidget *>(m_command)
                   : (mode == StageSpec::Mode::ReadFile || mode == StageSpec::Mode::WriteFile) ? static_cast<QWidget *>(m_path)
                                                                                                : static_cast<QWidget *>(m_program);
    first->setFocus(Qt::OtherFocusReason);
    if (auto *line = qobject_cast<QLineEdit *>(first))
        line->selectAll();
}

void StageInspector::load()
{
    m_loading = true;
    const StageSpec s = m_document->spec().stages.value(m_stage);
    m_heading->setText(!m_stage   ? tr("Select a node to edit it")
                       : m_locked ? tr("%1 (stage %2): running, Stop to edit").arg(s.displayName().isEmpty() ? tr("(no program)") : s.displayName()).arg(m_stage)
                                  : tr("%1 (stage %2)").arg(s.displayName().isEmpty() ? tr("(no program)") : s.displayName()).arg(m_stage));
    m_kind->setCurrentIndex(m_kind->findData(int(s.mode)));
    m_name->setText(s.name);
    m_program->setText(s.program);
    // Rebuilt only when it differs: an edit of one row commits while its editor is still open.
    QStringList shown;
    for (int i = 0; i < m_args->count(); ++i)
        shown << m_args->item(i)->text();
    if (shown != s.args) {
        m_args->clear();
        for (const QString &a : s.args) {
            auto *item = new QListWidgetItem(a, m_args);
            item->setFlags(item->flags() | Qt::ItemIsEditable);
        }
    }
    m_command->setText(s.command);
    m_path->setText(s.mode == StageSpec::Mode::ReadFile ? s.stdinFile : s.stdoutFile.path);
    m_append->setChecked(s.stdoutFile.append);
    m_cwd->setText(s.cwd);
    QStringList env;
    for (auto it = s.env.cbegin(); it != s.env.cend(); ++it)
        env << QStringLiteral("%1=%2").arg(it.key(), it.value());
    m_env->setPlainText(env.join(QLatin1Char('\n')));
    m_stdin->setText(s.isFile() ? QString() : s.stdinFile);
    m_stdout->setText(s.isFile() ? QString() : s.stdoutFile.path);
    m_stdoutAppend->setChecked(!s.isFile() && s.stdoutFile.append);
    m_stderr->setText(s.stderrFile.path);
    m_stderrAppend->setChecked(s.stderrFile.append);
    m_merge->setChecked(s.mergeStderr);
    m_timeout->setValue(s.timeout);
    int signal = m_signal->findData(s.killSignal.number());
    if (signal < 0) {
        m_signal->addItem(s.killSignal.name(), s.killSignal.number());
        signal = m_signal->count() - 1;
    }
    m_signal->setCurrentIndex(signal);
    showRows(s.mode);
    m_loading = false;
    check();
}

void StageInspector::showRows(StageSpec::Mode mode)
{
    const bool file = mode == StageSpec::Mode::ReadFile || mode == StageSpec::Mode::WriteFile;
    for (QWidget *w : std::as_const(m_processRows))
        w->setVisible(!file);
    for (QWidget *w : std::as_const(m_argRows))
        w->setVisible(!file && mode != StageSpec::Mode::Exec);
    for (QWidget *w : std::as_const(m_commandRows))
        w->setVisible(mode == StageSpec::Mode::Exec);
    for (QWidget *w : std::as_const(m_fileRows))
        w->setVisible(file);
    for (QWidget *w : std::as_const(m_nameRows))
        w->setVisible(!file); // a file node is named by its path
    m_append->setVisible(mode == StageSpec::Mode::WriteFile);
}

std::optional<StageSpec> StageInspector::formSpec(QString *why) const
{
    StageSpec s = m_document->spec().stages.value(m_stage);
    s.mode = StageSpec::Mode(m_kind->currentData().toInt());
    s.name = m_name->text().trimmed();
    s.cwd = m_cwd->text().trimmed();
    if (s.isFile()) {
        const QString path = m_path->text().trimmed();
        if (path.isEmpty()) {
            *why = tr("File: name the file");
            return std::nullopt;
        }
        s.program.clear();
        s.args.clear();
        s.command.clear();
        s.env.clear();
        s.stderrFile = {};
        s.mergeStderr = false;
        if (s.mode == StageSpec::Mode::ReadFile) {
            s.stdinFile = path;
            s.stdoutFile = {};
        } else {
            s.stdinFile.clear();
            s.stdoutFile = {path, m_append->isChecked()};
        }
        return s;
    }
    s.program = m_program->text().trimmed();
    s.args.clear();
    for (int i = 0; i < m_args->count(); ++i)
        s.args << m_args->item(i)->text();
    s.command = m_command->text();
    if (s.mode == StageSpec::Mode::Exec) {
        s.program.clear();
        s.args.clear();
    } else {
        s.command.clear();
        if (s.program.isEmpty()) {
            *why = tr("Program: name the program to run");
            return std::nullopt;
        }
    }
    s.env.clear();
    const QStringList lines = m_env->toPlainText().split(QLatin1Char('\n'));
    static const QRegularExpression name(QStringLiteral("\\A[A-Za-z_][A-Za-z0-9_]*\\z"));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0 || !name.match(line.left(eq)).hasMatch()) {
            *why = tr("Environment, line %1: NAME=value expected, with a name of letters, digits and _ (\"%2\")").arg(i + 1).arg(line);
            return std::nullopt;
        }
        s.env.insert(line.left(eq), line.mid(eq + 1));
    }
    s.stdinFile = m_stdin->text().trimmed();
    s.stdoutFile = {m_stdout->text().trimmed(), m_stdoutAppend->isChecked()};
    s.mergeStderr = m_merge->isChecked();
    s.stderrFile = s.mergeStderr ? FileRedirect{} : FileRedirect{m_stderr->text().trimmed(), m_stderrAppend->isChecked()};
    s.timeout = m_timeout->value();
    s.killSignal = ProcessSignal(m_signal->currentData().toInt());
    return s;
}

QString StageInspector::problemText() const
{
    return m_problem->text();
}

void StageInspector::check()
{
    QStringList problems;
    QString why;
    const auto spec = m_stage ? formSpec(&why) : std::nullopt;
    if (m_stage && !spec)
        problems << why;
    if (spec) {
        if (const QString p = m_document->spec().stageProblem(m_stage, *spec); !p.isEmpty())
            problems << p;
        if (!spec->cwd.isEmpty() && !QFileInfo(spec->cwd).isDir())
            problems << tr("Directory: %1 does not exist").arg(spec->cwd);
        if (spec->mode != StageSpec::Mode::Exec && !spec->isFile()) {
            QStringList words{ShellLine::quote(spec->program)};
            for (const QString &a : spec->args)
                words << ShellLine::quote(a);
            m_quoted->setText(tr("As a shell line: %1").arg(words.join(QLatin1Char(' '))));
        }
    }
    const QColor error = Colours::errorColor(palette());
    m_problem->setStyleSheet(QStringLiteral("color: %1").arg(error.name()));
    m_problem->setText(problems.join(QLatin1Char('\n')));
}

void StageInspector::argumentsEdited()
{
    check();
    apply();
}

bool StageInspector::eventFilter(QObject *watched, QEvent *event)
{
    // The environment is a block of lines: it is committed when the focus leaves it.
    if (watched == m_env && event->type() == QEvent::FocusOut && !m_loading)
        apply();
    return QWidget::eventFilter(watched, event);
}

bool StageInspector::apply()
{
    if (!m_stage || m_loading)
        return false;
    QString why;
    const auto spec = formSpec(&why);
    if (!spec) {
        check(); // said under the form; the text stays as typed
        return false;
    }
    if (*spec == m_document->spec().stages.value(m_stage))
        return false;
    if (const QString p = m_document->spec().stageProblem(m_stage, *spec); !p.isEmpty()) {
        check();
        return false;
    }
    const int stage = m_stage;
    m_document->undoStack()->push(new EditStageCommand(m_document, stage, *spec));
    Q_EMIT applied(stage);
    return true;
}

} // namespace Spawnscope::Ui
