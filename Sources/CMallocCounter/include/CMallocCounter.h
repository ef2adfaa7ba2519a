#ifndef INFUSIOND_CMALLOCCOUNTER_H
#define INFUSIOND_CMALLOCCOUNTER_H

#include <stdint.h>

/// Counts heap allocations made by one chosen thread, for the benchmark only: this target defines
/// malloc and friends, so it must be linked into no executable but infusion-bench.

/// From now on, count allocations made by the calling thread (and only by it).
void cmalloc_watch_current_thread(void);
/// Allocations (malloc, calloc, realloc, aligned allocations) counted so far.
uint64_t cmalloc_watched_allocations(void);

#endif
