import InfusionDaemon

/// The process entry: caps the malloc arenas before any other thread exists and lets the heap keep
/// its freed top (`HeapArenas` says why: the daemon locks its memory, one arena keeps the locked heap
/// at one high-water mark instead of one per busy thread, and a kept top is not faulted and locked
/// anew at every commit), then runs the command.
@main
enum InfusiondEntry {
    static func main() async {
        HeapArenas.limit(to: 1)
        HeapArenas.keepFreedTop(bytes: HeapArenas.keptTopBytes)
        await InfusiondCommand.main()
    }
}
