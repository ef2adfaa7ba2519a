public import InfusionCore

/// Everything the exports need about one chair session, as the audit store holds it: who and what
/// was involved, the program, and the time-ordered record entries. The store builds it; every
/// exporter (report JSON/CSV, HL7, FHIR) reads it and nothing else, so the exports are pure
/// functions of this value.
public struct SessionRecordSet: Hashable, Sendable, Codable {
    /// The store's stable identifier of the session; it seeds the deterministic ids of the exports.
    public var sessionID: String
    public var chairID: String
    public var pump: SessionDevice
    public var monitor: SessionDevice
    public var patient: PatientReference
    public var program: ProgramSummary
    /// When the infusion started and ended, where it did.
    public var infusionStartedAt: UTCInstant?
    public var infusionEndedAt: UTCInstant?
    /// Where the infusion stands at export time.
    public var outcome: InfusionOutcome
    /// Dose delivered this session: the store's reconciled total (after any crash recovery).
    public var deliveredDose: Milligrams
    /// Volume delivered this session, where known.
    public var deliveredVolume: Millilitres?
    /// The records in time order; exporters keep ties in the given order.
    public var entries: [SessionEntry]

    public init(
        sessionID: String, chairID: String, pump: SessionDevice, monitor: SessionDevice,
        patient: PatientReference, program: ProgramSummary, infusionStartedAt: UTCInstant? = nil,
        infusionEndedAt: UTCInstant? = nil, outcome: InfusionOutcome, deliveredDose: Milligrams,
        deliveredVolume: Millilitres? = nil, entries: [SessionEntry]
    ) {
        self.sessionID = sessionID
        self.chairID = chairID
        self.pump = pump
        self.monitor = monitor
        self.patient = patient
        self.program = program
        self.infusionStartedAt = infusionStartedAt
        self.infusionEndedAt = infusionEndedAt
        self.outcome = outcome
        self.deliveredDose = deliveredDose
        self.deliveredVolume = deliveredVolume
        self.entries = entries
    }

    /// The entries sorted by time; entries with equal times keep their recorded order.
    public var timeline: [SessionEntry] {
        entries.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }
}

/// A physical device as discovery identified it.
public struct SessionDevice: Hashable, Sendable, Codable {
    public var vendor: String
    public var model: String
    public var serial: String
    /// The IEEE EUI-64 the device reports, where it has one (IHE PCD's preferred equipment id).
    public var eui64: String?

    public init(vendor: String, model: String, serial: String, eui64: String? = nil) {
        self.vendor = vendor
        self.model = model
        self.serial = serial
        self.eui64 = eui64
    }
}

/// The patient as the exports may name them: an opaque reference issued by the clinic's record
/// system, never demographics.
public struct PatientReference: Hashable, Sendable, Codable {
    /// Opaque identifier (for example the clinic's MRN or a pseudonym).
    public var id: String
    /// Dosing weight entered at intake.
    public var weight: Kilograms
    /// The drug-library profile the session used (e.g. "ketamine-psychiatric").
    public var profileID: String

    public init(id: String, weight: Kilograms, profileID: String) {
        self.id = id
        self.weight = weight
        self.profileID = profileID
    }
}

/// A code from an external code system, for a drug or an event.
public struct CodedConcept: Hashable, Sendable, Codable {
    /// The code system's URI (FHIR) — e.g. `http://www.nlm.nih.gov/research/umls/rxnorm`.
    public var system: String
    public var code: String
    public var display: String

    public init(system: String, code: String, display: String) {
        self.system = system
        self.code = code
        self.display = display
    }
}

/// The infusion program as prescribed at the start.
public struct ProgramSummary: Hashable, Sendable, Codable {
    public var drugName: String
    /// A standard code for the drug, where the library has one; exports print the name otherwise.
    public var drugCode: CodedConcept?
    public var concentration: MilligramsPerMillilitre
    /// The prescribed rate, in the library's dose unit.
    public var doseRate: DoseRate
    public var durationMinutes: Double?
    /// The session dose at which the infusion completes, where one was set.
    public var targetDose: Milligrams?
    /// Volume to be infused, where one was set.
    public var volumeToBeInfused: Millilitres?

    public init(
        drugName: String, drugCode: CodedConcept? = nil, concentration: MilligramsPerMillilitre, doseRate: DoseRate,
        durationMinutes: Double? = nil, targetDose: Milligrams? = nil, volumeToBeInfused: Millilitres? = nil
    ) {
        self.drugName = drugName
        self.drugCode = drugCode
        self.concentration = concentration
        self.doseRate = doseRate
        self.durationMinutes = durationMinutes
        self.targetDose = targetDose
        self.volumeToBeInfused = volumeToBeInfused
    }
}

/// Where the infusion stands; the raw values are FHIR MedicationAdministration status codes.
public enum InfusionOutcome: String, Hashable, Sendable, Codable, CaseIterable {
    case inProgress = "in-progress"
    /// Paused, e.g. by the vitals interlock.
    case onHold = "on-hold"
    case completed
    /// Stopped before the program completed.
    case stopped
    /// Never started.
    case notDone = "not-done"
}

/// The person behind an operator action: the socket peer's uid and the role the daemon granted it.
public struct OperatorIdentity: Hashable, Sendable, Codable {
    public var uid: UInt32
    public var role: String

    public init(uid: UInt32, role: String) {
        self.uid = uid
        self.role = role
    }
}

/// An ISO/IEEE 11073-10101 nomenclature term: its code (partition × 65536 + term) and reference id.
public struct MDCCode: Hashable, Sendable, Codable {
    public var code: UInt32
    public var name: String

    public init(_ code: UInt32, _ name: String) {
        self.code = code
        self.name = name
    }
}
