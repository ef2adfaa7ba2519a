internal import Foundation
package import InfusionCore
internal import Synchronization
package import WireProtocol

/// Turns what the daemon decides and hears into audit records (issue 7): the core's events and pump
/// commands, device inputs (a vitals trend, pump read-backs, link changes), chair checkpoints for crash
/// recovery, and operator commands, durably.
///
/// Called from the output dispatcher and the device tasks, never from the control thread. Trends are thinned
/// (settings say how often); events, commands, cuff pressures and changed read-backs are always kept.
package final class AuditRecorder: Sendable {
    private struct Thinning {
        var lastVital: [Int: [VitalParameter: Int64]] = [:]
        var lastReadback: [Int: (observation: PumpObservation, time: Int64)] = [:]
        var lastPrediction: [Int: Int64] = [:]
        var lastCheckpoint: [Int: (state: SessionState, time: Int64)] = [:]
    }

    package let writer: AuditWriter
    package let chairIDs: [String]
    /// The database file, for `status`.
    package let databasePath: String
    private let bootID: String
    private let vitalsInterval: Int64
    private let trendInterval: Int64
    private let checkpointInterval: Int64
    private let thinning = Mutex(Thinning())

    package init(writer: AuditWriter, chairIDs: [String], settings: AuditSettings, bootID: String = BootIdentity.current) {
        self.writer = writer
        self.chairIDs = chairIDs
        self.bootID = bootID
        databasePath = settings.databasePath
        vitalsInterval = Int64(settings.vitalsIntervalSeconds * 1e9)
        trendInterval = Int64(settings.trendIntervalSeconds * 1e9)
        checkpointInterval = Int64(settings.checkpointIntervalSeconds * 1e9)
    }

    /// One of the core's decisions.
    package func record(_ output: CoreOutput, chair: Int, time: MonotonicInstant) {
        switch output {
        case .result:
            // Operator commands are recorded with their result by ``recordCommand``, with the peer's identity.
            return
        case .pump(let command):
            // The record keeps the shape `pump.command` has on the wire.
            queue(.pumpCommand, chair: chair, time: time, DeviceWire.command(command))
        case .event(let event):
            switch event {
            case .session(let value): queue(.session, chair: chair, time: time, value)
            case .alarm(let value): queue(.alarmTransition, chair: chair, time: time, value)
            case .audioPause(let value): queue(.alarmTransition, chair: chair, time: time, value)
            case .limit(let value): queue(.limitEvent, chair: chair, time: time, value)
            case .interlock(let value): queue(.interlock, chair: chair, time: time, value)
            case .restart(let value): queue(.restart, chair: chair, time: time, value)
            case .bolus(let value): queue(.bolus, chair: chair, time: time, value)
            case .deliveryCertainty(let value): queue(.deliveryCertainty, chair: chair, time: time, value)
            // Each is the effect of a command audited with its result (recordCommand: `observe` or `recovery`,
            // `medicate`, `order` or `program`); the checkpoint holds it for a restart, and the observation status
            // is derived from the session and the clock.
            case .observation, .observationStatus, .medication, .order: return
            case .delivery(let value):
                let due = thinning.withLock { state in
                    Self.isDue(&state.lastPrediction[chair], now: time.nanoseconds, interval: trendInterval)
                }
                if due { queue(.prediction, chair: chair, time: time, value) }
            }
        }
    }

    /// A device input on its way to the core.
    package func record(_ input: CoreInput, chair: Int, time: MonotonicInstant) {
        switch input {
        case .vital(let vital):
            // Cuff pressures are single measurements minutes apart: every one is kept.
            let due = vital.parameter.isIntermittent || thinning.withLock { state in
                Self.isDue(&state.lastVital[chair, default: [:]][vital.parameter], now: time.nanoseconds, interval: vitalsInterval)
            }
            if due { queue(.vital, chair: chair, time: time, vital) }
        case .pump(let observation):
            let keep = thinning.withLock { state in
                let previous = state.lastReadback[chair]
                let changed = previous.map { !Self.sameReading($0.observation, observation) } ?? true
                guard changed || time.nanoseconds - (previous?.time ?? 0) >= trendInterval else { return false }
                state.lastReadback[chair] = (observation, time.nanoseconds)
                return true
            }
            if keep { queue(.pumpReadback, chair: chair, time: time, observation) }
        case .link(let role, let isUp):
            queue(.deviceLink, chair: chair, time: time, LinkRecord(role: role.rawValue, up: isUp))
        case .pumpCommandFailed(let failure):
            queue(.pumpFailure, chair: chair, time: time, failure)
        case .command, .tick, .recordKeeping:
            return
        }
    }

    /// A chair's checkpoint; kept when `urgent` (a command or a state change produced it), when the state
    /// changed, or when the last one is older than the checkpoint interval.
    package func record(_ checkpoint: ChairCheckpoint, chair: Int, time: MonotonicInstant, urgent: Bool) {
        let keep = thinning.withLock { state in
            let last = state.lastCheckpoint[chair]
            guard urgent || last?.state != checkpoint.state || time.nanoseconds - (last?.time ?? 0) >= checkpointInterval
            else { return false }
            state.lastCheckpoint[chair] = (checkpoint.state, time.nanoseconds)
            return true
        }
        guard keep else { return }
        let stored = StoredCheckpoint(
            bootID: bootID, wallMillis: Self.wallMillisNow(), monotonicNanoseconds: time.nanoseconds, checkpoint: checkpoint)
        queue(.checkpoint, chair: chair, time: time, stored)
    }

    /// A chair role drives an adapter now; the newest such record per role is what a restart remembers.
    package func recordBinding(chair: String, role: DeviceRole, adoptionKey: String, device: String) {
        guard let index = chairIDs.firstIndex(of: chair) else { return }
        queue(.deviceBinding, chair: index, time: ControlLoop.now(),
              BindingRecord(role: role.rawValue, adoptionKey: adoptionKey, device: device))
    }

    /// An operator command with its outcome; returns once the record is durable.
    /// - Throws: ``AuditWriterError`` when it could not be made durable.
    package func recordCommand(
        _ request: Request, chair: String, outcome: CoreError?, actor: AuditActor, time: MonotonicInstant
    ) async throws {
        _ = try await writer.recordDurably(Self.commandEntry(request, chair: chair, outcome: outcome, actor: actor, time: time))
    }

    /// An operator command with its outcome, without waiting: `completion` is told (on the audit writer's thread)
    /// once the record is durable or why it is not (``AuditWriter/recordDurably(_:then:)``).
    package func recordCommand(
        _ request: Request, chair: String, outcome: CoreError?, actor: AuditActor, time: MonotonicInstant,
        then completion: @escaping AuditWriter.Completion
    ) {
        writer.recordDurably(Self.commandEntry(request, chair: chair, outcome: outcome, actor: actor, time: time), then: completion)
    }

    private static func commandEntry(
        _ request: Request, chair: String, outcome: CoreError?, actor: AuditActor, time: MonotonicInstant
    ) -> AuditEntry {
        let record = OperatorCommandRecord(
            command: request.command, id: request.id, chair: chair, request: request.fields, ok: outcome == nil,
            errorCode: outcome?.code, errorMessage: outcome?.message)
        return AuditEntry(
            kind: .operatorCommand, chairID: chair, monotonicNanoseconds: time.nanoseconds, actor: actor, payload: json(record))
    }

    private func queue(_ kind: AuditKind, chair: Int, time: MonotonicInstant, _ payload: some Encodable) {
        writer.record(AuditEntry(kind: kind, chairID: chairIDs[chair], monotonicNanoseconds: time.nanoseconds,
                                 payload: Self.json(payload)))
    }

    /// Whether a thinned series is due a row, noting the time when it is.
    private static func isDue(_ last: inout Int64?, now: Int64, interval: Int64) -> Bool {
        if let last, now - last < interval { return false }
        last = now
        return true
    }

    private static func sameReading(_ a: PumpObservation, _ b: PumpObservation) -> Bool {
        a.state == b.state && a.rateMillilitresPerHour == b.rateMillilitresPerHour && a.alarms == b.alarms
    }

    /// Sorted keys, so a payload's text (which the hash covers) depends only on its content: the wire's encoding
    /// (`WireJSONEncoder`, byte for byte what JSONEncoder with sorted keys and unescaped slashes writes, so records
    /// written before it read and hash the same).
    static func json(_ value: some Encodable) -> String {
        guard let bytes = try? WireJSONEncoder.encode(value) else { return "{}" }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func wallMillisNow() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// A checkpoint as stored: with the boot it was taken in and both clocks, so a restart can tell how long the
/// chair went unsupervised even across a reboot.
package struct StoredCheckpoint: Codable, Sendable {
    package var bootID: String
    package var wallMillis: Int64
    package var monotonicNanoseconds: Int64
    package var checkpoint: ChairCheckpoint
}

/// An operator command's record: what was asked, by whom (the entry's actor) and how it ended.
struct OperatorCommandRecord: Codable, Sendable {
    var command: String
    /// The client's correlation id, so a client can find its own command in the log.
    var id: RequestID?
    var chair: String
    var request: [String: JSONValue]
    var ok: Bool
    var errorCode: String?
    var errorMessage: String?
}

extension OperatorCommandRecord {
    /// Reads records written when an id could be any JSON scalar (`true`, `null`): such an id reads as none.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        command = try c.decode(String.self, forKey: .command)
        id = try? c.decodeIfPresent(RequestID.self, forKey: .id)
        chair = try c.decode(String.self, forKey: .chair)
        request = try c.decode([String: JSONValue].self, forKey: .request)
        ok = try c.decode(Bool.self, forKey: .ok)
        errorCode = try c.decodeIfPresent(String.self, forKey: .errorCode)
        errorMessage = try c.decodeIfPresent(String.self, forKey: .errorMessage)
    }
}

/// A chair role's adapter, as remembered across restarts.
struct BindingRecord: Codable, Sendable {
    var role: String
    var adoptionKey: String
    var device: String
}

/// A device link change.
struct LinkRecord: Codable, Sendable {
    var role: String
    var up: Bool
}
