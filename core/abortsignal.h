#pragma once

#include <QObject>

namespace Spawnscope {

// Node's AbortController and AbortSignal in one object: give it to an operation through its
// options, call abort() to cancel. A child whose operation is aborted reports an AbortError
// (code "ABORT_ERR") and is killed with its kill signal; an operation started with an already
// aborted signal still starts its child, then does the same, as Node does.
class AbortSignal : public QObject
{
    Q_OBJECT
public:
    explicit AbortSignal(QObject *parent = nullptr);

    bool isAborted() const { return m_aborted; }

public Q_SLOTS:
    // Aborts once; later calls do nothing.
    void abort();

Q_SIGNALS:
    // Emitted exactly once, synchronously inside the first abort().
    void aborted();

private:
    bool m_aborted = false;
};

} // namespace Spawnscope
