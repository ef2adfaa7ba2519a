/// An error carried in a reply: a stable machine-readable code and a human message.
///
/// Codes are part of the protocol and never change meaning; new codes may be added, so clients must
/// treat an unknown code as a generic failure.
public struct WireError: Error, Sendable, Hashable, Codable {
    /// The stable code, e.g. `unknown-command`.
    public var code: String
    /// A sentence for a person.
    public var message: String
    /// For `forbidden`: the role the command needs.
    public var requiredRole: Role?
    /// Stable words naming what is missing, where a refusal has several parts (`discharge-criteria-missing`:
    /// `observationTime`, `bloodPressure`, `score:moaas`, ...).
    public var details: [String]?

    public init(code: String, message: String, requiredRole: Role? = nil, details: [String]? = nil) {
        self.code = code
        self.message = message
        self.requiredRole = requiredRole
        self.details = details
    }
}

extension WireError {
    /// The line is not valid JSON (or not UTF-8).
    public static func badJSON(_ detail: String) -> WireError {
        WireError(code: "bad-json", message: "the line is not valid JSON: \(detail)")
    }
    /// The JSON is valid but not a request: not an object, no `cmd`, or a field of the wrong type.
    public static func badRequest(_ detail: String) -> WireError {
        WireError(code: "bad-request", message: detail)
    }
    /// No command of that name exists.
    public static func unknownCommand(_ name: String) -> WireError {
        WireError(code: "unknown-command", message: "unknown command '\(name)'; try {\"cmd\":\"help\"}")
    }
    /// The client's role does not allow the command.
    public static func forbidden(command: String, required: Role, actual: Role) -> WireError {
        WireError(
            code: "forbidden",
            message: "'\(command)' needs the \(required.rawValue) role; this connection is \(actual.rawValue)",
            requiredRole: required
        )
    }
    /// A topic name that does not exist.
    public static func unknownTopic(_ name: String) -> WireError {
        WireError(
            code: "unknown-topic",
            message: "unknown topic '\(name)'; topics are \(Topic.allCases.map(\.rawValue).joined(separator: ", "))"
        )
    }
    /// The line exceeded the maximum length; the connection is closed after this reply.
    public static func lineTooLong(limit: Int) -> WireError {
        WireError(code: "line-too-long", message: "a request line may be at most \(limit) bytes; closing the connection")
    }
}
