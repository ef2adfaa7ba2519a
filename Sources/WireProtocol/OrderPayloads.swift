/// An order from the clinic's order system as the protocol shows it: `pendingOrder` in a chair's status and
/// the `order` event's data (docs/PROTOCOL.md "order").
public struct WireOrder: Codable, Sendable, Hashable {
    public var orderID: String
    public var patientID: String
    /// The weight as the order states it, in `weightUnit`, and in kg.
    public var weight: Double
    public var weightUnit: WireWeightUnit
    public var weightKilograms: Double
    public var drugName: String
    public var drugCode: String?
    /// The drug library entries the order's drug names; the session must run under one of them.
    public var profileIDs: [String]
    /// mg/mL.
    public var concentration: Double
    public var rate: WireDoseRate
    /// mL; absent when the order runs until stopped.
    public var volumeToBeInfused: Double?
    /// Who staged it (`uid:N` of the client).
    public var stagedBy: String
    public var stagedAt: WireTimestamp
    /// Set once a nurse accepted it with `program`.
    public var acceptedBy: String?
    public var acceptedAt: WireTimestamp?

    public init(
        orderID: String, patientID: String, weight: Double, weightUnit: WireWeightUnit, weightKilograms: Double,
        drugName: String, drugCode: String?, profileIDs: [String], concentration: Double, rate: WireDoseRate,
        volumeToBeInfused: Double?, stagedBy: String, stagedAt: WireTimestamp, acceptedBy: String?, acceptedAt: WireTimestamp?
    ) {
        (self.orderID, self.patientID, self.weight, self.weightUnit, self.weightKilograms) =
            (orderID, patientID, weight, weightUnit, weightKilograms)
        (self.drugName, self.drugCode, self.profileIDs, self.concentration, self.rate, self.volumeToBeInfused) =
            (drugName, drugCode, profileIDs, concentration, rate, volumeToBeInfused)
        (self.stagedBy, self.stagedAt, self.acceptedBy, self.acceptedAt) = (stagedBy, stagedAt, acceptedBy, acceptedAt)
    }
}

/// `order`: an order was staged on the chair, or a nurse accepted it with `program`.
public struct OrderEventData: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case staged, accepted
    }

    public var kind: Kind
    public var order: WireOrder
    /// On `staged`: the pending order this one replaced.
    public var replacedOrderID: String?
    public var time: WireTimestamp

    public init(kind: Kind, order: WireOrder, replacedOrderID: String?, time: WireTimestamp) {
        (self.kind, self.order, self.replacedOrderID, self.time) = (kind, order, replacedOrderID, time)
    }
}
