/// The result of `syringes` (docs/PROTOCOL.md): the syringe library and the syringe each chair's pump is set up
/// for when it is opened.
public struct SyringeListing: Codable, Sendable, Hashable {
    /// One syringe kind the pumps can be told about.
    public struct Syringe: Codable, Sendable, Hashable {
        /// The id `program` and `syringe` take (`bd-20`).
        public var id: String
        public var maker: String
        public var nominalMillilitres: Double
        /// The inside diameter sent to the pump, mm.
        public var innerDiameterMillimetres: Double
        public init(id: String, maker: String, nominalMillilitres: Double, innerDiameterMillimetres: Double) {
            (self.id, self.maker, self.nominalMillilitres, self.innerDiameterMillimetres) =
                (id, maker, nominalMillilitres, innerDiameterMillimetres)
        }
    }

    /// One chair's default syringe.
    public struct ChairSyringe: Codable, Sendable, Hashable {
        public var chair: String
        public var syringe: String
        public init(chair: String, syringe: String) { (self.chair, self.syringe) = (chair, syringe) }
    }

    public var syringes: [Syringe]
    public var defaultID: String
    public var chairs: [ChairSyringe]

    public init(syringes: [Syringe], defaultID: String, chairs: [ChairSyringe]) {
        (self.syringes, self.defaultID, self.chairs) = (syringes, defaultID, chairs)
    }
}
