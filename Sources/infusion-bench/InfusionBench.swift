import ArgumentParser
import Foundation

/// `infusion-bench`: the performance benchmark of issue 9. First the control thread in this process
/// (tick wake-up latency beside a concurrent cyclictest, heap allocations per tick), then the real
/// release infusiond against simulated devices on ptys (start → READY=1, command → pump wire,
/// monitor frame → interlock pause, event fan-out, CPU, memory and missed ticks at full load, the
/// safety latencies again under that load), and last the fan-out of 10 Hz reports beside gpsd's.
@main
struct InfusionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infusion-bench", abstract: "Latency, load and allocation benchmark of infusiond.")

    @Flag(help: "A short run (about a minute) with fewer samples, for smoke tests.") var quick = false
    @Option(help: "Chairs (each a pump and a monitor).") var chairs = 32
    @Option(help: "Watchers at full load (and the largest fan-out).") var watchers = 256
    @Option(help: "Seconds of control-tick measurement (default 30, quick 5).") var tickSeconds: Double?
    @Option(help: "Seconds at full load (default 30, quick 5).") var loadSeconds: Double?
    @Option(help: "Samples per latency measurement (default 500 command, 200 interlock and fan-out; quick 100, 40, 40).")
    var samples: Int?
    @Option(help: "Tick period in milliseconds.") var tickMilliseconds = 10.0
    @Option(help: "SCHED_FIFO priority for the control threads, cyclictest and the bench's device threads.")
    var priority: Int32 = 50
    @Flag(inversion: .prefixedNo, help: "Ask for SCHED_FIFO at all (--no-realtime: everything at normal priority).")
    var realtime = true
    @Option(help: "The infusiond executable (default: next to this one).") var infusiond: String?
    @Flag(inversion: .prefixedNo, help: "Run infusiond with mlockall, as its configuration does by default.")
    var lockMemory = true
    @Option(help: "Write the results as JSON to this file.") var json: String?
    @Option(help: "The gpsd executable for the side-by-side fan-out (Debian's, installed by scripts/setup).")
    var gpsd = "/usr/sbin/gpsd"
    @Flag(inversion: .prefixedNo, help: "Run the side-by-side fan-out beside gpsd at all.") var besideGpsd = true
    @Option(help: "Seconds of 10 Hz reports per daemon and watcher count beside gpsd (default 20, quick 5).")
    var gpsdSeconds: Double?
    @Option(help: "Run one part alone while profiling (its figures only; scripts/bench runs every part): beside-gpsd or clinic.")
    var only: Part?

    enum Part: String, ExpressibleByArgument {
        case besideGpsd = "beside-gpsd"
        case clinic
    }

    func validate() throws {
        guard chairs >= 2 else { throw ValidationError("--chairs must be at least 2 (command and interlock chairs)") }
        guard watchers >= 1 else { throw ValidationError("--watchers must be at least 1") }
        guard (samples ?? 1) >= 1 else { throw ValidationError("--samples must be at least 1") }
    }

    func run() async throws {
        let machine = MachineDescription.current()
        let priority = realtime ? self.priority : nil
        switch only {
        case .besideGpsd:
            print(BenchReport.fanOutBesideGpsdTable(try await fanOutBesideGpsd(priority: priority)).joined(separator: "\n"))
            return
        case .clinic:
            print(String(decoding: try Self.resultEncoder.encode(try await clinicResult(priority: priority)), as: UTF8.self))
            return
        case nil: break
        }
        let tickBench = ControlTickBench(
            chairs: chairs, seconds: tickSeconds ?? (quick ? 5 : 30), tickMilliseconds: tickMilliseconds, priority: priority)
        Self.log("control tick: \(Int(tickBench.seconds)) s with cyclictest alongside")
        let tick = try await tickBench.run()

        let result = try await clinicResult(priority: priority)
        let besideGpsd = self.besideGpsd ? try await fanOutBesideGpsd(priority: priority) : nil
        let report = BenchReport(machine: machine, tick: tick, tickSettings: tickBench, clinic: result, besideGpsd: besideGpsd)
        print(report.table)
        if let json {
            try Self.resultEncoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
    }

    /// The real infusiond at full size: start-up, safety latencies quiet and loaded, fan-out, load.
    private func clinicResult(priority: Int32?) async throws -> ClinicBench.Result {
        let clinic = ClinicBench(
            executable: infusiond ?? Self.sibling("infusiond"), chairs: chairs, watchers: watchers,
            startupRuns: quick ? 3 : 7, commandSamples: samples ?? (quick ? 100 : 500),
            interlockSamples: samples ?? (quick ? 40 : 200), fanOutSamples: samples ?? (quick ? 40 : 200),
            steadySeconds: loadSeconds ?? (quick ? 5 : 30), priority: priority, lockMemory: lockMemory)
        Self.log("infusiond: \(chairs) chairs, \(watchers) watchers")
        // The clinic measurements block on sockets: they run on a thread of their own, not the pool.
        return try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try clinic.run() }) }.start()
        }
    }

    /// The same 10 Hz report fanned out by infusiond and by gpsd to 1, 10 and 60 watchers.
    private func fanOutBesideGpsd(priority: Int32?) async throws -> [FanOutComparison.Result] {
        let comparison = FanOutComparison(
            infusiond: infusiond ?? Self.sibling("infusiond"), gpsd: gpsd, watcherCounts: [1, 10, 60],
            seconds: gpsdSeconds ?? (quick ? 5 : 20), warmUpSeconds: 2, priority: priority, lockMemory: lockMemory)
        return try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try comparison.run(log: Self.log) }) }.start()
        }
    }

    private static var resultEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    private static func log(_ line: String) {
        FileHandle.standardError.write(Data(("infusion-bench: " + line + "\n").utf8))
    }

    /// A product built beside this executable.
    private static func sibling(_ name: String) -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
