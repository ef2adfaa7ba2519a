extension ChairCore {
    /// Brings the time-integrated state up to `now`: the dose account and the pharmacokinetic model
    /// over the interval at the flow in force, then completion and the periodic delivery report.
    mutating func advanceClock(to now: MonotonicInstant, into output: inout [CoreOutput]) {
        defer { clock = now }
        guard let last = clock else { return }
        let elapsed = now - last
        guard elapsed > .zero else { return }
        let flow = ledger.flow
        ledger.accrue(over: elapsed)
        pharmacokinetics?.advance(
            rateMilligramsPerHour: flow.drugRate(at: ledger.concentration).value,
            duration: elapsed
        )
        finishBolusIfDue(at: now, into: &output)
        completeIfDoseReached(at: now, into: &output)
        if let due = nextDeliveryReport, now >= due {
            reportDelivery(at: now, into: &output)
        }
    }

    /// Ends the infusion once the programmed dose is in, and stops any flow at the session hard cap.
    private mutating func completeIfDoseReached(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard let record = session, ledger.flow.value > 0 else { return }
        if let hardCap = record.profile.sessionDoseLimits.hardMaximum,
            ledger.deliveredDose.perKilogram(of: record.weight).value >= hardCap
        {
            if state == .infusing {
                finishInfusion(reason: "session-dose-hard-limit", keepVeinOpen: false, at: now, into: &output)
            } else {
                haltPump(.stop, at: now, into: &output)
            }
            return
        }
        if state == .infusing, deliveredTarget(record) {
            finishInfusion(reason: "dose-reached", keepVeinOpen: true, at: now, into: &output)
        }
    }

    /// Publishes the delivery account and prediction, and schedules the next report while delivering.
    mutating func reportDelivery(at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard let record = session, let program = record.program else { return }
        let flow = ledger.flow
        output.append(
            .event(
                .delivery(
                    DeliveryReport(
                        flow: flow,
                        doseRate: DoseRate.from(
                            flow, in: record.profile.doseRateUnit, weight: record.weight,
                            concentration: program.concentration
                        ),
                        deliveredDose: ledger.deliveredDose,
                        commandedDose: ledger.commandedDose,
                        reportedDose: ledger.reportedDose,
                        predictedConcentration: pharmacokinetics?.plasmaConcentrationNanogramsPerMillilitre ?? 0,
                        time: now,
                        bloodPressure: latestCuffPressure,
                        syringeRemainingMillilitres: syringeRemainingMillilitres
                    )
                )
            )
        )
        nextDeliveryReport =
            flow.value > 0 ? now + .configured(seconds: configuration.deliveryReportIntervalSeconds) : nil
    }

    /// The latest trustworthy cuff reading, if the monitor has measured one.
    var latestCuffPressure: CuffPressure? {
        guard let systolic = vitals.latest(.nibpSystolic) else { return nil }
        return CuffPressure(
            systolic: systolic.value, diastolic: vitals.latest(.nibpDiastolic)?.value,
            mean: vitals.latest(.nibpMean)?.value, time: systolic.time)
    }
}
