import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Testing

/// The host session and the simulated monitor wired back to back, stepped every 100 ms.
private struct Link {
    var host = IntelliVueHostSession()
    var monitor = IntelliVueSimulator(state: monitorSimulation())
    var reports: [MonitorReport] = []
    var events: [IntelliVueSessionEvent] = []
    /// When false the host stops ticking: no keep-alive, no poll renewal.
    var hostTicks = true

    mutating func run(from: Double, to: Double) {
        for step in Int(from * 10)..<Int(to * 10) {
            let time = MonotonicInstant.seconds(Double(step) / 10)
            var toMonitor: [UInt8] = []
            if step == 0 { toMonitor += host.start(at: time) }
            if hostTicks {
                let tick = host.tick(at: time)
                toMonitor += tick.transmit
                events += tick.events
            }
            var toHost = monitor.receive(toMonitor, at: time)
            toHost += monitor.advance(to: time)
            let output = host.receive(toHost, at: time)
            reports += output.reports
            events += output.events
            if !output.transmit.isEmpty { _ = monitor.receive(output.transmit, at: time) }
        }
    }

    mutating func take() -> [MonitorReport] {
        defer { reports.removeAll() }
        return reports
    }
}

@Suite("IntelliVue simulator")
struct MonitorIntelliVueSimulatorTests {
    @Test("association, MDS create and the numerics poll: one report per second with every parameter")
    func dialogue() throws {
        var link = Link()
        link.run(from: 0, to: 10)
        #expect(link.events == [.associated])
        #expect(link.host.state == .polling)
        #expect(link.monitor.isAssociated)
        let reports = link.take()
        #expect((9...11).contains(reports.count))
        let last = try #require(reports.last)
        for parameter in [VitalParameter.spo2, .pulseRate, .ecgHeartRate, .perfusionIndex] {
            #expect(last.vital(parameter)?.trustworthyValue != nil, "\(parameter)")
        }
        // The cuff reading is repeated in every result with the time it was taken: the host
        // passes it on once, from the first result.
        let cuff = try #require(reports.first)
        for parameter in [VitalParameter.nibpSystolic, .nibpDiastolic, .nibpMean] {
            #expect(cuff.vital(parameter)?.trustworthyValue != nil, "\(parameter)")
            #expect(reports.dropFirst().allSatisfy { $0.vital(parameter) == nil }, "\(parameter) repeated")
        }
        let systolic = try #require(cuff.vital(.nibpSystolic)?.value)
        let diastolic = try #require(cuff.vital(.nibpDiastolic)?.value)
        #expect(systolic > diastolic)
    }

    @Test("the cuff cycles on its own interval and on the Start NBP key, each reading dated when taken")
    func bloodPressureCycle() throws {
        var link = Link()
        link.monitor.settings.bloodPressureInterval = .seconds(4)
        link.run(from: 0, to: 10)
        let automatic = link.take().compactMap { $0.vital(.nibpSystolic) }
        // Taken at the first result and then every 4 s.
        #expect(automatic.count == 3)
        let gaps = zip(automatic, automatic.dropFirst()).map { $1.time - $0.time }
        #expect(gaps.allSatisfy { $0 >= .seconds(3.9) && $0 <= .seconds(4.1) }, "\(gaps)")
        #expect(link.monitor.control(["nibp-start"], at: .seconds(10)) == "ok")
        link.run(from: 10, to: 11)
        let pressed = link.take().compactMap { $0.vital(.nibpSystolic) }
        #expect(pressed.count == 1)
        #expect(pressed.first.map { $0.time >= .seconds(10) && $0.time <= .seconds(10.2) } == true)
    }

    @Test("keep-alive and poll renewal keep numerics flowing for two minutes")
    func keepAlive() {
        var link = Link()
        link.run(from: 0, to: 120)
        #expect(link.take().count >= 115)
        #expect(!link.events.contains(.monitorAborted))
    }

    @Test("without keep-alive the monitor drops the association after 10 s of host silence")
    func associationTimeout() {
        var link = Link()
        link.run(from: 0, to: 2)
        link.hostTicks = false
        link.run(from: 2, to: 15)
        #expect(link.events.contains(.monitorAborted))
        #expect(link.host.state == .disconnected)
        #expect(!link.monitor.isAssociated)
    }

    @Test("an unanswered MDS create event is repeated, then the monitor aborts")
    func unansweredCreateEvent() throws {
        var monitor = IntelliVueSimulator(state: monitorSimulation())
        var decoder = IntelliVueFrameDecoder()
        var received = decoder.decode(monitor.receive(IntelliVueFraming.frame(IntelliVueAssociation.request()), at: .zero))
        for second in 1...15 { received += decoder.decode(monitor.advance(to: .seconds(Double(second)))) }
        let messages = received.compactMap { event -> IntelliVueMessage? in
            guard case .message(let data) = event else { return nil }
            return try? IntelliVueMessage(userData: data)
        }
        let creates = messages.filter { if case .mdsCreateEvent = $0 { true } else { false } }
        #expect(messages.first == .associationResponse(.simulatedMonitor))
        #expect(creates.count == 4)
        #expect(messages.last == .abort)
    }

    @Test(
        "oximeter faults change SpO2 and pulse as the monitor shows them; ECG and NIBP are unaffected",
        arguments: [
            (MonitorFault.sensorOff, false, VitalSignFlags.invalid),
            (.motionArtefact, true, VitalSignFlags([.invalid, .lowSignalQuality])),
            (.lowPerfusion, true, VitalSignFlags([.invalid, .lowSignalQuality])),
        ])
    func oximeterFaults(fault: MonitorFault, keepsValue: Bool, flags: VitalSignFlags) throws {
        var link = Link()
        link.run(from: 0, to: 3)
        _ = link.monitor.monitorControl("fault \(fault.rawValue) on", at: .seconds(3))
        // A cuff reading taken while the fault is on, to show the cuff is unaffected.
        _ = link.monitor.monitorControl("nibp-start", at: .seconds(3))
        _ = link.take()
        link.run(from: 3, to: 5)
        let reports = link.take()
        let report = try #require(reports.last)
        for parameter in [VitalParameter.spo2, .pulseRate] {
            let vital = try #require(report.vital(parameter))
            #expect(vital.flags.isSuperset(of: flags))
            #expect((vital.value != nil) == keepsValue)
            #expect(vital.trustworthyValue == nil)
        }
        #expect(report.vital(.ecgHeartRate)?.trustworthyValue != nil)
        #expect(reports.compactMap { $0.vital(.nibpSystolic)?.trustworthyValue }.count == 1)
        if fault == .lowPerfusion { #expect(report.vital(.perfusionIndex)?.value == 0.2) }
        _ = link.monitor.monitorControl("fault \(fault.rawValue) off", at: .seconds(5))
        link.run(from: 5, to: 7)
        #expect(link.take().last?.vital(.spo2)?.trustworthyValue != nil)
    }

    @Test("no-frames makes the monitor silent and deaf: reports stop, and the association is lost")
    func noFrames() {
        var link = Link()
        link.run(from: 0, to: 3)
        _ = link.take()
        _ = link.monitor.monitorControl("fault no-frames on", at: .seconds(3))
        link.run(from: 3, to: 20)
        #expect(link.take().isEmpty)
        #expect(link.host.lastNumericsTime.map { $0 < .seconds(3.1) } == true)
    }

    @Test("garbage between frames is rejected by the host, which keeps its reports coming")
    func garbage() {
        var link = Link()
        link.run(from: 0, to: 3)
        _ = link.monitor.monitorControl("fault garbage on", at: .seconds(3))
        _ = link.take()
        link.run(from: 3, to: 13)
        #expect(link.take().count >= 8)
        #expect(link.host.discardedByteCount > 0)
    }

    @Test("release ends the association on both sides")
    func release() {
        var link = Link()
        link.run(from: 0, to: 3)
        let request = link.host.release(at: .seconds(3))
        let answer = link.monitor.receive(request, at: .seconds(3))
        #expect(link.host.receive(answer, at: .seconds(3)).events == [.released])
        #expect(link.host.state == .disconnected)
        #expect(!link.monitor.isAssociated)
    }

    @Test("ecg-rate and pleth-rate make the two heart-rate sources disagree, each on its own numeric")
    func heartRateSourcesDisagree() throws {
        var link = Link()
        link.run(from: 0, to: 3)
        #expect(link.monitor.monitorControl("ecg-rate 140", at: .seconds(3)) == "ok")
        _ = link.take()
        link.run(from: 3, to: 6)
        var last = try #require(link.take().last)
        #expect(last.vital(.ecgHeartRate)?.trustworthyValue == 140)
        let pleth = try #require(last.vital(.pulseRate)?.trustworthyValue)
        #expect((62...82).contains(pleth))
        #expect(link.monitor.monitorControl("state", at: .seconds(6)).contains("ecg-rate=140.0"))

        #expect(link.monitor.monitorControl("ecg-rate off", at: .seconds(6)) == "ok")
        #expect(link.monitor.monitorControl("pleth-rate 35", at: .seconds(6)) == "ok")
        link.run(from: 6, to: 9)
        last = try #require(link.take().last)
        #expect(last.vital(.pulseRate)?.trustworthyValue == 35)
        #expect(last.vital(.ecgHeartRate)?.trustworthyValue.map { (62...82).contains($0) } == true)
        #expect(link.monitor.monitorControl("pleth-rate fast", at: .seconds(9)).hasPrefix("error usage: pleth-rate"))
    }

    @Test("association-abort drops the association with an abort the host sees; a second one has nothing to abort")
    func associationAbort() {
        var link = Link()
        link.run(from: 0, to: 3)
        #expect(link.monitor.monitorControl("association-abort", at: .seconds(3)) == "ok")
        link.run(from: 3, to: 3.5)
        #expect(link.events.contains(.monitorAborted))
        #expect(link.host.state != .polling)
        #expect(!link.monitor.isAssociated)
        #expect(link.monitor.monitorControl("association-abort", at: .seconds(3.5)).hasPrefix("error"))
    }
}
