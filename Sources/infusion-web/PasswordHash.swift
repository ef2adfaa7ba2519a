#if canImport(Glibc)
import Glibc
#endif
import CCrypt

/// Password hashes through libxcrypt's crypt(3), as /etc/shadow keeps them: yescrypt for new hashes (slow,
/// salted, memory-hard; libxcrypt's default), and whatever accepted scheme a stored hash names when checking
/// (`StationUsers.acceptedSchemes`). Hashing takes tens of milliseconds on purpose: call it off the event loop.
enum PasswordHash {
    /// A new yescrypt hash of `password` with a fresh random salt (libxcrypt reads the OS's random source).
    static func make(_ password: String) -> String? {
        guard let setting = crypt_gensalt_ra("$y$", 0, nil, 0) else { return nil }
        defer { free(setting) }
        return run(password, setting: setting)
    }

    /// Whether `password` hashes to `stored`. Compared in time independent of where they differ.
    static func verify(_ password: String, against stored: String) -> Bool {
        guard let computed = run(password, setting: stored) else { return false }
        let a = Array(computed.utf8), b = Array(stored.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// A yescrypt hash of no one's password: a login naming an unknown user is checked against it, so the
    /// answer takes as long as for a known one and does not tell which names exist.
    static let decoy: String = make(String(UInt64.random(in: .min ... .max), radix: 36)) ?? "$y$j9T$decoy$"

    private static func run(_ password: String, setting: UnsafePointer<CChar>) -> String? {
        var data: UnsafeMutableRawPointer?
        var size: Int32 = 0
        defer { free(data) }
        // crypt(3) ends at the first NUL: a password containing one is refused rather than cut short.
        guard !password.utf8.contains(0), let result = crypt_ra(password, setting, &data, &size) else { return nil }
        let text = String(cString: result)
        // libxcrypt's failure token starts with '*'.
        return text.hasPrefix("*") ? nil : text
    }

    private static func run(_ password: String, setting: String) -> String? {
        setting.withCString { run(password, setting: $0) }
    }
}
