#include "quickadd.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QScreen>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

namespace {

constexpr int KeyRole = Qt::UserRole + 1;  // a template's key
constexpr int LineRole = Qt::UserRole + 2; // a line to parse
constexpr int HistorySize = 30;
const QString kHistory = QStringLiteral("builder/quickAddHistory");

} // namespace

QuickAdd::QuickAdd(QWidget *parent)
    : QFrame(parent, Qt::Popup)
    , m_input(new QLineEdit)
    , m_list(new QListWidget)
{
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_input->setPlaceholderText(tr("Add a stage: a name, or a command line"));
    m_input->setAccessibleName(tr("Quick add"));
    layout->addWidget(m_input);
    layout->addWidget(m_list);
    m_list->setUniformItemSizes(true);
    resize(460, 300);
    m_input->installEventFilter(this);
    connect(m_input, &QLineEdit::textChanged, this, &QuickAdd::refill);
    connect(m_list, &QListWidget::itemActivated, this, &QuickAdd::choose);
    connect(m_list, &QListWidget::itemClicked, this, &QuickAdd::choose);
}

void QuickAdd::popup(const QPoint &globalPos)
{
    m_done = false;
    m_input->clear();
    refill();
    // Whole on the screen, however near its edge the pointer is.
    QPoint at = globalPos;
    if (const QScreen *screen = QGuiApplication::screenAt(globalPos)) {
        const QRect room = screen->availableGeometry();
        at.setX(std::clamp(at.x(), room.left(), std::max(room.left(), room.right() - width())));
        at.setY(std::clamp(at.y(), room.top(), std::max(room.top(), room.bottom() - height())));
    }
    move(at);
    show();
    raise();
    activateWindow();
    m_input->setFocus(Qt::PopupFocusReason);
}

int QuickAdd::score(const QString &pattern, const QString &text)
{
    if (pattern.isEmpty())
        return 0;
    int at = 0;
    int score = 0;
    int run = 0;
    for (const QChar c : pattern) {
        const int found = int(text.indexOf(c, at, Qt::CaseInsensitive));
        if (found < 0)
            return -1;
        run = found == at ? run + 1 : 1;
        score += run * 2 + (found == 0 ? 5 : 0);
        at = found + 1;
    }
    return score - int(text.size()) / 8;
}

QStringList QuickAdd::history()
{
    return QSettings().value(kHistory).toStringList();
}

void QuickAdd::remember(const QString &line)
{
    QStringList lines = history();
    lines.removeAll(line);
    lines.prepend(line);
    while (lines.size() > HistorySize)
        lines.removeLast();
    QSettings().setValue(kHistory, lines);
}

void QuickAdd::refill()
{
    const QString typed = m_input->text().trimmed();
    m_list->clear();
    if (!typed.isEmpty()) {
        auto *run = new QListWidgetItem(tr("Add “%1”").arg(typed), m_list);
        run->setData(LineRole, typed);
        run->setToolTip(tr("Add a stage that runs this line (a pipeline adds its stages); nothing runs until Run"));
    }
    struct Scored
    {
        int score;
        QListWidgetItem *item;
    };
    QList<Scored> found;
    for (const StageTemplate &t : StageTemplate::all()) {
        const int s = std::max(score(typed, t.title), score(typed, t.key));
        if (s < 0)
            continue;
        auto *item = new QListWidgetItem(QStringLiteral("%1  —  %2").arg(t.title, t.hint));
        item->setData(KeyRole, t.key);
        found.append({s, item});
    }
    for (const QString &line : history()) {
        const int s = score(typed, line);
        if (s < 0 || line == typed)
            continue;
        auto *item = new QListWidgetItem(QStringLiteral("%1  —  %2").arg(line, tr("added before")));
        item->setData(LineRole, line);
        found.append({s - 1, item});
    }
    std::stable_sort(found.begin(), found.end(), [](const Scored &a, const Scored &b) { return a.score > b.score; });
    for (const Scored &s : std::as_const(found)) {
        // A palette entry named exactly as typed comes before running the bare word: "grep"
        // means grep as the palette has it, with a pattern to edit.
        const QString key = s.item->data(KeyRole).toString();
        const auto entry = key.isEmpty() ? std::nullopt : StageTemplate::find(key);
        if (entry && (entry->key == typed || entry->title == typed))
            m_list->insertItem(0, s.item);
        else
            m_list->addItem(s.item);
    }
    m_list->setCurrentRow(0);
}

void QuickAdd::choose()
{
    QListWidgetItem *item = m_list->currentItem();
    if (!item || m_done)
        return;
    BuilderScene::Choice choice;
    if (const QString key = item->data(KeyRole).toString(); !key.isEmpty())
        choice.entry = StageTemplate::find(key);
    else
        choice.line = item->data(LineRole).toString();
    if (!choice.entry && choice.line.isEmpty())
        return;
    m_done = true;
    hide();
    if (!choice.line.isEmpty())
        remember(choice.line);
    Q_EMIT chosen(choice);
}

bool QuickAdd::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        switch (key->key()) {
        case Qt::Key_Down:
        case Qt::Key_Up:
        case Qt::Key_PageDown:
        case Qt::Key_PageUp:
            QCoreApplication::sendEvent(m_list, event);
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            choose();
            return true;
        case Qt::Key_Escape:
            hide();
            return true;
        default:
            break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void QuickAdd::hideEvent(QHideEvent *event)
{
    QFrame::hideEvent(event);
    if (!m_done) {
        m_done = true;
        Q_EMIT dismissed();
    }
}

} // namespace Spawnscope::Ui
