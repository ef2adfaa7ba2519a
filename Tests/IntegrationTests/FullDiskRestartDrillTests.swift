import Foundation
import Testing

/// Issue 21's drill: with the audit store's disk full, a titration down is carried out (answered `not-durable`),
/// the daemon is stopped, restarted, acknowledged and resumed. The simulated NE-1000 must run at the lower rate,
/// never at the older, higher one: after a SIGTERM because the held records reach the store (the reserve's second
/// half), after a SIGKILL because the restored chair takes the pump's own lower rate (docs/CORE.md, Restart).
@Suite("Full disk and restart drills", .serialized) struct FullDiskRestartDrillTests {
    /// The state directory on a 16 MB tmpfs in a mount namespace of its own, held by a `sleep` so it outlives
    /// each daemon (we run as root; the mount vanishes with the holder). Daemons enter it with `nsenter`.
    private final class FullDiskBench: @unchecked Sendable {
        let holder = Process()
        let stateDirectory: String

        init(scratch: ScratchDirectory) throws {
            stateDirectory = scratch.file("state")
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            holder.arguments = [
                "--mount", "--propagation", "private", "/bin/sh", "-c",
                #"mkdir -p "$0" && mount -t tmpfs -o size=16m tmpfs "$0" && exec sleep 900"#, stateDirectory,
            ]
            holder.standardOutput = FileHandle.nullDevice
            holder.standardError = FileHandle.nullDevice
            try holder.run()
            let mounted = try eventually(within: 10) {
                try Shell.run("findmnt -N \(holder.processIdentifier) -n -o FSTYPE --target \(stateDirectory)").stdout
                    .contains("tmpfs")
            }
            guard mounted else { throw Failure("the tmpfs did not appear") }
        }

        /// The prefix that starts a daemon inside the holder's mount namespace (nsenter execs it: same pid).
        var launcher: [String] { ["/usr/bin/nsenter", "-t", "\(holder.processIdentifier)", "-m", "--"] }

        /// A path in the state directory as the daemon sees it.
        func inState(_ name: String) -> String { "/proc/\(holder.processIdentifier)/root\(stateDirectory)/\(name)" }

        /// Writes zeros into `name` until the tmpfs refuses more, as a growing log file would.
        func fill(_ name: String) throws {
            _ = try Shell.run("dd if=/dev/zero of=\(inState(name)) bs=16k 2>/dev/null; sync")
        }

        func fileSize(_ name: String) -> Int? {
            (try? FileManager.default.attributesOfItem(atPath: inState(name)))?[.size] as? Int
        }

        deinit {
            if holder.isRunning {
                holder.terminate()
                holder.waitUntilExit()
            }
        }
    }

    /// A reserve of 4 MiB: 2 MiB keep records durable once the disk fills, 2 MiB wait for the stop.
    private static let audit = #"{"reserveBytes":4194304,"retrySeconds":0.5}"#

    private func audit(_ client: LineClient) throws -> [String: Any] {
        try client.request(#"{"cmd":"status"}"#).result["audit"] as? [String: Any] ?? [:]
    }

    /// Infusing at 5.25 mL/h; the disk fills (the reserve's first half keeps a titration to 0.65 mg/kg/h durable);
    /// it fills again and a titration to 0.55 mg/kg/h (3.85 mL/h) is carried out but answered `not-durable`.
    /// Returns the chair, the bench and a watcher of alarms and sessions.
    private func titrateDownOnAFullDisk() throws -> (SimulatedChair, FullDiskBench, LineClient) {
        let bench = Locked<FullDiskBench?>(nil)
        let (chair, client) = try SimulatedChair.infusingOnOximeter(auditConfiguration: Self.audit) { scratch in
            guard let made = try? FullDiskBench(scratch: scratch) else { return ["/bin/false"] }
            bench.mutate { $0 = made }
            return made.launcher
        }
        defer { client.close() }
        let disk = try #require(bench.get())
        #expect(disk.fileSize("audit.reserve") == 4_194_304, "the reserve is set aside at start")
        let watcher = try chair.client()
        _ = try watcher.request(#"{"cmd":"watch","topics":["alarms"]}"#)

        try disk.fill("filler-1")
        _ = try chair.waitForAlarm("raised", "recordKeepingFailure", on: watcher, timeout: 30)
        #expect(disk.fileSize("audit.reserve") == 2_097_152, "half the reserve was given back")
        let onReserve = try audit(client)
        #expect(onReserve["health"] as? String == "degraded" && (onReserve["reason"] as? String ?? "").contains("reserve"), "\(onReserve)")
        let durable = try client.request(#"{"cmd":"rate","chair":"1","rate":0.65,"unit":"mg/kg/h","id":"on-reserve"}"#)
        #expect(durable.ok, "written into the reserve, so durable: \(durable)")

        try disk.fill("filler-2")
        let holding = try eventually(within: 30) { (try audit(client)["held"] as? Int ?? 0) > 0 }
        let held = try audit(client)
        #expect(holding, "records are held once the reserve's first half is spent too: \(held)")
        let titrated = try client.request(#"{"cmd":"rate","chair":"1","rate":0.55,"unit":"mg/kg/h","id":"on-full-disk"}"#)
        #expect(titrated.errorCode == "not-durable", "carried out but not acknowledged as durable: \(titrated)")
        let onPump = try eventually(within: 10) { try pumpRate(chair) == 3.85 }
        let pump = try chair.simulatorState(chair.pumpPath)
        #expect(onPump, "the pump runs at the new rate: \(pump)")
        return (chair, disk, watcher)
    }

    /// After the restart: acknowledges and resumes as a nurse would, and returns the `session.reconciled` detail.
    private func acknowledgeAndResume(_ chair: SimulatedChair) throws -> [String: Any] {
        let watcher = try chair.client()
        defer { watcher.close() }
        _ = try watcher.request(#"{"cmd":"watch","topics":["session"],"since":0}"#)
        let reconciled = try chair.waitForEvent(on: watcher, timeout: 40) { $0["event"] as? String == "session.reconciled" }
        let client = try chair.client()
        defer { client.close() }
        #expect(try chair.chairStatus(client)["state"] as? String == "paused", "never resumed by itself")
        let pumpBefore = try chair.simulatorState(chair.pumpPath)
        #expect(pumpBefore["status"] != "I", "the pump is not running before the resume: \(pumpBefore)")
        try? chair.daemon.logText.write(toFile: "/tmp/faults-daemon.log", atomically: true, encoding: .utf8)
        let resumed = try eventually(within: 40) {
            _ = try client.request(#"{"cmd":"ack","chair":"1"}"#)
            return try client.request(#"{"cmd":"resume","chair":"1"}"#).ok
        }
        let status = try chair.chairStatus(client)
        #expect(resumed, "\(status)")
        return reconciled.detail
    }

    /// The simulated pump's rate in mL/h, as its `state` line prints it (`rate=3.85MH`).
    private func pumpRate(_ chair: SimulatedChair) throws -> Double? {
        guard let text = try chair.simulatorState(chair.pumpPath)["rate"], text.hasSuffix("MH") else { return nil }
        return Double(text.dropLast(2))
    }

    /// The simulated pump's own account: infusing, at the lower rate.
    private func expectPumpRunsAtTheLowerRate(_ chair: SimulatedChair) throws {
        let running = try eventually(within: 15) {
            let pump = try chair.simulatorState(chair.pumpPath)
            let rate = try pumpRate(chair)
            return pump["status"] == "I" && rate == 3.85
        }
        let pump = try chair.simulatorState(chair.pumpPath)
        #expect(running, "the pump must run at 3.85 mL/h (0.55 mg/kg/h), not 4.55 or 5.25: \(pump)")
        sleep(2)
        #expect(try pumpRate(chair) == 3.85, "and stays there")
    }

    @Test func aSigtermKeepsTheHeldRecordsAndTheResumedPumpRunsAtTheLowerRate() throws {
        let (chair, disk, watcher) = try titrateDownOnAFullDisk()
        watcher.close()
        try chair.daemon.stop(signal: SIGTERM)
        try? chair.daemon.logText.write(toFile: "/tmp/faults-daemon-1.log", atomically: true, encoding: .utf8)
        let closing = chair.daemon.logText.split(separator: "\n").first { $0.contains("audit store closed") } ?? ""
        #expect(closing.contains("dropped=0") && closing.contains("held=0"), "the stop wrote every held record: \(closing)")
        #expect(disk.fileSize("audit.reserve") == nil, "the reserve's second half took them")
        let stored = try Shell.run(
            "nsenter -t \(disk.holder.processIdentifier) -m sqlite3 \(disk.stateDirectory)/audit.sqlite "
                + "\"SELECT count(*) FROM audit_record WHERE kind = 'operator-command' AND payload LIKE '%on-full-disk%'\"")
        #expect(stored.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(stored)")

        // Space comes back before the restart (a nurse's acknowledgement should be durable again).
        _ = try Shell.run("rm -f \(disk.inState("filler-1")) \(disk.inState("filler-2"))")
        try chair.restartDaemon(after: SIGKILL)
        let reconciled = try acknowledgeAndResume(chair)
        #expect(reconciled["checkpointRateMillilitresPerHour"] as? Double == 3.85, "the checkpoint held the titration: \(reconciled)")
        #expect(reconciled["rateTakenFromPump"] as? Bool == false, "\(reconciled)")
        try expectPumpRunsAtTheLowerRate(chair)
    }

    @Test func aSigkillLosesTheHeldRecordsButTheResumedPumpStillRunsAtTheLowerRate() throws {
        let (chair, disk, watcher) = try titrateDownOnAFullDisk()
        watcher.close()
        try chair.daemon.stop(signal: SIGKILL)
        _ = try Shell.run("rm -f \(disk.inState("filler-1")) \(disk.inState("filler-2"))")
        try chair.restartDaemon(after: SIGKILL)
        let reconciled = try acknowledgeAndResume(chair)
        // The store's newest checkpoint is the durable titration on the reserve (0.65 mg/kg/h = 4.55 mL/h).
        #expect(reconciled["checkpointRateMillilitresPerHour"] as? Double == 4.55, "\(reconciled)")
        #expect(reconciled["pumpRateMillilitresPerHour"] as? Double == 3.85, "\(reconciled)")
        #expect(reconciled["rateTakenFromPump"] as? Bool == true, "\(reconciled)")
        try expectPumpRunsAtTheLowerRate(chair)
    }
}
