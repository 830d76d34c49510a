#pragma once

// Internal: process groups that must not outlive this process, even when it is killed.
//
// killWithParent (PR_SET_PDEATHSIG) reaches a child only, not what the child started: a batch
// job run by a shell leaves its pipeline's stages or its background children running when the
// pool's process is killed with SIGKILL, since nothing of that process runs any more to signal
// the job's group. A guard is a small forked process that is told each group as its job starts
// and as it ends. When this process dies, however it dies, the guard's end of their socket
// reads end-of-file; it then kills every group it still knows with SIGKILL, and exits.

#include <sys/types.h>

namespace Spawnscope::Internal {

class GroupGuard
{
public:
    // Starts the guard process. Without one (the system refused it), add() and remove() do
    // nothing: the groups then fare as before.
    GroupGuard();
    // Lets the guard go: it kills the groups it still knows (none once every job ended), exits,
    // and is reaped here.
    ~GroupGuard();
    GroupGuard(const GroupGuard &) = delete;
    GroupGuard &operator=(const GroupGuard &) = delete;

    bool isActive() const { return m_socket >= 0; }
    pid_t pid() const { return m_pid; }
    // `group` is a process group whose leader this process started and has not reaped yet, so
    // its id can name no other group until remove().
    void add(pid_t group);
    void remove(pid_t group);

private:
    void send(int record);

    int m_socket = -1;
    pid_t m_pid = -1;
};

} // namespace Spawnscope::Internal
