#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGINT and SIGTERM into a Qt signal on the main thread, so a headless command can stop
// its children cleanly instead of dying with them still running.
class InterruptNotifier : public QObject
{
    Q_OBJECT
public:
    explicit InterruptNotifier(QObject *parent = nullptr);
    ~InterruptNotifier() override;

Q_SIGNALS:
    // Once per signal received; `signal` is SIGINT or SIGTERM.
    void interrupted(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};
