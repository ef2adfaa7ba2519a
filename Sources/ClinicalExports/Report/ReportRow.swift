import InfusionCore

/// One row of the session timeline, the same in the JSON report and the CSV table.
///
/// Field names are stable (documented per entry kind in ``ReportRow/init(_:sequence:)``):
/// `sequence` (position in the session timeline, from 0), `kind` (see ``SessionEntry/kind``),
/// `time` (ISO 8601 UTC), `timeMs` (ms since epoch), `subject`
/// (what the row is about), `value` and `unit`, `status`, `actorUID`/`actorRole` (who), `reason`,
/// and `details` (further named values as text).
public struct ReportRow: Hashable, Sendable, Codable {
    public var sequence: Int
    public var kind: String
    public var time: String
    public var timeMs: Int64
    public var subject: String
    public var value: Double?
    public var unit: String?
    public var status: String?
    public var actorUID: UInt32?
    public var actorRole: String?
    public var reason: String?
    public var details: [String: String]

    /// The row for one entry:
    /// - `rate-change`: subject `flow`, value in `mL/h`; details `doseRate`, `doseRateUnit`.
    /// - `limit-event`: subject the limit kind (`doseRate`, `sessionDose`, ...), value the requested value
    ///   in the kind's unit; status `hardRefused`, `softRefused` or `softOverridden`; details `limitValue`,
    ///   `side` (`above`/`below`).
    /// - `pump-command`: subject the command (`set-rate`, `start`, `pause`, `stop`), value the flow set.
    /// - `pump-readback`: subject `flow`, value in `mL/h`; status `infusing`/`not-infusing`; details
    ///   `volumeDeliveredMl`, `matchesCommand`.
    /// - `alarm`: subject the condition; value the source metric's value; status the transition;
    ///   details `priority`, `category`, `device`, and `mdcEvent`/`sourceMdc` where known.
    /// - `vital`: subject the 11073 reference id, value in the UCUM `unit`; status `valid`/`invalid`;
    ///   details `mdcCode`, `mdcUnitCode`, `flags`.
    /// - `predicted-concentration`: subject `plasma`, value in `ng/mL`.
    /// - `recovery`: subject the cause, value the reconciled dose in `mg`; status `pump-stopped` or
    ///   `pump-running`; actor who acknowledged; details `recordedDoseMg`, `pumpVolumeDeliveredMl`.
    /// - `discharge`: subject `discharge`, value the Aldrete total; reason the note.
    /// - `observation`: subject the scale id (`moaas`, `phq9`, ...), value the score; actor who observed;
    ///   reason the nurse's note.
    /// - `medication`: subject the as-needed list's drug id, value the dose in `unit` (`mg`, `mcg`); status the
    ///   route (`IV`, `IM`, `PO`, `SL`); actor who gave it; reason why it was given; details `name` and, for a
    ///   dose outside the usual range, `overrideReason`.
    public init(_ entry: SessionEntry, sequence: Int) {
        self.sequence = sequence
        kind = entry.kind
        time = entry.time.iso8601
        timeMs = entry.time.millisecondsSinceEpoch
        details = [:]
        switch entry {
        case .rateChange(let change):
            subject = "flow"
            value = change.flow.value
            unit = "mL/h"
            setActor(change.actor)
            reason = change.reason
            details["doseRate"] = DecimalText.format(change.doseRate.value)
            details["doseRateUnit"] = change.doseRate.unit.rawValue
        case .limitEvent(let event):
            subject = event.limit.rawValue
            value = event.requested
            unit = event.limit.unit
            status = event.outcome.rawValue
            setActor(event.actor)
            reason = event.reason
            details["limitValue"] = DecimalText.format(event.limitValue)
            details["side"] = event.side.rawValue
        case .pumpCommand(let command):
            subject = command.command.rawValue
            value = command.flow?.value
            unit = command.flow == nil ? nil : "mL/h"
        case .pumpReadBack(let readBack):
            subject = "flow"
            value = readBack.flow.value
            unit = "mL/h"
            status = readBack.isInfusing ? "infusing" : "not-infusing"
            details["volumeDeliveredMl"] = DecimalText.format(readBack.volumeDelivered.value)
            details["matchesCommand"] = readBack.matchesCommand ? "true" : "false"
        case .alarm(let alarm):
            subject = alarm.condition
            value = alarm.sourceValue
            unit = alarm.sourceParameter?.unit.ucum
            status = alarm.transition.rawValue
            details["priority"] = alarm.priority.name
            details["category"] = alarm.category.rawValue
            details["device"] = alarm.device.rawValue
            details["mdcEvent"] = alarm.event.map { "\($0.code)" }
            details["sourceMdc"] = alarm.sourceParameter.map { "\($0.mdcCode)" }
        case .vital(let vital):
            subject = vital.parameter.mdcName
            value = vital.value
            unit = vital.parameter.unit.ucum
            status = vital.isValid ? "valid" : "invalid"
            details["mdcCode"] = "\(vital.parameter.mdcCode)"
            details["mdcUnitCode"] = "\(vital.parameter.unit.mdcCode)"
            if !vital.flags.isEmpty {
                details["flags"] = VitalSignFlags.named.filter { vital.flags.contains($0.flag) }.map(\.name)
                    .joined(separator: " ")
            }
        case .predictedConcentration(let sample):
            subject = "plasma"
            value = sample.nanogramsPerMillilitre
            unit = "ng/mL"
        case .recovery(let recovery):
            subject = recovery.cause
            value = recovery.reconciledDose.value
            unit = "mg"
            status = recovery.pumpFoundStopped ? "pump-stopped" : "pump-running"
            setActor(recovery.acknowledgedBy)
            details["recordedDoseMg"] = DecimalText.format(recovery.recordedDose.value)
            details["pumpVolumeDeliveredMl"] = recovery.pumpVolumeDelivered.flatMap { DecimalText.format($0.value) }
        case .discharge(let discharge):
            subject = "discharge"
            value = discharge.aldreteTotal.map(Double.init)
            setActor(discharge.actor)
            reason = discharge.note
        case .observation(let observation):
            subject = observation.scale
            value = Double(observation.value)
            setActor(observation.actor)
            reason = observation.note
        case .medication(let medication):
            subject = medication.drug
            value = medication.dose
            unit = medication.unit.rawValue
            status = medication.route.rawValue
            setActor(medication.actor)
            reason = medication.reason
            details["name"] = medication.name
            details["overrideReason"] = medication.overrideReason
        }
        // JSON has no NaN or infinity; keep the fact without breaking the encoder.
        if let number = value, !number.isFinite {
            details["nonFiniteValue"] = "\(number)"
            value = nil
        }
    }

    private mutating func setActor(_ actor: OperatorIdentity?) {
        actorUID = actor?.uid
        actorRole = actor?.role
    }
}
