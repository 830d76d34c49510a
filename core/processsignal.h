#pragma once

#include <QString>

namespace Spawnscope {

// A POSIX signal given the way Node takes one: a name ("SIGTERM", "sigterm", "TERM") or a number.
// An unknown name or an out-of-range number yields an invalid ProcessSignal, never an exception.
class ProcessSignal
{
public:
    ProcessSignal(int number);
    ProcessSignal(const QString &name);
    ProcessSignal(const char *name) : ProcessSignal(QString::fromUtf8(name)) {}

    bool isValid() const { return m_number >= 0; }
    int number() const { return m_number; }
    // The canonical name ("SIGTERM"), or an empty string when there is none.
    QString name() const;
    // What the caller gave, for error messages.
    QString given() const { return m_given; }

    static QString nameOf(int number);

    friend bool operator==(const ProcessSignal &a, const ProcessSignal &b) { return a.m_number == b.m_number; }
    static int numberOf(const QString &name);

private:
    int m_number = -1;
    QString m_given;
};

} // namespace Spawnscope
