import ArgumentParser
import CMallocCounter
import Foundation
import InfusionCore
import InfusionDaemon
import Logging

/// `infusion-bench`: measures the control thread as it runs in infusiond: tick wake-up latency
/// beside cyclictest's on the same machine in the same run, and heap allocations on the control
/// thread per tick, idle and with every chair infusing and fed vitals and pump read-backs.
@main
struct InfusionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infusion-bench", abstract: "Control-thread latency and allocation benchmark.")

    @Option(help: "Chairs on the control thread.") var chairs = 32
    @Option(help: "Seconds of measured steady state.") var seconds = 10.0
    @Option(help: "Tick period in milliseconds.") var tickMilliseconds = 10.0
    @Option(help: "SCHED_FIFO priority for the control thread and cyclictest.") var priority: Int32 = 50
    @Option(help: "Write the results as JSON to this file.") var json: String?

    func run() async throws {
        let tick = Duration.nanoseconds(Int64(tickMilliseconds * 1_000_000))
        let loop = ControlLoop(chairCount: chairs, configuration: CoreConfiguration(), tickInterval: tick)
        let bridge = ControlBridge(
            loop: loop, chairIDs: (1...chairs).map(String.init), hub: EventHub(), logger: Logger(label: "bench"))
        let realtime = LockedFlag()
        loop.start(realtimePriority: priority, lockMemory: true) { scheduling in
            cmalloc_watch_current_thread()
            realtime.set(scheduling.isRealtime)
        }
        bridge.startDispatcher()

        let idle = try await measureAllocations(loop: loop, duration: .seconds(3))
        try await bringChairsToInfusing(bridge)
        let feeder = Task { await feedDevices(bridge) }
        try await Task.sleep(for: .seconds(1))
        let latencyStart = loop.recordedWakeUpLatencies().count
        let busy = try await measureAllocations(loop: loop, duration: .seconds(seconds))
        feeder.cancel()
        loop.stop()
        while loop.isRunning { try await Task.sleep(for: .milliseconds(5)) }
        let latencies = Array(loop.recordedWakeUpLatencies().dropFirst(latencyStart)).map { Double($0) / 1000 }
        let cyclic = CyclicTest.run(priority: priority, intervalMicroseconds: Int(tickMilliseconds * 1000), seconds: seconds)

        let report = BenchReport(
            chairs: chairs, tickMilliseconds: tickMilliseconds, seconds: seconds, realtime: realtime.value,
            controlWakeUpMicroseconds: Percentiles(latencies), cyclictestMicroseconds: cyclic.map(Percentiles.init),
            allocationsPerIdleTick: idle, allocationsPerInfusingTick: busy)
        print(report.table)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
    }

    /// Control-thread allocations per tick over `duration`.
    private func measureAllocations(loop: ControlLoop, duration: Duration) async throws -> Double {
        let allocations = cmalloc_watched_allocations()
        let ticks = loop.tickCount
        try await Task.sleep(for: duration)
        let elapsed = max(loop.tickCount - ticks, 1)
        return Double(cmalloc_watched_allocations() - allocations) / Double(elapsed)
    }

    /// Every chair: devices up, a baseline, then 0.5 mg/kg over 40 min for 70 kg, started.
    private func bringChairsToInfusing(_ bridge: ControlBridge) async throws {
        let now = ControlLoop.now()
        for chair in 0..<chairs {
            bridge.submit(.link(.pump, isUp: true), chair: chair)
            bridge.submit(.link(.monitor, isUp: true), chair: chair)
            for vital in Self.vitals(at: now, withPressure: true) { bridge.submit(.vital(vital), chair: chair) }
            bridge.submit(.pump(PumpObservation(state: .stopped, rateMillilitresPerHour: 0, infusedMillilitres: 0, time: now)), chair: chair)
            let steps: [OperatorAction] = [
                .intake(IntakeRequest(
                    patientID: "bench-\(chair)", weight: Kilograms(70), weightBasis: .measured,
                    profileID: "ketamine-psychiatric", checklistSigned: true, checklistSignedBy: "bench")),
                .program(ProgramRequest(
                    concentration: MilligramsPerMillilitre(10), syringeVolume: Millilitres(50),
                    totalDose: MilligramsPerKilogram(0.5), durationMinutes: 40)),
                .start,
            ]
            for step in steps {
                let result = await bridge.perform(step, chair: chair, operatorID: "bench")
                if let error = result.error { throw ValidationError("chair \(chair): \(step.name): \(error.message)") }
            }
        }
    }

    /// What the devices would send: per chair and second, a pump read-back and continuous vitals;
    /// a cuff pressure every 10 s.
    private func feedDevices(_ bridge: ControlBridge) async {
        var second = 0
        let started = ControlLoop.now()
        while !Task.isCancelled {
            let now = ControlLoop.now()
            let infused = 5.25 * now.duration(to: started).secondsDouble.magnitude / 3600
            for chair in 0..<chairs {
                bridge.submit(.pump(PumpObservation(
                    state: .infusing, rateMillilitresPerHour: 5.25, infusedMillilitres: infused, time: now)), chair: chair)
                for vital in Self.vitals(at: now, withPressure: second % 10 == 0) { bridge.submit(.vital(vital), chair: chair) }
            }
            second += 1
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private static func vitals(at time: MonotonicInstant, withPressure: Bool) -> [VitalSign] {
        var readings = [
            VitalSign(parameter: .spo2, value: 97, time: time), VitalSign(parameter: .pulseRate, value: 76, time: time),
            VitalSign(parameter: .ecgHeartRate, value: 76, time: time),
        ]
        if withPressure {
            readings += [
                VitalSign(parameter: .nibpSystolic, value: 124, time: time),
                VitalSign(parameter: .nibpDiastolic, value: 78, time: time),
                VitalSign(parameter: .nibpMean, value: 93, time: time),
            ]
        }
        return readings
    }
}

/// A flag set on the control thread and read after.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = false
    var value: Bool { lock.lock(); defer { lock.unlock() }; return stored }
    func set(_ newValue: Bool) { lock.lock(); stored = newValue; lock.unlock() }
}
