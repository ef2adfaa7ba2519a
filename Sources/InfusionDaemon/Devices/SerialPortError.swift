/// Why a serial port could not be opened or configured. A struct with a code, so a new kind of
/// failure does not break callers that switch on it.
package struct SerialPortError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Code: Hashable, Sendable {
        /// `open(2)` failed (missing device, permissions, busy).
        case open
        /// The settings are not ones a POSIX terminal can express (baud, data bits, stop bits).
        case unsupportedSettings
        /// `tcgetattr`/`tcsetattr` failed, or the speed read back differs from the one asked for.
        case configure
    }

    package var code: Code
    package var path: String
    /// The `errno` value behind the failure, 0 when none.
    package var systemError: Int32
    package var detail: String

    package init(code: Code, path: String, systemError: Int32 = 0, detail: String) {
        self.code = code
        self.path = path
        self.systemError = systemError
        self.detail = detail
    }

    package var description: String {
        systemError == 0 ? "\(path): \(detail)" : "\(path): \(detail) (errno \(systemError))"
    }
}
