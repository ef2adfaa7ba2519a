import Glibc
import HL7Bridge
import NIOCore
import NIOEmbedded
import NIOSSL

/// The bridge's TLS identity, loaded once: its certificate and key, and the allow-list of peer certificates
/// (docs/INTEGRATION.md "Security"). A peer is trusted only when its leaf certificate is on the list, byte for
/// byte: the list replaces every other trust decision, so a certificate signed by some CA is not enough.
final class TLSIdentity: Sendable {
    let clientContext: NIOSSLContext
    let serverContext: NIOSSLContext
    private let allowed: Set<[UInt8]>

    /// - Throws: when a file cannot be read as PEM.
    init(_ files: BridgeConfiguration.TLSFiles) throws {
        let chain = try NIOSSLCertificate.fromPEMFile(files.certificate).map(NIOSSLCertificateSource.certificate)
        let key = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(file: files.privateKey, format: .pem))
        var allowed = Set<[UInt8]>()
        for path in files.allowedPeers {
            for certificate in try NIOSSLCertificate.fromPEMFile(path) { allowed.insert(try certificate.toDERBytes()) }
        }
        self.allowed = allowed
        // Verification is never `.none`: the server then asks for a client certificate and refuses a peer without
        // one; the allow-list check below replaces BoringSSL's chain and host-name checks.
        var client = TLSConfiguration.makeClientConfiguration()
        client.certificateChain = chain
        client.privateKey = key
        client.certificateVerification = .noHostnameVerification
        client.minimumTLSVersion = .tlsv12
        clientContext = try NIOSSLContext(configuration: client)
        var server = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: key)
        server.certificateVerification = .noHostnameVerification
        server.minimumTLSVersion = .tlsv12
        serverContext = try NIOSSLContext(configuration: server)
    }

    /// Whether the peer's presented chain starts with an allowed certificate.
    func verify(_ chain: [NIOSSLCertificate]) -> NIOSSLVerificationResult {
        guard let leaf = chain.first, let der = try? leaf.toDERBytes(), allowed.contains(der) else { return .failed }
        return .certificateVerified
    }
}

/// One TLS session over a connected non-blocking socket, driven by the bridge's own `poll` loop: NIOSSL's
/// handler runs in an `EmbeddedChannel` (no event-loop thread); ciphertext moves between it and the fd here.
/// Owns the fd.
final class TLSSession {
    let fd: Int32
    private let channel: EmbeddedChannel

    /// Starts the handshake as the client (to the engine) or the server (an order system connecting).
    init(fd: Int32, identity: TLSIdentity, isServer: Bool) throws {
        self.fd = fd
        channel = EmbeddedChannel()
        let verify: NIOSSLCustomVerificationCallback = { chain, promise in promise.succeed(identity.verify(chain)) }
        if isServer {
            try channel.pipeline.syncOperations.addHandler(
                NIOSSLServerHandler(context: identity.serverContext, customVerificationCallback: verify))
        } else {
            try channel.pipeline.syncOperations.addHandler(
                try NIOSSLClientHandler(context: identity.clientContext, serverHostname: nil, customVerificationCallback: verify))
        }
        // Activating the channel sends the client's hello; the address is only a label for the embedded channel.
        try channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 0)).wait()
        try flush()
    }

    deinit {
        // Never `finish()`: it waits for the peer's close_notify, which a peer that has gone never sends. The
        // close sends ours, best effort, then the fd goes.
        channel.close(promise: nil)
        try? flush(timeoutSeconds: 0.1)
        close(fd)
    }

    /// Encrypts and sends `bytes` (queued by NIOSSL until the handshake is done).
    func send(_ bytes: [UInt8], timeoutSeconds: Double) throws {
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
        try channel.throwIfErrorCaught()
        try flush(timeoutSeconds: timeoutSeconds)
    }

    /// Reads what arrived: the plaintext (`[]` while only handshake bytes came), nil when the peer closed.
    /// - Throws: a TLS failure (a peer not on the allow-list, a broken record).
    func read() throws -> [UInt8]? {
        guard let bytes = Sockets.readAvailable(fd) else { return nil }
        if !bytes.isEmpty { try channel.writeInbound(ByteBuffer(bytes: bytes)) }
        try flush()
        // A peer refused by the allow-list fails the handshake: that is an error, not an empty read.
        var plain: [UInt8] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { plain += buffer.readableBytesView }
        return plain
    }

    /// Writes whatever NIOSSL has produced (handshake records, alerts, ciphertext) to the socket.
    private func flush(timeoutSeconds: Double = 10) throws {
        // Work NIOSSL scheduled (a verification result it waits for) runs before its output is taken.
        channel.embeddedEventLoop.run()
        try channel.throwIfErrorCaught()
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            try Sockets.writeAll(fd, Array(buffer.readableBytesView), timeoutSeconds: timeoutSeconds)
        }
    }
}
