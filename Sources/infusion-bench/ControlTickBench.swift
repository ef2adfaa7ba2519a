import CMallocCounter
import Foundation
import InfusionCore
import InfusionDaemon
import Logging
import Synchronization

/// The control thread in this process, exactly as infusiond runs it (`ControlLoop` + `ControlBridge`):
/// tick wake-up latency while cyclictest runs beside it at the same interval and priority, and heap
/// allocations on the control thread per tick (idle, then every chair infusing and fed at 1 Hz).
struct ControlTickBench {
    var chairs: Int
    var seconds: Double
    var tickMilliseconds: Double
    /// SCHED_FIFO priority; nil for normal priority.
    var priority: Int32?

    struct Result {
        var realtime: Bool
        var wakeUp: Percentiles
        var cyclictest: Percentiles?
        var allocationsPerIdleTick: Double
        var allocationsPerInfusingTick: Double
    }

    func run() async throws -> Result {
        let tick = Duration.nanoseconds(Int64(tickMilliseconds * 1_000_000))
        let loop = ControlLoop(chairCount: chairs, configuration: CoreConfiguration(), tickInterval: tick)
        let bridge = ControlBridge(
            loop: loop, chairIDs: (1...chairs).map(String.init), hub: EventHub(), logger: Logger(label: "bench"))
        let realtime = SharedFlag()
        loop.start(realtimePriority: priority, lockMemory: true) { scheduling in
            cmalloc_watch_current_thread()
            realtime.set(scheduling.isRealtime)
        }
        bridge.startDispatcher()

        // The thread's own start-up (its chairs array, its output buffer) is not a per-tick cost.
        while loop.tickCount < 10 { try await Task.sleep(for: .milliseconds(10)) }
        let idle = try await measureAllocations(loop: loop, duration: .seconds(min(3, seconds)))
        try await bringChairsToInfusing(bridge)
        let feeder = Task { await feedDevices(bridge) }
        try await Task.sleep(for: .seconds(1))
        // Without SCHED_FIFO for the loop, cyclictest runs at normal priority too, so both compare alike.
        let cyclic = CyclicTest(
            priority: realtime.value ? priority : nil,
            intervalMicroseconds: Int(tickMilliseconds * 1000), seconds: seconds)
        let latencyStart = loop.recordedWakeUpLatencies().count
        let busy = try await measureAllocations(loop: loop, duration: .seconds(seconds))
        feeder.cancel()
        loop.stop()
        while loop.isRunning { try await Task.sleep(for: .milliseconds(5)) }
        let latencies = loop.recordedWakeUpLatencies().dropFirst(latencyStart).map { Double($0) / 1000 }
        let cyclicSamples = cyclic?.finish() ?? []
        return Result(
            realtime: realtime.value, wakeUp: Percentiles(Array(latencies)),
            cyclictest: cyclicSamples.isEmpty ? nil : Percentiles(cyclicSamples),
            allocationsPerIdleTick: idle, allocationsPerInfusingTick: busy)
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
            bridge.submit(.pump(PumpObservation(state: .stopped, rateMillilitresPerHour: 0, infusedMillilitres: 0, time: now)), chair: chair)
            func perform(_ step: OperatorAction) async throws {
                let result = await bridge.perform(step, chair: chair, operatorID: "bench")
                if let error = result.error { throw BenchError("chair \(chair): \(step.name): \(error.message)") }
            }
            try await perform(.intake(IntakeRequest(
                patientID: "bench-\(chair)", weight: 70, weightUnit: .kg, weightBasis: .measured,
                profileID: "ketamine-psychiatric", checklistSigned: true, checklistSignedBy: "bench")))
            // Intake forgets earlier readings: the baseline is this patient's, measured after it.
            for vital in Self.vitals(at: ControlLoop.now(), withPressure: true) { bridge.submit(.vital(vital), chair: chair) }
            try await perform(.program(ProgramRequest(
                concentration: MilligramsPerMillilitre(10), syringeVolume: Millilitres(50),
                totalDose: MilligramsPerKilogram(0.5), durationMinutes: 40)))
            // The driver reads the program's syringe diameter (BD 60 mL) back before the start.
            bridge.submit(.pump(PumpObservation(
                state: .stopped, rateMillilitresPerHour: 0, infusedMillilitres: 0, time: ControlLoop.now(),
                syringeDiameterMillimetres: 26.59)), chair: chair)
            try await perform(.start)
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

/// A flag set on the control thread and read by the benchmark.
final class SharedFlag: Sendable {
    private let stored = Atomic<Bool>(false)
    var value: Bool { stored.load(ordering: .acquiring) }
    func set(_ newValue: Bool) { stored.store(newValue, ordering: .releasing) }
}
