package import InfusionCore
package import WireProtocol

/// The one place a chair's state becomes the protocol's `ChairStatus`: every name the wire carries is chosen
/// here from the wire's own enums, so renaming something in the core never changes the protocol by accident
/// (`WireNames`).
extension ChairSnapshot {
    /// The chair as of `now`, with each vital's age and staleness judged by `freshness`, and every time placed on
    /// the wall clock by `clock`.
    package func status(at now: MonotonicInstant, freshness: VitalFreshness, clock: WallClockAnchor) -> ChairStatus {
        var status = ChairStatus(id: id, state: WireNames.wire(core.state), time: clock.timestamp(now))
        status.flowMillilitresPerHour = core.confirmedFlow?.value
        status.commandedFlowMillilitresPerHour = core.commandedFlow.value
        status.deliveryUncertain = core.deliveryUncertainty.isUncertain
        status.deliveryUncertainReason = core.deliveryUncertainty.reason.map(WireNames.wire)
        status.deliveryUncertainSince = core.deliveryUncertainty.since.map(clock.timestamp)
        status.doseRate = core.doseRate.map { WireDoseRate(value: $0.value, unit: WireNames.wire($0.unit)) }
        status.deliveredMilligrams = core.deliveredDose.value
        status.predictedConcentration = core.predictedConcentration
        status.alarms = Dictionary(core.alarms.map { ($0.condition.rawValue, WireNames.wire($0.priority)) }) { first, _ in first }
        if let session = core.session {
            status.patientID = session.patientID.isEmpty ? nil : session.patientID
            status.profileID = session.profileID
            status.drugName = session.drugName
            status.weightKilograms = session.weight.value
            status.enteredWeight = session.enteredWeight
            status.weightUnit = WireNames.wire(session.weightUnit)
            status.concentrationMilligramsPerMillilitre = session.concentration?.value
            status.programmedMilligrams = session.programmedDose?.value
            let band = session.predictedConcentrationLimits
            status.predictedConcentrationLimits = WireLimitBand(
                hardMinimum: band.hardMinimum, softMinimum: band.softMinimum, softMaximum: band.softMaximum,
                hardMaximum: band.hardMaximum)
            status.screening = session.screening.map(CoreEvent.wire)
            status.preStartPressureOverride = session.preStartPressureOverride.map { CoreEvent.wire($0, clock: clock) }
        }
        status.bloodPressure = core.bloodPressure.map {
            WireCuffPressure(systolic: $0.systolic, diastolic: $0.diastolic, mean: $0.mean, time: clock.timestamp($0.time))
        }
        status.syringeRemainingMillilitres = core.syringeRemainingMillilitres
        status.vitals = vitals.map { Self.wire($0, at: now, freshness: freshness, clock: clock) }
        status.takenInAt = core.takenInAt.map(clock.timestamp)
        status.confirmingCuffReadingRequested = core.confirmingCuffReading.map {
            WireConfirmingCuffRequest(causes: $0.causes.map(WireNames.wire), since: clock.timestamp($0.since))
        }
        status.activeAlarms = core.alarms.map {
            WireActiveAlarm(
                condition: WireNames.wire($0.condition), category: WireNames.wire($0.condition.category),
                priority: WireNames.wire($0.priority), isAcknowledged: $0.isAcknowledged, isAudioPaused: $0.isAudioPaused,
                isLatched: $0.isLatched, raisedAt: clock.timestamp($0.raisedAt))
        }
        status.audioPausedUntil = core.audioPausedUntil.map(clock.timestamp)
        status.estimatedCompletion = core.estimatedCompletion.map(clock.timestamp)
        status.bolusEndsAt = core.bolusEndsAt.map(clock.timestamp)
        status.observations = core.observations.mapValues {
            WireObservation(
                value: $0.value, time: clock.timestamp($0.time), operatorID: $0.operatorID,
                ageSeconds: Self.seconds(from: $0.time, to: now))
        }
        status.dueObservations = core.dueObservations.map { WireDueObservation(scale: $0.scale, since: clock.timestamp($0.since)) }
        status.missingDischargeCriteria = core.missingDischargeCriteria?.map {
            WireMissingCriterion(kind: WireNames.wire($0.kind), scale: $0.scale, message: $0.message)
        }
        status.medications = core.medications.map {
            CoreEvent.wire($0, clock: clock, ageSeconds: Self.seconds(from: $0.time, to: now))
        }
        status.secondsLeft = core.estimatedCompletion.map { Self.seconds(from: now, to: $0) }
        status.bloodPressureAgeSeconds = core.bloodPressure.map { Self.seconds(from: $0.time, to: now) }
        status.audioPauseSecondsLeft = core.audioPausedUntil.map { Self.seconds(from: now, to: $0) }
        status.bolusSecondsLeft = core.bolusEndsAt.map { Self.seconds(from: now, to: $0) }
        return status
    }

    /// One reading with its age at `now`, the parameter's maximum age and whether it is past it.
    static func wire(_ vital: VitalSign, at now: MonotonicInstant, freshness: VitalFreshness, clock: WallClockAnchor) -> ChairVital {
        let age = seconds(from: vital.time, to: now)
        let maximum = freshness.maximumAge(of: vital.parameter)?.secondsDouble
        return ChairVital(
            parameter: vital.parameter.rawValue, source: vital.parameter.source.rawValue, value: vital.value,
            unit: vital.parameter.unit.ucum, flags: VitalSignFlags.named.filter { vital.flags.contains($0.flag) }.map(\.name),
            trustworthy: vital.trustworthyValue != nil, measuredAt: clock.timestamp(vital.time), ageSeconds: age,
            maximumAgeSeconds: maximum, stale: maximum.map { age > $0 })
    }

    /// Seconds from `start` to `end`, never negative.
    private static func seconds(from start: MonotonicInstant, to end: MonotonicInstant) -> Double {
        max(Double(end.nanoseconds) / 1e9 - Double(start.nanoseconds) / 1e9, 0)
    }
}
