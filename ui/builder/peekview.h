#pragma once

#include <pipelinespec.h>

#include <QFrame>

class QLabel;
class QPlainTextEdit;

namespace Spawnscope::Ui {

// A small window on one tapped wire: its last complete lines, as they pass, while a run goes
// (the core keeps them for a tapped edge; pipecut's preview of a stage, live). It stays after
// the run with the last lines seen, until closed (Escape).
class PeekView : public QFrame
{
    Q_OBJECT
public:
    PeekView(const EdgeId &edge, const QString &title, QWidget *parent = nullptr);
    const EdgeId &edge() const { return m_edge; }
    void setLines(const QByteArrayList &lines);
    QString text() const;

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    EdgeId m_edge;
    QLabel *m_title;
    QPlainTextEdit *m_text;
    QByteArrayList m_lines;
};

} // namespace Spawnscope::Ui
