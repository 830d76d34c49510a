#include "abortsignal.h"

namespace Spawnscope {

AbortSignal::AbortSignal(QObject *parent) : QObject(parent) {}

void AbortSignal::abort()
{
    if (m_aborted)
        return;
    m_aborted = true;
    Q_EMIT aborted();
}

} // namespace Spawnscope
