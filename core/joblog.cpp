#include "joblog.h"

#include "osstring.h"
#include "processsignal.h"

namespace Spawnscope {

int JobResult::signalNumber() const
{
    return signal.isEmpty() ? 0 : ProcessSignal(signal).number();
}

QByteArray JobLog::header()
{
    return "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tBytesOut\tBytesErr\tCommand\n";
}

QByteArray JobLog::line(const JobResult &r)
{
    // parallel writes -1 as the exit value of a job it could not run or had to kill.
    const int exitValue = r.exitCode.value_or(r.signal.isEmpty() ? -1 : 0);
    // Escaped, so a line stays one job and the command one column, and can be read back. The
    // bytes of a name that is not UTF-8 are written as they are, as GNU parallel writes them.
    QByteArray command = OsString::encode(r.command);
    command.replace('\\', "\\\\").replace('\n', "\\n").replace('\t', "\\t");
    return QByteArray::number(r.seq) + "\t:\t" + QByteArray::number(r.startTime, 'f', 3) + '\t'
        + QByteArray::number(r.runtime, 'f', 3) + "\t0\t" + QByteArray::number(r.bytesOut + r.bytesErr) + '\t'
        + QByteArray::number(exitValue) + '\t' + QByteArray::number(r.signalNumber()) + '\t'
        + QByteArray::number(r.bytesOut) + '\t' + QByteArray::number(r.bytesErr) + '\t' + command + '\n';
}

} // namespace Spawnscope
