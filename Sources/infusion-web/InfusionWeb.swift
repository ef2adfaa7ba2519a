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
import NIOSSL

@main
struct InfusionWeb: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infusion-web",
        abstract: "The nurses' central station: every chair of infusiond live in a browser, read-only.",
        discussion: """
            Serves one page on loopback; on any other address only with TLS and a login. See docs/CENTRAL-STATION.md.
            """)

    @Option(help: "infusiond's socket.") var socket = "/run/infusiond/infusiond.sock"
    @Option(help: "HOST:PORT to serve on; beyond loopback only with TLS and --users (port 0: any free port, printed on stdout).")
    var listen = "127.0.0.1:8480"
    @Option(name: .customLong("tls-certificate"), help: "PEM certificate chain: serve HTTPS.")
    var tlsCertificate: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key of the certificate.")
    var tlsKey: String?
    @Option(help: "JSON file of the users who may log in, with password hashes (needs TLS).")
    var users: String?
    @Flag(name: .customLong("hash-password"), help: "Read a password from stdin, print its hash for the users file, and exit.")
    var hashPassword = false
    @Option(name: .customLong("allow-host"), help: "Another Host header to answer (the name the clinic's reverse proxy forwards, or the station's name on the network); repeatable.")
    var allowedHosts: [String] = []
    @Option(help: "Log level: debug, info, notice, warning, error.") var logLevel = "info"
    @Flag(help: "Show patients' identifiers whole (by default only their last two characters).")
    var showPatientID = false

    func run() throws {
        if hashPassword { return try printPasswordHash() }
        let requested: ListenAddress
        do { requested = try ListenAddress(parsing: listen) } catch { throw ValidationError(error.description) }
        let decision: ServingPolicy.Decision
        do {
            decision = try ServingPolicy.decide(.init(
                address: requested, certificate: tlsCertificate != nil, privateKey: tlsKey != nil, users: users != nil))
        } catch { throw ValidationError(error.description) }
        var logger = Logger(label: "infusion-web")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        for secret in [tlsKey, users].compactMap({ $0 }) { try Self.refuseIfOthersCanRead(secret) }
        let tlsContext = try tlsCertificate.map { try Self.tlsContext(certificate: $0, key: tlsKey ?? "") }
        let stationUsers = try users.map(Self.readUsers)

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let station = Station(loop: loop, socketPath: socket, logger: logger, showPatientID: showPatientID)
        let login = stationUsers.map { StationLogin(users: $0, loop: loop) }
        let hosts = allowedHosts
        let handlerLogger = logger
        let channel: any Channel
        do {
            channel = try ServerBootstrap(group: loop)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
                .childChannelInitializer { child in
                    child.eventLoop.makeCompletedFuture {
                        if let tlsContext {
                            try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                        }
                        try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try child.pipeline.syncOperations.addHandler(HTTPHandler(
                            station: station, address: requested, allowedHosts: hosts, tls: tlsContext != nil,
                            login: login, logger: handlerLogger))
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
        let scheme = decision.tls ? "https" : "http"
        print("infusion-web: serving \(scheme)://\(address)/ from infusiond at \(socket)\(decision.login ? " with a login" : "")")
        fflush(nil)
        logger.info("serving", metadata: [
            "listen": "\(address)", "socket": "\(socket)", "tls": "\(decision.tls)", "login": "\(decision.login)",
        ])

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

    /// `--hash-password`: the yescrypt hash of the first line on stdin, for the users file.
    private func printPasswordHash() throws {
        guard let password = readLine(strippingNewline: true), !password.isEmpty else {
            throw ValidationError("give the password on stdin (one line)")
        }
        guard let hash = PasswordHash.make(password) else { throw ValidationError("crypt(3) could not hash the password") }
        print(hash)
    }

    private static func tlsContext(certificate: String, key: String) throws -> NIOSSLContext {
        do {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            configuration.minimumTLSVersion = .tlsv12
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ValidationError("cannot use the TLS certificate \(certificate) and key \(key): \(error)")
        }
    }

    /// The TLS key and the users' hashes are for infusion-web alone (under systemd: `LoadCredential=`, which
    /// hands them over readable by the service only): a file any user of the host may read is refused.
    private static func refuseIfOthersCanRead(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw ValidationError("cannot read \(path)") }
        if info.st_mode & (S_IROTH | S_IWOTH) != 0 {
            throw ValidationError("\(path) can be read or written by any user of this host: chmod o-rw, or use LoadCredential=")
        }
    }

    private static func readUsers(_ path: String) throws -> StationUsers {
        guard let stream = fopen(path, "rb") else { throw ValidationError("cannot read the users file \(path)") }
        defer { fclose(stream) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, stream)
            bytes += chunk[..<count]
            if count < chunk.count { break }
        }
        guard ferror(stream) == 0 else { throw ValidationError("cannot read the users file \(path)") }
        do { return try StationUsers(json: bytes) } catch { throw ValidationError("\(path): \(error.description)") }
    }
}
