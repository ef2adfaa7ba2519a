import DeviceProtocols
import DeviceSimulators
import InfusionCore
import Logging
import Testing

@testable import InfusionDaemon

/// An IntelliVue simulator on a pty answering every 150 ms, whose cuff cycles only every `interval`
/// or when told `nibp-start`.
private func intelliVueHost(interval: Duration = .seconds(3_600)) throws -> PtySimulatorHost<IntelliVueSimulator> {
    let now = monotonicNow()
    let feed = PatientFeed(patient: PatientModel(parameters: .typical, seed: 5), source: .script(.constant(0)), origin: now)
    let state = MonitorSimulation(feed: feed, pharmacokinetics: PharmacokineticModel(parameters: .kamp, weightKilograms: 70), seed: 5)
    var settings = IntelliVueSimulationSettings()
    settings.resultPeriod = .milliseconds(150)
    settings.bloodPressureInterval = interval
    return try PtySimulatorHost(IntelliVueSimulator(settings: settings, state: state, start: now))
}

private func openDriver(_ host: PtySimulatorHost<IntelliVueSimulator>) async throws -> (any MonitorDriver, EventRecorder) {
    let recorder = EventRecorder()
    let driver = try await DeviceDriverFactory.makeMonitorDriver(
        family: .intelliVue, path: host.devicePath, settings: MonitorUnderTest.intelliVue.driverSettings(),
        logger: Logger(label: "test.monitor"), sink: recorder.sink)
    return (driver, recorder)
}

extension EventRecorder {
    fileprivate func readings(of parameter: VitalParameter) -> [VitalSign] {
        vitals.filter { $0.parameter == parameter }
    }
}

@Suite("IntelliVue cuff readings through the driver over a pty")
struct MonitorBloodPressureTests {
    @Test("one cuff measurement is one NIBP reading however many polls repeat it; a new cycle is a new one")
    func oneReadingPerMeasurement() async throws {
        let host = try intelliVueHost()
        let (driver, recorder) = try await openDriver(host)
        // Every poll result carries the cuff reading; eight results are eight repeats.
        #expect(await recorder.wait { $0.readings(of: .spo2).count >= 8 })
        #expect(recorder.readings(of: .nibpSystolic).count == 1)
        #expect(recorder.readings(of: .nibpDiastolic).count == 1)
        let first = try #require(recorder.readings(of: .nibpSystolic).first)

        #expect(host.control("nibp-start") == "ok")
        #expect(await recorder.wait { $0.readings(of: .nibpSystolic).count == 2 })
        let polls = recorder.readings(of: .spo2).count
        #expect(await recorder.wait { $0.readings(of: .spo2).count >= polls + 8 })
        #expect(recorder.readings(of: .nibpSystolic).count == 2)
        let second = try #require(recorder.readings(of: .nibpSystolic).last)
        #expect(second.time > first.time)
        await driver.close()
        await host.shutdown()
    }

    @Test("a cuff reading taken before the driver connected is dated when it was taken, not when received")
    func readingKeepsItsMeasurementTime() async throws {
        let host = try intelliVueHost()
        var (driver, recorder) = try await openDriver(host)
        #expect(await recorder.wait { !$0.readings(of: .nibpSystolic).isEmpty })
        let measured = try #require(recorder.readings(of: .nibpSystolic).first).time
        await driver.close()

        try await Task.sleep(for: .seconds(3))
        let reconnected = monotonicNow()
        (driver, recorder) = try await openDriver(host)
        #expect(await recorder.wait { !$0.readings(of: .nibpSystolic).isEmpty })
        let repeated = try #require(recorder.readings(of: .nibpSystolic).first)
        #expect(reconnected - repeated.time > .seconds(2), "dated at receipt: \(repeated.time) vs \(reconnected)")
        // Both dates are "taken + delivery latency"; they differ only by how late each arrived.
        #expect(abs((repeated.time - measured).secondsDouble) < 1, "measured \(measured), now dated \(repeated.time)")
        let spo2 = try #require(recorder.readings(of: .spo2).first)
        #expect(spo2.time >= reconnected, "continuous numerics are dated now")
        await driver.close()
        await host.shutdown()
    }

    @Test("the NIBP stale-data condition fires when no new cuff reading comes, although every poll repeats the old one")
    func staleCuffReading() async throws {
        let maximumAge = 3.0
        var chair = try DrivenChair(staleVitals: StaleVitalsPolicy(parameters: [.nibpSystolic], maximumAgeSeconds: maximumAge))
        let host = try intelliVueHost()
        let (driver, recorder) = try await openDriver(host)
        #expect(await recorder.wait { !$0.readings(of: .nibpSystolic).isEmpty && !$0.readings(of: .spo2).isEmpty })
        let measured = try #require(recorder.readings(of: .nibpSystolic).first).time
        chair.feed(recorder)
        try chair.startInfusion()

        var staleAt: MonotonicInstant?
        // Generous: on a loaded machine the test's own loop may run late, never early.
        let deadline = measured + .seconds(maximumAge + 20)
        while staleAt == nil, monotonicNow() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            chair.feed(recorder)
            // High: the infusing chair's condition. A low one may have come and gone before the first
            // cuff reading arrived, when opening the driver took longer than the maximum age after intake.
            if let alarm = chair.core.alarm(.staleVitals), alarm.isConditionPresent, alarm.priority == .high {
                staleAt = chair.now
            }
        }
        let fired = try #require(staleAt, "no stale-vitals alarm within \(maximumAge + 20) s of the cuff reading")
        #expect(fired - measured >= .seconds(maximumAge))
        // The monitor kept polling (SpO2 arrived after the cuff reading had aged), and it repeated
        // the cuff reading in every result: still only one NIBP reading reached the core.
        let lastSpO2 = try #require(recorder.readings(of: .spo2).last)
        #expect(lastSpO2.time - measured >= .seconds(maximumAge / 2))
        #expect(recorder.readings(of: .nibpSystolic).count == 1)
        #expect(chair.core.state == .paused, "the interlock pauses on stale vitals")
        await driver.close()
        await host.shutdown()
    }
}

/// A chair core fed by a real driver's readings in real time, with a pump that does as it is told.
private struct DrivenChair {
    var core: ChairCore
    var now = monotonicNow()
    private var fedCount = 0
    private var commandCount = 0
    private var pumpRunning = false
    private var pumpRate = 0.0
    private var pumpVolume = 0.0
    private var lastPumpReport = monotonicNow()

    /// A chair with its patient taken in now, before the monitor's first reading: intake forgets any earlier one.
    init(staleVitals: StaleVitalsPolicy) throws {
        core = ChairCore(configuration: CoreConfiguration(staleVitals: staleVitals))
        send(.link(.pump, isUp: true))
        send(.link(.monitor, isUp: true))
        try perform(.intake(IntakeRequest(
            patientID: "MRN-0042", weight: 70, weightUnit: .kg, weightBasis: .measured, profileID: "ketamine-psychiatric",
            checklistSigned: true, checklistSignedBy: "dr-lee")))
    }

    /// Hands the core every reading the driver produced since the last call, then a pump report and a tick.
    mutating func feed(_ recorder: EventRecorder) {
        now = monotonicNow()
        let vitals = recorder.vitals
        for vital in vitals.dropFirst(fedCount) { send(.vital(vital)) }
        fedCount = vitals.count
        if pumpRunning { pumpVolume += pumpRate * (now - lastPumpReport).secondsDouble / 3_600 }
        lastPumpReport = now
        reportPump()
        send(.tick)
    }

    /// Program (0.5 mg/kg over 40 min) and start; throws when the core refuses.
    mutating func startInfusion() throws {
        let program = ProgramRequest(concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.5), durationMinutes: 40)
        try perform(.program(program))
        reportPump()  // the driver reads the program's syringe diameter back
        try perform(.start)
    }

    /// A read-back as the drivers make it: a still pump also reports its (BD 60 mL) syringe diameter.
    private mutating func reportPump() {
        send(.pump(PumpObservation(
            state: pumpRunning ? .infusing : .paused, rateMillilitresPerHour: pumpRate, infusedMillilitres: pumpVolume,
            alarms: [], time: now, syringeDiameterMillimetres: pumpRunning ? nil : 26.59)))
    }

    private mutating func perform(_ action: OperatorAction) throws {
        commandCount += 1
        let outputs = send(.command(OperatorCommand(id: "c\(commandCount)", operatorID: "rn-ada", action: action)))
        for case .result(let result) in outputs where !result.isSuccess {
            throw ChairRefusal(action: "\(action)", error: "\(String(describing: result.error))")
        }
    }

    struct ChairRefusal: Error {
        var action: String
        var error: String
    }

    @discardableResult
    private mutating func send(_ input: CoreInput) -> [CoreOutput] {
        let outputs = core.handle(input, at: now)
        for case .pump(let command) in outputs {
            switch command {
            case .setRate(let flow): pumpRate = flow.value
            case .start: pumpRunning = true
            case .pause, .stop: pumpRunning = false
            case .clearVolume, .setSyringe, .setTarget: break
            }
        }
        return outputs
    }
}
