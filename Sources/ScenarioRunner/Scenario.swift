/// A scripted clinical timeline: the chairs and simulated devices it needs, daemon configuration to
/// add, and the steps to play in order (docs/SCENARIOS.md describes the file format).
public struct Scenario: Sendable {
    /// One line of prose naming what the scenario shows.
    public var title: String
    /// The chairs, each with its pump and monitor simulators.
    public var chairs: [ChairSetup]
    /// JSON objects merged, in order, into the generated daemon configuration (`$DIR` is replaced by
    /// the scenario's scratch directory).
    public var configurationPatches: [String]
    /// What happens, in order.
    public var steps: [Step]

    public init(title: String, chairs: [ChairSetup], configurationPatches: [String], steps: [Step]) {
        self.title = title
        self.chairs = chairs
        self.configurationPatches = configurationPatches
        self.steps = steps
    }
}

/// One chair of the scenario and how its simulators are started.
public struct ChairSetup: Sendable, Equatable {
    public var id: String
    /// `newera` or `harvard`.
    public var pumpProtocol: String
    /// `intellivue`, `masimo` or `nonin`.
    public var monitorProtocol: String
    /// `typical` or `hypertensive`.
    public var preset: String = "typical"
    /// Patient seconds per real second (the daemon and the pump run in real time).
    public var patientSpeed: Double = 1
    /// Seconds between the simulated IntelliVue's cuff measurements (real time).
    public var cuffIntervalSeconds: Double?
    /// Millilitres loaded in the simulated syringe.
    public var syringeMillilitres: Double = 50
    /// Syringe concentration, mg/mL: turns the pump's flow into the mg/h the patient model receives.
    public var concentration: Double = 10
    /// Whether the patient model follows the pump's delivery (`infusion-rate` to the monitor).
    public var followsPump = true
    /// A scripted SpO2 dip, `at,onset,hold,recovery,nadir` in patient seconds and %.
    public var desaturation: String?
    /// Seed of the patient's measurement noise.
    public var seed: UInt64 = 1
    /// A link recording to play back instead of simulating the pump (answered in recorded order).
    public var pumpRecording: String?
    /// A link recording to play back instead of simulating the monitor (streamed from `monitor ID play`).
    public var monitorRecording: String?
    /// Recorded seconds per real second when playing recordings back.
    public var replaySpeed: Double = 1

    public init(id: String, pumpProtocol: String, monitorProtocol: String) {
        self.id = id
        self.pumpProtocol = pumpProtocol
        self.monitorProtocol = monitorProtocol
    }
}

/// A step with the source line it came from, for failure reports.
public struct Step: Sendable {
    public var line: Int
    public var text: String
    public var action: Action

    public init(line: Int, text: String, action: Action) {
        self.line = line
        self.text = text
        self.action = action
    }
}

/// Which simulated device of a chair.
public enum DeviceRole: String, Sendable, Equatable {
    case pump
    case monitor
}

/// What a step does.
public enum Action: Sendable {
    /// Start infusiond (again, after `killDaemon`) and wait until its socket serves.
    case startDaemon
    /// SIGKILL infusiond, as a crash would.
    case killDaemon
    /// SIGTERM infusiond and wait for it to exit.
    case stopDaemon
    /// Send a request on a named connection and check its reply.
    case send(connection: String, request: String, expect: ReplyExpectation)
    /// Like `send`, repeated every half second until the reply matches or `seconds` pass.
    case sendUntil(seconds: Double, connection: String, request: String, expect: ReplyExpectation)
    /// Send a request without waiting for its reply; `collect` checks the replies.
    case sendAsync(connection: String, request: String)
    /// Wait for every reply `sendAsync` left outstanding and check how many had each outcome
    /// (`ok` or an error code), whatever their order.
    case collect(outcomes: [String: Int])
    /// Every named connection's `status` shows the same chairs.
    case consistent
    /// An event matching `matcher` arrives within `seconds`, after the previous matched event.
    case expect(seconds: Double, matcher: EventMatcher)
    /// No event matching `matcher` arrives during `seconds`.
    case absent(seconds: Double, matcher: EventMatcher)
    /// A control line to a chair's simulator (`fault occlusion on`, `concentration 800`, ...).
    case control(chair: String, role: DeviceRole, line: String)
    /// Pull the device's USB adapter (the simulator closes its pty).
    case unplug(chair: String, role: DeviceRole)
    /// Plug it back in.
    case replug(chair: String, role: DeviceRole)
    /// The chair's patient stops or resumes following the pump.
    case follow(chair: String, enabled: Bool)
    /// Wait (at most `seconds`) until a recording player has played its whole recording.
    case waitReplay(chair: String, role: DeviceRole, seconds: Double)
    /// Let time pass (events keep being collected and the patient keeps following the pump).
    case wait(seconds: Double)
    /// The chair's `status` entry satisfies every condition.
    case final(chair: String, conditions: [Condition])
}

/// What a reply must be.
public enum ReplyExpectation: Sendable, Equatable {
    /// Any reply.
    case any
    /// `ok: true` and every condition on `result`.
    case ok([Condition])
    /// `ok: false` with this error code.
    case error(String)
}
