#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CentralStation
import Dispatch
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

@main
struct InfusionWeb: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infusion-web",
        abstract: "The nurses' central station: every chair of infusiond live in a browser, read-only.",
        discussion: "Serves one page on loopback; see docs/CENTRAL-STATION.md.")

    @Option(help: "infusiond's socket.") var socket = "/run/infusiond/infusiond.sock"
    @Option(help: "HOST:PORT to serve on, loopback only (port 0: any free port, printed on stdout).")
    var listen = "127.0.0.1:8480"
    @Option(name: .customLong("allow-host"), help: "Another Host header to answer (the name the clinic's reverse proxy forwards); repeatable.")
    var allowedHosts: [String] = []
    @Option(help: "Log level: debug, info, notice, warning, error.") var logLevel = "info"
    @Flag(help: "Show patients' identifiers whole (by default only their last two characters).")
    var showPatientID = false

    func run() throws {
        let requested: ListenAddress
        do { requested = try ListenAddress(parsing: listen) } catch { throw ValidationError(error.description) }
        var logger = Logger(label: "infusion-web")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let station = Station(loop: loop, socketPath: socket, logger: logger, showPatientID: showPatientID)
        let hosts = allowedHosts
        let channel: any Channel
        do {
            channel = try ServerBootstrap(group: loop)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
                .childChannelInitializer { child in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try child.pipeline.syncOperations.addHandler(
                            HTTPHandler(station: station, address: requested, allowedHosts: hosts))
                    }
                }
                .bind(host: requested.host, port: requested.port).wait()
        } catch {
            logger.critical("cannot listen on \(requested): \(error)")
            throw ExitCode(75)
        }
        var address = requested
        address.port = channel.localAddress?.port ?? requested.port
        station.start()
        print("infusion-web: serving http://\(address)/ from infusiond at \(socket)")
        fflush(nil)
        logger.info("serving", metadata: ["listen": "\(address)", "socket": "\(socket)"])

        // A parent may hand down a mask that blocks them; systemd does not, a shell or test runner may.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
        let signals = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { channel.close(promise: nil) }
            source.resume()
            return source
        }
        try channel.closeFuture.wait()
        signals.forEach { $0.cancel() }
        logger.info("stopped")
    }
}
