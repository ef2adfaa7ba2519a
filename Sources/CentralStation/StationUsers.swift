import WireProtocol

/// The people who may log in to infusion-web when it serves beyond loopback: the `--users` file, JSON,
/// readable by infusion-web only (docs/CENTRAL-STATION.md):
///
///     {"users": [{"name": "rn.lee", "passwordHash": "$y$j9T$..."}], "sessionHours": 12}
///
/// Only a password hash is kept, made with a slow, salted password-hashing function in crypt(3)'s format
/// (`infusion-web --hash-password`, or `mkpasswd -m yescrypt`): yescrypt, scrypt or bcrypt. A fast digest
/// (MD5, SHA-256 or SHA-512 crypt, a bare SHA) is refused when the file is read, so a stolen file costs an
/// attacker as much as it can.
package struct StationUsers: Sendable, Equatable {
    package struct User: Codable, Sendable, Equatable {
        package var name: String
        package var passwordHash: String

        package init(name: String, passwordHash: String) {
            self.name = name
            self.passwordHash = passwordHash
        }
    }

    package struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        package var description: String
    }

    private struct File: Decodable {
        var users: [User]
        var sessionHours: Double?
    }

    /// crypt(3) prefixes of the slow, salted schemes accepted: yescrypt, gost-yescrypt, scrypt, bcrypt.
    package static let acceptedSchemes = ["$y$", "$gy$", "$7$", "$2b$", "$2y$"]
    /// How long a login lasts when the file does not say: one 12-hour shift.
    package static let defaultSessionHours = 12.0

    package private(set) var users: [String: User]
    /// How long a session lasts after its login, in seconds.
    package private(set) var sessionSeconds: Int64

    /// Reads the file's JSON; refuses no users, a name given twice, a weak or malformed hash, and a session
    /// length outside 1 minute to 24 hours.
    package init(json: [UInt8]) throws(Problem) {
        let file: File
        do { file = try LineCoding.decode(File.self, from: json) } catch {
            throw Problem(description: "the users file is not {\"users\":[{\"name\":...,\"passwordHash\":...}]}: \(error)")
        }
        guard !file.users.isEmpty else { throw Problem(description: "the users file names no user") }
        var users: [String: User] = [:]
        for user in file.users {
            guard !user.name.isEmpty, !user.name.contains(where: \.isWhitespace) else {
                throw Problem(description: "a user name is empty or contains spaces: '\(user.name)'")
            }
            guard users[user.name] == nil else { throw Problem(description: "user '\(user.name)' is named twice") }
            guard Self.acceptedSchemes.contains(where: user.passwordHash.hasPrefix), user.passwordHash.count >= 20 else {
                throw Problem(description:
                    "user '\(user.name)': the password hash is not yescrypt, scrypt or bcrypt in crypt(3) format "
                    + "(make one with infusion-web --hash-password); fast or plain digests are refused")
            }
            users[user.name] = user
        }
        let hours = file.sessionHours ?? Self.defaultSessionHours
        guard hours >= 1.0 / 60, hours <= 24 else {
            throw Problem(description: "sessionHours \(hours) is outside 1 minute to 24 hours")
        }
        self.users = users
        sessionSeconds = Int64(hours * 3600)
    }
}
