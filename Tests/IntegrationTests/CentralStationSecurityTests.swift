import Foundation
import Testing

/// infusion-web beyond loopback: refused without TLS and a login; with them, HTTPS with a certificate made
/// by openssl here, a login against a yescrypt hash made by `infusion-web --hash-password`, a session cookie,
/// and still read-only with the strict headers on every answer. Checked with curl.
@Suite(.serialized)
struct CentralStationSecurityTests {
    private static let web = BuiltProducts.path("infusion-web")

    @Test func refusesToServeBeyondLoopbackWithoutTLSAndALogin() throws {
        let scratch = try ScratchDirectory()
        let (certificate, key) = try WebStation.certificate(in: scratch)
        let users = try WebStation.usersFile(in: scratch, hash: "$y$j9T$Fjx1KZ0t5ud1GvWIBk4kK/$3Khe4w8wBFZZ7n7d0sbVg0mO5BcP2qNo0lmGbmcAdM5")
        let tls = "--tls-certificate '\(certificate)' --tls-key '\(key)'"
        let refused = [
            "--listen 0.0.0.0:0",
            "--listen 0.0.0.0:0 \(tls)",
            "--listen 0.0.0.0:0 --users '\(users)'",
            "--listen 127.0.0.1:0 --users '\(users)'",
            "--listen 127.0.0.1:0 --tls-certificate '\(certificate)'",
        ]
        for options in refused {
            let outcome = try Shell.run("'\(Self.web)' --socket '\(scratch.file("none.sock"))' \(options)", timeout: 20)
            #expect(outcome.status != 0, "\(options) must not start")
            #expect(!outcome.stdout.contains("serving"), "\(options): \(outcome.stdout)")
            #expect(outcome.stderr.contains("TLS"), "\(options): the refusal says why: \(outcome.stderr)")
        }
        // A users file or key any user of the host can read is refused.
        for secret in [users, key] {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret)
            let readable = try Shell.run(
                "'\(Self.web)' --socket '\(scratch.file("none.sock"))' --listen 0.0.0.0:0 \(tls) --users '\(users)'", timeout: 20)
            #expect(readable.status != 0 && readable.stderr.contains("can be read or written by any user"), "\(readable.stderr)")
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret)
        }
        // A users file with a fast digest (SHA-512 crypt) is refused too.
        let weak = try WebStation.usersFile(in: scratch, hash: try Shell.run("openssl passwd -6 -salt saltsalt secret").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines))
        let outcome = try Shell.run(
            "'\(Self.web)' --socket '\(scratch.file("none.sock"))' --listen 0.0.0.0:0 \(tls) --users '\(weak)'", timeout: 20)
        #expect(outcome.status != 0 && outcome.stderr.contains("yescrypt"), "\(outcome.stderr)")
    }

    @Test func beyondLoopbackItServesHTTPSOnlyToALoggedInUserAndStaysReadOnly() throws {
        let scratch = try ScratchDirectory()
        let (certificate, key) = try WebStation.certificate(in: scratch)
        let hashed = try Shell.run("'\(Self.web)' --hash-password", input: "correct horse battery\n")
        let hash = hashed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(hashed.status == 0 && hash.hasPrefix("$y$"), "a yescrypt hash: \(hashed)")
        #expect(try Shell.run("'\(Self.web)' --hash-password", input: "correct horse battery\n").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines) != hash, "a fresh salt each time")
        let users = try WebStation.usersFile(in: scratch, hash: hash)
        let web = try WebStation(
            socketPath: scratch.file("none.sock"), listen: "0.0.0.0:0",
            arguments: ["--tls-certificate", certificate, "--tls-key", key, "--users", users, "--allow-host", "station.test"])
        defer { web.stop() }
        #expect(web.baseURL.hasPrefix("https://"), "\(web.log)")
        var answers: [String] = []
        func fetch(_ path: String, _ options: String = "") throws -> String {
            let outcome = try Shell.run(
                "curl -s -i --max-time 10 --cacert '\(certificate)' --resolve station.test:\(web.port):127.0.0.1 \(options) "
                    + "'https://station.test:\(web.port)\(path)'", timeout: 20)
            answers.append(outcome.stdout)
            return outcome.stdout
        }
        func status(_ answer: String) -> String { String(answer.prefix(12)) }

        // Without a session: the page sends the browser to the login; everything else but the style is refused.
        let page = try fetch("/")
        #expect(status(page) == "HTTP/1.1 303" && page.contains("Location: /login"), "\(page.prefix(400))")
        #expect(!page.contains("<script"), "nothing of the page before the login")
        #expect(status(try fetch("/index.html")) == "HTTP/1.1 303")
        for path in ["/events", "/station.js", "/missing"] {
            #expect(status(try fetch(path, "--max-time 3")) == "HTTP/1.1 401", "\(path) without a session")
        }
        #expect(status(try fetch("/station.css")) == "HTTP/1.1 200", "the login page's style")
        let form = try fetch("/login")
        #expect(status(form) == "HTTP/1.1 200" && form.contains(#"action="/login""#))
        #expect(form.contains("Content-Security-Policy: default-src 'none'") && form.contains("form-action 'self'"))
        #expect(form.contains("Strict-Transport-Security: max-age=") && form.contains("Referrer-Policy: same-origin"))

        // Wrong password, unknown user, another site's form: refused, no cookie.
        for (options, expected) in [
            ("-d user=rn.lee -d password=wrong", "HTTP/1.1 401"),
            ("-d user=nobody -d 'password=correct horse battery'", "HTTP/1.1 401"),
            ("-H 'Origin: https://evil.example' -d user=rn.lee --data-urlencode 'password=correct horse battery'", "HTTP/1.1 403"),
            ("-H 'Origin: null' -d user=rn.lee --data-urlencode 'password=correct horse battery'", "HTTP/1.1 403"),
        ] {
            let refused = try fetch("/login", options)
            #expect(status(refused) == expected, "\(options): \(refused.prefix(300))")
            #expect(!refused.lowercased().contains("set-cookie"), "\(options)")
        }
        #expect(try fetch("/login", "-d user=rn.lee -d password=wrong").contains("Wrong user name or password"))

        // The right password: a session cookie the browser keeps to itself, sent only over TLS, only by this site.
        let loggedIn = try fetch("/login",
            "-H 'Origin: https://station.test:\(web.port)' -d user=rn.lee --data-urlencode 'password=correct horse battery'")
        #expect(status(loggedIn) == "HTTP/1.1 303" && loggedIn.contains("Location: /"), "\(loggedIn.prefix(400))")
        let setCookie = try #require(loggedIn.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") })
        for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
            #expect(setCookie.contains("; \(attribute)"), "\(setCookie)")
        }
        let token = try #require(setCookie.firstMatch(of: /__Host-station-session=([0-9a-f]{64});/)?.1)
        let session = "-H 'Cookie: __Host-station-session=\(token)'"
        let shown = try fetch("/", session)
        #expect(status(shown) == "HTTP/1.1 200" && shown.contains(#"<script src="/station.js" defer></script>"#))
        #expect(status(try fetch("/station.js", session)) == "HTTP/1.1 200")
        let stream = try fetch("/events", session + " -N --max-time 3")
        #expect(status(stream) == "HTTP/1.1 200" && stream.contains("event: snapshot"), "\(stream.prefix(600))")
        #expect(status(try fetch("/", "-H 'Cookie: __Host-station-session=\(String(repeating: "0", count: 64))'")) == "HTTP/1.1 303",
                "a made-up session is no session")

        let whoami = try fetch("/session", session)
        #expect(status(whoami) == "HTTP/1.1 200" && whoami.hasSuffix(#"{"user":"rn.lee"}"#), "\(whoami)")

        // Read-only, logged in or not.
        for path in ["/", "/events", "/station.js"] {
            for method in ["POST", "PUT", "DELETE", "PATCH"] {
                #expect(status(try fetch(path, "\(session) -X \(method) -d x=1")) == "HTTP/1.1 405", "\(method) \(path)")
            }
        }
        // Plain HTTP on the TLS port gets no page.
        let plain = try Shell.run("curl -s -i --max-time 5 'http://127.0.0.1:\(web.port)/'", timeout: 15)
        #expect(!plain.stdout.contains("HTTP/1.1 200") && !plain.stdout.contains("<html"), "\(plain.stdout.prefix(200))")

        // Logging out: only by a POST from this origin; it ends the session, and the browser forgets the cookie.
        #expect(status(try fetch("/logout", session)) == "HTTP/1.1 405", "a GET changes nothing")
        #expect(status(try fetch("/logout", "\(session) -X POST -H 'Origin: null'")) == "HTTP/1.1 403")
        #expect(status(try fetch("/", session)) == "HTTP/1.1 200", "still logged in")
        let loggedOut = try fetch("/logout", "\(session) -X POST -H 'Origin: https://station.test:\(web.port)'")
        #expect(status(loggedOut) == "HTTP/1.1 303" && loggedOut.contains("Location: /login"), "\(loggedOut.prefix(400))")
        #expect(loggedOut.contains("Set-Cookie: __Host-station-session=; Path=/; Max-Age=0;"), "\(loggedOut.prefix(400))")
        #expect(status(try fetch("/", session)) == "HTTP/1.1 303", "the session is over")
        #expect(status(try fetch("/events", session)) == "HTTP/1.1 401")

        // Every answer carried the strict headers.
        for answer in answers {
            #expect(answer.contains("Content-Security-Policy: default-src 'none';"), "\(answer.prefix(300))")
            #expect(answer.contains("X-Frame-Options: DENY") && answer.contains("X-Content-Type-Options: nosniff"))
        }
        #expect(answers.count > 25)
    }
}
