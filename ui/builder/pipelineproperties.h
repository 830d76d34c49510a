#pragma once

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Spawnscope {
class PipelineDocument;
}

namespace Spawnscope::Ui {

// The pipeline's own settings (its status policy, its pipes' capacity; each change one undo
// step) and the shell line it is, with "Copy as shell line", disabled with the reason when the
// graph cannot be written as one.
class PipelineProperties : public QWidget
{
    Q_OBJECT
public:
    explicit PipelineProperties(PipelineDocument *document, QWidget *parent = nullptr);
    QComboBox *policyBox() const { return m_policy; }
    QSpinBox *capacityBox() const { return m_capacity; }
    QLineEdit *shellLineEdit() const { return m_line; }
    QPushButton *copyButton() const { return m_copy; }
    QLabel *reasonLabel() const { return m_reason; }
    // Shows the document as it is now (otherwise done once the event loop is free after changes).
    void refresh();
    // Running: its settings wait for Stop; the shell line can still be copied.
    void setLocked(bool locked);

Q_SIGNALS:
    // After "Copy as shell line" put it on the clipboard.
    void copied(const QString &line);

private:
    PipelineDocument *m_document;
    QComboBox *m_policy;
    QSpinBox *m_capacity;
    QLineEdit *m_line;
    QPushButton *m_copy;
    QLabel *m_reason;
    bool m_loading = false;
    QTimer m_refreshLater;
    void commit();
};

} // namespace Spawnscope::Ui
