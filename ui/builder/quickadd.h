#pragma once

#include "builderscene.h"

#include <QFrame>

class QLineEdit;
class QListWidget;

namespace Spawnscope::Ui {

// The quick-add popup at the pointer: a focused filter over the palette and the lines added
// before, with "Add <what is typed>" first (after a palette entry of exactly that name). Enter
// adds the chosen one; Escape adds nothing.
class QuickAdd : public QFrame
{
    Q_OBJECT
public:
    explicit QuickAdd(QWidget *parent = nullptr);
    QLineEdit *input() const { return m_input; }
    QListWidget *list() const { return m_list; }
    // Opens at a global point, empty and focused.
    void popup(const QPoint &globalPos);
    // Scores `text` against `pattern` as a fuzzy filter: its letters in order; -1 when they are
    // not all there. Higher is better (runs of letters, a match at the start).
    static int score(const QString &pattern, const QString &text);
    static QStringList history();
    static void remember(const QString &line);

Q_SIGNALS:
    // Once, when an entry is chosen (Enter or a click); never after Escape.
    void chosen(const Spawnscope::Ui::BuilderScene::Choice &choice);
    // Once, when it closes without a choice.
    void dismissed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QLineEdit *m_input;
    QListWidget *m_list;
    bool m_done = false;
    void refill();
    void choose();
};

} // namespace Spawnscope::Ui
