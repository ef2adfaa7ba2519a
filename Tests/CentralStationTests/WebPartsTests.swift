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
    @Test func loopbackOnly() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8480") == ListenAddress(host: "127.0.0.1", port: 8480))
        #expect(try ListenAddress(parsing: "[::1]:9000").description == "[::1]:9000")
        #expect(try ListenAddress(parsing: "localhost:0").port == 0)
        for refused in ["0.0.0.0:8480", "10.1.2.3:8480", "[::]:8480", "clinic.example:80", "127.0.0.1", "127.0.0.1:70000", "127.0.0:80"] {
            #expect(throws: ListenAddress.Refusal.self, "\(refused)") { try ListenAddress(parsing: refused) }
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
