package import InfusionCore

/// What `status` shows of one chair, kept current by the output dispatcher from the core's events and
/// command results and by the bridge from the monitor readings it hands the core (`record(_:)`); never by
/// reading the control thread's state. `status(at:freshness:clock:)` (ChairSnapshot+Wire.swift) maps it to the
/// protocol's `ChairStatus` at one instant, with the ages and times left derived there.
package struct ChairSnapshot: Sendable, Hashable {
    package var id: String
    package var state: SessionState = .idle
    /// The flow the pump is confirmed to deliver; nil while delivery is uncertain (never shown as
    /// the commanded flow or 0 mL/h then).
    package var flowMillilitresPerHour: Double? = 0
    /// The flow last commanded, kept while delivery is uncertain so `flowMillilitresPerHour` can
    /// show it again once the pump confirms it.
    package private(set) var commandedFlowMillilitresPerHour: Double = 0
    /// Whether the core knows what the pump is delivering (`DeliveryUncertainty`).
    package var deliveryUncertain = false
    /// Why delivery is uncertain, and since when; nil while it is certain.
    package var deliveryUncertainReason: DeliveryUncertainty.Reason?
    package var deliveryUncertainSince: MonotonicInstant?
    /// The same rate in the program's dose unit.
    package var doseRate: DoseRate?
    package var deliveredMilligrams: Double = 0
    /// Predicted plasma concentration (ng/mL): an estimate, never a measurement.
    package var predictedConcentration: Double?
    /// Active alarm conditions with their priority, e.g. `systolicHigh: high`.
    package var alarms: [String: AlarmPriority] = [:]

    /// The patient's identifier, from intake.
    package var patientID: String?
    /// The library entry of the session, from intake.
    package var profileID: String?
    package var drugName: String?
    package var weightKilograms: Double?
    /// The weight as entered at intake, in `weightUnit`, shown beside the kilograms.
    package var enteredWeight: Double?
    package var weightUnit: WeightUnit?
    /// The programmed syringe concentration.
    package var concentrationMilligramsPerMillilitre: Double?
    /// The session dose at which the infusion completes; nil when open-ended or not programmed.
    package var programmedMilligrams: Double?
    /// The entry's limits on the predicted concentration (ng/mL), the band the prediction is judged in.
    package var predictedConcentrationLimits: LimitBand?
    /// The latest trustworthy cuff pressure with the instant it was taken.
    package var bloodPressure: CuffPressure?
    /// What is left in the syringe, mL (the core's account: loaded minus what left it).
    package var syringeRemainingMillilitres: Double?
    /// The latest reading of each parameter since intake, as the monitor sent it (flagged or not), in
    /// `VitalParameter` order.
    package var vitals: [VitalSign] = []
    /// When this patient was taken in: readings measured before it are the previous patient's.
    package var takenInAt: MonotonicInstant?
    /// Set while a blood-pressure alarm awaits its confirming cuff reading before it pauses
    /// (`interlock.confirmBloodPressureBeforePause`): the nurse must start a cuff measurement on the
    /// monitor, which infusiond cannot do (docs/SIMULATORS.md, "Starting a cuff measurement").
    package var confirmingCuffReadingRequested: ConfirmingCuffReadingRequest?
    /// Every active or latched alarm with its inactivation state, highest priority first.
    package var activeAlarms: [ActiveAlarm] = []
    /// When the audio pause in force ends by itself; nil when audio is not paused.
    package var audioPausedUntil: MonotonicInstant?
    /// When the programmed dose will be in at the flow now delivered; nil while not delivering or
    /// when the program has no target dose.
    package var estimatedCompletion: MonotonicInstant?
    /// When the bolus being pushed ends; nil when none is.
    package var bolusEndsAt: MonotonicInstant?
    /// The nurse's latest score per observation scale this session.
    package var observations: [String: RecordedObservation] = [:]
    /// The scheduled observations due now (the core's `observation.status`).
    package var dueObservations: [DueObservation] = []
    /// In recovery and discharge-ready: the discharge criteria not yet met (empty when ready).
    package var missingDischargeCriteria: [MissingDischargeCriterion]?
    /// The order waiting for a nurse at this chair (the core's `order` events).
    package var pendingOrder: ChairOrder?

    /// The alarms waiting for a confirming cuff reading, and since when the nurse has been asked for it.
    package struct ConfirmingCuffReadingRequest: Sendable, Hashable {
        package var causes: [AlarmCondition]
        package var since: MonotonicInstant
    }

    /// One active or latched alarm as a display needs it (IEC 60601-1-8 inactivation states).
    package struct ActiveAlarm: Sendable, Hashable {
        package var condition: AlarmCondition
        package var category: AlarmCategory
        package var priority: AlarmPriority
        /// Acknowledged: its audio stays off until the condition ends.
        package var isAcknowledged: Bool
        /// Silenced by the audio pause in force (until `audioPausedUntil`).
        package var isAudioPaused: Bool
        /// The trigger has ended; the signal remains until acknowledged.
        package var isLatched: Bool
        package var raisedAt: MonotonicInstant
    }

    package init(id: String) {
        self.id = id
    }

    /// Folds one core event into the snapshot.
    package mutating func apply(_ event: CoreEvent) {
        switch event {
        case .session(let transition):
            state = transition.to
            apply(transition.session)
            if transition.reason == "intake" { forgetVitals(before: transition.time) }
        case .delivery(let report):
            commandedFlowMillilitresPerHour = report.flow.value
            flowMillilitresPerHour = deliveryUncertain ? nil : commandedFlowMillilitresPerHour
            doseRate = report.doseRate
            deliveredMilligrams = report.deliveredDose.value
            predictedConcentration = report.predictedConcentration
            bloodPressure = report.bloodPressure ?? bloodPressure
            syringeRemainingMillilitres = report.syringeRemainingMillilitres
            estimatedCompletion = completion(after: report)
        case .alarm(let alarm):
            apply(alarm)
        case .audioPause(let pause):
            audioPausedUntil = pause.isPaused ? pause.until : nil
            for index in activeAlarms.indices { activeAlarms[index].isAudioPaused = pause.isPaused }
        case .bolus(let bolus):
            bolusEndsAt = bolus.kind == .started ? bolus.endsAt : nil
        case .deliveryCertainty(let certainty):
            deliveryUncertain = certainty.isUncertain
            deliveryUncertainReason = certainty.reason
            deliveryUncertainSince = certainty.since
            flowMillilitresPerHour = deliveryUncertain ? nil : commandedFlowMillilitresPerHour
        case .interlock(let interlock):
            switch interlock.kind {
            case .awaitingConfirmingReading:
                confirmingCuffReadingRequested = ConfirmingCuffReadingRequest(causes: interlock.causes, since: interlock.time)
            case .awaitingConfirmingReadingEnded:
                confirmingCuffReadingRequested = nil
            case .paused:
                break
            }
        case .observationStatus(let status):
            dueObservations = status.due
            missingDischargeCriteria = status.missingDischargeCriteria
        case .order(let event):
            pendingOrder = event.order.isPending ? event.order : nil
        case .limit, .restart, .observation:
            // Observations change only by commands: `apply(_ after:)` takes them from the command's result.
            break
        }
    }

    /// Takes the chair as a command left it (`CommandResult.after`): a command that changes the session without
    /// a transition (a re-program, a rate-form program after a dose-form one) or starts a new patient's ledger
    /// is shown in its reply and in `status` at once.
    package mutating func apply(_ after: ChairAfterCommand) {
        state = after.state
        apply(after.session)
        deliveredMilligrams = after.deliveredDose.value
        apply(observations: after.observations ?? [:])
    }

    /// A chair rebuilt from `checkpoint` after a restart, as it stands before the control thread has run: its
    /// session in full, the dose its ledger counts, and the state its restore starts in.
    package mutating func apply(restoring checkpoint: ChairCheckpoint) {
        pendingOrder = checkpoint.order.flatMap { $0.isPending ? $0 : nil }
        guard checkpoint.holdsSession else { return }
        state = checkpoint.stateAfterRestore
        apply(checkpoint.session.map(SessionOutline.init))
        deliveredMilligrams = checkpoint.deliveredDose.value
        apply(observations: checkpoint.session?.observations ?? [:])
    }

    private mutating func apply(observations recorded: [String: RecordedObservation]) {
        observations = recorded
    }

    private mutating func apply(_ outline: SessionOutline?) {
        patientID = outline.flatMap { $0.patientID.isEmpty ? nil : $0.patientID }
        profileID = outline?.profileID
        drugName = outline?.drugName
        weightKilograms = outline?.weight.value
        enteredWeight = outline?.enteredWeight
        weightUnit = outline?.weightUnit
        concentrationMilligramsPerMillilitre = outline?.concentration?.value
        programmedMilligrams = outline?.programmedDose?.value
        predictedConcentrationLimits = outline?.predictedConcentrationLimits
        // Nothing loaded until a program says what: never the previous patient's syringe.
        if outline?.concentration == nil { syringeRemainingMillilitres = nil }
        if outline == nil {
            bloodPressure = nil
            estimatedCompletion = nil
        }
    }

    private mutating func apply(_ alarm: AlarmEvent) {
        let key = alarm.condition.rawValue
        let existing = activeAlarms.firstIndex { $0.condition == alarm.condition }
        if alarm.transition == .cleared {
            alarms.removeValue(forKey: key)
            if let existing { activeAlarms.remove(at: existing) }
            return
        }
        alarms[key] = alarm.priority
        var entry = existing.map { activeAlarms[$0] } ?? ActiveAlarm(
            condition: alarm.condition, category: alarm.category, priority: alarm.priority, isAcknowledged: false,
            isAudioPaused: false, isLatched: false, raisedAt: alarm.time)
        entry.priority = alarm.priority
        switch alarm.transition {
        case .raised, .escalated:
            // A new occurrence or a worse one sounds again, whatever was silenced before.
            entry.isAcknowledged = false
            entry.isLatched = false
            entry.isAudioPaused = false
        case .acknowledged:
            entry.isAcknowledged = true
        case .latched:
            entry.isLatched = true
        case .deescalated, .cleared:
            break
        }
        if let existing { activeAlarms[existing] = entry } else { activeAlarms.append(entry) }
        activeAlarms.sort { $0.priority != $1.priority ? $0.priority > $1.priority : $0.condition.rawValue < $1.condition.rawValue }
    }

    /// When the programmed dose is reached at the report's rate, counted from the report's instant.
    private func completion(after report: DeliveryReport) -> MonotonicInstant? {
        guard let programmed = programmedMilligrams, let concentration = concentrationMilligramsPerMillilitre,
            report.flow.value > 0, concentration > 0
        else { return nil }
        let remaining = max(programmed - report.deliveredDose.value, 0)
        let hours = remaining / (report.flow.value * concentration)
        guard hours.isFinite else { return nil }
        return report.time + .nanoseconds(Int64((hours * 3_600 * 1e9).rounded()))
    }
}
