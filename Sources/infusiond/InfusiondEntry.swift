import InfusionDaemon

/// The process entry: caps the malloc arenas before any other thread exists (`HeapArenas` says why:
/// the daemon locks its memory, and one arena keeps the locked heap at one high-water mark instead
/// of one per busy thread), then runs the command.
@main
enum InfusiondEntry {
    static func main() async {
        HeapArenas.limit(to: 1)
        await InfusiondCommand.main()
    }
}
