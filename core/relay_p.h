#pragma once

// Internal: the pipeline's relay thread, which copies bytes between children where no single
// kernel pipe can do it: an output feeding several inputs (fan-out), an input fed by several
// outputs (fan-in, whole lines interleaved) and tapped edges (counted and watched). A source or
// sink may be a regular file (a pipeline's file node): read as fast as its sinks take it,
// written at once.

#include <QByteArray>

#include <atomic>
#include <memory>

namespace Spawnscope::Internal {

class Relay
{
public:
    struct LinkCounters
    {
        std::atomic<qint64> bytes{0};
        std::atomic<qint64> lines{0};
        std::atomic<bool> blocked{false}; // its sink is full, so its writer is held back
        std::atomic<qint64> queued{0};    // bytes its sink holds, not yet taken by the reader
    };
    // A sink holding more than this pauses its sources (and shows as a full queue).
    static constexpr qint64 SinkCapacity = 1024 * 1024;

    Relay();
    ~Relay(); // stops the thread and closes every descriptor still open

    // Setup, before start(). The relay owns the descriptors from then on.
    int addSource(int fd);
    int addSink(int fd);
    int link(int source, int sink);
    void keepTail(int link, int bytes); // remember the last bytes that passed, for tail()

    void start();
    // Ends the thread and closes every descriptor; counters and tails stay readable.
    void stop();
    const LinkCounters &counters(int link) const;
    QByteArray tail(int link) const;

private:
    struct State;
    std::unique_ptr<State> d;
};

} // namespace Spawnscope::Internal
