import ArgumentParser
import Foundation
import Glibc
import HL7Bridge
import Logging

/// `infusion-hl7`: carries infusiond's events to the clinic's HL7 interface engine as IHE PCD messages over
/// MLLP (docs/INTEGRATION.md). A viewer of infusiond's socket; it decides nothing clinical.
@main
struct InfusionHL7: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infusion-hl7",
        abstract: "Send infusiond's observations, alarms and infusion events to an HL7 interface engine (IHE PCD over MLLP).")

    @Option(help: "infusiond's socket.")
    var socket = "/run/infusiond/infusiond.sock"

    @Option(help: "Where the durable cursor, set-aside messages and gap records live.")
    var stateDir = "/var/lib/infusion-hl7"

    @Option(help: "The engine's MLLP listener, HOST:PORT ([v6]:PORT for an IPv6 literal).")
    var send: String?

    @Option(help: "Take PCD-03 orders over MLLP on HOST:PORT (loopback only; off unless given).")
    var listen: String?

    @Option(help: "A JSON configuration file (docs/INTEGRATION.md \"Configuration\").")
    var config: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Flag(help: "Print the effective configuration as JSON and exit.")
    var printConfig = false

    func validate() throws {
        if !printConfig {
            guard let send else { throw ValidationError("--send HOST:PORT is required") }
            guard EngineAddress(send) != nil else { throw ValidationError("--send must be HOST:PORT, not \(send)") }
            if let listen, EngineAddress(listen) == nil { throw ValidationError("--listen must be HOST:PORT, not \(listen)") }
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() throws {
        // A peer that closes mid-write must not end the process; writes report EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let log = Logger(label: "infusion-hl7")
        var configuration = BridgeConfiguration()
        if let config {
            do {
                configuration = try BridgeConfiguration.decode(try Data(contentsOf: URL(fileURLWithPath: config)))
            } catch {
                throw ValidationError("cannot read \(config): \(error)")
            }
        }
        if configuration.controlIDPrefix.isEmpty { configuration.controlIDPrefix = Self.hostName() }
        if printConfig {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(configuration), as: UTF8.self))
            return
        }
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        let settings = Bridge.Settings(
            socketPath: socket, engine: EngineAddress(send ?? "")!, listen: listen.flatMap(EngineAddress.init),
            configuration: configuration, sourceName: configuration.controlIDPrefix)
        let bridge = try Bridge(settings: settings, store: StateStore(directory: stateDir), log: log)
        bridge.run()
    }

    /// The host's name (the first label), for control ids unique across chair hosts.
    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "infusiond" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.split(separator: ".").first.map(String.init) ?? "infusiond"
    }
}
