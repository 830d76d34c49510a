#pragma once

#include <QPointer>
#include <QRegularExpression>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace Spawnscope::Ui {

// Find in an output pane: every match highlighted (up to MaxHighlights), next / previous
// selecting and scrolling to one, with regular-expression and case options. An invalid
// expression is reported in the bar and finds nothing.
class FindBar : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxHighlights = 2000;

    explicit FindBar(QWidget *parent = nullptr);

    void setPane(QPlainTextEdit *pane);
    QLineEdit *input() const { return m_input; }
    QCheckBox *regexBox() const { return m_regex; }
    QCheckBox *caseBox() const { return m_case; }
    int matchCount() const { return m_count; }
    QString status() const;

    // Selects the next (or previous) match after the pane's cursor, wrapping; false if none.
    bool findNext(bool backward = false);
    void refresh(); // highlights again (the text changed)
    void dismiss(); // hides the bar and its highlights (Esc)

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    QPointer<QPlainTextEdit> m_pane;
    QLineEdit *m_input;
    QCheckBox *m_regex;
    QCheckBox *m_case;
    QLabel *m_status;
    int m_count = 0;
    QString m_error;

    std::optional<QRegularExpression> pattern() const;
};

} // namespace Spawnscope::Ui
