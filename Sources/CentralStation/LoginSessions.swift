/// Who is logged in: a session per successful login, named by a random token the browser keeps in its
/// session cookie, lasting a fixed time from the login. Kept in memory only: a restart of infusion-web asks
/// everyone to log in again. Pure: the shell passes the clock and the random token.
package struct LoginSessions: Sendable {
    private struct Session: Sendable {
        var user: String
        var expires: Int64
    }

    private var sessions: [String: Session] = [:]
    /// Session length in seconds.
    package let lifetimeSeconds: Int64
    /// At most this many sessions live at once; a new login beyond it ends the one closest to expiring.
    package let capacity: Int

    package init(lifetimeSeconds: Int64, capacity: Int = 256) {
        self.lifetimeSeconds = lifetimeSeconds
        self.capacity = capacity
    }

    /// Starts a session for `user` at `now` (seconds) under `token`.
    package mutating func open(token: String, user: String, now: Int64) {
        sessions = sessions.filter { $0.value.expires > now }
        if sessions.count >= capacity, let soonest = sessions.min(by: { $0.value.expires < $1.value.expires }) {
            sessions[soonest.key] = nil
        }
        sessions[token] = Session(user: user, expires: now + lifetimeSeconds)
    }

    /// The user of the live session named by `token` at `now`, or nil (unknown, or expired, which ends it).
    package mutating func user(token: String?, now: Int64) -> String? {
        guard let token, let session = sessions[token] else { return nil }
        guard session.expires > now else {
            sessions[token] = nil
            return nil
        }
        return session.user
    }

    /// Ends the session `token` names (a logout).
    package mutating func close(token: String?) {
        if let token { sessions[token] = nil }
    }

    /// How many sessions are live at `now`.
    package func count(now: Int64) -> Int { sessions.values.filter { $0.expires > now }.count }
}
