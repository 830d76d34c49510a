#pragma once

#include "jobresult.h"

#include <QByteArray>

namespace Spawnscope {

// GNU parallel's --joblog format, tab-separated: Seq Host Starttime JobRuntime Send Receive
// Exitval Signal, then BytesOut BytesErr, then Command last (it may hold tabs of its own).
namespace JobLog {
QByteArray header();
QByteArray line(const JobResult &result);
} // namespace JobLog

} // namespace Spawnscope
