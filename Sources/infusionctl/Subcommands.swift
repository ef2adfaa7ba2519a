#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import WireProtocol

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the daemon's status.")
    @OptionGroup var options: ConnectionOptions

    func run() throws {
        try options.runCommand(Request(command: "status")) { result in
            let status = try LineCoding.convert(result ?? .null, to: StatusInfo.self)
            let chairs = status.chairs.isEmpty ? "none" : status.chairs.map { "\($0.id): \($0.state.rawValue)" }.joined(separator: ", ")
            return """
                infusiond \(status.daemon) (protocol \(status.protocol)), pid \(status.pid), up \(Int(status.uptimeSeconds)) s
                clients \(status.clients), watchers \(status.watchers), devices \(status.devices)
                chairs: \(chairs)
                """
        }
    }
}

struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the serial devices infusiond knows.")
    @OptionGroup var options: ConnectionOptions

    func run() throws {
        try options.runCommand(Request(command: "devices")) { result in
            let list = try LineCoding.convert(result ?? .null, to: DeviceList.self)
            guard !list.devices.isEmpty else { return "no devices" }
            return list.devices.map { device in
                var line = [device.path, device.driver ?? "-", device.vendor ?? "-", device.model ?? "-", device.serial ?? "-",
                            device.idPath ?? "-", device.chair.map { "chair \($0) \(device.role ?? "")" } ?? "unbound",
                            device.binding ?? "-", device.link].joined(separator: "  ")
                if let reason = device.reason { line += "  (\(reason))" }
                return line
            }.joined(separator: "\n")
        }
    }
}

struct Adopt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Accept the adapter now on a chair's pump or monitor match in place of the one it remembers (admin role).")
    @OptionGroup var options: ConnectionOptions
    @Option(name: .long, help: "The chair, as configured.") var chair: String
    @Option(name: .long, help: "pump or monitor.") var role: String

    func run() throws {
        try options.runCommand(Request(command: "adopt", fields: ["chair": .string(chair), "role": .string(role)])) { _ in
            "adopted"
        }
    }
}

struct Ping: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check that the daemon answers.")
    @OptionGroup var options: ConnectionOptions

    func run() throws {
        try options.runCommand(Request(command: "ping")) { _ in "pong" }
    }
}

struct Notice: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a clinic-wide notice (admin role).")
    @OptionGroup var options: ConnectionOptions
    @Argument(help: "The notice text.") var text: String

    func run() throws {
        try options.runCommand(Request(command: "notice", fields: ["text": .string(text)])) { _ in "sent" }
    }
}

struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send one raw request line and print the raw reply, e.g. '{\"cmd\":\"help\"}'.")
    @OptionGroup var options: ConnectionOptions
    @Argument(help: "A JSON request object.") var request: String

    func run() throws {
        guard case .success(let parsed) = Request.parse(line: Array(request.utf8)) else {
            throw ValidationError("not a JSON request object with a 'cmd': \(request)")
        }
        var raw = options
        raw.json = true
        try raw.runCommand(parsed) { _ in "" }
    }
}

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print events of the given topics as they happen.",
        discussion: "Topics: \(Topic.allCases.map(\.rawValue).joined(separator: ", ")). Stops when the daemon closes.")
    @OptionGroup var options: ConnectionOptions
    @Argument(help: "Topics to watch.") var topics: [String]
    @Option(help: "Replay every event after this seq first (the last seq seen; 0 for all the daemon kept).")
    var since: UInt64?

    func validate() throws {
        guard !topics.isEmpty else { throw ValidationError("name at least one topic") }
        for topic in topics where Topic(rawValue: topic) == nil {
            throw ValidationError("unknown topic '\(topic)'")
        }
    }

    func run() throws {
        var connection = try options.connect()
        defer { connection.closeConnection() }
        do {
            var fields: [String: JSONValue] = ["topics": .array(topics.map(JSONValue.string))]
            if let since { fields["since"] = .integer(Int64(clamping: since)) }
            let request = Request(command: "watch", fields: fields)
            let reply = try connection.call(request)
            if case .reply(_, _, false, _, let error?) = reply.message {
                printError("infusionctl: \(error.message) [\(error.code)]")
                throw ExitCode(error.code == "forbidden" ? ExitStatus.refused : ExitStatus.error)
            }
            while let line = try connection.nextLine() {
                guard options.json else {
                    if case .event(let name, let topic, let seq, let data)? = try? IncomingMessage.parse(line: line) {
                        let text = String(decoding: LineCoding.encodedData(data), as: UTF8.self)
                        writeLine("#\(seq.map(String.init) ?? "-") \(topic?.rawValue ?? "-") \(name) \(text)")
                    }
                    continue
                }
                writeLine(String(decoding: line, as: UTF8.self))
            }
        } catch let failure as DaemonConnection.Failure {
            throw options.fail(failure)
        }
    }
}
