import Glibc

/// Newline-terminated lines from many descriptors at once (the benchmark's watchers): one `poll` over all of
/// them, then every ready one read, keeping each descriptor's partial line for its next read. A descriptor at
/// end of file or in error is dropped from the poll.
struct PolledLines {
    private var descriptors: [pollfd]
    private var partial: [[UInt8]]
    private var chunk = [UInt8](repeating: 0, count: 65536)

    init(_ fds: [Int32]) {
        descriptors = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        partial = [[UInt8]](repeating: [], count: fds.count)
    }

    /// Waits up to `milliseconds` for input on any descriptor; returns whether some is ready.
    mutating func wait(milliseconds: Int32) -> Bool {
        poll(&descriptors, nfds_t(descriptors.count), milliseconds) > 0
    }

    /// Reads every descriptor `wait` found ready and hands each complete line (newline excluded) to `body`.
    mutating func readReady(_ body: (ArraySlice<UInt8>) -> Void) {
        for index in descriptors.indices where descriptors[index].revents != 0 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptors[index].fd, $0.baseAddress, $0.count) }
            guard count > 0 else {
                descriptors[index].fd = -1
                continue
            }
            partial[index] += chunk[0..<count]
            var consumed = 0
            while let newline = partial[index][consumed...].firstIndex(of: 0x0A) {
                body(partial[index][consumed..<newline])
                consumed = newline + 1
            }
            partial[index].removeFirst(consumed)
        }
    }
}
