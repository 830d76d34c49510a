#pragma once

#include <launchoptions.h>

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace Spawnscope::Ui {

// Every option of the core for the commands the window starts: working directory (with a folder
// picker), environment (an editable table, optionally starting empty), shell, timeout, kill
// signal, maxBuffer, detached, stdio per stream, and fork's execPath and execArgv. What is wrong is said in the dialog and
// OK stays disabled until it is fixed.
class OptionsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit OptionsDialog(const LaunchOptions &options, QWidget *parent = nullptr);

    LaunchOptions options() const;
    QString problem() const; // empty when the options are usable

    QLineEdit *cwdEdit() const { return m_cwd; }
    QTableWidget *environmentTable() const { return m_env; }
    QSpinBox *timeoutBox() const { return m_timeout; }
    QComboBox *signalBox() const { return m_signal; }
    QComboBox *stdioBox(int fd) const { return m_stdio[fd]; }
    QLineEdit *execPathEdit() const { return m_execPath; }
    QLineEdit *execArgvEdit() const { return m_execArgv; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    void addEnvironmentRow(const QString &name, const QString &value);

private:
    QLineEdit *m_cwd;
    QCheckBox *m_clearEnv;
    QTableWidget *m_env;
    QLineEdit *m_shell;
    QSpinBox *m_timeout;
    QComboBox *m_signal;
    QSpinBox *m_maxBuffer;
    QCheckBox *m_detached;
    QLineEdit *m_execPath;
    QLineEdit *m_execArgv;
    QComboBox *m_stdio[3];
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;

    void validate();
    std::optional<QStringList> execArgv(QString *why = nullptr) const;
};

} // namespace Spawnscope::Ui
