#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import WireProtocol

/// Exit codes, distinct per failure kind so scripts can react (sysexits.h values).
enum ExitStatus {
    /// The daemon answered with an error.
    static let error: Int32 = 1
    /// No daemon could be reached (EX_UNAVAILABLE).
    static let unreachable: Int32 = 69
    /// The protocol broke: unreadable or missing reply (EX_PROTOCOL).
    static let protocolError: Int32 = 76
    /// The daemon or the socket refused this user (EX_NOPERM).
    static let refused: Int32 = 77
    /// The audit log failed its integrity check (EX_DATAERR).
    static let auditBroken: Int32 = 65
}

@main
struct Infusionctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infusionctl",
        abstract: "Talks to infusiond over its Unix socket.",
        discussion: """
            Exit status: 0 success, \(ExitStatus.error) the daemon replied with an error, \(ExitStatus.unreachable) \
            daemon unreachable, \(ExitStatus.protocolError) protocol error, \(ExitStatus.refused) refused (role or \
            socket permissions).
            """,
        subcommands: [
            Status.self, Devices.self, Adopt.self, Ping.self, Watch.self, Notice.self, Send.self, Library.self, Syringes.self,
            Intake.self, Program.self, Start.self, Rate.self, Bolus.self, Pause.self, Resume.self, Stop.self, Ack.self,
            Silence.self, Syringe.self, Recovery.self, Observe.self, Medicate.self, Discharge.self, Top.self, Audit.self, Report.self,
            Course.self,
        ]
    )
}

/// Options every subcommand shares.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "infusiond's socket (default: $INFUSIOND_SOCKET or /run/infusiond/infusiond.sock).")
    var socket: String?

    @Flag(name: .long, help: "Print the daemon's raw JSON lines.")
    var json = false

    var socketPath: String {
        if let socket { return socket }
        if let environment = getenv("INFUSIOND_SOCKET") { return String(cString: environment) }
        return "/run/infusiond/infusiond.sock"
    }

    /// Connects, or exits with the matching status.
    func connect() throws -> DaemonConnection {
        do { return try DaemonConnection(path: socketPath) } catch { throw fail(error) }
    }

    /// Runs one command and prints its reply with `render`, or exits with the matching status.
    /// `terminator` follows the rendered text (empty for exports that must stay byte-exact, such as HL7).
    func runCommand(_ request: Request, terminator: String = "\n", render: (JSONValue?) throws -> String) throws {
        var connection = try connect()
        defer { connection.closeConnection() }
        let reply: (line: [UInt8], message: IncomingMessage)
        do { reply = try connection.call(request) } catch { throw fail(error) }
        guard case .reply(_, _, let ok, let result, let error) = reply.message else { return }
        if json {
            print(String(decoding: reply.line, as: UTF8.self))
        } else if ok {
            print(try render(result), terminator: terminator)
        }
        if let error {
            if !json { printError("infusionctl: \(error.message) [\(error.code)]") }
            throw ExitCode(error.code == "forbidden" ? ExitStatus.refused : ExitStatus.error)
        }
    }

    func fail(_ failure: DaemonConnection.Failure) -> ExitCode {
        printError("infusionctl: \(failure)")
        switch failure {
        case .unreachable: return ExitCode(ExitStatus.unreachable)
        case .permissionDenied: return ExitCode(ExitStatus.refused)
        case .protocolError: return ExitCode(ExitStatus.protocolError)
        }
    }
}

func printError(_ message: String) {
    writeLine(message, to: 2)
}

/// Writes one line straight to a file descriptor, unbuffered, so `watch` output reaches a pipe at once.
func writeLine(_ message: String, to fd: Int32 = 1) {
    var line = message + "\n"
    line.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}
