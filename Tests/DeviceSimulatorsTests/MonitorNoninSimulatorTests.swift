import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Testing

@Suite("Nonin simulator")
struct MonitorNoninSimulatorTests {
    private func run(
        _ simulator: inout NoninSimulator, _ monitor: inout NoninMonitor, from: Double, to: Double
    ) -> [MonitorReport] {
        var reports: [MonitorReport] = []
        for step in Int(from * 10)..<Int(to * 10) {
            let time = MonotonicInstant.seconds(Double(step) / 10)
            reports += monitor.receive(simulator.advance(to: time), at: time)
        }
        return reports
    }

    @Test("Data Format 2 runs at 75 frames and 3 packets per second, every checksum valid")
    func format2Cadence() throws {
        var simulator = NoninSimulator(format: .format2, state: monitorSimulation())
        var bytes: [UInt8] = []
        for step in 0..<19 { bytes += simulator.advance(to: .seconds(Double(step) / 10)) }
        bytes += simulator.advance(to: MonotonicInstant(nanoseconds: 1_999_999_999))
        #expect(bytes.count == 150 * NoninFormat2Frame.byteCount)
        var decoder = NoninFormat2Decoder()
        let events = decoder.decode(bytes)
        #expect(decoder.discardedByteCount == 0)
        // Six packets were sent; the sixth is confirmed only by the next SYNC frame.
        #expect(events.count == 5)
        var perfusion: Set<NoninPerfusion> = []
        for case .packet(let packet) in events {
            #expect(packet.values.spo2.map { (95...100).contains($0) } == true)
            perfusion.insert(packet.worstPerfusion)
        }
        // Green is shown only during each pulse, so some packets carry no perfusion colour at all.
        #expect(perfusion.contains(.high))
        #expect(!perfusion.contains(.low))
    }

    @Test("Data Format 8 sends one record per second")
    func format8Cadence() {
        var simulator = NoninSimulator(format: .format8, state: monitorSimulation())
        var monitor = NoninMonitor(format: .format8)
        let reports = run(&simulator, &monitor, from: 0, to: 10)
        // Ten records; the host reports each when the next shows it came alone, so the tenth waits.
        #expect(reports.count == 9)
        #expect(reports.allSatisfy { $0.vital(.pulseRate)?.trustworthyValue != nil && $0.conditions.isEmpty })
    }

    /// A simulator held up by its host sends the late record when it can and the next a full period later, never
    /// two together, which the host would both refuse (it believes a record only when it comes alone).
    @Test("a late Data Format 8 record moves the schedule instead of bunching with the next")
    func format8LateRecordMovesTheSchedule() {
        var simulator = NoninSimulator(format: .format8, state: monitorSimulation())
        func sent(at seconds: Double) -> Bool { !simulator.advance(to: .seconds(seconds)).isEmpty }
        #expect(sent(at: 0))
        #expect(!sent(at: 0.9))
        #expect(sent(at: 1.1), "within a quarter period of the schedule")
        #expect(sent(at: 2.0), "the schedule stood")
        #expect(sent(at: 3.8), "held up: sent late")
        #expect(!sent(at: 4.0))
        #expect(!sent(at: 4.7))
        #expect(sent(at: 4.8), "a period after the late one")
    }

    @Test(
        "fault switches change what the host decodes, in both formats",
        arguments: [NoninDataFormat.format2, .format8],
        [
            (MonitorFault.sensorOff, MonitorConditions([.sensorOff, .searching]), false),
            (.motionArtefact, .artefact, true),
            (.lowPerfusion, .lowPerfusion, true),
        ])
    func faults(format: NoninDataFormat, fault: (MonitorFault, MonitorConditions, Bool)) throws {
        var simulator = NoninSimulator(format: format, state: monitorSimulation())
        var monitor = NoninMonitor(format: format)
        _ = run(&simulator, &monitor, from: 0, to: 2)
        _ = simulator.monitorControl("fault \(fault.0.rawValue) on", at: .seconds(2))
        let faulted = try #require(run(&simulator, &monitor, from: 2, to: 5).last)
        #expect(faulted.conditions == fault.1)
        #expect((faulted.vital(.spo2)?.value != nil) == fault.2)
        #expect(faulted.vital(.spo2)?.trustworthyValue == nil || fault.0 == .lowPerfusion)
        _ = simulator.monitorControl("fault \(fault.0.rawValue) off", at: .seconds(5))
        let recovered = try #require(run(&simulator, &monitor, from: 5, to: 8).last)
        #expect(recovered.conditions.isEmpty)
    }

    @Test("no-frames stops the stream; garbage is skipped by the host, which keeps decoding")
    func transportFaults() {
        var simulator = NoninSimulator(format: .format2, state: monitorSimulation())
        var monitor = NoninMonitor(format: .format2)
        _ = simulator.monitorControl("fault no-frames on")
        #expect(run(&simulator, &monitor, from: 0, to: 3).isEmpty)
        _ = simulator.monitorControl("fault no-frames off", at: .seconds(3))
        _ = simulator.monitorControl("fault garbage on", at: .seconds(3))
        let noisy = run(&simulator, &monitor, from: 3, to: 13)
        #expect(monitor.discardedByteCount > 0)
        // Noise before a SYNC frame rarely costs the packet; most of the 30 still arrive.
        #expect(noisy.count >= 20)
        #expect(noisy.allSatisfy { $0.vital(.spo2)?.trustworthyValue != nil })
    }

    @Test("after a long pause the simulator does not replay the missed frames")
    func noBacklog() {
        var simulator = NoninSimulator(format: .format2, state: monitorSimulation())
        _ = simulator.advance(to: .seconds(1))
        let burst = simulator.advance(to: .seconds(60))
        #expect(burst.count <= 100 * NoninFormat2Frame.byteCount)
    }
}
