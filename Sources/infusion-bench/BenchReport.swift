import Foundation

/// One benchmark run: every measurement, the machine it ran on, and each goal met or not.
struct BenchReport: Codable {
    var machine: MachineDescription
    var controlTick: ControlTickReport
    var allocationsPerIdleTick: Double
    var allocationsPerInfusingTick: Double
    var startToReadyMilliseconds: StartupReport
    var commandToWireMicroseconds: Percentiles
    /// The same commands' replies on the socket: the control thread's answer without the device path.
    var commandToReplyMicroseconds: Percentiles
    var vitalsToPauseMicroseconds: Percentiles
    /// The three above again while the full load (`steadyState`'s watchers) keeps receiving.
    var loadedCommandToWireMicroseconds: Percentiles
    var loadedCommandToReplyMicroseconds: Percentiles
    var loadedVitalsToPauseMicroseconds: Percentiles
    /// The disk's sync in the audit directory: the floor of the durable replies above.
    var diskSyncMicroseconds: Percentiles
    var fanOut: [FanOutResult]
    /// Issue 21: the same 10 Hz reports fanned out by infusiond and by gpsd; nil with --no-gpsd.
    var fanOutBesideGpsd: [FanOutComparison.Result]?
    var steadyState: SteadyStateResult
    var goals: [Goal]

    struct ControlTickReport: Codable {
        var chairs: Int
        var tickMilliseconds: Double
        var seconds: Double
        var realtime: Bool
        /// How cyclictest ran relative to the control loop.
        var cyclictestMode: String
        var wakeUpMicroseconds: Percentiles
        var cyclictestMicroseconds: Percentiles?
        var ratioP999: Double?
    }

    struct StartupReport: Codable {
        var runs: [Double]
        var median: Double
    }

    /// A goal of issue 9 and whether this run met it.
    struct Goal: Codable {
        var metric: String
        var goal: String
        var measured: String
        var met: Bool
    }

    init(
        machine: MachineDescription, tick: ControlTickBench.Result, tickSettings: ControlTickBench,
        clinic: ClinicBench.Result, besideGpsd: [FanOutComparison.Result]?
    ) {
        self.machine = machine
        let ratio = tick.cyclictest.map { tick.wakeUp.p999 / max($0.p999, 1) }
        controlTick = ControlTickReport(
            chairs: tickSettings.chairs, tickMilliseconds: tickSettings.tickMilliseconds, seconds: tickSettings.seconds,
            realtime: tick.realtime, cyclictestMode: "concurrently, same interval and SCHED_FIFO priority",
            wakeUpMicroseconds: tick.wakeUp, cyclictestMicroseconds: tick.cyclictest, ratioP999: ratio)
        allocationsPerIdleTick = tick.allocationsPerIdleTick
        allocationsPerInfusingTick = tick.allocationsPerInfusingTick
        let sorted = clinic.startupMilliseconds.sorted()
        startToReadyMilliseconds = StartupReport(runs: clinic.startupMilliseconds, median: sorted.isEmpty ? .nan : sorted[sorted.count / 2])
        commandToWireMicroseconds = clinic.commandToWire
        commandToReplyMicroseconds = clinic.commandToReply
        vitalsToPauseMicroseconds = clinic.vitalsToPause
        loadedCommandToWireMicroseconds = clinic.loadedCommandToWire
        loadedCommandToReplyMicroseconds = clinic.loadedCommandToReply
        loadedVitalsToPauseMicroseconds = clinic.loadedVitalsToPause
        diskSyncMicroseconds = clinic.diskSync
        fanOutBesideGpsd = besideGpsd
        fanOut = clinic.fanOut
        steadyState = clinic.steady
        let steady = clinic.steady
        let rss = max(steady.peakRSSMiB, steady.rssMiB)
        goals = [
            Goal(
                metric: "control tick p99.9 vs cyclictest", goal: "≤ 2×",
                measured: ratio.map { Self.format($0) + "×" } ?? "cyclictest missing", met: (ratio ?? .infinity) <= 2),
            Self.latencyGoal("socket command → pump wire p99, quiet", clinic.commandToWire, milliseconds: 2),
            Self.latencyGoal(
                "socket command → pump wire p99, \(steady.watchers) watchers of \(steady.chairs) chairs", clinic.loadedCommandToWire,
                milliseconds: 2),
            Self.latencyGoal("monitor frame → pause on wire p99, quiet", clinic.vitalsToPause, milliseconds: 5),
            Self.latencyGoal(
                "monitor frame → pause on wire p99, \(steady.watchers) watchers of \(steady.chairs) chairs", clinic.loadedVitalsToPause,
                milliseconds: 5),
            Self.latencyGoal("chair command → durable reply p99, quiet", clinic.commandToReply, milliseconds: 5),
            Self.latencyGoal(
                "chair command → durable reply p99, \(steady.watchers) watchers of \(steady.chairs) chairs", clinic.loadedCommandToReply,
                milliseconds: 5),
            Goal(
                metric: "CPU, \(steady.chairs) chairs + \(steady.watchers) watchers", goal: "< 25 % of one core",
                measured: Self.format(steady.cpuPercentOfOneCore) + " %", met: steady.cpuPercentOfOneCore < 25),
            Goal(
                metric: "RSS, same load", goal: "< 64 MiB",
                measured: Self.format(rss) + " MiB (VmHWM " + Self.format(steady.highWaterRSSMiB) + ")", met: rss < 64),
            Goal(
                metric: "missed ticks, same load", goal: "0",
                measured: "\(steady.missedTicks) of \(steady.ticks) (\(steady.missedTicksSinceStart) since start)",
                met: steady.missedTicks == 0 && steady.missedTicksSinceStart == 0),
            Goal(
                metric: "heap allocations per control tick", goal: "0",
                measured: Self.format(tick.allocationsPerIdleTick, decimals: 3) + " idle, "
                    + Self.format(tick.allocationsPerInfusingTick, decimals: 3) + " infusing",
                met: tick.allocationsPerIdleTick < 0.005 && tick.allocationsPerInfusingTick < 0.005),
            Goal(
                metric: "start → READY=1 (median of \(sorted.count))", goal: "≤ 300 ms",
                measured: Self.format(startToReadyMilliseconds.median) + " ms", met: startToReadyMilliseconds.median <= 300),
        ]
        goals += (besideGpsd ?? []).map { comparison in
            let ours = comparison.infusiond
            let theirs = comparison.gpsd
            let latencyRatio = ours.latencyMicroseconds.p50 / theirs.latencyMicroseconds.p50
            let cpuRatio = ours.cpuMillisecondsPerReport / theirs.cpuMillisecondsPerReport
            return Goal(
                metric: "10 Hz reports → \(comparison.watchers) watcher\(comparison.watchers == 1 ? "" : "s"): median latency and CPU per report vs gpsd",
                goal: "≤ gpsd's (≤ 1×)",
                measured: "latency " + Self.format(latencyRatio) + "×, CPU " + Self.format(cpuRatio) + "×",
                met: latencyRatio <= 1 && cpuRatio <= 1)
        }
    }

    private static func latencyGoal(_ metric: String, _ latency: Percentiles, milliseconds: Double) -> Goal {
        Goal(
            metric: metric, goal: "≤ \(format(milliseconds, decimals: 0)) ms", measured: format(latency.p99 / 1000) + " ms",
            met: latency.p99 <= milliseconds * 1000)
    }

    static func format(_ value: Double, decimals: Int = 2) -> String {
        value.isFinite ? String(format: "%.\(decimals)f", value) : "-"
    }
}
