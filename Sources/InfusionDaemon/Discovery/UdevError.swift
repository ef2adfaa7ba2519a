/// A libudev call failed; `operation` names it, `errno` is the C error when one was set.
package struct UdevError: Error, Sendable, Equatable, CustomStringConvertible {
    package var operation: String
    package var errno: Int32

    package init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    package var description: String { "\(operation) failed (errno \(errno))" }
}
