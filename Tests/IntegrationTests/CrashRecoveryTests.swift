import Foundation
import Testing

/// Issue 7 end to end: infusiond killed with SIGKILL at random points while an operator keeps sending
/// commands; every restart rebuilds the chair from the audit store, no acknowledged command is missing, and
/// the hash chain verifies (and names a record altered behind the daemon's back).
@Suite("Crash recovery", .serialized) struct CrashRecoveryTests {
    /// Acknowledges and resumes until the daemon lets the infusion continue; returns the ids it acknowledged.
    private func acknowledgeAndResume(_ client: LineClient, round: Int) throws -> [String] {
        var acknowledged: [String] = []
        let deadline = Date().addingTimeInterval(40)
        var attempt = 0
        while Date() < deadline {
            attempt += 1
            let ack = try client.request(#"{"cmd":"ack","chair":"1","id":"ack-\#(round)-\#(attempt)"}"#)
            if ack.ok { acknowledged.append("ack-\(round)-\(attempt)") }
            let resume = try client.request(#"{"cmd":"resume","chair":"1","id":"resume-\#(round)-\#(attempt)"}"#)
            if resume.ok {
                acknowledged.append("resume-\(round)-\(attempt)")
                return acknowledged
            }
            usleep(250_000)
        }
        throw Failure("round \(round): the chair never resumed")
    }

    /// Sends titrations (inside the soft rate limit) as fast as the daemon answers, until the connection
    /// dies; the increases come faster than the titration interval, so they carry an override reason.
    private func operatorTraffic(round: Int, socket: String, acknowledged: Locked<[String]>) -> Thread {
        let thread = Thread {
            guard let client = try? LineClient(path: socket, receiveTimeout: 10), (try? client.readHello()) != nil else { return }
            defer { client.close() }
            var n = 0
            while true {
                n += 1
                let rate = n.isMultiple(of: 2) ? "0.5" : "0.55"
                let id = "rate-\(round)-\(n)"
                let request = #"{"cmd":"rate","chair":"1","rate":\#(rate),"unit":"mg/kg/h","id":"\#(id)","#
                    + #""confirm":true,"reason":"titration under test"}"#
                guard let reply = try? client.request(request)
                else { return }
                if reply.ok { acknowledged.mutate { $0.append(id) } }
                usleep(20_000)
            }
        }
        thread.start()
        return thread
    }

    @Test func sigkillAtRandomPointsLosesNoAcknowledgedCommand() throws {
        let (chair, first) = try SimulatedChair.infusingOnOximeter()
        first.close()
        let acknowledged = Locked<[String]>([])
        let rounds = 20
        for round in 1...rounds {
            let traffic = operatorTraffic(round: round, socket: chair.daemon.socketPath, acknowledged: acknowledged)
            usleep(UInt32.random(in: 50_000...1_200_000))
            try chair.restartDaemon(after: SIGKILL)
            while traffic.isExecuting { usleep(10_000) }

            let client = try chair.client()
            defer { client.close() }
            let status = try client.request(#"{"cmd":"status"}"#)
            let state = (status.result["chairs"] as? [[String: Any]])?.first?["state"] as? String
            #expect(state == "paused", "round \(round): the session is rebuilt and paused, not lost: \(status)")
            let early = try client.request(#"{"cmd":"resume","chair":"1"}"#)
            #expect(early.errorCode == "restart-unacknowledged", "round \(round): \(early)")
            let resumed = try acknowledgeAndResume(client, round: round)
            acknowledged.mutate { $0.append(contentsOf: resumed) }
        }

        let client = try chair.client()
        let verified = try client.request(#"{"cmd":"audit-verify"}"#)
        #expect(verified.result["intact"] as? Bool == true, "\(verified)")
        client.close()
        try chair.daemon.stop(signal: SIGTERM)

        let database = chair.scratch.file("state/audit.sqlite")
        let stored = try storedCommandIDs(database)
        let missing = acknowledged.get().filter { !stored.contains($0) }
        #expect(acknowledged.get().count > rounds * 2, "the test really sent commands between the kills")
        #expect(missing.isEmpty, "acknowledged but not in the store: \(missing)")

        let restores = try Shell.run("sqlite3 -readonly \(database) \"SELECT count(*) FROM audit_record WHERE kind='restart' AND payload LIKE '%\\\"kind\\\":\\\"restored\\\"%'\"")
        #expect(Int(restores.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == rounds, "one restore per kill: \(restores)")
    }

    /// The New Era pump's safe mode (5 s by default) stops it when the daemon stays away longer; the restarted
    /// daemon finds it stopped and says so in the reconciliation record.
    @Test func aPumpStoppedBySafeModeDuringTheOutageIsReportedSo() throws {
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        client.close()
        sleep(2)
        try chair.daemon.stop(signal: SIGKILL)
        sleep(8)
        let pumpSays = try chair.control(chair.pumpPath, "state")
        try chair.restartDaemon(after: SIGKILL)
        let database = chair.scratch.file("state/audit.sqlite")
        let deadline = Date().addingTimeInterval(30)
        var reconciled = ""
        while reconciled.isEmpty && Date() < deadline {
            reconciled = try Shell.run(
                "sqlite3 -readonly \(database) \"SELECT payload FROM audit_record WHERE kind='restart' AND payload LIKE '%reconciled%'\""
            ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            usleep(200_000)
        }
        #expect(reconciled.contains(#""pumpStoppedDuringOutage":true"#), "pump said \(pumpSays); record: \(reconciled)")
        #expect(reconciled.contains(#""safeModeExpired":true"#), "\(reconciled)")
        let status = try chair.client().request(#"{"cmd":"status"}"#)
        #expect((status.result["chairs"] as? [[String: Any]])?.first?["state"] as? String == "paused")
    }

    /// A clean stop (SIGTERM) pauses every infusing chair through its core and waits for the pump to confirm before
    /// the links close, so the pump stops at once, not by its own safe-mode timer (a Harvard pump has none): a
    /// watcher sees the pause before its `shutdown` event, the pump simulator is still, and the restart finds the
    /// chair paused with the reason in the audit log.
    @Test func aCleanStopPausesTheInfusingPumpBeforeTheLinksClose() throws {
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        #expect(try eventually(within: 20) { try chair.simulatorState(chair.pumpPath)["status"] == "I" })
        let watcher = try chair.client()
        #expect(try watcher.request(#"{"cmd":"watch","topics":["session"]}"#).ok)
        client.close()
        chair.daemon.signal(SIGTERM)
        var seen: [String] = []
        while let message = try? watcher.readJSON(), seen.last != "shutdown" {
            guard let name = message["event"] as? String else { continue }
            let detail = (message["data"] as? [String: Any])?["detail"] as? [String: Any] ?? [:]
            seen.append(name == "session.state" ? "\(name):\(detail["to"] ?? "?"):\(detail["reason"] ?? "?")" : name)
        }
        // The transition's reason is the operator kind; the pause's own reason is in its command record below.
        #expect(seen.contains("session.state:paused:operator"), "\(seen)")
        #expect(seen.last == "shutdown", "\(seen)")
        _ = try chair.daemon.waitForExit()
        let pump = try chair.simulatorState(chair.pumpPath)
        #expect(pump["status"] != "I", "\(pump)")
        #expect(chair.daemon.logText.contains("each pump confirmed stopped"), "\(chair.daemon.logText)")

        try chair.startDaemonAgain()
        let restored = try chair.client()
        let state = (try restored.request(#"{"cmd":"status"}"#).result["chairs"] as? [[String: Any]])?.first?["state"] as? String
        #expect(state == "paused")
        let database = chair.scratch.file("state/audit.sqlite")
        let recorded = try Shell.run(
            "sqlite3 -readonly \(database) \"SELECT count(*) FROM audit_record WHERE payload LIKE '%infusiond is stopping%'\"")
        #expect((Int(recorded.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(recorded)")
    }

    @Test func verifyNamesARecordAlteredBehindTheDaemonsBack() throws {
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        let titrated = try client.request(#"{"cmd":"rate","chair":"1","rate":0.55,"unit":"mg/kg/h","id":"t-1"}"#)
        #expect(titrated.ok, "\(titrated)")
        client.close()
        let intact = try Shell.run("\(BuiltProducts.path("infusionctl")) audit verify --socket \(chair.daemon.socketPath)")
        #expect(intact.status == 0 && intact.stdout.contains("intact"), "\(intact)")
        try chair.daemon.stop(signal: SIGTERM)

        let database = chair.scratch.file("state/audit.sqlite")
        let target = try Shell.run(
            "sqlite3 \(database) \"SELECT sequence FROM audit_record WHERE kind='operator-command' AND payload LIKE '%t-1%'\"")
        let sequence = target.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Int(sequence) != nil, "\(target)")
        _ = try Shell.run("sqlite3 \(database) \"UPDATE audit_record SET payload = replace(payload, '0.55', '0.75') WHERE sequence = \(sequence)\"")

        try chair.restartDaemon(after: SIGTERM)
        let broken = try Shell.run("\(BuiltProducts.path("infusionctl")) audit verify --socket \(chair.daemon.socketPath)")
        #expect(broken.status == 65, "\(broken)")
        #expect(broken.stdout.contains("record \(sequence) does not verify"), "\(broken)")
    }

    /// Removing the newest records leaves a valid, shorter chain; the anchor kept from `status` shows the cut.
    @Test func anAnchorShowsALogCutBack() throws {
        let (chair, client) = try SimulatedChair.infusingOnOximeter()
        sleep(1)
        let anchor = try #require((client.request(#"{"cmd":"status"}"#).result["audit"] as? [String: Any])?["anchor"] as? String)
        client.close()
        let verify = "\(BuiltProducts.path("infusionctl")) audit verify --anchor \(anchor) --socket \(chair.daemon.socketPath)"
        #expect(try Shell.run(verify).status == 0)
        try chair.daemon.stop(signal: SIGTERM)

        let database = chair.scratch.file("state/audit.sqlite")
        let sequence = anchor.split(separator: ":")[0]
        _ = try Shell.run("sqlite3 \(database) \"DELETE FROM audit_record WHERE sequence >= \(sequence)\"")
        try chair.restartDaemon(after: SIGTERM)
        let plain = try Shell.run("\(BuiltProducts.path("infusionctl")) audit verify --socket \(chair.daemon.socketPath)")
        #expect(plain.status == 0, "without an anchor a cut-back chain still verifies: \(plain)")
        let anchored = try Shell.run(verify)
        #expect(anchored.status == 65 && anchored.stdout.contains("record \(sequence) does not verify"), "\(anchored)")
    }

    /// The state directory on a 2 MB tmpfs in the daemon's own mount namespace (we run as root here; the mount
    /// vanishes with the process). The test fills it through /proc/PID/root, as a growing log file would.
    @Test func aFullDiskRaisesTheAlarmWhileControlContinuesAndLosesNothing() throws {
        let (chair, client) = try SimulatedChair.infusingOnOximeter { scratch in
            ["/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
             #"mkdir -p "$0" && mount -t tmpfs -o size=2m tmpfs "$0" && exec "$@""#, scratch.file("state")]
        }
        defer { client.close() }
        let watcher = try chair.client()
        _ = try watcher.request(#"{"cmd":"watch","topics":["alarms","pump"]}"#)
        let stateInDaemon = "/proc/\(chair.daemon.process.processIdentifier)/root\(chair.scratch.file("state"))"
        #expect(try Shell.run("findmnt -N \(chair.daemon.process.processIdentifier) -n -o FSTYPE --target \(chair.scratch.file("state"))").stdout.contains("tmpfs"))
        _ = try Shell.run("dd if=/dev/zero of=\(stateInDaemon)/filler bs=64k 2>/dev/null; sync")

        // 0.55 mg/kg/h × 70 kg ÷ 10 mg/mL = 3.85 mL/h below. Records keep coming (vitals, read-backs); the next commit fails and the alarm follows.
        let raised = try chair.waitForEvent(on: watcher, timeout: 30) {
            $0["event"] as? String == "alarm.raised" && $0.detail["condition"] as? String == "recordKeepingFailure"
        }
        #expect(raised.detail["priority"] as? String == "medium")
        let titrated = try client.request(#"{"cmd":"rate","chair":"1","rate":0.55,"unit":"mg/kg/h","id":"on-full-disk"}"#)
        #expect(titrated.errorCode == "not-durable", "carried out but not acknowledged as durable: \(titrated)")
        _ = try chair.waitForEvent(on: watcher) {
            $0["event"] as? String == "pump.readback" && $0.detail["rateMillilitresPerHour"] as? Double == 3.85
        }
        let status = try client.request(#"{"cmd":"status"}"#)
        let audit = status.result["audit"] as? [String: Any] ?? [:]
        #expect(audit["health"] as? String == "degraded" && (audit["held"] as? Int ?? 0) > 0, "\(audit)")
        #expect((status.result["chairs"] as? [[String: Any]])?.first?["state"] as? String == "infusing")

        _ = try Shell.run("rm -f \(stateInDaemon)/filler")
        _ = try chair.waitForEvent(on: watcher, timeout: 30) {
            $0["event"] as? String == "alarm.cleared" && $0.detail["condition"] as? String == "recordKeepingFailure"
        }
        let after = try client.request(#"{"cmd":"status"}"#).result["audit"] as? [String: Any] ?? [:]
        #expect(after["health"] as? String == "healthy" && after["dropped"] as? Int == 0, "nothing lost: \(after)")
        // The command took effect, so its record (written once space returned) says ok; exactly once.
        let rows = try Shell.run(
            "nsenter -t \(chair.daemon.process.processIdentifier) -m sqlite3 \(chair.scratch.file("state/audit.sqlite")) "
                + "\"SELECT payload FROM audit_record WHERE payload LIKE '%on-full-disk%'\"")
        #expect(rows.stdout.split(separator: "\n").count == 1 && rows.stdout.contains(#""ok":true"#), "\(rows)")
        #expect(try client.request(#"{"cmd":"audit-verify"}"#).result["intact"] as? Bool == true)
    }

    /// The store's operator-command ids, read with the sqlite3 shell (not through the daemon's code).
    private func storedCommandIDs(_ database: String) throws -> Set<String> {
        let out = try Shell.run("sqlite3 -readonly \(database) \"SELECT payload FROM audit_record WHERE kind='operator-command'\"")
        var ids: Set<String> = []
        for line in out.stdout.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["ok"] as? Bool == true, let id = object["id"] as? String
            else { continue }
            ids.insert(id)
        }
        return ids
    }
}
