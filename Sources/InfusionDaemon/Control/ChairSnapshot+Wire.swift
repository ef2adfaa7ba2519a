package import InfusionCore
package import WireProtocol

/// The one place a chair's state becomes the protocol's `ChairStatus`: every name the wire carries is chosen
/// here from the wire's own enums, so renaming something in the core never changes the protocol by accident
/// (`WireNames`).
extension ChairSnapshot {
    /// The chair as of `now`, with each vital's age and staleness judged by `freshness`, and every time placed on
    /// the wall clock by `clock`.
    package func status(at now: MonotonicInstant, freshness: VitalFreshness, clock: WallClockAnchor) -> ChairStatus {
        var status = ChairStatus(id: id, state: WireNames.wire(state), time: clock.timestamp(now))
        status.flowMillilitresPerHour = flowMillilitresPerHour
        status.commandedFlowMillilitresPerHour = commandedFlowMillilitresPerHour
        status.deliveryUncertain = deliveryUncertain
        status.deliveryUncertainReason = deliveryUncertainReason.map(WireNames.wire)
        status.deliveryUncertainSince = deliveryUncertainSince.map(clock.timestamp)
        status.doseRate = doseRate.map { WireDoseRate(value: $0.value, unit: WireNames.wire($0.unit)) }
        status.deliveredMilligrams = deliveredMilligrams
        status.predictedConcentration = predictedConcentration
        status.alarms = alarms.mapValues(WireNames.wire)
        status.patientID = patientID
        status.profileID = profileID
        status.drugName = drugName
        status.weightKilograms = weightKilograms
        status.enteredWeight = enteredWeight
        status.weightUnit = weightUnit.map(WireNames.wire)
        status.concentrationMilligramsPerMillilitre = concentrationMilligramsPerMillilitre
        status.programmedMilligrams = programmedMilligrams
        status.predictedConcentrationLimits = predictedConcentrationLimits.map {
            WireLimitBand(hardMinimum: $0.hardMinimum, softMinimum: $0.softMinimum, softMaximum: $0.softMaximum, hardMaximum: $0.hardMaximum)
        }
        status.bloodPressure = bloodPressure.map {
            WireCuffPressure(systolic: $0.systolic, diastolic: $0.diastolic, mean: $0.mean, time: clock.timestamp($0.time))
        }
        status.syringeRemainingMillilitres = syringeRemainingMillilitres
        status.vitals = vitals.map { Self.wire($0, at: now, freshness: freshness, clock: clock) }
        status.takenInAt = takenInAt.map(clock.timestamp)
        status.confirmingCuffReadingRequested = confirmingCuffReadingRequested.map {
            WireConfirmingCuffRequest(causes: $0.causes.map(WireNames.wire), since: clock.timestamp($0.since))
        }
        status.activeAlarms = activeAlarms.map {
            WireActiveAlarm(
                condition: WireNames.wire($0.condition), category: WireNames.wire($0.category), priority: WireNames.wire($0.priority),
                isAcknowledged: $0.isAcknowledged, isAudioPaused: $0.isAudioPaused, isLatched: $0.isLatched,
                raisedAt: clock.timestamp($0.raisedAt))
        }
        status.audioPausedUntil = audioPausedUntil.map(clock.timestamp)
        status.estimatedCompletion = estimatedCompletion.map(clock.timestamp)
        status.bolusEndsAt = bolusEndsAt.map(clock.timestamp)
        status.observations = observations.mapValues {
            WireObservation(
                value: $0.value, time: clock.timestamp($0.time), operatorID: $0.operatorID,
                ageSeconds: Self.seconds(from: $0.time, to: now))
        }
        status.dueObservations = dueObservations.map { WireDueObservation(scale: $0.scale, since: clock.timestamp($0.since)) }
        status.missingDischargeCriteria = missingDischargeCriteria?.map {
            WireMissingCriterion(kind: WireNames.wire($0.kind), scale: $0.scale, message: $0.message)
        }
        status.pendingOrder = pendingOrder.map { WireNames.wire($0, time: clock.timestamp) }
        status.secondsLeft = estimatedCompletion.map { Self.seconds(from: now, to: $0) }
        status.bloodPressureAgeSeconds = bloodPressure.map { Self.seconds(from: $0.time, to: now) }
        status.audioPauseSecondsLeft = audioPausedUntil.map { Self.seconds(from: now, to: $0) }
        status.bolusSecondsLeft = bolusEndsAt.map { Self.seconds(from: now, to: $0) }
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
