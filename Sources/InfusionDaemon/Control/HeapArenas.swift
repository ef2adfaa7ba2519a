internal import CShims

/// How many malloc arenas the daemon's threads share.
///
/// glibc gives busy threads arenas of their own (up to eight per core). Under `mlockall` the free
/// memory inside an arena can never be handed back (`madvise` refuses locked pages), so each arena
/// stays at its high-water mark; with 64 serial reader threads, the socket threads and the audit
/// writer that was about 5 MiB at 32 chairs and 256 watchers (docs/PERFORMANCE.md). One arena keeps
/// that to a single high-water mark. The control thread does not allocate per tick, so it never
/// waits for the arena lock on its real-time path.
public enum HeapArenas {
    /// Caps the arenas at `count`. Call it first thing in `main`, before any thread exists: a thread
    /// keeps the arena it first allocated from, so a later cap leaves two or more in use.
    /// `MALLOC_ARENA_MAX` in the environment wins, for a site that measures otherwise. Returns the
    /// cap in force (0: glibc refused).
    @discardableResult
    public static func limit(to count: Int32) -> Int32 { cshim_limit_malloc_arenas(count) }

    /// Lets the heap keep up to `bytes` of freed memory at its top rather than hand it back at once.
    ///
    /// glibc gives the top back when more than 128 KiB of it is free, and takes it again at the next
    /// demand: the audit writer's commit a second grew the heap by about 200 KiB and shrank it again,
    /// each time two `brk` calls and some fifty page faults, each locked anew under `mlockall`
    /// (docs/PERFORMANCE.md, seventh round). The peak, which is what the memory goal measures, does
    /// not change: only memory already used once stays. `MALLOC_TRIM_THRESHOLD_` in the environment
    /// wins. Returns the threshold in force (0: glibc refused).
    @discardableResult
    public static func keepFreedTop(bytes: Int32) -> Int32 { cshim_keep_heap_top(bytes) }

    /// What infusiond keeps: a few commits' worth.
    public static let keptTopBytes: Int32 = 4 << 20
}
