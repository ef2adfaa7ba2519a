/// Identifier systems the FHIR export uses; sites set their own URIs.
public struct FHIRConfiguration: Hashable, Sendable, Codable {
    /// `Patient.identifier.system` for the opaque patient reference.
    public var patientIdentifierSystem: String
    /// `Device.identifier.system` for serial numbers (the vendor is appended: `<system>/<vendor>`).
    public var deviceSerialSystem: String
    /// The code system of observation scales without a LOINC code (the code is the scale's id, e.g. `moaas`).
    public var observationScaleSystem: String
    /// The code system of the as-needed medications (the code is the list's drug id, e.g. `ondansetron`).
    public var asNeededMedicationSystem: String

    public init(
        patientIdentifierSystem: String = "urn:infusiond:patient-reference",
        deviceSerialSystem: String = "urn:infusiond:device-serial",
        observationScaleSystem: String = "urn:infusiond:observation-scale",
        asNeededMedicationSystem: String = "urn:infusiond:as-needed-medication"
    ) {
        self.patientIdentifierSystem = patientIdentifierSystem
        self.deviceSerialSystem = deviceSerialSystem
        self.observationScaleSystem = observationScaleSystem
        self.asNeededMedicationSystem = asNeededMedicationSystem
    }
}
