import Foundation
import Testing

/// `infusion-web` against a real infusiond driving simulated devices, checked over real HTTP with curl.
@Suite(.serialized)
struct CentralStationTests {

    @Test func servesThePageAndItsAssetsWithTheSecurityHeadersAndNothingElse() throws {
        let scratch = try ScratchDirectory()
        let web = try WebStation(socketPath: scratch.file("none.sock"))
        let page = try web.fetch("/")
        #expect(page.stdout.hasPrefix("HTTP/1.1 200"), "\(page.stdout.prefix(300))")
        #expect(page.stdout.contains("Content-Security-Policy: default-src 'none'; script-src 'self'"))
        #expect(page.stdout.contains("X-Content-Type-Options: nosniff"))
        #expect(page.stdout.contains(#"<script src="/station.js" defer></script>"#))
        #expect(try web.fetch("/station.js").stdout.contains("Content-Type: text/javascript"))
        #expect(try web.fetch("/station.css").stdout.contains("Content-Type: text/css"))
        #expect(try web.fetch("/missing").stdout.hasPrefix("HTTP/1.1 404"))
        #expect(try web.fetch("/", "-X POST -d x=1").stdout.hasPrefix("HTTP/1.1 405"), "read-only")
        #expect(try web.fetch("/", "-H 'Host: rebound.example:8480'").stdout.hasPrefix("HTTP/1.1 403"))

        // No daemon at that path: the stream says so, and the page covers itself with it.
        let stream = try EventStreamReader(url: web.baseURL)
        let snapshot = try stream.waitFor("a lost daemon link", timeout: 10) { $1.daemonState == "lost" }
        let reason = (snapshot.data["daemon"] as? [String: Any])?["reason"] as? String ?? ""
        #expect(reason.contains("cannot connect to infusiond"), "\(reason)")
        stream.stop()
        web.stop()
        #expect(web.process.terminationStatus == 0, "SIGTERM stops it cleanly")
    }

    @Test func followsAChairThroughAnAlarmARestartAndALostDaemon() throws {
        let chair = try SimulatedChair.infusing()
        let web = try WebStation(socketPath: chair.daemon.socketPath)
        let stream = try EventStreamReader(url: web.baseURL)
        try stream.waitFor("chair 1 infusing with SpO2") { _, data in
            let vitals = data.chairTile("1")?["vitals"] as? [[String: Any]] ?? []
            return data.chairTile("1")?["state"] as? String == "infusing" && vitals.contains { $0["parameter"] as? String == "spo2" }
        }
        let before = try #require(stream.events.last { $0.id != nil }?.id)

        // An occlusion on the simulated pump: on the stream about as soon as infusiond raises it.
        let watcher = try chair.client()
        defer { watcher.close() }
        _ = try watcher.request(#"{"cmd":"watch","topics":["alarms"]}"#)
        try chair.control(chair.pumpPath, "fault occlusion on")
        let raised = try chair.waitForEvent(on: watcher, timeout: 30) {
            $0["event"] as? String == "alarm.raised" && $0.detail["priority"] as? String == "high"
        }
        let condition = try #require(raised.detail["condition"] as? String)
        let raisedAt = Date()
        try stream.waitFor("the \(condition) alarm", timeout: 10) { _, data in
            let alarms = data.chairTile("1")?["alarms"] as? [[String: Any]] ?? []
            return alarms.contains { $0["condition"] as? String == condition && $0["priority"] as? String == "high" }
                && data.chairTile("1")?["sounding"] as? String == "high"
        }
        let delay = Date().timeIntervalSince(raisedAt)
        #expect(delay < 2, "on the stream \(delay) s after infusiond raised it")

        // A browser reconnecting with its last id gets exactly what it missed, not a snapshot.
        let resumed = try EventStreamReader(url: web.baseURL, lastEventID: before)
        try resumed.waitFor("the resumed alarm", timeout: 10) { _, data in
            (data.chairTile("1")?["alarms"] as? [[String: Any]] ?? []).contains { $0["condition"] as? String == condition }
        }
        let resumedEvents = resumed.events
        #expect(resumedEvents.first?.event != "snapshot", "\(resumedEvents.map(\.event))")
        let epochAndNumber = before.split(separator: "-")
        #expect(resumedEvents.first?.id == "\(epochAndNumber[0])-\(Int(epochAndNumber[1])! + 1)", "resumed right after \(before)")
        resumed.stop()

        // infusiond restarts while infusion-web is frozen, and an observation is recorded before it wakes:
        // it reconnects with `since` and shows it, with the link lost meanwhile.
        kill(web.process.processIdentifier, SIGSTOP)
        try chair.restartDaemon(after: SIGTERM)
        let nurse = try chair.client()
        defer { nurse.close() }
        let observed = try nurse.request(#"{"cmd":"observe","chair":"1","scores":{"moaas":4},"note":"central station test"}"#)
        #expect(observed.ok, "\(observed)")
        let beforeWaking = stream.events.count
        kill(web.process.processIdentifier, SIGCONT)
        try stream.waitFor("the lost link", timeout: 10, after: beforeWaking) { $1.daemonState == "lost" }
        try stream.waitFor("the observation recorded during the restart", timeout: 20) { _, data in
            let observations = data.chairTile("1")?["observations"] as? [[String: Any]] ?? []
            return observations.contains { $0["scale"] as? String == "moaas" && $0["value"] as? Int == 4 }
        }
        try stream.waitFor("the link back", timeout: 20, after: beforeWaking) { $1.daemonState == "connected" }

        // infusiond stops: the stream says so.
        let seen = stream.events.count
        try chair.daemon.stop()
        try stream.waitFor("the lost link after a stop", timeout: 10, after: seen) { $1.daemonState == "lost" }
    }
}
