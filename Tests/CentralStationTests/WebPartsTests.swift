@testable import CentralStation
import Foundation
import Testing

struct RelayLogTests {
    @Test func givesWhatFollowsANumberWhileItIsKept() {
        var log = RelayLog(capacity: 3)
        for index in 1...5 { log.append(event: "chair", data: Array("\(index)".utf8)) }
        #expect(log.messages(after: 5) == [])
        #expect(log.messages(after: 4)?.map(\.number) == [5])
        #expect(log.messages(after: 2)?.map(\.number) == [3, 4, 5])
        #expect(log.messages(after: 6) == nil, "a number not given out")
        for index in 6...6 { log.append(event: "chair", data: Array("\(index)".utf8)) }
        #expect(log.messages(after: 0) == nil, "trimmed to the capacity: the browser needs a snapshot")
        #expect(log.messages(after: 3)?.map(\.number) == [4, 5, 6])
    }
}

struct ServerSentEventsTests {
    @Test func framesCarryTheRunsEpochAndNumber() {
        let message = RelayMessage(number: 7, event: "chair", data: Array(#"{"a":1}"#.utf8))
        #expect(String(decoding: ServerSentEvents.frame(message, epoch: "ab12"), as: UTF8.self)
            == "id: ab12-7\nevent: chair\ndata: {\"a\":1}\n\n")
        #expect(String(decoding: ServerSentEvents.unnumberedFrame(event: "heartbeat", data: Array("{}".utf8)), as: UTF8.self)
            == "event: heartbeat\ndata: {}\n\n")
    }

    @Test func onlyThisRunsIdsResume() {
        #expect(ServerSentEvents.relayNumber(lastEventID: "ab12-7", epoch: "ab12") == 7)
        #expect(ServerSentEvents.relayNumber(lastEventID: " ab12-7 ", epoch: "ab12") == 7)
        #expect(ServerSentEvents.relayNumber(lastEventID: "cd34-7", epoch: "ab12") == nil)
        #expect(ServerSentEvents.relayNumber(lastEventID: "ab12-x", epoch: "ab12") == nil)
        #expect(ServerSentEvents.relayNumber(lastEventID: nil, epoch: "ab12") == nil)
    }
}

struct ListenAddressTests {
    @Test func readsHostAndPortAndKnowsLoopback() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8480") == ListenAddress(host: "127.0.0.1", port: 8480))
        #expect(try ListenAddress(parsing: "[::1]:9000").description == "[::1]:9000")
        #expect(try ListenAddress(parsing: "localhost:0").port == 0)
        for loopback in ["127.0.0.1:8480", "127.9.8.7:1", "[::1]:8480", "localhost:80"] {
            #expect(try ListenAddress(parsing: loopback).isLoopback, "\(loopback)")
        }
        for beyond in ["0.0.0.0:8480", "10.1.2.3:8480", "[::]:8480", "clinic.example:80", "127.0.0:80", "127.0.0.1.5:80"] {
            #expect(try !ListenAddress(parsing: beyond).isLoopback, "\(beyond)")
        }
        for malformed in ["127.0.0.1", "127.0.0.1:70000", ":8480", "[::1:80", "host:port"] {
            #expect(throws: ListenAddress.Refusal.self, "\(malformed)") { try ListenAddress(parsing: malformed) }
        }
    }

    @Test func answersOnlyItsOwnHostNames() throws {
        let address = try ListenAddress(parsing: "127.0.0.1:8480")
        #expect(address.accepts(hostHeader: "127.0.0.1:8480"))
        #expect(address.accepts(hostHeader: "LOCALHOST:8480"))
        #expect(!address.accepts(hostHeader: "rebound.example:8480"), "a DNS-rebound page is refused")
        #expect(!address.accepts(hostHeader: "127.0.0.1:9999"))
        #expect(!address.accepts(hostHeader: nil))
        #expect(address.accepts(hostHeader: "station.clinic.example", extraHosts: ["station.clinic.example"]))
        #expect(address.accepts(hostHeader: "station.clinic.example:8480", extraHosts: ["station.clinic.example"]),
                "a name without a port matches with this server's port")
        #expect(!address.accepts(hostHeader: "station.clinic.example:9999", extraHosts: ["station.clinic.example"]))
    }
}

struct StaticAssetsTests {
    @Test func nothingIsFetchedFromElsewhereAndNothingRunsInline() throws {
        for (path, asset) in StaticAssets.byPath {
            let external = asset.body.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
            #expect(!external.contains("http://") && !external.contains("https://") && !external.contains("//cdn"), "\(path)")
        }
        let page = try #require(StaticAssets.byPath["/"]).body
        #expect(page.contains(#"<script src="/station.js" defer></script>"#))
        #expect(page.components(separatedBy: "<script").count == 2, "one script, loaded from this origin")
        #expect(!page.contains("style=") && !page.contains("onclick"), "no inline style or handler (the CSP forbids them)")
        #expect(!StaticAssets.contentSecurityPolicy.contains("unsafe"))
        #expect(StaticAssets.contentSecurityPolicy.contains("default-src 'none'"))
    }

    @Test func theScriptPlaysTheThreePriorityPatterns() throws {
        let script = try #require(StaticAssets.byPath["/station.js"]).body
        // IEC 60601-1-8: high a ten-pulse burst, medium three pulses, low one or two (docs/CENTRAL-STATION.md).
        let onsets = try #require(script.firstMatch(of: /high: \{[^}]*onsets: \[([0-9, ]+)\]/)).1
        #expect(onsets.split(separator: ",").count == 10)
        let medium = try #require(script.firstMatch(of: /medium: \{[^}]*onsets: \[([0-9, ]+)\]/)).1
        #expect(medium.split(separator: ",").count == 3)
        let low = try #require(script.firstMatch(of: /low: \{[^}]*onsets: \[([0-9, ]+)\]/)).1
        #expect((1...2).contains(low.split(separator: ",").count))
    }
}

struct ServingPolicyTests {
    private func decide(_ address: String, certificate: Bool = false, key: Bool = false, users: Bool = false) throws
        -> ServingPolicy.Decision
    {
        try ServingPolicy.decide(.init(
            address: try ListenAddress(parsing: address), certificate: certificate, privateKey: key, users: users))
    }

    @Test func loopbackMayServePlainHTTPOrTLSAndAnythingElseNeedsTLSAndALogin() throws {
        #expect(try decide("127.0.0.1:8480") == .init(tls: false, login: false))
        #expect(try decide("[::1]:8480", certificate: true, key: true) == .init(tls: true, login: false))
        #expect(try decide("10.1.2.3:443", certificate: true, key: true, users: true) == .init(tls: true, login: true))
        #expect(try decide("0.0.0.0:8480", certificate: true, key: true, users: true) == .init(tls: true, login: true))
        let refused: [(String, Bool, Bool, Bool)] = [
            ("0.0.0.0:8480", false, false, false),   // plain HTTP on the network
            ("10.1.2.3:443", true, true, false),     // TLS without a login
            ("10.1.2.3:443", false, false, true),    // a login in clear
            ("127.0.0.1:8480", false, false, true),  // a login in clear, even on loopback
            ("127.0.0.1:8480", true, false, false),  // a certificate without its key
            ("10.1.2.3:443", false, true, true),     // a key without its certificate
        ]
        for (address, certificate, key, users) in refused {
            #expect(throws: ServingPolicy.Refusal.self, "\(address) \(certificate) \(key) \(users)") {
                try decide(address, certificate: certificate, key: key, users: users)
            }
        }
    }
}

struct StationUsersTests {
    private let yescrypt = "$y$j9T$Fjx1KZ0t5ud1GvWIBk4kK/$3Khe4w8wBFZZ7n7d0sbVg0mO5BcP2qNo0lmGbmcAdM5"

    @Test func readsUsersWithSlowSaltedHashesAndTheSessionLength() throws {
        let users = try StationUsers(json: Array(#"{"users":[{"name":"rn.lee","passwordHash":"\#(yescrypt)"}],"sessionHours":8}"#.utf8))
        #expect(users.users["rn.lee"]?.passwordHash == yescrypt)
        #expect(users.sessionSeconds == 8 * 3600)
        let byDefault = try StationUsers(json: Array(#"{"users":[{"name":"a","passwordHash":"\#(yescrypt)"}]}"#.utf8))
        #expect(byDefault.sessionSeconds == 12 * 3600, "one shift")
    }

    @Test func refusesFastDigestsDuplicatesAndNonsense() {
        let refused = [
            #"{"users":[]}"#,
            #"{"users":[{"name":"a","passwordHash":"$6$saltsalt$9p0XbHcOVIVgUQLLXUIhMquoKnCb0BLR7/FrUsYjgbNqcWuuvg9F0kjh8L5ovYnMTVLB1dCqCZpgQh6hrmTvZ/"}]}"#,
            #"{"users":[{"name":"a","passwordHash":"$5$saltsalt$1/5p6V4V.m3PvG0yr7fc4lsI8Zkc3FRaZHO3sjHmjc8"}]}"#,
            #"{"users":[{"name":"a","passwordHash":"5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"}]}"#,
            #"{"users":[{"name":"a","passwordHash":"$1$salt$qJH7.N4xYta3aEG/dfqo/0"}]}"#,
            #"{"users":[{"name":"a","passwordHash":"\#(yescrypt)"},{"name":"a","passwordHash":"\#(yescrypt)"}]}"#,
            #"{"users":[{"name":"rn lee","passwordHash":"\#(yescrypt)"}]}"#,
            #"{"users":[{"name":"a","passwordHash":"\#(yescrypt)"}],"sessionHours":48}"#,
            #"{"people":[]}"#,
        ]
        for json in refused {
            #expect(throws: StationUsers.Problem.self, "\(json)") { try StationUsers(json: Array(json.utf8)) }
        }
    }
}

struct LoginSessionsTests {
    @Test func aSessionLastsItsLifetimeAndNoLonger() {
        var sessions = LoginSessions(lifetimeSeconds: 600)
        sessions.open(token: "t1", user: "rn.lee", now: 1000)
        #expect(sessions.user(token: "t1", now: 1599) == "rn.lee")
        #expect(sessions.user(token: "t2", now: 1100) == nil, "an unknown token")
        #expect(sessions.user(token: nil, now: 1100) == nil)
        #expect(sessions.user(token: "t1", now: 1600) == nil, "expired")
        #expect(sessions.count(now: 1000) == 0, "an expired session is gone")
    }

    @Test func aLogoutEndsOnlyItsSession() {
        var sessions = LoginSessions(lifetimeSeconds: 600)
        sessions.open(token: "a", user: "u", now: 0)
        sessions.open(token: "b", user: "v", now: 0)
        sessions.close(token: "a")
        sessions.close(token: nil)
        #expect(sessions.user(token: "a", now: 1) == nil && sessions.user(token: "b", now: 1) == "v")
    }

    @Test func beyondItsCapacityTheSessionClosestToExpiringEnds() {
        var sessions = LoginSessions(lifetimeSeconds: 600, capacity: 2)
        sessions.open(token: "a", user: "u", now: 0)
        sessions.open(token: "b", user: "u", now: 10)
        sessions.open(token: "c", user: "u", now: 20)
        #expect(sessions.user(token: "a", now: 30) == nil)
        #expect(sessions.user(token: "b", now: 30) == "u" && sessions.user(token: "c", now: 30) == "u")
    }
}

struct LoginRequestTests {
    @Test func decodesTheLoginForm() {
        #expect(LoginRequest.formFields(Array("user=rn.lee&password=correct+horse%21%C3%A9".utf8))
            == ["user": "rn.lee", "password": "correct horse!é"])
        #expect(LoginRequest.formFields(Array("user=a&user=b&password=".utf8)) == ["user": "a", "password": ""])
        #expect(LoginRequest.formFields(Array("user=%zz".utf8)) == nil, "a malformed escape")
        #expect(LoginRequest.formFields(Array("user=%C3".utf8)) == nil, "invalid UTF-8")
        #expect(LoginRequest.formFields(Array("user=%4".utf8)) == nil, "a cut escape")
    }

    @Test func findsTheSessionCookieAndSetsItSecureHttpOnlyAndStrict() {
        #expect(LoginRequest.sessionToken(cookieHeaders: ["theme=dark; __Host-station-session=abc123 ; x=y"]) == "abc123")
        #expect(LoginRequest.sessionToken(cookieHeaders: ["station-session=abc123"]) == nil)
        #expect(LoginRequest.sessionToken(cookieHeaders: []) == nil)
        let cookie = LoginRequest.sessionCookie(token: "abc123", lifetimeSeconds: 3600)
        #expect(cookie.hasPrefix("__Host-station-session=abc123;"))
        for attribute in ["Path=/", "Max-Age=3600", "Secure", "HttpOnly", "SameSite=Strict"] {
            #expect(cookie.split(separator: ";").map { $0.trimmingPrefix(" ") }.contains { $0 == attribute }, "\(attribute)")
        }
        #expect(!cookie.contains("Domain"), "a __Host- cookie names no domain")
        let forget = LoginRequest.expiredSessionCookie
        #expect(forget.hasPrefix("__Host-station-session=;") && forget.contains("; Max-Age=0;") && forget.contains("; Secure"))
    }

    @Test func theLoginPagePostsOnlyHereAndRunsNoScript() {
        for failed in [false, true] {
            let page = StaticAssets.loginPage(failed: failed)
            #expect(page.contains(#"<form class="login-box" method="post" action="/login">"#))
            #expect(!page.contains("<script") && !page.contains("style="))
            #expect(page.contains("Wrong user name or password") == failed)
        }
        #expect(StaticAssets.loginContentSecurityPolicy.contains("form-action 'self'"))
        #expect(StaticAssets.loginContentSecurityPolicy
            == StaticAssets.contentSecurityPolicy.replacingOccurrences(of: "form-action 'none'", with: "form-action 'self'"))
    }
}
