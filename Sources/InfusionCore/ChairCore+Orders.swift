extension ChairCore {
    /// The order waiting for the nurse at this chair, if any.
    public var pendingOrder: ChairOrder? { order.flatMap { $0.isPending ? $0 : nil } }

    /// Stages an order on the chair: checked at once against what can never pass (a drug the library does not
    /// hold, a concentration it does not list, a weight or rate past a hard limit), so the order system hears
    /// of it now rather than the nurse later. Soft limits, the patient at the chair and the session's entry
    /// are checked when the nurse accepts it (``programOrder(_:by:at:into:)``). Staging changes nothing of
    /// the session and the pump, in any state.
    ///
    /// The same order id again is the same order (an order system resends what it saw no answer to): it
    /// succeeds and changes nothing, even once accepted; different content under that id is refused. A new
    /// id replaces the pending order.
    mutating func stageOrder(
        _ request: InfusionOrderRequest, by operatorID: String, at now: MonotonicInstant, into output: inout [CoreOutput]
    ) -> CoreError? {
        if let current = order, current.request.orderID == request.orderID {
            guard current.request == request else {
                return CoreError(
                    code: "order-conflict", message: "order \(request.orderID) was staged before with other values")
            }
            return nil
        }
        if let refusal = orderRefusal(request) { return refusal }
        let profiles = orderProfiles(request)
        let staged = ChairOrder(
            request: request, profileIDs: profiles.map(\.id), stagedBy: operatorID, stagedAt: now, acceptedAt: nil,
            acceptedBy: nil)
        let replaced = pendingOrder?.request.orderID
        order = staged
        output.append(.event(.order(OrderEvent(kind: .staged, order: staged, replacedOrderID: replaced, time: now))))
        return nil
    }

    /// The nurse accepts the pending order `request.orderID`: refused unless the chair's patient is the
    /// order's and the session runs under a library entry for the order's drug; then programmed with the
    /// order's concentration, rate and volume exactly as `program` would be, limits and all.
    mutating func programOrder(
        _ request: OrderProgramRequest, by operatorID: String, at now: MonotonicInstant, into output: inout [CoreOutput]
    ) -> CoreError? {
        guard state == .intake || state == .programmed, let record = session else { return .wrongState("program", state) }
        guard let staged = pendingOrder, staged.request.orderID == request.orderID else {
            let pending = pendingOrder.map { "; the pending order is \($0.request.orderID)" } ?? "; none is pending"
            return CoreError(code: "unknown-order", message: "no pending order \(request.orderID) at this chair\(pending)")
        }
        let ordered = staged.request
        guard record.intake.patientID == ordered.patientID else {
            return CoreError(
                code: "order-patient-mismatch",
                message: "order \(ordered.orderID) is for patient \(ordered.patientID), not the patient at this chair")
        }
        guard staged.profileIDs.contains(record.profile.id) else {
            return CoreError(
                code: "order-drug-mismatch",
                message: "order \(ordered.orderID) is for \(ordered.drugName); the session runs under \(record.profile.id)")
        }
        guard let volume = request.syringeVolume ?? ordered.volumeToBeInfused else {
            return .invalid("the order gives no volume to be infused: give the syringe volume")
        }
        // The order's volume to be infused is a dose the infusion completes at, stated per kg of the session's
        // dosing weight like every program's total dose.
        let totalDose = ordered.volumeToBeInfused.map {
            MilligramsPerKilogram($0.value * ordered.concentration.value / record.weight.value)
        }
        let program = ProgramRequest(
            concentration: ordered.concentration, syringeVolume: volume, totalDose: totalDose, rate: ordered.rate,
            override: request.override, syringe: request.syringe)
        if let refusal = self.program(program, by: operatorID, at: now, into: &output) { return refusal }
        var accepted = staged
        accepted.acceptedAt = now
        accepted.acceptedBy = operatorID
        order = accepted
        output.append(.event(.order(OrderEvent(kind: .accepted, order: accepted, replacedOrderID: nil, time: now))))
        return nil
    }

    /// The library entries an order's drug names: the entry whose id is its code or name, else every entry for
    /// a drug of that name.
    func orderProfiles(_ request: InfusionOrderRequest) -> [DrugProfile] {
        let library = configuration.library
        for key in [request.drugCode, request.drugName].compactMap({ $0 }) {
            if let profile = library.profile(id: key) { return [profile] }
        }
        return library.profiles.filter { $0.drugName.lowercased() == request.drugName.lowercased() }
    }

    /// Why an order can never be programmed at this chair, or nil. Checks every entry for its drug; an order
    /// one of them could take is staged.
    private func orderRefusal(_ request: InfusionOrderRequest) -> CoreError? {
        guard request.orderID.contains(where: { !$0.isWhitespace }) else { return .invalid("order id is empty") }
        guard request.patientID.contains(where: { !$0.isWhitespace }) else { return .invalid("patient id is empty") }
        guard request.weightKilograms.isPositiveAndFinite else { return .invalid("weight must be a positive number") }
        guard request.concentration.isPositiveAndFinite, request.rate.value.isFinite, request.rate.value > 0 else {
            return .invalid("concentration and rate must be positive numbers")
        }
        if let volume = request.volumeToBeInfused, !volume.isPositiveAndFinite {
            return .invalid("the volume to be infused must be a positive number")
        }
        let profiles = orderProfiles(request)
        guard !profiles.isEmpty else {
            return CoreError(
                code: "unknown-drug", message: "drug library \(configuration.library.version) has no entry for \(request.drugName)")
        }
        var first: CoreError?
        for profile in profiles {
            guard let refusal = hardLimitRefusal(request, profile: profile) else { return nil }
            first = first ?? refusal
        }
        return first
    }

    /// The first hard limit of `profile` the order breaks (weight, concentration, rate in every unit, and the
    /// session dose its volume to be infused makes).
    private func hardLimitRefusal(_ request: InfusionOrderRequest, profile: DrugProfile) -> CoreError? {
        guard profile.concentrations.contains(request.concentration) else {
            return CoreError(
                code: "concentration-not-in-library", message: "\(request.concentration) is not a concentration of \(profile.id)")
        }
        let weight = request.weightKilograms
        let drugRate = request.rate.milligramsPerHour(weight: weight, concentration: request.concentration)
        var checks = [LimitCheck(kind: .weight, value: weight.value, band: profile.weightLimits)]
        checks += rateChecks(drugRate, profile: profile, weight: weight, concentration: request.concentration)
        if let volume = request.volumeToBeInfused {
            let dose = volume.value * request.concentration.value
            checks.append(LimitCheck(kind: .sessionDose, value: dose / weight.value, band: profile.sessionDoseLimits))
            checks.append(LimitCheck(kind: .absoluteSessionDose, value: dose, band: profile.absoluteSessionDoseLimits))
        }
        for check in checks {
            guard case .hardExceeded(let side, let limit) = check.band.classify(check.value) else { continue }
            return CoreError(
                code: "hard-limit",
                message: "\(check.kind.rawValue) \(check.value) \(check.kind.unit) is \(side.rawValue) the hard limit \(limit) "
                    + "\(check.kind.unit) of \(profile.id)")
        }
        return nil
    }
}
