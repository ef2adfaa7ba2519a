import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Testing

@Suite("Masimo simulator")
struct MonitorMasimoSimulatorTests {
    /// Runs the simulator from `from` to `to` in 250 ms steps through the host decoder.
    private func run(
        _ simulator: inout MasimoSimulator, _ monitor: inout MasimoMonitor, from: Double, to: Double
    ) -> [MonitorReport] {
        var reports: [MonitorReport] = []
        for step in Int(from * 4)..<Int(to * 4) {
            let time = MonotonicInstant.seconds(Double(step) / 4)
            reports += monitor.receive(simulator.advance(to: time), at: time)
        }
        return reports
    }

    @Test("one line per second, parsed to trustworthy typical vitals")
    func linePerSecond() throws {
        var simulator = MasimoSimulator(state: monitorSimulation())
        var monitor = MasimoMonitor()
        let reports = run(&simulator, &monitor, from: 0, to: 10)
        #expect(reports.count == 10)
        #expect(monitor.rejectedLineCount == 0)
        for report in reports {
            let spo2 = try #require(report.vital(.spo2)?.trustworthyValue)
            let pulse = try #require(report.vital(.pulseRate)?.trustworthyValue)
            #expect((95...100).contains(spo2))
            #expect((62...82).contains(pulse))
            #expect(report.conditions.isEmpty)
        }
    }

    @Test("the device clock printed on each line advances by a second per line and rolls over midnight")
    func deviceClock() throws {
        var settings = MasimoSimulationSettings()
        settings.clockStart = MasimoTimestamp(month: 12, day: 31, year: 26, hour: 23, minute: 59, second: 59)
        var simulator = MasimoSimulator(settings: settings, state: monitorSimulation())
        var decoder = MasimoLineDecoder()
        let events = decoder.decode(simulator.advance(to: .seconds(1)))
        let stamps = events.compactMap { event -> MasimoTimestamp? in
            if case .record(let record) = event { return record.timestamp }
            return nil
        }
        #expect(stamps == [
            MasimoTimestamp(month: 12, day: 31, year: 26, hour: 23, minute: 59, second: 59),
            MasimoTimestamp(month: 1, day: 1, year: 27, hour: 0, minute: 0, second: 0),
        ])
    }

    @Test(
        "fault switches change what the host decodes as the real device shows them",
        arguments: [
            (MonitorFault.sensorOff, MonitorConditions([.sensorOff, .searching]), VitalSignFlags([.invalid, .sensorOff]), false),
            (.motionArtefact, .lowSignalQuality, .lowSignalQuality, true),
            (.lowPerfusion, .lowPerfusion, .lowPerfusion, true),
        ])
    func faults(fault: MonitorFault, condition: MonitorConditions, flags: VitalSignFlags, keepsValue: Bool) throws {
        var simulator = MasimoSimulator(state: monitorSimulation())
        var monitor = MasimoMonitor()
        _ = run(&simulator, &monitor, from: 0, to: 3)
        #expect(simulator.monitorControl("fault \(fault.rawValue) on", at: .seconds(3)) == "ok")
        let faulted = try #require(run(&simulator, &monitor, from: 3, to: 6).last)
        #expect(faulted.conditions.isSuperset(of: condition))
        let spo2 = try #require(faulted.vital(.spo2))
        #expect(spo2.flags.isSuperset(of: flags))
        #expect((spo2.value != nil) == keepsValue)
        if fault == .lowPerfusion { #expect(faulted.vital(.perfusionIndex)?.value == 0.2) }
        #expect(simulator.monitorControl("fault \(fault.rawValue) off", at: .seconds(6)) == "ok")
        let recovered = try #require(run(&simulator, &monitor, from: 6, to: 8).last)
        #expect(recovered.conditions.isEmpty)
        #expect(recovered.vital(.spo2)?.trustworthyValue != nil)
    }

    @Test("no-frames and disconnect silence the monitor: the host sees stale data")
    func silence() {
        for fault in [MonitorFault.noFrames, .disconnect] {
            var simulator = MasimoSimulator(state: monitorSimulation())
            _ = simulator.monitorControl("fault \(fault.rawValue) on")
            #expect(simulator.advance(to: .seconds(10)).isEmpty)
            _ = simulator.monitorControl("fault \(fault.rawValue) off", at: .seconds(10))
            // The silent seconds are not replayed afterwards.
            var monitor = MasimoMonitor()
            #expect(monitor.receive(simulator.advance(to: .seconds(11)), at: .seconds(11)).count == 1)
        }
    }

    @Test("garbage on the line costs lines, which the host counts, and clean lines follow")
    func garbage() {
        var simulator = MasimoSimulator(state: monitorSimulation())
        var monitor = MasimoMonitor()
        _ = simulator.monitorControl("fault garbage on")
        _ = run(&simulator, &monitor, from: 0, to: 20)
        #expect(monitor.rejectedLineCount > 0)
        _ = simulator.monitorControl("fault garbage off", at: .seconds(20))
        let clean = run(&simulator, &monitor, from: 20, to: 25)
        #expect(clean.count >= 4)
    }

    @Test("noise-rate adds garbage between lines, counted in state; clean lines follow once it is off")
    func garbageBetweenLines() throws {
        var simulator = MasimoSimulator(state: monitorSimulation())
        var monitor = MasimoMonitor()
        #expect(simulator.monitorControl("noise-rate 1000") == "ok")
        #expect(simulator.monitorControl("state").hasSuffix(" garbage-bytes=0"))
        _ = simulator.monitorControl("fault garbage on")
        var bytes = 0
        for step in 0..<40 {
            let time = MonotonicInstant.seconds(Double(step) / 4)
            let output = simulator.advance(to: time)
            bytes += output.count
            _ = monitor.receive(output, at: time)
        }
        // Ten seconds at 1,000 bytes/s between the lines, a burst before each, and the lines themselves.
        let counted = try #require(Int(simulator.monitorControl("state", at: .seconds(10)).split(separator: "=").last ?? ""))
        #expect(counted >= 9_750 + 10 * 3 && counted <= 10_000 + 10 * 24)
        #expect(bytes > counted)
        _ = simulator.monitorControl("fault garbage off", at: .seconds(10))
        #expect(run(&simulator, &monitor, from: 10, to: 15).count >= 4)
        #expect(simulator.monitorControl("state", at: .seconds(15)).hasSuffix(" garbage-bytes=\(counted)"))
    }

    @Test("the control channel reports state, follows the pump's rate and rejects bad lines")
    func controlChannel() {
        var simulator = MasimoSimulator(state: monitorSimulation())
        #expect(simulator.monitorControl("fault warp-drive on").hasPrefix("error usage: fault <"))
        #expect(simulator.monitorControl("faults") == "ok none")
        #expect(simulator.monitorControl("infusion-rate 52.5") == "ok")
        #expect(simulator.monitorControl("infusion-rate -1").hasPrefix("error"))
        _ = simulator.advance(to: .seconds(600))
        let state = simulator.monitorControl("state", at: .seconds(600))
        #expect(state.hasPrefix("ok patient-minutes=10.0 plasma-ng-ml="))
        #expect(simulator.state.feed.patient.plasmaConcentration > 100)
        #expect(simulator.monitorControl("concentration 0", at: .seconds(600)) == "ok")
        #expect(simulator.monitorControl("fault motion on") == "ok")
        #expect(simulator.monitorControl("faults") == "ok motion")
    }

    @Test("pleth-rate holds the pulse rate the oximeter sends; ecg-rate is refused, it has no ECG")
    func plethRateOverride() throws {
        var simulator = MasimoSimulator(state: monitorSimulation())
        var monitor = MasimoMonitor()
        #expect(simulator.monitorControl("pleth-rate 140") == "ok")
        let reports = run(&simulator, &monitor, from: 0, to: 3)
        #expect(try #require(reports.last?.vital(.pulseRate)?.trustworthyValue) == 140)
        #expect(simulator.monitorControl("ecg-rate 140").hasPrefix("error"))
    }
}
