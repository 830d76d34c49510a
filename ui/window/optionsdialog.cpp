#include "appearance.h"
#include <colours.h>
#include "optionsdialog.h"

#include <processsignal.h>
#include <shellline.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

namespace {

bool isPlainWords(const StageSpec &s)
{
    return s.env.isEmpty() && s.stdinFile.isEmpty() && !s.stdoutFile.isSet() && !s.stderrFile.isSet() && !s.mergeStderr;
}

} // namespace

OptionsDialog::OptionsDialog(const LaunchOptions &o, QWidget *parent)
    : QDialog(parent)
    , m_cwd(new QLineEdit(o.cwd))
    , m_clearEnv(new QCheckBox(tr("Start from an empty environment")))
    , m_env(new QTableWidget(0, 2))
    , m_shell(new QLineEdit(o.shell))
    , m_timeout(new QSpinBox)
    , m_signal(new QComboBox)
    , m_maxBuffer(new QSpinBox)
    , m_detached(new QCheckBox(tr("Own session and process group; not stopped when the window quits")))
    , m_execPath(new QLineEdit(o.execPath))
    , m_execArgv(new QLineEdit(o.execArgv.join(QLatin1Char(' '))))
    , m_problem(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults))
{
    setWindowTitle(tr("Launch Options"));
    auto *form = new QFormLayout;
    auto *cwdRow = new QHBoxLayout;
    m_cwd->setPlaceholderText(tr("the window's own"));
    auto *browse = new QPushButton(tr("Browse..."));
    cwdRow->addWidget(m_cwd, 1);
    cwdRow->addWidget(browse);
    form->addRow(tr("Working directory:"), cwdRow);

    m_clearEnv->setChecked(o.clearEnvironment);
    m_env->setHorizontalHeaderLabels({tr("Variable"), tr("Value")});
    m_env->horizontalHeader()->setStretchLastSection(true);
    m_env->verticalHeader()->hide();
    for (const auto &[name, value] : o.environment)
        addEnvironmentRow(name, value);
    auto *envButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add"));
    auto *remove = new QPushButton(tr("Remove"));
    envButtons->addWidget(m_clearEnv, 1);
    envButtons->addWidget(add);
    envButtons->addWidget(remove);
    auto *envBox = new QVBoxLayout;
    envBox->addWidget(m_env);
    envBox->addLayout(envButtons);
    form->addRow(tr("Environment:"), envBox);

    m_shell->setPlaceholderText(tr("none (spawn, execFile); /bin/sh for exec"));
    form->addRow(tr("Shell:"), m_shell);
    m_timeout->setRange(0, 24 * 3600 * 1000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setSpecialValueText(tr("none"));
    m_timeout->setValue(o.timeoutMs);
    form->addRow(tr("Timeout:"), m_timeout);
    for (int n = 1; n < 32; ++n) {
        const QString name = ProcessSignal::nameOf(n);
        if (!name.isEmpty())
            m_signal->addItem(QStringLiteral("%1 (%2)").arg(name).arg(n), name);
    }
    m_signal->setCurrentIndex(qMax(0, m_signal->findData(o.killSignal.name())));
    form->addRow(tr("Kill signal:"), m_signal);
    m_maxBuffer->setRange(1, 1024 * 1024);
    m_maxBuffer->setSuffix(tr(" KiB"));
    m_maxBuffer->setValue(int(qMax<qsizetype>(1, o.maxBuffer / 1024)));
    form->addRow(tr("maxBuffer (exec, execFile):"), m_maxBuffer);
    m_detached->setChecked(o.detached);
    form->addRow(tr("Detached:"), m_detached);
    const char *const streams[] = {"stdin", "stdout", "stderr"};
    for (int fd = 0; fd < 3; ++fd) {
        m_stdio[fd] = new QComboBox;
        m_stdio[fd]->addItems({QStringLiteral("pipe"), QStringLiteral("ignore"), QStringLiteral("inherit")});
        m_stdio[fd]->setCurrentText(o.stdio[fd].toString());
        form->addRow(QStringLiteral("%1:").arg(QLatin1String(streams[fd])), m_stdio[fd]);
    }
    m_execPath->setPlaceholderText(tr("node, from PATH"));
    m_execPath->setToolTip(tr("fork: the program that runs a module (Node's execPath); an executable not named .js runs as itself"));
    form->addRow(tr("fork execPath:"), m_execPath);
    m_execArgv->setPlaceholderText(tr("none, e.g. --max-old-space-size=512"));
    m_execArgv->setToolTip(tr("fork: arguments for the interpreter, before the module (Node's execArgv), split as a shell would"));
    form->addRow(tr("fork execArgv:"), m_execArgv);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    m_problem->setStyleSheet(QStringLiteral("color: %1;").arg(Colours::errorColor(palette()).name()));
    m_problem->setWordWrap(true);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Working Directory"), m_cwd->text());
        if (!dir.isEmpty())
            m_cwd->setText(dir);
    });
    connect(add, &QPushButton::clicked, this, [this] {
        addEnvironmentRow({}, {});
        m_env->editItem(m_env->item(m_env->rowCount() - 1, 0));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_env->currentRow() >= 0)
            m_env->removeRow(m_env->currentRow());
        validate();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
        const LaunchOptions d;
        m_cwd->setText(d.cwd);
        m_clearEnv->setChecked(false);
        m_env->setRowCount(0);
        m_shell->clear();
        m_timeout->setValue(0);
        m_signal->setCurrentIndex(m_signal->findData(d.killSignal.name()));
        m_maxBuffer->setValue(int(d.maxBuffer / 1024));
        m_detached->setChecked(false);
        for (QComboBox *box : m_stdio)
            box->setCurrentText(QStringLiteral("pipe"));
        m_execPath->clear();
        m_execArgv->clear();
    });
    connect(m_cwd, &QLineEdit::textChanged, this, &OptionsDialog::validate);
    connect(m_env, &QTableWidget::itemChanged, this, &OptionsDialog::validate);
    connect(m_shell, &QLineEdit::textChanged, this, &OptionsDialog::validate);
    connect(m_execPath, &QLineEdit::textChanged, this, &OptionsDialog::validate);
    connect(m_execArgv, &QLineEdit::textChanged, this, &OptionsDialog::validate);
    validate();
}

void OptionsDialog::addEnvironmentRow(const QString &name, const QString &value)
{
    const int row = m_env->rowCount();
    m_env->insertRow(row);
    m_env->setItem(row, 0, new QTableWidgetItem(name));
    m_env->setItem(row, 1, new QTableWidgetItem(value));
    validate();
}

LaunchOptions OptionsDialog::options() const
{
    LaunchOptions o;
    o.cwd = m_cwd->text().trimmed();
    o.clearEnvironment = m_clearEnv->isChecked();
    for (int row = 0; row < m_env->rowCount(); ++row) {
        const QString name = m_env->item(row, 0) ? m_env->item(row, 0)->text().trimmed() : QString();
        if (!name.isEmpty())
            o.environment.append({name, m_env->item(row, 1) ? m_env->item(row, 1)->text() : QString()});
    }
    o.shell = m_shell->text().trimmed();
    o.timeoutMs = m_timeout->value();
    o.killSignal = ProcessSignal(m_signal->currentData().toString());
    o.maxBuffer = qsizetype(m_maxBuffer->value()) * 1024;
    o.detached = m_detached->isChecked();
    for (int fd = 0; fd < 3; ++fd)
        o.stdio[fd] = StdioMode::fromString(m_stdio[fd]->currentText()).value_or(StdioMode::Pipe);
    o.execPath = m_execPath->text().trimmed();
    o.execArgv = execArgv().value_or(QStringList());
    return o;
}

QString OptionsDialog::problem() const
{
    const QString cwd = m_cwd->text().trimmed();
    if (!cwd.isEmpty() && !QDir(cwd).exists())
        return tr("The working directory %1 does not exist.").arg(cwd);
    for (int row = 0; row < m_env->rowCount(); ++row) {
        const QString name = m_env->item(row, 0) ? m_env->item(row, 0)->text().trimmed() : QString();
        const QString value = m_env->item(row, 1) ? m_env->item(row, 1)->text() : QString();
        if (name.isEmpty() && !value.isEmpty())
            return tr("Row %1 of the environment has a value but no name.").arg(row + 1);
        if (name.contains(QLatin1Char('=')) || name.contains(QChar(0)))
            return tr("The variable name \"%1\" may not contain '='.").arg(name);
    }
    const QString shell = m_shell->text().trimmed();
    if (!shell.isEmpty() && shell.contains(QLatin1Char('/')) && !QFileInfo(shell).isExecutable())
        return tr("The shell %1 is not an executable file.").arg(shell);
    const QString execPath = m_execPath->text().trimmed();
    if (!execPath.isEmpty() && execPath.contains(QLatin1Char('/')) && !QFileInfo(execPath).isExecutable())
        return tr("The execPath %1 is not an executable file.").arg(execPath);
    QString why;
    if (!execArgv(&why))
        return tr("execArgv: %1").arg(why);
    return {};
}

std::optional<QStringList> OptionsDialog::execArgv(QString *why) const
{
    const QString text = m_execArgv->text().trimmed();
    if (text.isEmpty())
        return QStringList();
    // Words as a shell splits them, and nothing a shell would expand: these reach the
    // interpreter as they are.
    ShellLine::Error error;
    QStringList notes;
    const auto spec = ShellLine::parse(QStringLiteral("x ") + text, &error, {}, &notes);
    if (!spec || spec->stages.size() != 1 || spec->stages.first().mode != StageSpec::Mode::Spawn || !notes.isEmpty()
        || !isPlainWords(spec->stages.first())) {
        if (why) {
            error.position -= 2; // the "x " in front
            *why = spec ? tr("only words, quoted as in a shell") : error.toString();
        }
        return std::nullopt;
    }
    return spec->stages.first().args;
}

void OptionsDialog::validate()
{
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

} // namespace Spawnscope::Ui
