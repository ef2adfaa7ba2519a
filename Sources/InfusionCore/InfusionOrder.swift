/// An infusion order from the clinic's order system (IHE PCD PIV, PCD-03), as a client that may only stage
/// orders hands it to a chair (`order`). Staging never programs, starts or changes an infusion: the nurse
/// accepts the order at the chair with `program` naming it (``OrderProgramRequest``), and only then is it
/// checked in full against the drug library, like any program (docs/INTEGRATION.md "Inbound orders").
public struct InfusionOrderRequest: Hashable, Sendable, Codable {
    /// The placer's order number (ORC-2); the same id staged twice is one order.
    public var orderID: String
    /// The patient the order is for; `program` refuses it for any other patient at the chair.
    public var patientID: String
    /// The patient's weight as the order states it, in `weightUnit`.
    public var weight: Double
    public var weightUnit: WeightUnit
    /// The drug, by name (matched with the library's drug names) or by a library entry id.
    public var drugName: String
    /// The order system's code for the drug; matches a library entry when it is one's id.
    public var drugCode: String?
    public var concentration: MilligramsPerMillilitre
    public var rate: DoseRate
    /// The volume to be infused; when given, the program completes after it (its dose becomes the target).
    public var volumeToBeInfused: Millilitres?

    public init(
        orderID: String, patientID: String, weight: Double, weightUnit: WeightUnit, drugName: String, drugCode: String?,
        concentration: MilligramsPerMillilitre, rate: DoseRate, volumeToBeInfused: Millilitres?
    ) {
        self.orderID = orderID
        self.patientID = patientID
        self.weight = weight
        self.weightUnit = weightUnit
        self.drugName = drugName
        self.drugCode = drugCode
        self.concentration = concentration
        self.rate = rate
        self.volumeToBeInfused = volumeToBeInfused
    }

    /// The order's weight in kilograms.
    public var weightKilograms: Kilograms { Kilograms(weight * weightUnit.kilograms) }
}

/// `program` with `order`: the nurse accepts the chair's pending order. The program takes the order's
/// concentration, rate and volume to be infused; the syringe and soft-limit confirmation are the nurse's.
public struct OrderProgramRequest: Hashable, Sendable, Codable {
    public var orderID: String
    /// The volume loaded in the syringe; nil: the order's volume to be infused.
    public var syringeVolume: Millilitres?
    /// The syringe loaded, by syringe-library id; nil keeps the session's syringe.
    public var syringe: String?
    /// Confirmation with a reason for soft limits the order exceeds.
    public var override: LimitOverride?

    public init(orderID: String, syringeVolume: Millilitres? = nil, syringe: String? = nil, override: LimitOverride? = nil) {
        self.orderID = orderID
        self.syringeVolume = syringeVolume
        self.syringe = syringe
        self.override = override
    }
}

/// The chair's latest order: staged, then accepted by the nurse's `program`. Part of the chair's checkpoint, so
/// a pending order survives a restart of infusiond.
public struct ChairOrder: Hashable, Sendable, Codable {
    public var request: InfusionOrderRequest
    /// The library entries the order's drug names; `program` needs the session to run under one of them.
    public var profileIDs: [String]
    public var stagedBy: String
    public var stagedAt: MonotonicInstant
    /// When the nurse accepted it with `program`; nil while it is pending.
    public var acceptedAt: MonotonicInstant?
    public var acceptedBy: String?

    public var isPending: Bool { acceptedAt == nil }
}

/// `order`: an order was staged on the chair (replacing any other pending one), or accepted by `program`.
public struct OrderEvent: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case staged
        case accepted
    }

    public var kind: Kind
    public var order: ChairOrder
    /// On `staged`: the pending order this one replaced, if any.
    public var replacedOrderID: String?
    public var time: MonotonicInstant
}
