// Interposes the allocator for the benchmark executable: every allocation goes to glibc's own
// implementation (__libc_*), and those made by the watched thread are counted.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include "CMallocCounter.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

static _Atomic(pthread_t) watched;
static atomic_int watching;
static atomic_uint_fast64_t allocations;

static inline void count(void) {
    if (atomic_load_explicit(&watching, memory_order_relaxed) &&
        pthread_equal(pthread_self(), atomic_load_explicit(&watched, memory_order_relaxed)))
        atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
}

void cmalloc_watch_current_thread(void) {
    atomic_store(&watched, pthread_self());
    atomic_store(&watching, 1);
}

uint64_t cmalloc_watched_allocations(void) { return atomic_load(&allocations); }

void *malloc(size_t size) { count(); return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { count(); return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { count(); return __libc_realloc(p, size); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    count();
    void *p = __libc_memalign(alignment, size);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
