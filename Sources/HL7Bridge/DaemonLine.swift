package import ClinicalExports
import Foundation
package import InfusionCore
import WireProtocol

/// One line from infusiond, as far as the bridge cares (docs/PROTOCOL.md): the connection events, the
/// replies to its own requests, and the chair events it maps to HL7. Anything else is `.ignored`, so a
/// newer daemon's additions pass by harmlessly.
package enum DaemonLine: Equatable, Sendable {
    case hello(protocolVersion: Int)
    case reply(command: String, ok: Bool, lastSeq: UInt64?, error: String?)
    case event(DaemonEvent)
    /// Events `from`...`to` cannot be replayed (docs/PROTOCOL.md "gap").
    case gap(from: UInt64, to: UInt64, reason: String)
    /// The daemon cut this connection off for reading too slowly, or is stopping: reconnect with the cursor.
    case overflow(reason: String)
    case shutdown(reason: String)
    case ignored

    /// Reads one line (without its newline). Throws when it is not the JSON infusiond writes.
    package static func parse(_ line: String) throws -> DaemonLine {
        let data = Data(line.utf8)
        let decoder = JSONDecoder()
        let envelope = try decoder.decode(Envelope.self, from: data)
        if let command = envelope.reply {
            let body = try decoder.decode(ReplyBody.self, from: data)
            return .reply(command: command, ok: body.ok, lastSeq: body.result?.lastSeq, error: body.error?.code)
        }
        guard let name = envelope.event else { return .ignored }
        guard let seq = envelope.seq, let topic = envelope.topic else {
            switch name {
            case ConnectionEvent.hello:
                return .hello(protocolVersion: try decoder.decode(Line<Hello>.self, from: data).data.protocol)
            case ConnectionEvent.gap:
                let gap = try decoder.decode(Line<Gap>.self, from: data).data
                return .gap(from: gap.from, to: gap.to, reason: gap.reason ?? "")
            case ConnectionEvent.overflow:
                return .overflow(reason: (try? decoder.decode(Line<Reason>.self, from: data).data.reason) ?? "")
            case ConnectionEvent.shutdown:
                return .shutdown(reason: (try? decoder.decode(Line<Reason>.self, from: data).data.reason) ?? "")
            default:
                return .ignored
            }
        }
        let chair = try? decoder.decode(Line<ChairOnly>.self, from: data).data.chair
        let kind: DaemonEvent.Kind
        do {
            kind = try DaemonEvent.Kind(name: name, line: data, decoder: decoder)
        } catch {
            kind = .unreadable("\(error)")
        }
        return .event(DaemonEvent(seq: seq, name: name, topic: topic, chair: chair, kind: kind))
    }

    private struct Envelope: Decodable {
        var reply: String?
        var event: String?
        var topic: String?
        var seq: UInt64?
    }
    private struct ReplyBody: Decodable {
        struct Result: Decodable { var lastSeq: UInt64? }
        struct Failure: Decodable { var code: String }
        var ok: Bool
        var result: Result?
        var error: Failure?
    }
    private struct Hello: Decodable { var `protocol`: Int }
    private struct Gap: Decodable {
        var from: UInt64
        var to: UInt64
        var reason: String?
    }
    private struct Reason: Decodable { var reason: String? }
    private struct ChairOnly: Decodable { var chair: String }
}

/// A topic event: its cursor number, name, topic, chair, and the part of its detail the bridge reads.
package struct DaemonEvent: Equatable, Sendable {
    package var seq: UInt64
    package var name: String
    package var topic: String
    package var chair: String?
    package var kind: Kind

    package init(seq: UInt64, name: String, topic: String, chair: String?, kind: Kind) {
        self.seq = seq
        self.name = name
        self.topic = topic
        self.chair = chair
        self.kind = kind
    }

    package enum Kind: Equatable, Sendable {
        case vital(VitalReading)
        case alarm(AlarmChange)
        case session(SessionChange)
        case delivery(Delivery)
        case rateCommand(flow: Double)
        /// `session.restored`/`session.reconciled`: infusiond rebuilt the chair after a restart, in this state.
        case restart(state: SessionState, time: UTCInstant)
        /// `pump.delivery-certainty`: whether the pump's delivery is uncertain from now on (the flow is unknown).
        case deliveryCertainty(uncertain: Bool, time: UTCInstant)
        /// `observation`: the nurse's scores on the clinic's observation scales.
        case observation(ScoreEntry)
        /// `device.up`, `device.added`, `device.adopted`: the device now in a chair role, with what infusiond
        /// knows of its identity.
        case device(DeviceIdentity)
        /// An event the bridge folds nothing from.
        case other
        /// A chair event whose detail could not be read: the bridge logs it loudly and carries on.
        case unreadable(String)
    }

    /// A `vital` event's detail.
    package struct VitalReading: Codable, Equatable, Sendable {
        package var parameter: VitalParameter
        package var value: Double?
        package var flags: VitalSignFlags
        package var time: UTCInstant
    }

    /// An `alarm.*` transition's detail. The condition stays a name: a newer daemon's conditions still go out.
    package struct AlarmChange: Equatable, Sendable {
        package var condition: String
        package var category: AlarmCategory
        package var priority: AlarmPriority
        package var transition: AlarmTransition
        package var time: UTCInstant
    }

    /// A `session.state` transition's detail, with the session outline where there is a patient.
    package struct SessionChange: Equatable, Sendable {
        package var from: SessionState
        package var to: SessionState
        package var reason: String
        package var time: UTCInstant
        package var outline: Outline?

        package struct Outline: Codable, Equatable, Sendable {
            package var drugName: String?
            package var profileID: String?
            package var concentration: Double?
            package var programmedDose: Double?
            package var weight: Double?
            package var doseRateUnit: DoseRateUnit?
            /// The patient's identifier from intake; absent in events journalled before infusiond sent it
            /// (docs/INTEGRATION.md "Patient identity").
            package var patientID: String?
        }
    }

    /// An `observation` detail: the scores by scale id, who recorded them and when.
    package struct ScoreEntry: Codable, Equatable, Sendable {
        package var scores: [String: Int]
        package var operatorID: String
        package var time: UTCInstant
    }

    /// A device record's identity: its chair role and, where infusiond knows them, its maker, model and serial.
    package struct DeviceIdentity: Codable, Equatable, Sendable {
        package var role: String
        package var vendor: String?
        package var model: String?
        package var serial: String?
    }

    /// A `pump.delivery` detail: what the pump is doing now (its flow is unknown while delivery is uncertain).
    package struct Delivery: Equatable, Sendable {
        package var flow: Double?
        package var doseRate: Double?
        package var doseRateUnit: DoseRateUnit?
        package var deliveredDose: Double?
        package var time: UTCInstant
    }
}

extension DaemonEvent.Kind {
    /// Chair events are read with the protocol's own types (WireProtocol's ChairEvents), then mapped to the core's
    /// values the HL7 exports speak; `vital` and `pump.command` have no protocol type yet.
    fileprivate init(name: String, line: Data, decoder: JSONDecoder) throws {
        func detail<T: Decodable>(_ type: T.Type) throws -> T {
            try decoder.decode(Line<ChairDetail<T>>.self, from: line).data.detail
        }
        switch name {
        case "vital":
            let raw = try detail(RawVital.self)
            self = .vital(.init(parameter: raw.parameter, value: raw.value, flags: raw.flags ?? [], time: try instant(raw.time)))
        case "alarm.raised", "alarm.escalated", "alarm.deescalated", "alarm.latched", "alarm.acknowledged",
            "alarm.cleared":
            let data = try detail(AlarmTransitionData.self)
            self = .alarm(
                .init(
                    condition: data.condition.rawValue, category: try core(data.category), priority: try core(data.priority),
                    transition: try core(data.transition), time: UTCInstant(data.time)))
        case "session.state":
            let data = try detail(SessionStateChange.self)
            self = .session(
                .init(
                    from: try core(data.from), to: try core(data.to), reason: data.reason, time: UTCInstant(data.time),
                    outline: try data.session.map(DaemonEvent.SessionChange.Outline.init)))
        case "pump.delivery":
            let data = try detail(DeliveryData.self)
            self = .delivery(
                .init(
                    flow: data.flow, doseRate: data.doseRate.value, doseRateUnit: try core(data.doseRate.unit),
                    deliveredDose: data.deliveredDose, time: UTCInstant(data.time)))
        case "pump.delivery-certainty":
            let data = try detail(DeliveryCertaintyData.self)
            self = .deliveryCertainty(uncertain: data.reason != nil, time: UTCInstant(data.time))
        case "observation":
            let data = try detail(ObservationData.self)
            var scores: [String: Int] = [:]
            for score in data.scores { scores[score.scale] = score.value }
            self = .observation(.init(scores: scores, operatorID: data.operatorID, time: UTCInstant(data.time)))
        case "device.up", "device.added", "device.adopted":
            let device = try decoder.decode(Line<DeviceSummary>.self, from: line).data
            guard let role = device.role else {
                self = .other
                return
            }
            self = .device(.init(role: role, vendor: device.vendor, model: device.model, serial: device.serial))
        case "session.restored", "session.reconciled":
            let data = try detail(RestartData.self)
            self = .restart(state: try core(data.state), time: UTCInstant(data.time))
        case "pump.command":
            let raw = try detail(RawCommand.self)
            if raw.command == "set-rate", let flow = raw.rateMillilitresPerHour {
                self = .rateCommand(flow: flow)
            } else {
                self = .other
            }
        default:
            self = .other
        }
    }
}

extension DaemonEvent.SessionChange.Outline {
    fileprivate init(_ outline: WireSessionOutline) throws {
        self.init(
            drugName: outline.drugName, profileID: outline.profileID, concentration: outline.concentration,
            programmedDose: outline.programmedDose, weight: outline.weight, doseRateUnit: try core(outline.doseRateUnit),
            patientID: outline.patientID)
    }
}

extension UTCInstant {
    fileprivate init(_ timestamp: WireTimestamp) { self.init(millisecondsSinceEpoch: timestamp.epochMilliseconds) }
}

/// A wire name as the core's value: the protocol and the core spell every closed set alike (the daemon's
/// WireMappingTests hold them to it), so a name the core lacks is a daemon newer than this bridge.
private func core<Wire: RawRepresentable<String>, Core: RawRepresentable<String>>(_ value: Wire) throws -> Core {
    guard let mapped = Core(rawValue: value.rawValue) else {
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown \(Core.self) \(value.rawValue)"))
    }
    return mapped
}

private func core(_ priority: WireAlarmPriority) throws -> AlarmPriority {
    switch priority {
    case .low: .low
    case .medium: .medium
    case .high: .high
    }
}

/// An ISO 8601 UTC text as the protocol writes it.
private func instant(_ text: String) throws -> UTCInstant {
    guard let milliseconds = WireTime.epochMilliseconds(of: text) else {
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a protocol time: \(text)"))
    }
    return UTCInstant(millisecondsSinceEpoch: milliseconds)
}

private struct Line<Payload: Decodable>: Decodable { var data: Payload }
private struct ChairDetail<Detail: Decodable>: Decodable { var detail: Detail }
private struct RawVital: Decodable {
    var parameter: VitalParameter
    var value: Double?
    var flags: VitalSignFlags?
    var time: String
}
private struct RawCommand: Decodable {
    var command: String
    var rateMillilitresPerHour: Double?
}
