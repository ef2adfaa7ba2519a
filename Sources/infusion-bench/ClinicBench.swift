import DeviceProtocols
import Foundation
import InfusionCore
import InfusionDaemon

/// The real release `infusiond` driving every chair's simulated pump and monitor on ptys, measured
/// from outside: start to READY=1, command → pump wire, monitor frame → interlock pause on the
/// wire, event fan-out, and CPU, memory and missed ticks at full load, then the command and
/// interlock latencies again under that load.
struct ClinicBench {
    var executable: String
    var chairs: Int
    var watchers: Int
    var startupRuns: Int
    var commandSamples: Int
    var interlockSamples: Int
    var fanOutSamples: Int
    var steadySeconds: Double
    /// SCHED_FIFO priority; nil for normal priority.
    var priority: Int32?
    var lockMemory: Bool

    struct Result: Encodable {
        var startupMilliseconds: [Double]
        var commandToWire: Percentiles
        var commandToReply: Percentiles
        var vitalsToPause: Percentiles
        /// The same three while `watchers` clients receive every topic of every infusing chair.
        var loadedCommandToWire: Percentiles
        var loadedCommandToReply: Percentiles
        var loadedVitalsToPause: Percentiles
        /// 4 KiB + fdatasync in the audit store's directory: the floor of a durable reply (`DiskSyncProbe`).
        var diskSync: Percentiles
        var fanOut: [FanOutResult]
        var steady: SteadyStateResult
    }

    /// Chair ids are "1"..."N"; the command latency runs on chair 1, the interlock on chair 2.
    func run() throws -> Result {
        let directory = try ScratchDirectory.make()
        let diskSync = try DiskSyncProbe.measure(directory: directory, samples: commandSamples)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let devices = try BenchDevices(chairs: chairs, directory: directory)
        devices.start(priority: priority)
        defer { devices.stop() }
        let configPath = directory + "/infusiond.json"
        try configuration(devices, directory: directory).renderedJSON().write(toFile: configPath, atomically: true, encoding: .utf8)
        let notify = try NotifyListener(path: directory + "/notify.sock")

        var startup: [Double] = []
        var daemon: DaemonUnderTest?
        for run in 0..<startupRuns {
            let started = try DaemonUnderTest(
                executable: executable, configPath: configPath, socketPath: directory + "/infusiond.sock",
                notifySocket: notify.path, logPath: directory + "/infusiond-\(run).log")
            guard let ready = notify.waitForReady(timeout: 30, stillRunning: { started.process.isRunning }) else {
                started.stop()
                throw BenchError("infusiond sent no READY=1: \(Self.log(directory + "/infusiond-\(run).log"))")
            }
            startup.append(BenchClock.microseconds(from: started.spawnedAt, to: ready) / 1000)
            if run == startupRuns - 1 { daemon = started } else { started.stop() }
        }
        guard let daemon else { throw BenchError("no daemon run") }
        defer { daemon.stop() }

        let admin = try LineSocket(path: daemon.socketPath)
        try bringChairsToInfusing(admin)
        let command = try measureCommandToWire(admin, devices: devices)
        let interlock = try measureVitalsToPause(admin, devices: devices)
        let fanOut = try measureFanOut(admin, socketPath: daemon.socketPath)
        let fullLoad = try WatcherPool(
            count: watchers, socketPath: daemon.socketPath,
            topics: ["devices", "vitals", "pump", "alarms", "session", "notices"])
        // The load's watchers stand for a clinic's clients, ordinary processes: they read at normal priority. At
        // the bench's real-time priority their reading (a fifth of a core) would preempt the daemon's safety
        // threads, which run one step below the control thread (docs/PERFORMANCE.md, stage 8).
        fullLoad.start(priority: nil)
        defer { fullLoad.stop() }
        let steady = try measureSteadyState(admin, daemon: daemon, pool: fullLoad)
        // The safety paths again, while the same watchers keep receiving every topic.
        let loadedCommand = try measureCommandToWire(admin, devices: devices)
        let loadedInterlock = try measureVitalsToPause(admin, devices: devices)
        return Result(
            startupMilliseconds: startup, commandToWire: Percentiles(command.wire),
            commandToReply: Percentiles(command.reply), vitalsToPause: Percentiles(interlock),
            loadedCommandToWire: Percentiles(loadedCommand.wire), loadedCommandToReply: Percentiles(loadedCommand.reply),
            loadedVitalsToPause: Percentiles(loadedInterlock), diskSync: Percentiles(diskSync), fanOut: fanOut, steady: steady)
    }

    /// Every chair on its pty pair; a Masimo monitor cannot take a cuff pressure, so the baseline
    /// requirement is off; the high heart-rate condition has no alarm-condition delay, so one
    /// monitor line over the limit pauses the pump. Warnings only in the log.
    private func configuration(_ devices: BenchDevices, directory: String) -> DaemonConfiguration {
        var core = CoreConfiguration()
        core.requireBaselineBloodPressure = false
        core.vitalAlarmRules = VitalAlarmRule.defaults.map { rule in
            guard rule.condition == .heartRateHigh else { return rule }
            var immediate = rule
            immediate.medium?.delaySeconds = 0
            immediate.high?.delaySeconds = 0
            return immediate
        }
        let chairSettings = (0..<chairs).map { index in
            ChairSettings(
                id: "\(index + 1)", pump: DeviceBinding(family: .newEra, path: devices.pumpPaths[index]),
                monitor: DeviceBinding(family: .masimo, path: devices.monitorPaths[index]))
        }
        var configuration = DaemonConfiguration(chairs: chairSettings, core: core)
        configuration.logging.level = "warning"
        configuration.control.realtimePriority = priority
        configuration.control.lockMemory = lockMemory
        // The audit store is part of the daemon measured (commands are answered once durable); it
        // lives in the scratch directory, never in /var/lib/infusiond.
        configuration.audit.directory = directory
        return configuration
    }

    /// Intake, program (0.5 mg/kg over 40 min, 70 kg, 10 mg/mL: 5.25 mL/h) and start on every chair,
    /// retrying start until the daemon has both links and fresh vitals.
    private func bringChairsToInfusing(_ admin: LineSocket) throws {
        for chair in 1...chairs {
            let intake = try admin.request(
                #"{"cmd":"intake","chair":"\#(chair)","patientID":"B-\#(chair)","weight":70,"weightUnit":"kg","weightBasis":"measured","profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"bench"}"#)
            let program = try admin.request(
                #"{"cmd":"program","chair":"\#(chair)","concentration":10,"syringeVolume":50,"totalDose":0.5,"durationMinutes":40}"#)
            guard intake.isOK, program.isOK else { throw BenchError("chair \(chair): \(intake) \(program)") }
        }
        let deadline = Date().addingTimeInterval(60)
        var waiting = Set(1...chairs)
        while !waiting.isEmpty {
            for chair in waiting.sorted() {
                let reply = try admin.request(#"{"cmd":"start","chair":"\#(chair)"}"#)
                if reply.isOK { waiting.remove(chair) }
                if Date() > deadline { throw BenchError("chair \(chair) did not start: \(reply)") }
            }
            if !waiting.isEmpty { usleep(200_000) }
        }
    }

    /// `pool` (256 watchers of every topic, reading) while every chair infuses: the daemon's CPU
    /// (user + system from /proc/PID/stat) over `steadySeconds`, its resident memory, and the ticks
    /// it missed.
    private func measureSteadyState(_ admin: LineSocket, daemon: DaemonUnderTest, pool: WatcherPool) throws -> SteadyStateResult {
        Thread.sleep(forTimeInterval: 2)
        let before = try admin.request(#"{"cmd":"status"}"#).result
        let cpuBefore = ProcessUsage.cpuSeconds(pid: daemon.pid) ?? 0
        let linesBefore = pool.lineCount
        let start = BenchClock.now()
        var peakRSS = 0.0
        for _ in 0..<max(1, Int(steadySeconds.rounded())) {
            Thread.sleep(forTimeInterval: 1)
            peakRSS = max(peakRSS, ProcessUsage.memoryMiB(pid: daemon.pid, field: "VmRSS") ?? 0)
        }
        let elapsed = Double(BenchClock.now() - start) / 1e9
        let cpu = (ProcessUsage.cpuSeconds(pid: daemon.pid) ?? 0) - cpuBefore
        let after = try admin.request(#"{"cmd":"status"}"#).result
        let states = (after["chairs"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
        func count(_ key: String, _ status: [String: Any]) -> Int { (status[key] as? NSNumber)?.intValue ?? -1 }
        return SteadyStateResult(
            chairs: chairs, chairsInfusing: states.filter { $0 == "infusing" }.count, watchers: pool.count,
            seconds: elapsed, cpuPercentOfOneCore: cpu / elapsed * 100,
            rssMiB: ProcessUsage.memoryMiB(pid: daemon.pid, field: "VmRSS") ?? .nan, peakRSSMiB: peakRSS,
            highWaterRSSMiB: ProcessUsage.memoryMiB(pid: daemon.pid, field: "VmHWM") ?? .nan,
            eventLinesPerSecond: Double(pool.lineCount - linesBefore) / elapsed,
            ticks: count("controlTicks", after) - count("controlTicks", before),
            missedTicks: count("missedTicks", after) - count("missedTicks", before),
            missedTicksSinceStart: count("missedTicks", after))
    }

    private static func log(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)).map { String($0.suffix(2000)) } ?? "(no log)"
    }
}

/// CPU, memory and tick health of infusiond at full load.
struct SteadyStateResult: Codable {
    var chairs: Int
    var chairsInfusing: Int
    var watchers: Int
    var seconds: Double
    var cpuPercentOfOneCore: Double
    var rssMiB: Double
    var peakRSSMiB: Double
    var highWaterRSSMiB: Double
    var eventLinesPerSecond: Double
    var ticks: Int
    var missedTicks: Int
    var missedTicksSinceStart: Int
}

/// Fan-out of one event to `watchers` clients: per event, the latency of the slowest watcher.
struct FanOutResult: Codable {
    var watchers: Int
    var slowestWatcherMicroseconds: Percentiles
}
