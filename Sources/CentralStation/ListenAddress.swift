/// Where infusion-web listens, and which `Host` headers it answers. Loopback by default; any other address
/// needs TLS and a login (`ServingPolicy`), or the clinic's reverse proxy in front of a loopback one
/// (docs/CENTRAL-STATION.md). Checking `Host` keeps a web page elsewhere from reading the station through a
/// DNS name rebound to the station's address.
package struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int

    package struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        package var description: String
    }

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `HOST:PORT` (`[::1]:8480` for IPv6). Whether the address may be served, and how, is
    /// `ServingPolicy`'s to say.
    package init(parsing text: String) throws(Refusal) {
        let host: Substring, portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw Refusal(description: "'\(text)' is not [IPV6]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw Refusal(description: "'\(text)' is not HOST:PORT") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw Refusal(description: "'\(portText)' is not a port number (0-65535; 0 picks a free one)")
        }
        guard !host.isEmpty else { throw Refusal(description: "'\(text)' names no host") }
        self.host = String(host)
        self.port = port
    }

    package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Whether only this machine can reach the address: 127.0.0.0/8, `::1` or `localhost`.
    package var isLoopback: Bool { Self.isLoopback(host) }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Whether a request's `Host` header names this server: a loopback name with this port, or one of
    /// `extraHosts` (the name the reverse proxy forwards, or the station's name in the clinic, given with
    /// `--allow-host`; without a port it matches with this server's port or none).
    package func accepts(hostHeader: String?, extraHosts: [String] = []) -> Bool {
        guard let header = hostHeader?.lowercased() else { return false }
        if extraHosts.contains(where: { header == $0.lowercased() || header == "\($0.lowercased()):\(port)" }) { return true }
        let loopbackNames = ["localhost", "127.0.0.1", "[::1]", host.contains(":") ? "[\(host)]" : host]
        return loopbackNames.contains { header == "\($0):\(port)" || (port == 80 && header == $0) }
    }
}
