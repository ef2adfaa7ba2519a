extension ChairCore {
    /// The syringe-library entry a program or syringe change names, or, when it names none, the one
    /// the session already has (the library's default at the first program).
    func syringe(named id: String?, current: SyringeSpec?) -> Result<SyringeSpec, CoreError> {
        let library = configuration.syringes
        if let id {
            guard let entry = library.syringe(id: id) else {
                return .failure(CoreError(code: "unknown-syringe", message: "the syringe library has no '\(id)' (see `syringes`)"))
            }
            return .success(entry)
        }
        if let current { return .success(current) }
        guard let entry = library.defaultSyringe else {
            return .failure(CoreError(code: "unknown-syringe", message: "the default syringe '\(library.defaultID)' is not in the library"))
        }
        return .success(entry)
    }

    /// Tells the pump the syringe's diameter. Only from states where the pump is still (programmed, or
    /// paused for a syringe change); the driver reads it back, and start and resume check that read-back.
    mutating func setPumpSyringe(_ syringe: SyringeSpec, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        output.append(.pump(.setSyringe(diameterMillimetres: syringe.innerDiameterMillimetres)))
        syringeSetAt = now
    }

    /// A read-back that reports the pump's diameter: kept for start and resume, and it clears the
    /// mismatch alarm once the pump shows the program's syringe again.
    mutating func noteSyringeReading(_ observation: PumpObservation, at now: MonotonicInstant, into output: inout [CoreOutput]) {
        guard let diameter = observation.syringeDiameterMillimetres else { return }
        pumpSyringeReading = observation
        if let syringe = session?.program?.syringe, syringe.matches(pumpDiameter: diameter) {
            alarms.update(.pumpSyringeMismatch, level: nil, at: now, into: &output)
        }
    }

    /// Before drug flows (start, resume): the pump must have read back the program's syringe diameter
    /// since it was last set, and the flow must be within the pump's range for it (issue 16 item 1).
    /// A diameter that differs once the setting has had time to land raises `pumpSyringeMismatch`.
    mutating func syringeRefusal(flow: MillilitresPerHour, at now: MonotonicInstant, into output: inout [CoreOutput]) -> CoreError? {
        guard let syringe = session?.program?.syringe else { return nil }
        let notYet = CoreError(code: "syringe-not-confirmed", message: "the pump has not yet read back the syringe diameter")
        guard let reading = pumpSyringeReading, let diameter = reading.syringeDiameterMillimetres,
            reading.time >= (syringeSetAt ?? reading.time)
        else { return notYet }
        if !syringe.matches(pumpDiameter: diameter) {
            // A setting still landing reads back within the confirmation time; past it, the pump differs.
            let settled = reading.time - (syringeSetAt ?? .zero)
                >= .configured(seconds: configuration.pumpSupervision.confirmationTimeoutSeconds)
            guard settled else { return notYet }
            alarms.update(.pumpSyringeMismatch, level: configuration.alarms.priority(of: .pumpSyringeMismatch), at: now, into: &output)
            return CoreError(
                code: "syringe-diameter-mismatch",
                message: "the pump is set to \(diameter) mm but the \(syringe.id) syringe is \(syringe.innerDiameterMillimetres) mm:"
                    + " check the syringe and confirm it with `syringe`")
        }
        return pumpRangeRefusal(flow)
    }

    /// A flow the pump cannot run with its syringe, refused before anything is sent (the pump would
    /// answer out of range). Nil when the range is unknown (no source gives Harvard's).
    func pumpRangeRefusal(_ flow: MillilitresPerHour) -> CoreError? {
        guard let range = pumpSyringeReading?.rateRangeMillilitresPerHour, !range.contains(flow.value) else { return nil }
        return CoreError(
            code: "rate-out-of-pump-range",
            message: "\(flow.value) mL/h is outside the pump's \(range.lowerBound)–\(range.upperBound) mL/h with this syringe")
    }

    /// What is left in the syringe, mL (issue 16 item 5); nil before a program.
    var syringeRemainingMillilitres: Double? {
        session?.program.map { max(0, $0.syringeVolume.value - ledger.volumeThisSyringe.value) }
    }

    /// Whether the syringe's contents raise `condition` now: empty at (within a counter step of) zero,
    /// near-empty once the flow would empty it within `syringeNearEmptyMinutes`.
    func syringeContentsRaise(_ condition: AlarmCondition) -> Bool {
        guard let remaining = syringeRemainingMillilitres else { return false }
        switch condition {
        case .pumpSyringeEmpty:
            return remaining <= PumpSupervision.targetTolerance
        case .pumpNearEmpty:
            let flow = ledger.flow.value
            return flow > 0 && remaining / flow * 60 <= configuration.syringeNearEmptyMinutes
        default:
            return false
        }
    }
}
