import InfusionCore
import Testing

/// A simulated chair for scenario tests: a `ChairCore`, a pump that obeys the commands it is sent
/// (with fault switches), and a monitor feeding vitals, all in simulated time with 1-s ticks.
struct ChairHarness {
    var core: ChairCore
    var now = MonotonicInstant.zero
    /// Every output with the instant it was produced.
    var log: [(time: MonotonicInstant, output: CoreOutput)] = []

    // Simulated pump.
    var pumpRunning = false
    var pumpRate = 0.0
    var pumpVolume = 0.0
    var pumpAlarms: Set<PumpAlarm> = []
    /// The pump reports back what it was told (false: it stays silent, as if commands were lost).
    var pumpAnswers = true
    /// Fraction of the set rate the pump really delivers (1 = accurate).
    var pumpDeliveryFactor = 1.0
    /// A rate the pump reports instead of the one it was set to (a read-back fault), if any.
    var pumpReportsRate: Double?
    /// How many of the next halts (pause, stop) the pump ignores, as a pump that missed an `STP`.
    var pumpIgnoresHalts = 0
    /// The infused counter at which the pump stops by itself (its phase target), mL.
    var pumpTarget: Double?
    /// The syringe diameter the pump is set to, mm (reported while it is still, as the drivers do).
    var pumpDiameter = 26.59
    /// The rates the pump accepts with its syringe, reported with the diameter; nil: unknown.
    var pumpRateRange: ClosedRange<Double>?

    // Simulated monitor.
    var spo2: Double? = 98
    var pulse: Double? = 72
    /// ECG heart rate; nil: the monitor has no ECG (the default).
    var ecg: Double?
    var systolic = 120.0
    var diastolic = 78.0
    var nibpIntervalSeconds = 600.0
    private var secondsSinceNIBP = 0.0
    private var commandCount = 0

    init(configuration: CoreConfiguration = CoreConfiguration()) {
        core = ChairCore(configuration: configuration)
    }

    /// Hands one input to the core at the current instant and lets the pump obey the result.
    @discardableResult
    mutating func send(_ input: CoreInput) -> [CoreOutput] {
        let outputs = core.handle(input, at: now)
        var readBack = false
        for output in outputs {
            log.append((now, output))
            guard case .pump(let command) = output else { continue }
            obey(command)
            if case .setSyringe = command { readBack = true }
            readBack = readBack || command == .clearVolume
        }
        // The driver reads a cleared counter and a set diameter back at once, before the pump starts.
        if readBack && pumpAnswers { reportPump() }
        expectQuiescenceHolds()
        return outputs
    }

    /// Whenever the core says time alone changes nothing (`isQuiescent`, on which the control loop's idle
    /// period rests), a tick on a copy of it at instants from 10 ms to 30 days later must append nothing.
    /// Every scenario test that drives a harness checks this after every input.
    func expectQuiescenceHolds(sourceLocation: SourceLocation = #_sourceLocation) {
        guard core.isQuiescent else { return }
        for later: Duration in [.milliseconds(10), .seconds(1), .seconds(61), .seconds(3_600), .seconds(30 * 86_400)] {
            var copy = core
            let outputs = copy.handle(.tick, at: now + later)
            if !outputs.isEmpty {
                Issue.record("a quiescent chair (\(core.state)) ticked \(later) later decided \(outputs)", sourceLocation: sourceLocation)
                return
            }
        }
    }

    /// Rebuilds the chair from `checkpoint` as a restarted daemon does; `deliverToPump` lets the pump obey the
    /// restore's commands at once (otherwise the pump answers first, as the real supervisor's first poll does).
    mutating func restore(_ checkpoint: ChairCheckpoint, outage: Duration, deliverToPump: Bool) -> [CoreOutput] {
        var outputs: [CoreOutput] = []
        core.restore(checkpoint, outage: outage, at: now, into: &outputs)
        for output in outputs {
            log.append((now, output))
            if deliverToPump, case .pump(let command) = output { obey(command) }
        }
        expectQuiescenceHolds()
        return outputs
    }

    /// Sends an operator command and returns its result.
    @discardableResult
    mutating func command(_ action: OperatorAction, by operatorID: String = "rn-ada") -> CommandResult? {
        commandCount += 1
        let outputs = send(.command(OperatorCommand(id: "c\(commandCount)", operatorID: operatorID, action: action)))
        for case .result(let result) in outputs { return result }
        return nil
    }

    /// The nurse records scores (`observe`); returns the result.
    @discardableResult
    mutating func observe(_ scores: [String: Int], note: String? = nil, by operatorID: String = "rn-ada") -> CommandResult? {
        command(.observe(ObservationRequest(scores: scores, note: note)), by: operatorID)
    }

    /// Lets `seconds` pass in 1-s ticks, with the pump reporting and the monitor measuring each second.
    mutating func run(seconds: Int) {
        for _ in 0..<seconds {
            now = now + .seconds(1)
            if pumpRunning { pumpVolume += pumpRate * pumpDeliveryFactor / 3_600 }
            if pumpRunning, let pumpTarget, pumpVolume >= pumpTarget {
                // A real pump stops at its target; it cannot be outrun by a late daemon.
                pumpVolume = pumpTarget
                pumpRunning = false
            }
            if let spo2 { send(.vital(VitalSign(parameter: .spo2, value: spo2, time: now))) }
            if let pulse { send(.vital(VitalSign(parameter: .pulseRate, value: pulse, time: now))) }
            if let ecg { send(.vital(VitalSign(parameter: .ecgHeartRate, value: ecg, time: now))) }
            secondsSinceNIBP += 1
            if secondsSinceNIBP >= nibpIntervalSeconds { measureBloodPressure() }
            if pumpAnswers { reportPump() }
            send(.tick)
        }
    }

    /// A cuff measurement now.
    mutating func measureBloodPressure() {
        secondsSinceNIBP = 0
        send(.vital(VitalSign(parameter: .nibpSystolic, value: systolic, time: now)))
        send(.vital(VitalSign(parameter: .nibpDiastolic, value: diastolic, time: now)))
    }

    mutating func reportPump() {
        let state: PumpRunState = pumpRunning ? .infusing : (pumpAlarms.isEmpty ? .paused : .alarmed)
        send(
            .pump(
                PumpObservation(
                    state: state, rateMillilitresPerHour: pumpReportsRate ?? pumpRate,
                    infusedMillilitres: pumpVolume, alarms: pumpAlarms, time: now,
                    syringeDiameterMillimetres: pumpRunning ? nil : pumpDiameter,
                    rateRangeMillilitresPerHour: pumpRunning ? nil : pumpRateRange
                )
            )
        )
    }

    private mutating func obey(_ command: PumpCommand) {
        switch command {
        case .setRate(let flow): pumpRate = flow.value
        case .start: pumpRunning = true
        case .clearVolume: pumpVolume = 0
        case .setSyringe(let diameter): pumpDiameter = diameter
        case .setTarget(let target): pumpTarget = target
        case .pause, .stop:
            if pumpIgnoresHalts > 0 {
                pumpIgnoresHalts -= 1
            } else {
                pumpRunning = false
            }
        }
    }

    /// A psychiatric-profile chair (70 kg, 2 mg/mL, 0.5 mg/kg over 40 min = 26.25 mL/h) infusing for a minute.
    static func infusingPsychiatricChair() -> ChairHarness {
        var chair = ChairHarness()
        chair.prepare()
        chair.command(.start)
        chair.run(seconds: 60)
        return chair
    }

    /// A pain-profile chair (70 kg, 2 mg/mL; soft rate maximum 1.0 mg/kg/h) infusing 0.5 mg/kg/h =
    /// 17.5 mL/h for a minute.
    static func infusingPainChair(configuration: CoreConfiguration = CoreConfiguration()) -> ChairHarness {
        var chair = ChairHarness(configuration: configuration)
        chair.prepare(
            profileID: "ketamine-chronic-pain",
            program: ProgramRequest(
                concentration: .init(2), syringeVolume: .init(50), rate: DoseRate(0.5, .milligramsPerKilogramPerHour)))
        chair.command(.start)
        chair.run(seconds: 60)
        return chair
    }

    /// Links up, vitals flowing, intake, a baseline pressure after it, and program: ready for `start`.
    mutating func prepare(
        profileID: String = "ketamine-psychiatric",
        weight: Double = 70,
        weightUnit: WeightUnit = .kg,
        program: ProgramRequest = ProgramRequest(
            concentration: .init(2), syringeVolume: .init(50), totalDose: .init(0.5), durationMinutes: 40
        )
    ) {
        send(.link(.pump, isUp: true))
        send(.link(.monitor, isUp: true))
        precondition(
            command(.intake(Self.intake(profileID: profileID, weight: weight, unit: weightUnit)))?.isSuccess == true,
            "intake refused")
        run(seconds: 5)
        measureBloodPressure()
        precondition(command(.program(program))?.isSuccess == true, "program refused")
    }

    /// An intake with a signed checklist; a weight past the soft bounds carries its confirmation.
    static func intake(profileID: String = "ketamine-psychiatric", weight: Double, unit: WeightUnit = .kg) -> IntakeRequest {
        let kilograms = weight * unit.kilograms
        let band = DrugProfile.builtIn(id: profileID)?.weightLimits ?? .unlimited
        let outsideSoft = band.classify(kilograms) != .within
        return IntakeRequest(
            patientID: "MRN-0042", weight: weight, weightUnit: unit, weightBasis: .measured, profileID: profileID,
            checklistSigned: true, checklistSignedBy: "dr-lee",
            override: outsideSoft ? LimitOverride(reason: "weighed twice") : nil
        )
    }

    // Queries over the log.

    var pumpCommands: [PumpCommand] {
        log.compactMap { if case .pump(let command) = $0.output { command } else { nil } }
    }

    var limitEvents: [LimitEvent] {
        log.compactMap { if case .event(.limit(let event)) = $0.output { event } else { nil } }
    }

    var certaintyEvents: [DeliveryUncertainty] {
        log.compactMap { if case .event(.deliveryCertainty(let event)) = $0.output { event } else { nil } }
    }

    var alarmEvents: [AlarmEvent] {
        log.compactMap { if case .event(.alarm(let event)) = $0.output { event } else { nil } }
    }

    func sessionTransitions(to state: SessionState) -> [SessionTransition] {
        log.compactMap {
            if case .event(.session(let transition)) = $0.output, transition.to == state { transition } else { nil }
        }
    }

    /// Pump commands issued at or after `time`.
    func pumpCommands(since time: MonotonicInstant) -> [PumpCommand] {
        log.filter { $0.time >= time }.compactMap { if case .pump(let command) = $0.output { command } else { nil } }
    }
}

extension Array where Element == CoreOutput {
    /// Whether these outputs answer command `id` as carried out (whatever the chair looks like after it).
    func accepted(_ id: String) -> Bool {
        contains { output in
            if case .result(let result) = output { return result.commandID == id && result.error == nil }
            return false
        }
    }
}
