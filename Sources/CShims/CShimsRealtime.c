#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "CShimsRealtime.h"

int cshim_eventfd_create(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int cshim_eventfd_ring(int fd) {
    uint64_t one = 1;
    return write(fd, &one, sizeof(one)) == sizeof(one) ? 0 : -1;
}

uint64_t cshim_eventfd_drain(int fd) {
    uint64_t count = 0;
    if (read(fd, &count, sizeof(count)) != sizeof(count)) return 0;
    return count;
}

int64_t cshim_monotonic_now_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

int cshim_eventfd_wait_until(int fd, int64_t deadline_ns) {
    int64_t remaining = deadline_ns - cshim_monotonic_now_ns();
    if (remaining < 0) remaining = 0;
    struct timespec timeout = { .tv_sec = remaining / 1000000000LL, .tv_nsec = remaining % 1000000000LL };
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
    int rc = ppoll(&p, 1, &timeout, NULL);
    if (rc < 0) return -1;
    return rc > 0 ? 1 : 0;
}

int cshim_eventfd_wait(int fd) {
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
    int rc = poll(&p, 1, -1);
    return rc < 0 ? -1 : 1;
}

int cshim_make_current_thread_fifo(int priority) {
    struct sched_param param = { .sched_priority = priority };
    return pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
}

int cshim_set_current_thread_nice(int nice) {
    // On Linux the nice value belongs to the thread: PRIO_PROCESS with a thread id changes that thread alone.
    pid_t tid = (pid_t)syscall(SYS_gettid);
    return setpriority(PRIO_PROCESS, (id_t)tid, nice) == 0 ? 0 : errno;
}

int cshim_current_thread_policy(void) {
    int policy = 0;
    struct sched_param param;
    pthread_getschedparam(pthread_self(), &policy, &param);
    return policy;
}

// MCL_ONFAULT (Linux 4.4) locks pages as they are first touched instead of faulting in every mapping at
// once: the control path's pages stay resident without locking all of ICU, every thread stack and malloc
// arena (the benchmark measured 711 MiB RSS and a slower READY without it, 60 MiB with it).
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif
int cshim_lock_all_memory(void) {
    if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) == 0) return 0;
    return mlockall(MCL_CURRENT | MCL_FUTURE) == 0 ? 0 : errno;
}

int cshim_limit_malloc_arenas(int count) {
    const char *chosen = getenv("MALLOC_ARENA_MAX");
    if (chosen != NULL && *chosen != '\0') return atoi(chosen);
    return mallopt(M_ARENA_MAX, count) == 1 ? count : 0;
}

int cshim_keep_heap_top(int bytes) {
    const char *chosen = getenv("MALLOC_TRIM_THRESHOLD_");
    if (chosen != NULL && *chosen != '\0') return atoi(chosen);
    return mallopt(M_TRIM_THRESHOLD, bytes) == 1 ? bytes : 0;
}

void cshim_set_current_thread_name(const char *name) { pthread_setname_np(pthread_self(), name); }
