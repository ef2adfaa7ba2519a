import ArgumentParser
import InfusionDaemon
import Logging

/// `infusiond`: the infusion-chair daemon (started by InfusiondEntry).
struct InfusiondCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infusiond",
        abstract: "Drives the syringe pumps and watches the patient monitors of ketamine infusion chairs.",
        discussion: "Serves line-delimited JSON on a Unix socket; see docs/PROTOCOL.md."
    )

    @Option(name: .long, help: "Configuration file (JSON). Without it, every setting takes its default.")
    var config: String?

    @Option(name: .long, help: "Serve on this socket path instead of the configured one.")
    var socket: String?

    @Option(name: .long, help: "Keep the audit store in this directory instead of the configured one.")
    var stateDir: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Flag(name: .long, help: "Print the effective configuration as JSON and exit.")
    var printConfig = false

    @Flag(name: .long, help: ArgumentHelp("Accept test-only fault switches (tests only).", visibility: .hidden))
    var testFaults = false

    func run() async throws {
        var settings = try config.map(DaemonConfiguration.load(path:)) ?? DaemonConfiguration()
        if let socket { settings.socket.path = socket }
        if let logLevel { settings.logging.level = logLevel }
        if let stateDir { settings.audit.directory = stateDir }
        if printConfig {
            print(try settings.renderedJSON())
            return
        }
        guard let level = Logger.Level(rawValue: settings.logging.level) else {
            throw ValidationError("unknown log level '\(settings.logging.level)'")
        }
        // Under systemd, structured journal entries; on a terminal, readable lines.
        let journal = JournalLogHandler.isStderrJournal
        LoggingSystem.bootstrap { label in
            if journal {
                var handler = JournalLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "infusiond")
        do {
            try await Daemon(configuration: settings, logger: logger, testFaults: testFaults).run()
        } catch {
            logger.critical("infusiond cannot run: \(error)")
            throw ExitCode(1)
        }
    }
}
