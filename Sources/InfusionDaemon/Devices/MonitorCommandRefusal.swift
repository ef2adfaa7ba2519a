/// Why a monitor did not do what the daemon asked of it. A struct with a code, so a new reason does
/// not break callers.
package struct MonitorCommandRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Code: String, Hashable, Sendable {
        /// The family's wire protocol has no such command; the monitor runs that function itself.
        case notSupportedByProtocol = "not-supported-by-protocol"
    }

    package var code: Code
    /// Which protocol and why, for the operator and the log.
    package var reason: String

    package init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    package var description: String { "\(code.rawValue): \(reason)" }
}
