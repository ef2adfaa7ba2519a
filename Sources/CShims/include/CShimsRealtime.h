#ifndef INFUSIOND_CSHIMS_REALTIME_H
#define INFUSIOND_CSHIMS_REALTIME_H

#include <stdint.h>

/// Creates a non-blocking, close-on-exec eventfd (a doorbell between threads). Returns the fd or -1.
int cshim_eventfd_create(void);
/// Rings the doorbell (adds 1). Returns 0, or -1 with errno.
int cshim_eventfd_ring(int fd);
/// Clears the doorbell; returns the count it held (0 when none).
uint64_t cshim_eventfd_drain(int fd);
/// Waits until the doorbell rings or the monotonic clock reaches `deadline_ns` (absolute, CLOCK_MONOTONIC).
/// Returns 1 when rung, 0 on deadline, -1 on error (errno set; EINTR is not an error worth reporting).
int cshim_eventfd_wait_until(int fd, int64_t deadline_ns);
/// Waits until the doorbell rings (no deadline). Returns 1, or -1 with errno.
int cshim_eventfd_wait(int fd);

/// CLOCK_MONOTONIC now, in nanoseconds.
int64_t cshim_monotonic_now_ns(void);

/// Makes the calling thread SCHED_FIFO at `priority`. Returns 0 or an errno value (EPERM without the right).
int cshim_make_current_thread_fifo(int priority);
/// Sets the calling thread's nice value (its weight under SCHED_OTHER). Returns 0 or an errno value (EACCES
/// below the RLIMIT_NICE floor).
int cshim_set_current_thread_nice(int nice);
/// The calling thread's scheduling policy (SCHED_OTHER = 0, SCHED_FIFO = 1).
int cshim_current_thread_policy(void);
/// Locks the process's current and future memory. Returns 0 or an errno value.
int cshim_lock_all_memory(void);
/// Caps glibc's malloc arenas at `count` (mallopt M_ARENA_MAX) unless MALLOC_ARENA_MAX is set in
/// the environment, which then wins. Returns the cap in force, or 0 when glibc refused it.
int cshim_limit_malloc_arenas(int count);
/// Lets glibc's malloc keep up to `bytes` of free memory at the top of the heap instead of giving it
/// back (mallopt M_TRIM_THRESHOLD) unless MALLOC_TRIM_THRESHOLD_ is set in the environment, which
/// then wins. Returns the threshold in force, or 0 when glibc refused it.
int cshim_keep_heap_top(int bytes);
/// Names the calling thread (at most 15 characters are kept).
void cshim_set_current_thread_name(const char *name);

#endif
