#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
public import InfusionCore
public import WireProtocol

/// Everything infusiond reads from its configuration file (JSON). Every setting has a default, so
/// the daemon starts without a file; a file overrides any subset. `config/infusiond.example.json`
/// documents each key; `infusiond --print-config` shows the effective values.
public struct DaemonConfiguration: Codable, Sendable, Equatable {
    public var socket: SocketSettings
    public var access: AccessSettings
    public var logging: LoggingSettings
    /// The infusion chairs this daemon serves.
    public var chairs: [ChairSettings]
    /// The control thread.
    public var control: ControlSettings
    /// Device link timing.
    public var devices: DeviceLinkSettings
    /// The clinical core: drug library, alarm rules, interlock, recovery criteria. Every value has a
    /// default that cites its source (docs/CORE.md); a file overrides any subset.
    public var core: CoreConfiguration
    /// The durable audit log and recovery checkpoints.
    public var audit: AuditSettings

    public init(
        socket: SocketSettings = .init(), access: AccessSettings = .init(), logging: LoggingSettings = .init(),
        chairs: [ChairSettings] = [], control: ControlSettings = .init(), devices: DeviceLinkSettings = .init(),
        core: CoreConfiguration = .init(), audit: AuditSettings = .init()
    ) {
        self.socket = socket
        self.access = access
        self.logging = logging
        self.chairs = chairs
        self.control = control
        self.devices = devices
        self.core = core
        self.audit = audit
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        socket = try container.decodeIfPresent(SocketSettings.self, forKey: .socket) ?? .init()
        access = try container.decodeIfPresent(AccessSettings.self, forKey: .access) ?? .init()
        logging = try container.decodeIfPresent(LoggingSettings.self, forKey: .logging) ?? .init()
        chairs = try container.decodeIfPresent([ChairSettings].self, forKey: .chairs) ?? []
        control = try container.decodeIfPresent(ControlSettings.self, forKey: .control) ?? .init()
        devices = try container.decodeIfPresent(DeviceLinkSettings.self, forKey: .devices) ?? .init()
        core = try container.decodeIfPresent(CoreConfiguration.self, forKey: .core) ?? .init()
        audit = try container.decodeIfPresent(AuditSettings.self, forKey: .audit) ?? .init()
        let ids = chairs.map(\.id)
        guard Set(ids).count == ids.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .chairs, in: container, debugDescription: "chair ids must be unique: \(ids)")
        }
        var problems = core.inconsistencies
        for chair in chairs {
            if let syringe = chair.syringe, core.syringes.syringe(id: syringe) == nil {
                problems.append("chair \(chair.id): no syringe '\(syringe)' in core.syringes")
            }
        }
        guard problems.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .core, in: container, debugDescription: problems.map { "\($0)" }.joined(separator: "; "))
        }
    }

    /// Reads a configuration file. A missing or malformed file is an error naming the path and the
    /// problem: a daemon that guesses its safety settings is worse than one that refuses to start.
    public static func load(path: String) throws -> DaemonConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(path: path, problem: "cannot be read")
        }
        do {
            return try JSONDecoder().decode(DaemonConfiguration.self, from: data)
        } catch let error as DecodingError {
            throw ConfigurationError(path: path, problem: Self.describe(error))
        }
    }

    /// The configuration as indented JSON, for `--print-config`.
    public func renderedJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.isEmpty ? "top level" : codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        @unknown default:
            return "\(error)"
        }
    }
}

/// A configuration file that could not be used.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var problem: String
    public var description: String { "configuration \(path): \(problem)" }
}

/// The client socket.
public struct SocketSettings: Codable, Sendable, Equatable {
    /// Where the socket lives. systemd's RuntimeDirectory creates /run/infusiond.
    public var path: String = "/run/infusiond/infusiond.sock"
    /// The group that may connect; nil keeps the daemon's own group.
    public var group: String? = nil
    /// Permission bits of the socket file, octal as a string (owner and group may connect).
    public var mode: String = "0660"
    /// The longest request line accepted, in bytes; longer lines get `line-too-long` and a close.
    public var maxLineBytes: Int = LineCoding.defaultMaximumLineBytes
    /// How many lines may wait for a slow client before it is sent `overflow` and disconnected.
    public var clientQueueLimit: Int = 1024
    /// How many bytes may wait for a slow client before it is sent `overflow` and disconnected: the
    /// memory a client that stops reading can hold (twice this at most, with the batch being written).
    /// [D] 1 MiB: minutes of every topic for one clinic's chairs, and bounded for 256 watchers.
    public var clientQueueBytes: Int = 1 << 20
    /// How long a client cut off by `overflow` keeps its connection to read the end of its last line and the
    /// notice (it holds one slice of lines meanwhile); after that it is dropped without them.
    public var overflowGraceSeconds: Double = 300
    /// How long clients get to receive the shutdown notice before their connections are closed.
    public var shutdownGraceSeconds: Double = 2

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SocketSettings()
        path = try container.decodeIfPresent(String.self, forKey: .path) ?? defaults.path
        group = try container.decodeIfPresent(String.self, forKey: .group) ?? defaults.group
        mode = try container.decodeIfPresent(String.self, forKey: .mode) ?? defaults.mode
        maxLineBytes = try container.decodeIfPresent(Int.self, forKey: .maxLineBytes) ?? defaults.maxLineBytes
        clientQueueLimit = try container.decodeIfPresent(Int.self, forKey: .clientQueueLimit) ?? defaults.clientQueueLimit
        clientQueueBytes = try container.decodeIfPresent(Int.self, forKey: .clientQueueBytes) ?? defaults.clientQueueBytes
        overflowGraceSeconds =
            try container.decodeIfPresent(Double.self, forKey: .overflowGraceSeconds) ?? defaults.overflowGraceSeconds
        shutdownGraceSeconds =
            try container.decodeIfPresent(Double.self, forKey: .shutdownGraceSeconds) ?? defaults.shutdownGraceSeconds
        guard permissionBits != nil else {
            throw DecodingError.dataCorruptedError(
                forKey: .mode, in: container, debugDescription: "'\(mode)' is not an octal mode such as \"0660\"")
        }
        guard maxLineBytes >= 1024, clientQueueLimit >= 4, clientQueueBytes >= 65_536 else {
            throw DecodingError.dataCorruptedError(
                forKey: .maxLineBytes, in: container,
                debugDescription: "maxLineBytes must be at least 1024, clientQueueLimit at least 4 and clientQueueBytes at least 65536")
        }
    }

    /// `mode` parsed as octal permission bits, or nil when it is not a valid mode.
    public var permissionBits: UInt32? {
        guard let bits = UInt32(mode, radix: 8), bits <= 0o777 else { return nil }
        return bits
    }
}

/// Who gets which role. root is always admin; the daemon's own uid is admin too.
public struct AccessSettings: Codable, Sendable, Equatable {
    /// Principals with the admin role.
    public var admin: Principals = .init()
    /// Principals with the operator role (nurses who run infusions).
    public var `operator`: Principals = .init()
    /// Principals with the orderer role: they may stage orders from the order system (the HL7 bridge's user),
    /// never program or change an infusion.
    public var orderer: Principals = .init()
    /// The role of anyone else who can open the socket (the socket's mode and group decide who can).
    public var defaultRole: Role = .viewer

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        admin = try container.decodeIfPresent(Principals.self, forKey: .admin) ?? .init()
        `operator` = try container.decodeIfPresent(Principals.self, forKey: .operator) ?? .init()
        orderer = try container.decodeIfPresent(Principals.self, forKey: .orderer) ?? .init()
        defaultRole = try container.decodeIfPresent(Role.self, forKey: .defaultRole) ?? .viewer
    }
}

/// A set of users and groups, by name or number.
public struct Principals: Codable, Sendable, Equatable {
    public var users: [String] = []
    public var uids: [UInt32] = []
    public var groups: [String] = []
    public var gids: [UInt32] = []

    public init(users: [String] = [], uids: [UInt32] = [], groups: [String] = [], gids: [UInt32] = []) {
        self.users = users
        self.uids = uids
        self.groups = groups
        self.gids = gids
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        users = try container.decodeIfPresent([String].self, forKey: .users) ?? []
        uids = try container.decodeIfPresent([UInt32].self, forKey: .uids) ?? []
        groups = try container.decodeIfPresent([String].self, forKey: .groups) ?? []
        gids = try container.decodeIfPresent([UInt32].self, forKey: .gids) ?? []
    }
}

/// Logging.
public struct LoggingSettings: Codable, Sendable, Equatable {
    /// swift-log level: trace, debug, info, notice, warning, error, critical.
    public var level: String = "info"

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        level = try container.decodeIfPresent(String.self, forKey: .level) ?? "info"
    }
}
