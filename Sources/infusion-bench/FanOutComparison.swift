import Foundation
import InfusionCore
import InfusionDaemon

/// Issue 21's side-by-side run: the same shape of work for infusiond and for gpsd, in the same run.
/// A device on a pty writes a report at 10 Hz (for infusiond a Masimo Rad-5 line on the one chair's
/// monitor, for gpsd an NMEA GGA + RMC pair), and the daemon fans each out as JSON lines to N
/// watchers (infusiond: `watch` of `vitals`; gpsd: `?WATCH` with JSON). For each N, infusiond runs
/// first and gpsd second, each started fresh and stopped afterwards so that neither idles beside
/// the other's measurement.
struct FanOutComparison {
    var infusiond: String
    var gpsd: String
    var watcherCounts: [Int]
    var seconds: Double
    var warmUpSeconds: Double
    /// SCHED_FIFO priority for the benchmark's thread and infusiond's control thread; nil for normal.
    var priority: Int32?
    var lockMemory: Bool

    /// One watcher count: both daemons' results.
    struct Result: Codable {
        var watchers: Int
        var infusiond: PacedReportRun.Result
        var gpsd: PacedReportRun.Result
        /// At one watcher only: infusiond again with a patient taken in at the chair, so every reading goes to the
        /// control thread at once and the chair is ticked at the full rate (not a goal: what watching costs).
        var infusiondWatchingAPatient: PacedReportRun.Result?
    }

    func run(log: (String) -> Void) throws -> [Result] {
        try watcherCounts.map { count in
            log("fan-out beside gpsd: \(count) watchers, \(Int(seconds)) s each")
            var result = Result(watchers: count, infusiond: try runInfusiond(watchers: count), gpsd: try runGpsd(watchers: count))
            if count == 1 {
                log("fan-out beside gpsd: 1 watcher, a patient in the chair, \(Int(seconds)) s")
                result.infusiondWatchingAPatient = try runInfusiond(watchers: count, patient: true)
            }
            return result
        }
    }

    /// infusiond with one chair that has only a monitor, a Masimo on a pty; its watchers watch `vitals`. With
    /// `patient`, a patient is taken in first (`intake`), so the chair is no longer quiescent.
    private func runInfusiond(watchers: Int, patient: Bool = false) throws -> PacedReportRun.Result {
        let directory = try ScratchDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let monitor = try BenchPty(linkPath: directory + "/monitor1")
        defer { monitor.close() }
        var configuration = DaemonConfiguration(
            chairs: [ChairSettings(id: "1", monitor: DeviceBinding(family: .masimo, path: monitor.linkPath))],
            core: CoreConfiguration())
        configuration.logging.level = "warning"
        configuration.control.realtimePriority = priority
        configuration.control.lockMemory = lockMemory
        configuration.audit.directory = directory
        let configPath = directory + "/infusiond.json"
        try configuration.renderedJSON().write(toFile: configPath, atomically: true, encoding: .utf8)
        let notify = try NotifyListener(path: directory + "/notify.sock")
        let daemon = try DaemonUnderTest(
            executable: infusiond, configPath: configPath, socketPath: directory + "/infusiond.sock",
            notifySocket: notify.path, logPath: directory + "/infusiond.log")
        defer { daemon.stop() }
        guard notify.waitForReady(timeout: 30, stillRunning: { daemon.process.isRunning }) != nil else {
            throw BenchError("infusiond (fan-out) sent no READY=1")
        }
        if patient {
            let admin = try LineSocket(path: daemon.socketPath)
            let intake = try admin.request(
                #"{"cmd":"intake","chair":"1","patientID":"G-1","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"bench"}"#)
            guard intake.isOK else { throw BenchError("intake refused: \(intake)") }
        }
        let sockets = try (0..<watchers).map { _ in
            let socket = try LineSocket(path: daemon.socketPath)
            let reply = try socket.request(#"{"cmd":"watch","topics":["vitals"]}"#)
            guard reply.isOK else { throw BenchError("watch refused: \(reply)") }
            return socket
        }
        let result = PacedReportRun(
            device: monitor, watchers: sockets.map(\.descriptor), daemonPID: daemon.pid,
            report: MasimoReport.line, key: MasimoReport.pulse, keyInLine: MasimoReport.pulse(inVitalLine:),
            warmUpSeconds: warmUpSeconds, seconds: seconds, priority: priority
        ).run()
        withExtendedLifetime(sockets) {}
        return result
    }

    /// gpsd reading NMEA from a pty; its watchers connect to its private TCP port.
    private func runGpsd(watchers: Int) throws -> PacedReportRun.Result {
        let directory = try ScratchDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let receiver = try BenchPty(linkPath: directory + "/gps0")
        defer { receiver.close() }
        let daemon = try GpsdUnderTest(executable: gpsd, devicePath: receiver.linkPath, directory: directory)
        defer { daemon.stop() }
        let descriptors = try (0..<watchers).map { _ in try daemon.connectWatcher() }
        defer { descriptors.forEach { _ = close($0) } }
        return PacedReportRun(
            device: receiver, watchers: descriptors, daemonPID: daemon.pid,
            report: NMEAReport.sentences, key: { $0 % 36_000 }, keyInLine: NMEAReport.sequence(inTPV:),
            warmUpSeconds: warmUpSeconds, seconds: seconds, priority: priority
        ).run()
    }
}
