internal import InfusionCore
internal import WireProtocol

/// The one place a core event becomes a protocol event: its name, its topic and its data, typed by WireProtocol
/// (docs/PROTOCOL.md "Chair events"), every time placed on the wall clock by one anchor.
extension CoreEvent {
    /// Publishes the event for chair `chair` on `hub`.
    func publish(on hub: EventHub, chair: String, clock: WallClockAnchor) {
        func send(_ name: EventName, _ detail: some Codable & Sendable & Hashable) {
            hub.publish(name, data: ChairEventData(chair: chair, detail: detail))
        }
        let time = clock.timestamp
        switch self {
        case .session(let change):
            send(.sessionState, SessionStateChange(
                from: WireNames.wire(change.from), to: WireNames.wire(change.to), reason: change.reason, time: time(change.time),
                session: change.session.map { Self.wire($0, clock: clock) }))
        case .alarm(let alarm):
            send(Self.eventName(of: alarm.transition), AlarmTransitionData(
                condition: WireNames.wire(alarm.condition), category: WireNames.wire(alarm.category),
                transition: WireNames.wire(alarm.transition), priority: WireNames.wire(alarm.priority),
                isAudible: alarm.isAudible, time: time(alarm.time)))
        case .audioPause(let pause):
            send(.alarmAudioPause, AudioPauseData(isPaused: pause.isPaused, until: pause.until.map(time), time: time(pause.time)))
        case .limit(let limit):
            send(.limit, LimitData(
                kind: WireNames.wire(limit.kind), outcome: WireNames.wire(limit.outcome), side: WireNames.wire(limit.side),
                requested: limit.requested, limit: limit.limit, reason: limit.reason, operatorID: limit.operatorID,
                profileID: limit.profileID, libraryVersion: limit.libraryVersion, time: time(limit.time)))
        case .interlock(let interlock):
            send(.interlock, InterlockData(
                kind: WireNames.wire(interlock.kind), causes: interlock.causes.map(WireNames.wire), time: time(interlock.time)))
        case .delivery(let report):
            send(.pumpDelivery, DeliveryData(
                flow: report.flow.value, doseRate: WireDoseRate(value: report.doseRate.value, unit: WireNames.wire(report.doseRate.unit)),
                deliveredDose: report.deliveredDose.value, commandedDose: report.commandedDose.value,
                reportedDose: report.reportedDose.value, predictedConcentration: report.predictedConcentration,
                time: time(report.time),
                bloodPressure: report.bloodPressure.map {
                    WireCuffPressure(systolic: $0.systolic, diastolic: $0.diastolic, mean: $0.mean, time: time($0.time))
                },
                syringeRemainingMillilitres: report.syringeRemainingMillilitres))
        case .restart(let restart):
            send(Self.eventName(of: restart.kind), RestartData(
                kind: WireNames.wire(restart.kind), state: WireNames.wire(restart.state),
                deliveredDoseAtCheckpoint: restart.deliveredDoseAtCheckpoint.value, deliveredDose: restart.deliveredDose.value,
                outageSeconds: restart.outageSeconds, pumpState: restart.pumpState.map(WireNames.wire),
                pumpStoppedDuringOutage: restart.pumpStoppedDuringOutage, safeModeExpired: restart.safeModeExpired,
                time: time(restart.time), checkpointRateMillilitresPerHour: restart.checkpointRate?.value,
                pumpRateMillilitresPerHour: restart.pumpRate?.value, rateTakenFromPump: restart.rateTakenFromPump))

        case .bolus(let bolus):
            send(.sessionBolus, BolusData(
                kind: WireNames.wire(bolus.kind), dose: bolus.dose.value, flow: bolus.flow.value, seconds: bolus.seconds,
                endsAt: time(bolus.endsAt), deliveredDose: bolus.deliveredDose.value, reason: bolus.reason, time: time(bolus.time)))
        case .deliveryCertainty(let certainty):
            send(.pumpDeliveryCertainty, DeliveryCertaintyData(
                reason: certainty.reason.map(WireNames.wire), since: certainty.since.map(time), time: time(certainty.time)))
        case .observation(let observation):
            send(.observation, ObservationData(
                scores: observation.scores.map { ObservationData.Score(scale: $0.scale, value: $0.value) },
                note: observation.note, operatorID: observation.operatorID, time: time(observation.time)))
        case .observationStatus(let status):
            send(.observationStatus, ObservationStatusData(
                due: status.due.map { WireDueObservation(scale: $0.scale, since: time($0.since)) },
                missingDischargeCriteria: status.missingDischargeCriteria?.map {
                    WireMissingCriterion(kind: WireNames.wire($0.kind), scale: $0.scale, message: $0.message)
                },
                time: time(status.time)))
        case .medication(let given):
            send(.medication, Self.wire(given, clock: clock))
        case .order(let order):
            send(.order, OrderEventData(
                kind: WireNames.wire(order.kind), order: WireNames.wire(order.order, time: time),
                replacedOrderID: order.replacedOrderID, time: time(order.time)))
        }
    }

    /// The event that tells of a restart's step.
    private static func eventName(of kind: RestartEvent.Kind) -> EventName {
        switch kind {
        case .restored: .sessionRestored
        case .reconciled: .sessionReconciled
        }
    }

    /// The event that tells of an alarm's `transition`.
    private static func eventName(of transition: AlarmTransition) -> EventName {
        switch transition {
        case .raised: .alarmRaised
        case .escalated: .alarmEscalated
        case .deescalated: .alarmDeescalated
        case .latched: .alarmLatched
        case .acknowledged: .alarmAcknowledged
        case .cleared: .alarmCleared
        }
    }

    /// A medication given, as the `medication` event and status show it (status adds its age).
    static func wire(_ given: AdministeredMedication, clock: WallClockAnchor, ageSeconds: Double? = nil) -> WireMedication {
        WireMedication(
            drug: given.drug, name: given.name, dose: given.dose, unit: WireNames.wire(given.unit), route: WireNames.wire(given.route),
            reason: given.reason, usualMinimum: given.usualMinimum, usualMaximum: given.usualMaximum,
            overrideReason: given.overrideReason, operatorID: given.operatorID, time: clock.timestamp(given.time),
            ageSeconds: ageSeconds)
    }

    /// The intake screening as outlines and status show it.
    static func wire(_ screening: ScreeningSummary) -> WireScreening {
        WireScreening(
            method: WireNames.wire(screening.method), present: screening.present.map(WireNames.wire),
            overrideReason: screening.overrideReason)
    }

    /// A start confirmed above the pre-start pressure, as outlines and status show it.
    static func wire(_ confirmed: PreStartPressureOverride, clock: WallClockAnchor) -> WirePreStartPressureOverride {
        WirePreStartPressureOverride(
            systolic: confirmed.systolic, diastolic: confirmed.diastolic, reason: confirmed.reason,
            operatorID: confirmed.operatorID, time: clock.timestamp(confirmed.time))
    }

    private static func wire(_ outline: SessionOutline, clock: WallClockAnchor) -> WireSessionOutline {
        let band = outline.predictedConcentrationLimits
        var wired = WireSessionOutline(
            patientID: outline.patientID.isEmpty ? nil : outline.patientID, profileID: outline.profileID, drugName: outline.drugName, weight: outline.weight.value,
            enteredWeight: outline.enteredWeight, weightUnit: WireNames.wire(outline.weightUnit),
            doseRateUnit: WireNames.wire(outline.doseRateUnit), concentration: outline.concentration?.value,
            programmedDose: outline.programmedDose?.value,
            predictedConcentrationLimits: WireLimitBand(
                hardMinimum: band.hardMinimum, softMinimum: band.softMinimum, softMaximum: band.softMaximum,
                hardMaximum: band.hardMaximum))
        wired.screening = outline.screening.map(Self.wire)
        wired.preStartPressureOverride = outline.preStartPressureOverride.map { Self.wire($0, clock: clock) }
        return wired
    }
}
