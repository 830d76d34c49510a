#pragma once

// Internal: process groups that must not outlive this process, even when it is killed.
//
// killWithParent (PR_SET_PDEATHSIG) reaches a child only, not what the child started: a shell's
// pipeline or background job runs on when this process is killed with SIGKILL, since nothing of
// this process runs any more to signal the child's group. A guard is a small forked process
// that is told each group as its leader starts and as it ends (ChildProcess does so for a child
// with killWithParent that leads its own group, through shared()). When this process dies,
// however it dies, the guard's end of their socket reads end-of-file; it then kills every group
// it still knows with SIGKILL, and exits.
//
// The guard leads a process group of its own, so that it can also hold a group open for others
// to join (a pipeline's stages), and guard that group by adding its own id. Catchable signals
// are ignored there: a signal to the whole group is for the members, and the guard must stay
// until this process is gone or lets it go.

#include <sys/types.h>

#include <atomic>

namespace Spawnscope::Internal {

class GroupGuard
{
public:
    enum class Reaping {
        ByThisProcess, // a child of this process, reaped by the destructor
        ByInit,        // forked twice, so that it is no child here (no pid() then)
    };
    // Starts the guard process. Without one (the system refused it; errno says why), add() and
    // remove() do nothing: the groups then fare as before.
    explicit GroupGuard(Reaping reaping = Reaping::ByThisProcess);
    // Lets the guard go: it kills the groups it still knows (remove() them first to spare them),
    // exits, and is reaped here when it is a child of this process.
    ~GroupGuard();
    GroupGuard(const GroupGuard &) = delete;
    GroupGuard &operator=(const GroupGuard &) = delete;

    // One guard for the whole process, started on first use and never let go: it goes when the
    // process goes. It is no child of this process, so that no one waits for it or counts it as
    // one. add() and remove() may be called on it from any thread.
    static GroupGuard &shared();

    bool isActive() const { return m_socket.load() >= 0 && !m_broken; }
    // The guard's pid, which is also the id of the group it leads; -1 without a guard, and for
    // one reaped by init (which is no child here to be signalled or waited for).
    pid_t pid() const { return m_pid; }
    // `group` is a process group whose leader this process started and has not reaped yet. It
    // stays known until remove(), or until no process of it is left, which the guard checks
    // once a second: what the leader started is guarded after the leader has ended. The
    // kernel hands out no id of a group that still has a process (zombies included), and a
    // freed one comes round again only once the whole pid range has been used since.
    void add(pid_t group);
    void remove(pid_t group);

private:
    void send(int record);

    std::atomic<int> m_socket = -1;
    std::atomic<bool> m_broken = false;
    pid_t m_pid = -1;
};

// Whether a process of `group` other than `except` still runs; zombies do not count.
bool groupHasLiveMember(pid_t group, pid_t except = -1);

} // namespace Spawnscope::Internal
