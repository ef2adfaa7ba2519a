import InfusionCore

/// A FHIR R4 `collection` Bundle of one session: the pump and monitor Devices, the Patient as an
/// identifier only (no demographics), a body-weight Observation, one vital-signs Observation per
/// reading (cuff pressures taken at one instant form one blood-pressure panel), and one
/// MedicationAdministration for the infusion (weight and administration are left out only when the
/// records hold no time at all, as R4 requires `effective[x]`); then one `survey` Observation per score the
/// nurse recorded (LOINC-coded where the scale has a code) and one MedicationAdministration per as-needed
/// medication given at the chair.
/// Empty text from the records is left out, as FHIR forbids empty elements. Every `fullUrl` is a
/// `urn:uuid:` derived from the content (``DeterministicUUID``), and every reference points at an
/// entry of the same bundle.
public struct FHIRExporter: Sendable {
    public var configuration: FHIRConfiguration

    public init(configuration: FHIRConfiguration = FHIRConfiguration()) {
        self.configuration = configuration
    }

    /// The bundle as a JSON value; `bundle(for:).text()` prints it.
    public func bundle(for records: SessionRecordSet) -> OrderedJSON {
        let ids = BundleIDs(records)
        var resources: [(DeterministicUUID, OrderedJSON)] = [
            (ids.patient, patient(records, ids)),
            (ids.pump, device(records.pump, role: .pump, ids)),
            (ids.monitor, device(records.monitor, role: .monitor, ids)),
        ]
        if let weight = weightObservation(records, ids) { resources.append((ids.weight, weight)) }
        resources += vitalObservations(records, ids)
        if let administered = administration(records, ids) { resources.append((ids.administration, administered)) }
        resources += nurseRecord(records, ids)
        var bundle: [(String, OrderedJSON)] = [
            ("resourceType", .string("Bundle")),
            ("id", .string(DeterministicUUID(name: "bundle|\(records.sessionID)").description)),
            ("type", .string("collection")),
        ]
        if let last = records.infusionEndedAt ?? records.timeline.last?.time {
            bundle.append(("timestamp", .string(last.iso8601)))
        }
        bundle.append(
            ("entry", .array(resources.map { .object([("fullUrl", .string($0.0.urn)), ("resource", $0.1)]) })))
        // Free text from the records may be empty (a device without a serial); FHIR forbids empty elements.
        return OrderedJSON.object(bundle).prunedOfEmptyElements() ?? .object(bundle)
    }

    /// The ids of the resources every other resource refers to.
    private struct BundleIDs {
        var patient: DeterministicUUID
        var pump: DeterministicUUID
        var monitor: DeterministicUUID
        var weight: DeterministicUUID
        var administration: DeterministicUUID
        var session: String

        init(_ records: SessionRecordSet) {
            session = records.sessionID
            patient = DeterministicUUID(name: "patient|\(records.patient.id)")
            pump = Self.device(records.pump)
            monitor = Self.device(records.monitor)
            weight = DeterministicUUID(name: "weight|\(records.sessionID)")
            administration = DeterministicUUID(name: "medication-administration|\(records.sessionID)")
        }

        static func device(_ device: SessionDevice) -> DeterministicUUID {
            DeterministicUUID(name: "device|\(device.vendor)|\(device.model)|\(device.serial)")
        }
    }

    private func patient(_ records: SessionRecordSet, _ ids: BundleIDs) -> OrderedJSON {
        .object([
            ("resourceType", .string("Patient")), ("id", .string(ids.patient.description)),
            (
                "identifier",
                .array([
                    .object([
                        ("system", .string(configuration.patientIdentifierSystem)),
                        ("value", .string(records.patient.id)),
                    ])
                ])
            ),
        ])
    }

    private func device(_ device: SessionDevice, role: DeviceRole, _ ids: BundleIDs) -> OrderedJSON {
        var identifiers: [OrderedJSON] = [
            .object([
                ("system", .string("\(configuration.deviceSerialSystem)/\(device.vendor)")),
                ("value", .string(device.serial)),
            ])
        ]
        if let eui = device.eui64, !eui.isEmpty {
            identifiers.append(.object([("type", .object([("text", .string("EUI-64"))])), ("value", .string(eui))]))
        }
        let term = role == .pump ? Nomenclature.pumpMDS : Nomenclature.monitorMDS
        return .object([
            ("resourceType", .string("Device")), ("id", .string((role == .pump ? ids.pump : ids.monitor).description)),
            ("identifier", .array(identifiers)), ("status", .string("active")),
            ("manufacturer", .string(device.vendor)), ("serialNumber", .string(device.serial)),
            ("deviceName", .array([.object([("name", .string(device.model)), ("type", .string("model-name"))])])),
            ("modelNumber", .string(device.model)), ("type", FHIR.concept([FHIR.mdcCoding(term)])),
            ("patient", FHIR.reference(ids.patient)),
        ])
    }

    /// The dosing weight as an Observation at the infusion's start; nil when the records hold no
    /// time (the vital-signs profile requires `effective[x]`).
    private func weightObservation(_ records: SessionRecordSet, _ ids: BundleIDs) -> OrderedJSON? {
        guard let time = records.infusionStartedAt ?? records.timeline.first?.time else { return nil }
        let members: [(String, OrderedJSON)] = [
            ("resourceType", .string("Observation")), ("id", .string(ids.weight.description)),
            ("status", .string("final")), ("category", FHIR.vitalSignsCategory),
            (
                "code",
                FHIR.concept([
                    FHIR.coding(FHIRCodes.loincSystem, FHIRCodes.bodyWeight.code, FHIRCodes.bodyWeight.display),
                    FHIR.mdcCoding(FHIRCodes.patientWeight),
                ])
            ),
            ("subject", FHIR.reference(ids.patient)), ("effectiveDateTime", .string(time.iso8601)),
            ("valueQuantity", FHIR.quantity(records.patient.weight.value, ucum: "kg")),
        ]
        return .object(members)
    }

    /// One Observation per reading; systolic, diastolic and mean taken at one instant become one
    /// blood-pressure panel with a component each.
    private func vitalObservations(_ records: SessionRecordSet, _ ids: BundleIDs) -> [(DeterministicUUID, OrderedJSON)] {
        var observations: [(DeterministicUUID, OrderedJSON)] = []
        var usedNames: [String: Int] = [:]
        func uuid(_ name: String) -> DeterministicUUID {
            usedNames[name, default: 0] += 1
            let occurrence = usedNames[name] ?? 1
            return DeterministicUUID(name: occurrence == 1 ? name : "\(name)|\(occurrence)")
        }
        let vitals = records.timeline.compactMap { entry -> VitalEntry? in
            if case .vital(let vital) = entry { return vital }
            return nil
        }
        var index = 0
        while index < vitals.count {
            let vital = vitals[index]
            let pressures = vitals[index...].prefix { $0.time == vital.time && $0.parameter.isIntermittent }
            if pressures.contains(where: { $0.parameter == .nibpSystolic || $0.parameter == .nibpDiastolic }) {
                let id = uuid("observation|\(ids.session)|\(vital.time.millisecondsSinceEpoch)|nibp")
                observations.append((id, bloodPressurePanel(Array(pressures), vital.time, id, ids)))
                index += pressures.count
                continue
            }
            let id = uuid("observation|\(ids.session)|\(vital.time.millisecondsSinceEpoch)|\(vital.parameter.rawValue)")
            var members = observationHeader(id, FHIR.code(of: vital.parameter), vital.time, ids)
            members.append(FHIR.value(of: vital))
            if let note = FHIR.flagNote(vital.flags) { members.append(note) }
            observations.append((id, .object(members)))
            index += 1
        }
        return observations
    }

    private func bloodPressurePanel(
        _ pressures: [VitalEntry], _ time: UTCInstant, _ id: DeterministicUUID, _ ids: BundleIDs
    ) -> OrderedJSON {
        let panelCode = FHIR.concept([
            FHIR.coding(FHIRCodes.loincSystem, FHIRCodes.bloodPressurePanel.code, FHIRCodes.bloodPressurePanel.display),
            FHIR.mdcCoding(FHIRCodes.bloodPressureCompound),
        ])
        var members = observationHeader(id, panelCode, time, ids)
        members.append(
            (
                "component",
                .array(pressures.map { .object([("code", FHIR.code(of: $0.parameter)), FHIR.value(of: $0)]) })
            ))
        let flags = pressures.reduce(into: VitalSignFlags()) { $0.formUnion($1.flags) }
        if let note = FHIR.flagNote(flags) { members.append(note) }
        return .object(members)
    }

    private func observationHeader(
        _ id: DeterministicUUID, _ code: OrderedJSON, _ time: UTCInstant, _ ids: BundleIDs
    ) -> [(String, OrderedJSON)] {
        [
            ("resourceType", .string("Observation")), ("id", .string(id.description)), ("status", .string("final")),
            ("category", FHIR.vitalSignsCategory), ("code", code), ("subject", FHIR.reference(ids.patient)),
            ("effectiveDateTime", .string(time.iso8601)), ("device", FHIR.reference(ids.monitor)),
        ]
    }

    /// The infusion's MedicationAdministration; nil when the records hold no time at all, since R4
    /// requires `effective[x]`.
    private func administration(_ records: SessionRecordSet, _ ids: BundleIDs) -> OrderedJSON? {
        guard let start = records.infusionStartedAt ?? records.timeline.first?.time ?? records.infusionEndedAt else {
            return nil
        }
        let program = records.program
        let medication = FHIR.concept(
            program.drugCode.map { [FHIR.coding($0.system, $0.code, $0.display)] } ?? [], text: program.drugName)
        var members: [(String, OrderedJSON)] = [
            ("resourceType", .string("MedicationAdministration")), ("id", .string(ids.administration.description)),
            ("status", .string(records.outcome.rawValue)), ("medicationCodeableConcept", medication),
            ("subject", FHIR.reference(ids.patient)),
        ]
        var period: [(String, OrderedJSON)] = [("start", .string(start.iso8601))]
        if let end = records.infusionEndedAt { period.append(("end", .string(end.iso8601))) }
        members.append(("effectivePeriod", .object(period)))
        members.append(("device", .array([FHIR.reference(ids.pump)])))
        let rateUnit = Nomenclature.unit(of: program.doseRate.unit).ucum
        let concentration = DecimalText.format(optional: program.concentration.value)
        members.append(
            (
                "dosage",
                .object([
                    ("text", .string("\(program.drugName) \(concentration) mg/mL IV infusion")),
                    ("route", .object([("text", .string("intravenous"))])),
                    ("dose", FHIR.quantity(records.deliveredDose.value, ucum: "mg")),
                    ("rateQuantity", FHIR.quantity(program.doseRate.value, ucum: rateUnit)),
                ])
            ))
        return .object(members)
    }

    /// The nurse's scores as `survey` Observations and the as-needed medications as MedicationAdministrations,
    /// in time order.
    private func nurseRecord(_ records: SessionRecordSet, _ ids: BundleIDs) -> [(DeterministicUUID, OrderedJSON)] {
        var resources: [(DeterministicUUID, OrderedJSON)] = []
        var used: [String: Int] = [:]
        func uuid(_ name: String) -> DeterministicUUID {
            used[name, default: 0] += 1
            let occurrence = used[name] ?? 1
            return DeterministicUUID(name: occurrence == 1 ? name : "\(name)|\(occurrence)")
        }
        for entry in records.timeline {
            switch entry {
            case .observation(let observation):
                let id = uuid("nurse-observation|\(ids.session)|\(observation.time.millisecondsSinceEpoch)|\(observation.scale)")
                resources.append((id, scoreObservation(observation, id, ids)))
            case .medication(let medication):
                let id = uuid("as-needed|\(ids.session)|\(medication.time.millisecondsSinceEpoch)|\(medication.drug)")
                resources.append((id, asNeededAdministration(medication, id, ids)))
            default:
                continue
            }
        }
        return resources
    }

    private func scoreObservation(_ observation: ObservationEntry, _ id: DeterministicUUID, _ ids: BundleIDs) -> OrderedJSON {
        var codings = [FHIR.coding(configuration.observationScaleSystem, observation.scale, observation.scale)]
        if let loinc = ObservationScaleLOINC.codes[observation.scale] {
            codings.insert(FHIR.coding(FHIRCodes.loincSystem, loinc.code, loinc.display), at: 0)
        }
        var members: [(String, OrderedJSON)] = [
            ("resourceType", .string("Observation")), ("id", .string(id.description)), ("status", .string("final")),
            ("category", FHIR.surveyCategory), ("code", FHIR.concept(codings)), ("subject", FHIR.reference(ids.patient)),
            ("effectiveDateTime", .string(observation.time.iso8601)), ("valueInteger", .integer(Int64(observation.value))),
        ]
        if let note = observation.note { members.append(("note", .array([.object([("text", .string(note))])]))) }
        return .object(members)
    }

    private func asNeededAdministration(_ medication: MedicationEntry, _ id: DeterministicUUID, _ ids: BundleIDs) -> OrderedJSON {
        let dose = DecimalText.format(optional: medication.dose)
        var members: [(String, OrderedJSON)] = [
            ("resourceType", .string("MedicationAdministration")), ("id", .string(id.description)),
            ("status", .string("completed")),
            (
                "medicationCodeableConcept",
                FHIR.concept(
                    [FHIR.coding(configuration.asNeededMedicationSystem, medication.drug, medication.name)],
                    text: medication.name)
            ),
            ("subject", FHIR.reference(ids.patient)), ("effectiveDateTime", .string(medication.time.iso8601)),
            ("reasonCode", .array([FHIR.concept([], text: medication.reason)])),
        ]
        if let overrideReason = medication.overrideReason {
            members.append(("note", .array([.object([("text", .string("outside the usual dose: \(overrideReason)"))])])))
        }
        members.append(
            (
                "dosage",
                .object([
                    ("text", .string("\(medication.name) \(dose) \(medication.unit.rawValue) \(medication.route.rawValue)")),
                    ("route", .object([("text", .string(FHIR.routeText(medication.route)))])),
                    ("dose", FHIR.quantity(medication.dose, ucum: medication.ucumUnit)),
                ])
            ))
        return .object(members)
    }
}
