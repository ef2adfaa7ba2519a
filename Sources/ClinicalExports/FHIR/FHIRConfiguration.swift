/// Identifier systems the FHIR export uses; sites set their own URIs.
public struct FHIRConfiguration: Hashable, Sendable, Codable {
    /// `Patient.identifier.system` for the opaque patient reference.
    public var patientIdentifierSystem: String
    /// `Device.identifier.system` for serial numbers (the vendor is appended: `<system>/<vendor>`).
    public var deviceSerialSystem: String

    public init(
        patientIdentifierSystem: String = "urn:infusiond:patient-reference",
        deviceSerialSystem: String = "urn:infusiond:device-serial"
    ) {
        self.patientIdentifierSystem = patientIdentifierSystem
        self.deviceSerialSystem = deviceSerialSystem
    }
}
