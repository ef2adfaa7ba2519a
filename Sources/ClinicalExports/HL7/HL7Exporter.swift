/// HL7 v2.6 messages of one session per IHE PCD: PCD-01 (ORU^R01) for vital signs and pump
/// observations, PCD-04 (ORU^R40) for alarm transitions; and the nurse's scores and medications. Each message is a string of segments,
/// each terminated by CR; free text is escaped. Pure: the same records and configuration give the
/// same bytes.
public struct HL7Exporter: Sendable {
    public var configuration: HL7Configuration

    public init(configuration: HL7Configuration = HL7Configuration()) {
        self.configuration = configuration
    }

    /// PCD-01 messages: one per instant at which vitals were recorded (respiratory rate is not
    /// among them; see ``DeviceContainment``) and one per pump read-back, in time order.
    public func observationMessages(for records: SessionRecordSet) -> [String] {
        PCD01Builder(envelope: HL7Envelope(configuration: configuration, records: records)).messages()
    }

    /// The nurse's record: an ORU^R01 per instant scores were recorded and an RAS^O17 per as-needed
    /// medication given, in time order (``NurseRecordBuilder``).
    public func nurseRecordMessages(for records: SessionRecordSet) -> [String] {
        NurseRecordBuilder(envelope: HL7Envelope(configuration: configuration, records: records)).messages()
    }

    /// PCD-04 messages: one per alarm transition, in time order.
    public func alarmMessages(for records: SessionRecordSet) -> [String] {
        PCD04Builder(envelope: HL7Envelope(configuration: configuration, records: records)).messages()
    }
}
