import CentralStation
import NIOCore
import NIOPosix

/// The login beyond loopback: the users from `--users`, the live sessions, and the thread where passwords
/// are hashed (slow on purpose, so never on the event loop). Sessions are touched on `loop` only.
final class StationLogin: @unchecked Sendable {
    /// A refused login is answered this late, to slow down guessing.
    static let refusalDelayMilliseconds: Int64 = 1000

    let loop: any EventLoop
    private let users: StationUsers
    private var sessions: LoginSessions
    private let pool: NIOThreadPool

    init(users: StationUsers, loop: any EventLoop) {
        self.users = users
        self.loop = loop
        sessions = LoginSessions(lifetimeSeconds: users.sessionSeconds)
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        _ = PasswordHash.decoy
    }

    var lifetimeSeconds: Int64 { users.sessionSeconds }

    /// The logged-in user whose session `token` names, or nil.
    func user(token: String?) -> String? {
        loop.preconditionInEventLoop()
        return sessions.user(token: token, now: Clocks.monotonicNanoseconds() / 1_000_000_000)
    }

    /// Ends the session `token` names.
    func logOut(token: String?) {
        loop.preconditionInEventLoop()
        sessions.close(token: token)
    }

    /// Checks `password` for `name` off the loop; succeeds with a new session's token, or nil when refused.
    func logIn(name: String, password: String) -> EventLoopFuture<String?> {
        let stored = users.users[name]?.passwordHash
        return pool.runIfActive(eventLoop: loop) {
            // An unknown name is checked against the decoy, so it takes as long as a known one.
            let matches = PasswordHash.verify(password, against: stored ?? PasswordHash.decoy)
            return matches && stored != nil
        }.map { matches in
            guard matches else { return nil }
            var generator = SystemRandomNumberGenerator()
            let token = (0..<4).map { _ in
                let word = generator.next() as UInt64
                let hex = String(word, radix: 16)
                return String(repeating: "0", count: 16 - hex.count) + hex
            }.joined()
            self.sessions.open(token: token, user: name, now: Clocks.monotonicNanoseconds() / 1_000_000_000)
            return token
        }
    }
}
