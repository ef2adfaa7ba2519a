/// What the HL7 exports say about the sender, receiver and clinic. The defaults suit a single-site
/// clinic feeding a DOR or gateway that takes any sender; sites set their own names.
public struct HL7Configuration: Hashable, Sendable, Codable {
    /// MSH-3 namespace id of this application.
    public var sendingApplication: String
    /// MSH-4.
    public var sendingFacility: String
    /// MSH-5 and MSH-6; empty when the receiver accepts any.
    public var receivingApplication: String
    public var receivingFacility: String
    /// PID-3.4: who issued the patient reference.
    public var patientIdentifierAuthority: String
    /// PV1-3.1: the point of care (the clinic); PV1-3.2 is the chair.
    public var pointOfCare: String
    /// MSH-11: `P` production, `T` training, `D` debugging.
    public var processingID: String

    public init(
        sendingApplication: String = "INFUSIOND", sendingFacility: String = "", receivingApplication: String = "",
        receivingFacility: String = "", patientIdentifierAuthority: String = "CLINIC",
        pointOfCare: String = "INFUSION", processingID: String = "P"
    ) {
        self.sendingApplication = sendingApplication
        self.sendingFacility = sendingFacility
        self.receivingApplication = receivingApplication
        self.receivingFacility = receivingFacility
        self.patientIdentifierAuthority = patientIdentifierAuthority
        self.pointOfCare = pointOfCare
        self.processingID = processingID
    }
}
