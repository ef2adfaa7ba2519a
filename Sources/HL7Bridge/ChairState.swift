package import ClinicalExports
package import InfusionCore

/// What the bridge knows of one chair, folded from its events in `seq` order. It is saved with the cursor, so
/// a restarted bridge that replays from the cursor folds exactly as the first run did and builds the same
/// messages with the same control ids.
package struct ChairState: Codable, Equatable, Sendable {
    package var state: SessionState = .idle
    /// The `seq` of the intake that began the current session (names the session in PID-3 while infusiond does
    /// not publish the patient's identifier); nil before the first intake the bridge saw.
    package var intakeSeq: UInt64?
    package var outline = DaemonEvent.SessionChange.Outline()
    /// The flow last commanded (`pump.command` `set-rate`), mL/h.
    package var commandedFlow: Double?
    /// The latest `pump.delivery`.
    package var flow: Double?
    /// Set by `pump.delivery-certainty`: while the pump has not confirmed what it does, its flow is unknown.
    package var deliveryUncertain = false
    package var doseRate: Double?
    package var doseRateUnit: DoseRateUnit?
    package var deliveredDose: Double?
    package var deliveryTime: UTCInstant?
    /// The newest reading of each parameter, by its wire name.
    package var vitals: [String: DaemonEvent.VitalReading] = [:]
    /// The measurement time of the newest reading of each parameter already sent in a PCD-01 message, so
    /// no reading is charted twice.
    package var reportedVitals: [String: UTCInstant] = [:]
    /// The newest event time seen for this chair, and the observation period it falls in.
    package var latestTime: UTCInstant?
    package var lastObservationPeriod: Int64?
    /// How often each condition has been raised: an alert instance runs from a raise to the next.
    package var raises: [String: Int] = [:]
    /// The flow the last IPEC message reported, to tell a rate change from a repeated command.
    package var reportedInfusionFlow: Double?
    /// The nurse's newest score on each observation scale this session, and when each was recorded; and the
    /// time of the newest of each already sent in a PCD-01 (optional: absent in a state saved before them).
    package var scores: [String: Score]?
    package var reportedScores: [String: UTCInstant]?
    /// The device in each chair role (`pump`, `monitor`) where infusiond knows its serial number; kept across
    /// patients, since the devices stay at the chair (absent in a state saved before it).
    package var devices: [String: DaemonEvent.DeviceIdentity]?

    /// One score as the nurse recorded it.
    package struct Score: Codable, Equatable, Sendable {
        package var value: Int
        package var operatorID: String
        package var time: UTCInstant
    }

    package init() {}

    /// Whether a patient is at the chair (intake until discharge).
    package var hasSession: Bool { state != .idle && state != .discharged && intakeSeq != nil }

    /// Folds `event` in.
    package mutating func apply(_ event: DaemonEvent) {
        switch event.kind {
        case .vital(let reading):
            vitals[reading.parameter.rawValue] = reading
            note(reading.time)
        case .alarm(let change):
            if change.transition == .raised { raises[change.condition, default: 0] += 1 }
            note(change.time)
        case .session(let change):
            if change.to == .intake && change.from != .intake {
                // A new patient: nothing of the previous one's carries over.
                let kept = (raises, lastObservationPeriod, latestTime, devices)
                self = ChairState()
                (raises, lastObservationPeriod, latestTime, devices) = kept
                intakeSeq = event.seq
            }
            state = change.to
            if let outline = change.outline { self.outline = outline }
            note(change.time)
        case .delivery(let delivery):
            flow = delivery.flow
            doseRate = delivery.doseRate
            doseRateUnit = delivery.doseRateUnit
            deliveredDose = delivery.deliveredDose
            deliveryTime = delivery.time
            note(delivery.time)
        case .rateCommand(let flow):
            commandedFlow = flow
        case .deliveryCertainty(let uncertain, let time):
            deliveryUncertain = uncertain
            note(time)
        case .restart(let restored, let time):
            // The daemon's state after its restart is the truth from here on (it may have paused the chair).
            state = restored
            note(time)
        case .observation(let entry):
            var all = scores ?? [:]
            for (scale, value) in entry.scores {
                all[scale] = Score(value: value, operatorID: entry.operatorID, time: entry.time)
            }
            scores = all
            note(entry.time)
        case .device(let device):
            // A device whose serial infusiond does not know is named by its chair role instead.
            var all = devices ?? [:]
            all[device.role] = device.serial?.isEmpty == false ? device : nil
            devices = all
        case .other, .unreadable:
            break
        }
    }

    /// Scores recorded since the last PCD-01 that carried each scale, by scale id.
    package var freshScores: [(scale: String, score: Score)] {
        (scores ?? [:]).filter { scale, score in reportedScores?[scale].map { score.time > $0 } ?? true }
            .map { (scale: $0.key, score: $0.value) }.sorted { $0.scale < $1.scale }
    }

    private mutating func note(_ time: UTCInstant) {
        if latestTime.map({ time > $0 }) ?? true { latestTime = time }
    }

    /// The flow as far as it is known: never a number while delivery is uncertain (docs/PROTOCOL.md).
    package var knownFlow: Double? { deliveryUncertain ? nil : flow }

    /// Volume to be infused, mL: the programmed dose at the syringe's concentration.
    package var volumeToBeInfused: Double? {
        guard let dose = outline.programmedDose, let concentration = outline.concentration, concentration > 0 else {
            return nil
        }
        return dose / concentration
    }

    /// Volume delivered this session, mL.
    package var volumeDelivered: Double? {
        guard let dose = deliveredDose, let concentration = outline.concentration, concentration > 0 else { return nil }
        return dose / concentration
    }

    /// The dose rate a flow gives in the program's unit (nil without concentration, or weight for mg/kg/h).
    package func doseRate(forFlow flow: Double) -> (value: Double, unit: DoseRateUnit)? {
        guard let unit = outline.doseRateUnit, let concentration = outline.concentration else { return nil }
        switch unit {
        case .millilitresPerHour: return (flow, unit)
        case .milligramsPerHour: return (flow * concentration, unit)
        case .milligramsPerKilogramPerHour:
            guard let weight = outline.weight, weight > 0 else { return nil }
            return (flow * concentration / weight, unit)
        }
    }
}
