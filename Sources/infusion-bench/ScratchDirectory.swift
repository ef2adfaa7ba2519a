import Glibc

/// A fresh directory under /tmp for one daemon's configuration, sockets, audit store and logs; the
/// caller removes it.
enum ScratchDirectory {
    static func make() throws -> String {
        var template = Array("/tmp/infusion-bench.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchError("mkdtemp: errno \(errno)") }
        return String(cString: made)
    }
}
