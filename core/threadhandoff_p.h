#pragma once

// An event posted from the I/O thread reaches its receiver through Qt's event queue, whose lock
// ThreadSanitizer cannot see (Qt is not built with it). These tell it where the event crosses,
// so that it still sees every other access; in other builds they are nothing.

#if defined(__SANITIZE_THREAD__)
#define SPAWNSCOPE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SPAWNSCOPE_TSAN 1
#endif
#endif

#ifdef SPAWNSCOPE_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace Spawnscope::Internal {

inline void handOver(void *object)
{
#ifdef SPAWNSCOPE_TSAN
    __tsan_release(object);
#else
    Q_UNUSED(object);
#endif
}

inline void takeOver(void *object)
{
#ifdef SPAWNSCOPE_TSAN
    __tsan_acquire(object);
#else
    Q_UNUSED(object);
#endif
}

} // namespace Spawnscope::Internal
