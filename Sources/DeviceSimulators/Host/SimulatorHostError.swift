#if canImport(Glibc)
import Glibc
#endif

/// A failure of the simulator host's system calls, with the errno that caused it.
public struct SimulatorHostError: Error, CustomStringConvertible, Sendable {
    /// What the host was doing.
    public var operation: String
    /// The `errno` value, 0 when the failure was not a system call's.
    public var code: Int32

    public init(_ operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// A failure of the system call that just set `errno`.
    init(_ operation: String) {
        self.init(operation, code: errno)
    }

    public var description: String {
        code == 0 ? operation : "\(operation): \(String(cString: strerror(code))) (errno \(code))"
    }
}
