/// The segments every PCD message starts with: MSH, PID and PV1, and the equipment identifier.
package struct HL7Envelope {
    var configuration: HL7Configuration
    var records: SessionRecordSet

    /// MSH for a message of `type` (e.g. `ORU^R01^ORU_R01`) under IHE `profile`, timed at `time`.
    func header(type: [String], controlID: String, time: UTCInstant, profile: [String]) -> HL7Segment {
        Self.header(configuration: configuration, type: type, controlID: controlID, time: time, profile: profile)
    }

    /// The MSH every PCD message starts with, for the exports and the live bridge alike.
    package static func header(
        configuration: HL7Configuration, type: [String], controlID: String, time: UTCInstant, profile: [String]
    ) -> HL7Segment {
        HL7Segment(
            "MSH",
            [
                2: "^~\\&", 3: HL7Text.components(configuration.sendingApplication),
                4: HL7Text.components(configuration.sendingFacility),
                5: HL7Text.components(configuration.receivingApplication),
                6: HL7Text.components(configuration.receivingFacility), 7: time.hl7,
                9: type.map(HL7Text.escape).joined(separator: "^"), 10: HL7Text.escape(controlID),
                11: HL7Text.escape(configuration.processingID), 12: "2.6", 15: "AL", 16: "NE", 18: "UNICODE UTF-8",
                21: profile.map(HL7Text.escape).joined(separator: "^"),
            ])
    }

    /// PID with the opaque patient reference as a medical record number. No demographics: PID-5,
    /// required by HL7, holds only name type `U` (unspecified).
    var patient: HL7Segment {
        HL7Segment(
            "PID",
            [
                3: HL7Text.components(records.patient.id, nil, nil, configuration.patientIdentifierAuthority, "MR"),
                5: "^^^^^^U",
            ])
    }

    /// PV1: an outpatient at the clinic's point of care, room = the chair.
    var visit: HL7Segment {
        HL7Segment("PV1", [2: "O", 3: HL7Text.components(configuration.pointOfCare, records.chairID)])
    }

    /// OBX-18 for a device: its EUI-64 where known, else its serial number with vendor and model as
    /// the namespace.
    package static func equipmentIdentifier(_ device: SessionDevice) -> String {
        if let eui = device.eui64, !eui.isEmpty { return HL7Text.components(eui, "EUI-64") }
        return HL7Text.components(device.serial, "\(device.vendor) \(device.model)")
    }

    /// A message control id unique within the session's export and stable across re-exports.
    func controlID(_ kind: String, _ sequence: Int) -> String {
        let session = DeterministicUUID(name: "session|\(records.sessionID)").description.prefix(8)
        return "\(session)-\(kind)-\(sequence)"
    }
}
