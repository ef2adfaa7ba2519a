package import ClinicalExports
internal import Foundation
internal import InfusionCore
internal import WireProtocol

/// Reads one chair session's audit records back into the exports' input (issue 7, `report`): the program and
/// patient reference from the latest checkpoint, and a timeline of rate changes, limit events, pump commands and
/// read-backs, alarm transitions, vitals, predicted concentrations, restarts and the discharge, and the nurse's
/// record: each score of every accepted `observe`, and each as-needed medication of every accepted `medicate`
/// (its details from the session the latest checkpoint holds, its time from the command's record).
///
/// Times come from each record's wall clock (the store's ordering is its sequence). A payload that cannot be
/// read is left out of the timeline rather than guessed at; the hash chain (`audit-verify`) is the integrity check.
package struct SessionRecordAssembler {
    package var chairID: String
    package var pump: SessionDevice
    package var monitor: SessionDevice

    package init(chairID: String, pump: SessionDevice, monitor: SessionDevice) {
        self.chairID = chairID
        self.pump = pump
        self.monitor = monitor
    }

    /// The session made of `records` (in chain order, starting with the session's intake).
    /// - Throws: ``ReportError`` when the records hold no checkpoint with a patient.
    package func assemble(_ records: [AuditRecord]) throws -> SessionRecordSet {
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_ type: T.Type, _ record: AuditRecord) -> T? {
            try? decoder.decode(type, from: Data(record.entry.payload.utf8))
        }
        var latest: ChairCheckpoint?
        var firstProgram: ActiveProgram?
        var requestedDuration: Double?
        var started: UTCInstant?
        var ended: UTCInstant?
        var stoppedEarly = false
        var entries: [SessionEntry] = []
        var pendingFlow: (time: UTCInstant, flow: MillilitresPerHour)?
        var commanded: (running: Bool, flow: Double) = (false, 0)
        var lastVolume: Double?
        var medicationTimes: [(time: UTCInstant, actor: OperatorIdentity?)] = []
        /// The pump's last set-rate as a rate change, with who asked and why.
        func takePendingRateChange(actor: OperatorIdentity?, reason: String) {
            guard let pending = pendingFlow, let session = latest?.session, let program = session.program else { return }
            let doseRate = DoseRate.from(
                pending.flow, in: session.profile.doseRateUnit, weight: session.weight, concentration: program.concentration)
            entries.append(.rateChange(RateChangeEntry(
                time: pending.time, flow: pending.flow, doseRate: doseRate, actor: actor, reason: reason)))
            pendingFlow = nil
        }

        for record in records {
            let time = UTCInstant(millisecondsSinceEpoch: AuditEntry.epochMilliseconds(of: record.entry.wallClock) ?? 0)
            let actor = record.entry.actor.map { OperatorIdentity(uid: $0.uid, role: $0.role) }
            switch record.entry.kind {
            case .checkpoint:
                guard let stored = decode(StoredCheckpoint.self, record) else { continue }
                latest = stored.checkpoint
                if firstProgram == nil { firstProgram = stored.checkpoint.session?.program }
            case .session:
                guard let transition = decode(SessionTransition.self, record) else { continue }
                if transition.to == .infusing && started == nil { started = time }
                if transition.to == .complete {
                    ended = time
                    stoppedEarly = transition.reason == "operator-stopped"
                }
            case .operatorCommand:
                guard let command = decode(OperatorCommandRecord.self, record), command.ok else { continue }
                switch command.command {
                case "program":
                    if case .number(let minutes) = command.request["durationMinutes"] { requestedDuration = minutes }
                case "rate", "start", "resume", "bolus":
                    var reason = command.command
                    if case .string(let given) = command.request["reason"], !given.isEmpty { reason = given }
                    takePendingRateChange(actor: actor, reason: reason)
                case "discharge":
                    entries.append(.discharge(DischargeEntry(
                        time: time, actor: actor, aldreteTotal: latest?.session?.aldrete?.total)))
                case "observe":
                    entries += Self.observationEntries(command.request, time: time, actor: actor)
                case "medicate":
                    medicationTimes.append((time, actor))
                default:
                    continue
                }
            case .limitEvent:
                guard let event = decode(LimitEvent.self, record) else { continue }
                entries.append(.limitEvent(LimitEventEntry(time: time, event, actor: actor)))
            case .pumpCommand:
                guard let command = decode(PumpCommandData.self, record) else { continue }
                switch command.command {
                case .setRate:
                    let flow = MillilitresPerHour(command.rateMillilitresPerHour ?? 0)
                    entries.append(.pumpCommand(PumpCommandEntry(time: time, .setRate(flow))))
                    pendingFlow = (time, flow)
                    commanded.flow = flow.value
                case .start:
                    entries.append(.pumpCommand(PumpCommandEntry(time: time, .start)))
                    commanded.running = true
                case .pause, .stop:
                    entries.append(.pumpCommand(PumpCommandEntry(time: time, command.command == .pause ? .pause : .stop)))
                    commanded.running = false
                case .setSyringe, .setTarget, .clearVolume:
                    continue
                }
            case .pumpReadback:
                guard let observation = decode(PumpObservation.self, record) else { continue }
                let infusing = observation.state == .infusing
                let rate = observation.rateMillilitresPerHour ?? 0
                lastVolume = observation.infusedMillilitres ?? lastVolume
                let matches = infusing == commanded.running && (!infusing || abs(rate - commanded.flow) <= 0.01)
                entries.append(.pumpReadBack(PumpReadBackEntry(
                    time: time, flow: MillilitresPerHour(rate), volumeDelivered: Millilitres(observation.infusedMillilitres ?? 0),
                    isInfusing: infusing, matchesCommand: matches)))
            case .alarmTransition:
                // Audio pauses share the kind; they are not alarm transitions and do not decode as one.
                guard let alarm = decode(AlarmEvent.self, record) else { continue }
                entries.append(.alarm(AlarmTransitionEntry(
                    time: time, condition: alarm.condition, priority: alarm.priority, transition: alarm.transition)))
            case .vital:
                guard let vital = decode(VitalSign.self, record) else { continue }
                entries.append(.vital(VitalEntry(time: time, vital)))
            case .prediction:
                guard let report = decode(DeliveryReport.self, record) else { continue }
                entries.append(.predictedConcentration(
                    ConcentrationEntry(time: time, nanogramsPerMillilitre: report.predictedConcentration)))
            case .restart:
                guard let restart = decode(RestartEvent.self, record), restart.kind == .reconciled else { continue }
                entries.append(.recovery(RecoveryEntry(
                    time: time, cause: restart.safeModeExpired ? "daemon restart; pump safe mode expired" : "daemon restart",
                    recordedDose: restart.deliveredDoseAtCheckpoint, reconciledDose: restart.deliveredDose,
                    pumpFoundStopped: restart.pumpStoppedDuringOutage)))
            case .bolus:
                // The core set the pump back to the program's rate when the push time was over.
                guard let bolus = decode(BolusEvent.self, record), bolus.kind == .finished else { continue }
                takePendingRateChange(actor: nil, reason: "bolus-finished")
            case .deviceLink, .interlock, .deviceBinding, .pumpFailure, .deliveryCertainty:
                continue
            }
        }

        guard let checkpoint = latest, let session = checkpoint.session else {
            throw ReportError(message: "chair \(chairID) has no session with a patient in the audit log")
        }
        // The n-th accepted `medicate` recorded the session's n-th medication (medications are only appended).
        for (given, recorded) in zip(session.medications, medicationTimes) {
            entries.append(.medication(MedicationEntry(
                time: recorded.time, drug: given.drug, name: given.name, dose: given.dose, unit: given.unit,
                route: given.route, reason: given.reason, overrideReason: given.overrideReason, actor: recorded.actor)))
        }
        let program = firstProgram ?? session.program
        let startFlow = program?.flow ?? .zero
        let concentration = program?.concentration ?? MilligramsPerMillilitre(1)
        let summary = ProgramSummary(
            drugName: session.profile.drugName, concentration: concentration,
            doseRate: DoseRate.from(startFlow, in: session.profile.doseRateUnit, weight: session.weight, concentration: concentration),
            durationMinutes: requestedDuration, targetDose: program?.targetDose)
        return SessionRecordSet(
            sessionID: "\(chairID)-\(records.first?.sequence ?? 0)", chairID: chairID, pump: pump, monitor: monitor,
            patient: PatientReference(id: session.intake.patientID, weight: session.weight, profileID: session.profile.id),
            program: summary, infusionStartedAt: started, infusionEndedAt: ended,
            outcome: Self.outcome(checkpoint.state, stoppedEarly: stoppedEarly), deliveredDose: checkpoint.deliveredDose,
            deliveredVolume: lastVolume.map(Millilitres.init), entries: entries)
    }

    /// One entry per score of an accepted `observe` request, in scale-id order.
    private static func observationEntries(
        _ request: [String: JSONValue], time: UTCInstant, actor: OperatorIdentity?
    ) -> [SessionEntry] {
        guard case .object(let scores) = request["scores"] else { return [] }
        var note: String?
        if case .string(let given) = request["note"], given.contains(where: { !$0.isWhitespace }) { note = given }
        return scores.keys.sorted().compactMap { scale in
            let value: Int? = switch scores[scale] {
            case .integer(let whole): Int(exactly: whole)
            case .number(let number): Int(exactly: number)
            default: nil
            }
            return value.map { .observation(ObservationEntry(time: time, scale: scale, value: $0, note: note, actor: actor)) }
        }
    }

    private static func outcome(_ state: SessionState, stoppedEarly: Bool) -> InfusionOutcome {
        switch state {
        case .idle, .intake, .programmed: .notDone
        case .infusing: .inProgress
        case .paused: .onHold
        case .complete, .recovery, .dischargeReady, .discharged: stoppedEarly ? .stopped : .completed
        }
    }
}

/// Why a report could not be made.
package struct ReportError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
