#include "appearance.h"
#include "optionsdialog.h"

#include <processsignal.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
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

bool operator==(const LaunchOptions &a, const LaunchOptions &b)
{
    return a.cwd == b.cwd && a.clearEnvironment == b.clearEnvironment && a.environment == b.environment && a.shell == b.shell
        && a.timeoutMs == b.timeoutMs && a.killSignal == b.killSignal && a.maxBuffer == b.maxBuffer && a.detached == b.detached
        && a.stdio[0] == b.stdio[0] && a.stdio[1] == b.stdio[1] && a.stdio[2] == b.stdio[2];
}

bool LaunchOptions::isDefault() const
{
    return *this == LaunchOptions();
}

QString LaunchOptions::summary() const
{
    QStringList parts;
    if (!cwd.isEmpty())
        parts << QStringLiteral("in %1").arg(cwd);
    if (clearEnvironment)
        parts << QStringLiteral("empty environment");
    for (const auto &[name, value] : environment)
        parts << QStringLiteral("%1=%2").arg(name, value);
    if (!shell.isEmpty())
        parts << QStringLiteral("shell %1").arg(shell);
    if (timeoutMs > 0)
        parts << QStringLiteral("timeout %1 ms").arg(timeoutMs);
    if (killSignal != QLatin1String("SIGTERM"))
        parts << QStringLiteral("kill with %1").arg(killSignal);
    if (maxBuffer != LaunchOptions().maxBuffer)
        parts << QStringLiteral("maxBuffer %1").arg(maxBuffer);
    if (detached)
        parts << QStringLiteral("detached");
    if (stdio[0] != QLatin1String("pipe") || stdio[1] != QLatin1String("pipe") || stdio[2] != QLatin1String("pipe"))
        parts << QStringLiteral("stdio %1,%2,%3").arg(stdio[0], stdio[1], stdio[2]);
    return parts.join(QStringLiteral(", "));
}

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
    m_signal->setCurrentIndex(qMax(0, m_signal->findData(o.killSignal)));
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
        m_stdio[fd]->setCurrentText(o.stdio[fd]);
        form->addRow(QStringLiteral("%1:").arg(QLatin1String(streams[fd])), m_stdio[fd]);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    m_problem->setStyleSheet(QStringLiteral("color: %1;").arg(Appearance::errorColor(palette()).name()));
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
        m_signal->setCurrentIndex(m_signal->findData(d.killSignal));
        m_maxBuffer->setValue(int(d.maxBuffer / 1024));
        m_detached->setChecked(false);
        for (QComboBox *box : m_stdio)
            box->setCurrentText(QStringLiteral("pipe"));
    });
    connect(m_cwd, &QLineEdit::textChanged, this, &OptionsDialog::validate);
    connect(m_env, &QTableWidget::itemChanged, this, &OptionsDialog::validate);
    connect(m_shell, &QLineEdit::textChanged, this, &OptionsDialog::validate);
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
    o.killSignal = m_signal->currentData().toString();
    o.maxBuffer = qsizetype(m_maxBuffer->value()) * 1024;
    o.detached = m_detached->isChecked();
    for (int fd = 0; fd < 3; ++fd)
        o.stdio[fd] = m_stdio[fd]->currentText();
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
    return {};
}

void OptionsDialog::validate()
{
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

} // namespace Spawnscope::Ui
