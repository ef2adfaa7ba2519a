// Shared by every fuzz target (scripts/fuzz compiles this folder into each one).
import InfusionCore

/// Stops the run when an invariant fails. libFuzzer records the trap as a crash and writes the input.
func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() { fatalError("fuzz invariant broken: \(message())", file: file, line: line) }
}

/// Splits `bytes` into pieces of 1 to 16 bytes, the way a serial port delivers a stream. The sizes
/// come from a generator seeded by the bytes themselves, so the same input always splits the same way.
func pieces(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var state: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes {
        state = (state ^ UInt64(byte)) &* 0x100_0000_01B3
    }
    var result: [ArraySlice<UInt8>] = []
    var start = 0
    while start < bytes.count {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        let length = min(bytes.count - start, 1 + Int(mixed % 16))
        result.append(bytes[start..<(start + length)])
        start += length
    }
    return result
}

/// The input as bytes.
func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// A chair in the middle of an infusion, to which decoded readings and commands are handed as the
/// daemon would: whatever a decoder lets through must not trap the core.
struct ChairProbe {
    private(set) var core: ChairCore
    private(set) var now: MonotonicInstant
    private var commandCount = 0

    /// A chair governed by `configuration` with both links up and five seconds of steady vitals:
    /// ready for intake.
    init(configuration: CoreConfiguration = CoreConfiguration()) {
        core = ChairCore(configuration: configuration)
        now = .seconds(1_000)
        send(.link(.pump, isUp: true))
        send(.link(.monitor, isUp: true))
        for _ in 0..<5 { steadySecond(pumpRunning: false, rate: 0, infused: 0) }
    }

    /// A chair with a pain-profile patient admitted (intake done, no program yet) and this patient's
    /// baseline cuff pressure (intake forgets earlier readings). Built once.
    static let admitted: ChairProbe = {
        var probe = ChairProbe()
        precondition(probe.admit(profileID: "ketamine-chronic-pain") == true, "fuzz support: intake refused")
        probe.steadySecond(pumpRunning: false, rate: 0, infused: 0)
        probe.send(.vital(VitalSign(parameter: .nibpSystolic, value: 120, time: probe.now)))
        probe.send(.vital(VitalSign(parameter: .nibpDiastolic, value: 78, time: probe.now)))
        return probe
    }()

    /// The admitted chair infusing 0.5 mg/kg/h (17.5 mL/h) for a minute. Built once.
    static let infusing: ChairProbe = {
        var probe = admitted
        let program = ProgramRequest(
            concentration: .init(2), syringeVolume: .init(50), rate: DoseRate(0.5, .milligramsPerKilogramPerHour))
        precondition(probe.command(.program(program)) == true, "fuzz support: program refused")
        // The still pump reads the program's syringe diameter back before the start.
        probe.steadySecond(pumpRunning: false, rate: 0, infused: 0)
        precondition(probe.command(.start) == true, "fuzz support: start refused")
        probe.run(seconds: 60, rate: 17.5)
        return probe
    }()

    /// Intake of a 70 kg patient on profile `profileID`; whether the core accepted it.
    mutating func admit(profileID: String) -> Bool? {
        let intake = IntakeRequest(
            patientID: "MRN-FUZZ", weight: 70, weightUnit: .kg, weightBasis: .measured, profileID: profileID,
            checklistSigned: true, checklistSignedBy: "dr-fuzz")
        return command(.intake(intake))
    }

    /// `seconds` of steady vitals and a pump that reports running at `rate` mL/h from a cleared counter.
    mutating func run(seconds: Int, rate: Double) {
        for second in 0..<seconds {
            steadySecond(pumpRunning: true, rate: rate, infused: rate * Double(second + 1) / 3_600)
        }
    }

    /// Hands one input to the core at the probe's current instant.
    @discardableResult
    mutating func send(_ input: CoreInput) -> [CoreOutput] {
        core.handle(input, at: now)
    }

    /// Hands one input to the core as the daemon does with what a driver received at `instant`: the
    /// control thread handles it at that instant or later, never earlier.
    @discardableResult
    mutating func send(_ input: CoreInput, receivedAt instant: MonotonicInstant) -> [CoreOutput] {
        now = max(now, instant)
        return send(input)
    }

    /// Sends an operator command; returns whether it succeeded (nil when no result came, which the
    /// core promises never happens).
    @discardableResult
    mutating func command(_ action: OperatorAction) -> Bool? {
        commandCount += 1
        let outputs = send(.command(OperatorCommand(id: "fuzz-\(commandCount)", operatorID: "rn-fuzz", action: action)))
        var result: Bool?
        for case .result(let outcome) in outputs { result = outcome.isSuccess }
        require(result != nil, "a command gave no result: \(action)")
        return result
    }

    /// Lets time pass to `instant` (never backwards) and ticks.
    mutating func tick(at instant: MonotonicInstant) {
        now = max(now, instant)
        send(.tick)
    }

    /// Lets `seconds` pass in 1-s ticks.
    mutating func tick(seconds: Int) {
        for _ in 0..<seconds { tick(at: now + .seconds(1)) }
    }

    /// One second of steady vitals and a pump read-back (a still pump reports the BD 60 mL diameter, as
    /// the drivers do), then a tick.
    private mutating func steadySecond(pumpRunning: Bool, rate: Double, infused: Double) {
        now = now + .seconds(1)
        send(.vital(VitalSign(parameter: .spo2, value: 98, time: now)))
        send(.vital(VitalSign(parameter: .pulseRate, value: 72, time: now)))
        send(.pump(PumpObservation(
            state: pumpRunning ? .infusing : .paused, rateMillilitresPerHour: rate, infusedMillilitres: infused,
            alarms: [], time: now, syringeDiameterMillimetres: pumpRunning ? nil : 26.59)))
        send(.tick)
    }
}
